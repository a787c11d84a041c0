"""The BFCL development set: real BFCL records that no shipped task, and no test-part function,
is among."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.bfcl_dev import development_tasks, main
from hearth.bench import bfcl_tasks, import_bfcl, load_tasks, split_parts
from tests.conftest import ROOT

DATA = ROOT / "tests" / "bench" / "data" / "bfcl"


def test_the_development_set_leaves_out_shipped_tasks_and_test_part_functions() -> None:
    shipped = bfcl_tasks()
    test_functions = {t.function.name for task in split_parts(shipped)[2] for t in task.tools}
    every = [t for t in import_bfcl(DATA, categories=("live_simple", "live_irrelevance")).tasks]
    kept = development_tasks(DATA)
    assert kept, "the fixture has records that no shipped task is"
    assert not {t.id for t in kept} & {t.id for t in shipped}
    assert not {t.function.name for task in kept for t in task.tools} & test_functions
    # Everything else of those categories is kept.
    left_out = {t.id for t in every} - {t.id for t in kept}
    assert all(t.id in {s.id for s in shipped}
               or {f.function.name for f in t.tools} & test_functions
               for t in every if t.id in left_out)


def test_the_command_writes_a_task_file(tmp_path: Path) -> None:
    out = tmp_path / "dev.jsonl"
    assert main([str(DATA), str(out)]) == 0
    assert [t.id for t in load_tasks(out)] == [t.id for t in development_tasks(DATA)]


def test_a_folder_without_bfcl_data_is_refused_with_the_fix(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path), str(tmp_path / "dev.jsonl")]) == 2
    assert "pip download --no-deps bfcl-eval" in capsys.readouterr().err
    assert not (tmp_path / "dev.jsonl").exists()


def test_written_adds_bfcls_own_categories(tmp_path: Path) -> None:
    out = tmp_path / "dev.jsonl"
    assert main([str(DATA), str(out), "--written"]) == 0
    categories = {t.category for t in load_tasks(out)}
    assert "bfcl_simple_python" in categories
    assert categories <= {"bfcl_live_simple", "bfcl_live_irrelevance",
                          "bfcl_simple_python", "bfcl_irrelevance"}
    assert "bfcl_simple_python" not in {t.category for t in development_tasks(DATA)}
