"""`hearth bench run`: task selection, output, exit codes and the progress bar."""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from hearth.bench import builtin_tasks, load_tasks, split_parts
from hearth.bench._cache import ResultCache, TaskResult
from hearth.bench._runner import score_tasks
from hearth.cli import USER_ERRORS, build_parser
from hearth.cli._bench import register, select
from hearth.cli._progress import TaskProgress
from hearth.errors import HearthError
from hearth.settings import Settings
from hearth.specs import apply, default_spec, load_spec_file, parse_edits, spec_to_json
from tests.bench.test_runner import ScriptedEngine
from tests.conftest import run_cli

#: Not "What is the capital of France?": the capitals table answers that without the model.
CAPITAL_QUESTION = "Tell me the capital of France in one short sentence."

CAPITAL = {"id": "capital", "category": "factual",
           "turns": [{"role": "user", "content": CAPITAL_QUESTION}],
           "check": {"type": "contains", "value": "Paris"}}
IMPOSSIBLE = {**CAPITAL, "id": "impossible",
              "check": {"type": "contains", "value": "qzxv-no-model-says-this"}}


def bench(settings: Settings, *args: str) -> int:
    """`hearth bench ARGS` in this process, with the exit codes of `hearth.cli.main`."""
    parser = argparse.ArgumentParser(prog="hearth")
    register(parser.add_subparsers(dest="command", required=True))
    parsed = parser.parse_args(["bench", *args])
    try:
        code: int = parsed.handler(parsed, settings)
    except USER_ERRORS as exc:
        print(f"hearth: error: {exc}", file=sys.stderr)
        return 2
    except HearthError as exc:
        print(f"hearth: error: {exc}", file=sys.stderr)
        return 1
    return code


def write_tasks(path: Path, *tasks: dict[str, Any] | str) -> Path:
    path.write_text("\n".join(t if isinstance(t, str) else json.dumps(t) for t in tasks) + "\n")
    return path


@pytest.fixture
def stand_in_spec(home: Path) -> Path:
    """A spec file whose model cannot load: a run that needs the model fails with exit 1."""
    model = home / "models" / "tiny.gguf"
    model.parent.mkdir()
    model.write_bytes(b"GGUF" + bytes(64))
    spec = apply(default_spec(), parse_edits([{"op": "set_model", "model": str(model)}]))
    path = home / "spec.json"
    path.write_text(spec_to_json(spec))
    return path


def test_a_bad_task_file_exits_2_with_line_numbers(settings: Settings, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    path = write_tasks(tmp_path / "tasks.jsonl", CAPITAL, "{not json", {**CAPITAL, "id": "x",
                                                                       "check": {"type": "?"}})
    assert bench(settings, "run", "--tasks", str(path)) == 2
    err = capsys.readouterr().err
    assert f"{path}:2: not valid JSON" in err and f"{path}:3: check.type: unknown" in err


def test_cached_results_are_printed_without_loading_the_model(
        settings: Settings, tmp_path: Path, stand_in_spec: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    path = write_tasks(tmp_path / "tasks.jsonl", CAPITAL, IMPOSSIBLE)
    assert bench(settings, "run", "--tasks", str(path), "--spec", str(stand_in_spec)) == 1
    assert "could not load" in capsys.readouterr().err
    score_tasks(load_spec_file(stand_in_spec), load_tasks(path), home=settings.home,
                engine=ScriptedEngine(reply=lambda u: "Paris"),
                cache=ResultCache.in_home(settings.home))
    assert bench(settings, "run", "--tasks", str(path), "--spec", str(stand_in_spec),
                 "--json") == 0
    out, err = capsys.readouterr()
    data = json.loads(out)
    assert (data["tasks"], data["passed"], data["cached"]) == (2, 1, 2)
    assert data["categories"] == {"factual": {"passed": 1, "total": 2, "rate": 0.5}}
    assert "bench: 2/2 tasks, 1 passed" in err  # progress goes to stderr only
    assert bench(settings, "run", "--tasks", str(path), "--spec", str(stand_in_spec)) == 0
    text = capsys.readouterr().out
    assert "overall" in text and "50.0%" in text and "2 from the cache" in text


def test_no_tasks_left_exits_2(settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    assert bench(settings, "run", "--category", "astrology") == 2
    assert "no tasks to run" in capsys.readouterr().err


def test_limit_must_be_positive(settings: Settings) -> None:
    with pytest.raises(SystemExit) as exc:
        bench(settings, "run", "--limit", "0")
    assert exc.value.code == 2


def test_parts_categories_and_limit_select_tasks() -> None:
    tasks = builtin_tasks()
    search, gate, test = split_parts(tasks)
    assert select(tasks, part="gate", categories=None, limit=None) == gate
    assert select(tasks, part="test", categories=None, limit=None) == test
    assert select(tasks, part="search", categories=["recall"], limit=None) == [
        t for t in search if t.category == "recall"]
    picked = select(tasks, part="all", categories=["factual", "refusal"], limit=5)
    assert len(picked) == 5 and {t.category for t in picked} <= {"factual", "refusal"}


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _result(task_id: str, passed: bool) -> TaskResult:
    return TaskResult(task_id, "factual", "q", passed, "", "")


def test_the_progress_bar_on_a_terminal_shows_counts_and_time_left() -> None:
    stream = _Terminal()
    bar = TaskProgress(stream)
    bar.phase("session 1: scoring")
    bar(1, 4, _result("a", True))
    bar(4, 4, _result("b", False))
    bar.close()
    text = stream.getvalue()
    assert "session 1: scoring" in text and "4/4" in text and "1 passed" in text
    assert "left" in text and "\x1b[" in text  # rich draws with terminal codes


def test_the_progress_is_plain_lines_with_an_eta_elsewhere() -> None:
    stream = io.StringIO()
    bar = TaskProgress(stream, every_s=3600)
    bar.phase("session 1: scoring")
    for n in range(1, 6):
        bar(n, 5, _result(str(n), n % 2 == 0))
    bar.close()
    lines = stream.getvalue().splitlines()
    assert "\r" not in stream.getvalue() and "\x1b" not in stream.getvalue()
    assert lines[0] == "bench: session 1: scoring"
    assert lines[-1].startswith("bench: 5/5 tasks, 2 passed, 0:00 elapsed, about 0:00 left")
    assert len(lines) == 2


@pytest.mark.model
def test_the_real_model_through_the_command(settings: Settings, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    path = write_tasks(tmp_path / "tasks.jsonl", CAPITAL, IMPOSSIBLE)
    assert bench(settings, "run", "--tasks", str(path), "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["spec_id"] == default_spec().id and data["cached"] == 0
    assert [(r["task_id"], r["passed"]) for r in data["results"]] == [
        ("capital", True), ("impossible", False)]
    assert data["prompt_tokens"] > 0 and data["completion_tokens"] > 0
    assert (settings.home / "bench.duckdb").is_file()


def _registered() -> bool:
    """Whether `hearth.cli` knows `bench` yet (its one register line is the lead's to add)."""
    try:
        with contextlib.redirect_stderr(io.StringIO()):
            build_parser().parse_args(["bench", "run"])
    except SystemExit:
        return False
    return True


@pytest.mark.skipif(not _registered(), reason="`bench` is not registered in hearth.cli yet")
def test_the_installed_command_runs_bench(settings: Settings, tmp_path: Path) -> None:
    path = write_tasks(tmp_path / "tasks.jsonl", CAPITAL, "{")
    result = run_cli("bench", "run", "--tasks", str(path))
    assert result.returncode == 2 and f"{path}:2:" in result.stderr


def test_candidate_progress_shows_counts_and_time_left() -> None:
    stream, terminal = io.StringIO(), _Terminal()
    for out in (stream, terminal):
        bar = TaskProgress(out, label="search", every_s=3600)
        for n in range(1, 4):
            bar.candidates(n, 3)
        bar.close()
    assert "search: 3/3 candidates scored" in stream.getvalue()
    assert "left" in stream.getvalue()
    assert "candidates scored" in terminal.getvalue() and "3/3" in terminal.getvalue()


def test_each_scoring_counts_its_own_passes_and_the_end_is_said_once() -> None:
    stream = io.StringIO()
    bar = TaskProgress(stream, label="search", every_s=3600)
    bar.phase("session 1: candidates")
    for _ in range(2):  # two task sets in one phase, as the halving scores them
        for n in range(1, 4):
            bar(n, 3, _result(str(n), True))
    bar.candidates(1, 2)
    bar.candidates(2, 2)
    bar.candidates(2, 2)  # the halving's closing call after its last scoring
    bar.candidates(1, 2)  # the next session
    bar.candidates(2, 2)
    lines = stream.getvalue().splitlines()
    assert [line.split(", 0:")[0] for line in lines[1:3]] == ["search: 3/3 tasks, 3 passed"] * 2
    # Said once per session, and again for the next one.
    assert sum("2/2 candidates scored" in line for line in lines) == 2
