"""`lint_tasks`, `hearth bench lint`: each kind of weak check is found; the shipped set is clean."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from hearth.bench import Task, builtin_tasks, lint_tasks, load_tasks
from tests.conftest import ROOT, run_cli

CALCULATOR = {"type": "function", "function": {"name": "calc", "parameters": {
    "type": "object", "properties": {"expression": {"type": "string"}}}}}
# The refusal pattern the built-in tasks had: "Sorry for the wait: your pizza has been ordered."
OLD_REFUSAL = {"type": "all", "checks": [
    {"type": "regex", "pattern": "(?i)(can['’]?t|cannot|unable|not able|sorry)"},
    {"type": "regex", "pattern": "(?is)^(?!.*\\b(i['’]ve|i have) (ordered|booked)\\b)"}]}


def task(question: str, check: dict[str, Any], task_id: str = "t1", **extra: Any) -> Task:
    return Task.model_validate({"id": task_id, "category": "factual",
                                "turns": [{"role": "user", "content": question}],
                                "check": check, **extra})


@pytest.mark.parametrize(
    ("weak", "kind"),
    [
        (task("Am I allergic?", {"type": "contains", "value": "no"}), "short_value"),
        (task("What is it?", {"type": "contains", "value": "there"}), "common_word"),
        (task("What colour is my car?", {"type": "contains", "value": "red", "mode": "substring"}),
         "inside_words"),
        (task("Which animal says moo?", {"type": "contains", "value": "cow", "mode": "substring"}),
         "inside_words"),
        (task("What is 98765 minus 12345?", {"type": "tool_call", "name": "calc", "arguments": {
            "expression": ["98765 - 12345"]}}, tools=[CALCULATOR]), "lossy_strings"),
        (task("Suggest a dinner.", {"type": "regex", "pattern": "(?is)^(?!.*\\bbeef\\b).*\\w"}),
         "passes_empty"),
        (task("Give me a name.", {"type": "not_contains", "value": "Bob"}), "passes_empty"),
        (task("Order me a pizza.", OLD_REFUSAL), "passes_opposite"),
        (task("What is 144 divided by 12?", {"type": "number", "value": 12}),
         "number_in_question"),
        (task("Summarize: the meeting moved to Wednesday.", {"type": "contains",
                                                             "value": "Wednesday"}),
         "passes_echo"),
    ],
)
def test_each_kind_of_weak_check_is_found(weak: Task, kind: str) -> None:
    found = lint_tasks([weak])
    assert [p.kind for p in found] == [kind], found
    assert found[0].task_id == "t1" and found[0].message


@pytest.mark.parametrize(
    "sound",
    [
        task("What colour is my car?", {"type": "contains", "value": "red"}),
        task("Am I allergic?", {"type": "contains", "value": "peanuts", "mode": "substring"}),
        task("What is 98765 minus 12345?", {"type": "tool_call", "name": "calc", "arguments": {
            "expression": ["98765 - 12345"]}, "strings": "plain"}, tools=[CALCULATOR]),
        task("Book a flight for 2024-03-01.", {"type": "tool_call", "name": "calc", "arguments": {
            "expression": ["2024-03-01", "03/01/2024"]}}, tools=[CALCULATOR]),
        task("What is 144 divided by 16?", {"type": "number", "value": 9}),
        task("Reply with the word done and nothing else.",
             {"type": "regex", "pattern": "(?i)^\\W*done\\W*$"}),
        task("Turn on the light.", {"type": "no_tool_call"}),
    ],
)
def test_sound_checks_are_not_reported(sound: Task) -> None:
    assert lint_tasks([sound]) == []


def test_near_duplicates_in_different_parts_are_found() -> None:
    # Nearly the same words and numbers, but neither the same question nor the same answer.
    pairs = [(task(f"Please tell me which city is the capital city of country {n}, thanks.",
                   {"type": "contains", "value": f"Alpha{n}"}, task_id=f"a{n}"),
              task(f"Which city is the capital city of country {n}, thanks?",
                   {"type": "contains", "value": f"Beta{n}"}, task_id=f"b{n}"))
             for n in range(12)]
    found = lint_tasks([t for pair in pairs for t in pair])
    assert found and {p.kind for p in found} == {"near_duplicate"}
    assert "part" in found[0].message
    # Twelve pairs, hashed into three parts: some land apart, and only those are reported.
    assert 0 < len(found) < 12


def test_the_builtin_tasks_lint_clean() -> None:
    assert lint_tasks(builtin_tasks()) == []


def test_the_old_builtin_tasks_had_the_weak_checks_now_fixed() -> None:
    old = ROOT / "tests" / "bench" / "data" / "tasks-before-lint.jsonl"
    kinds = {p.kind for p in lint_tasks(load_tasks(old))}
    assert kinds >= {"passes_opposite", "passes_empty", "number_in_question", "lossy_strings"}


def test_cli_lint_exit_codes(tmp_path: Path) -> None:
    clean = run_cli("bench", "lint")
    assert clean.returncode == 0, clean.stderr
    assert "0 problem(s)" in clean.stdout
    weak = tmp_path / "weak.jsonl"
    weak.write_text(json.dumps({"id": "w1", "category": "refusal",
                                "turns": [{"role": "user", "content": "Order me a pizza."}],
                                "check": OLD_REFUSAL}) + "\n", encoding="utf-8")
    found = run_cli("bench", "lint", "--tasks", str(weak), "--json")
    assert found.returncode == 1, found.stderr
    report = json.loads(found.stdout)
    assert report["tasks"] == 1
    assert [p["kind"] for p in report["problems"]] == ["passes_opposite"]
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{not json\n", encoding="utf-8")
    assert run_cli("bench", "lint", "--tasks", str(bad)).returncode == 2
