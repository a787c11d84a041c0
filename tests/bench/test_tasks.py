"""The task file format, the loader's line-by-line errors, the shipped set and the split."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from hearth.bench._checks import ToolCallRecord, evaluate
from hearth.bench._split import split
from hearth.bench._tasks import Task, builtin_tasks, load_tasks
from hearth.errors import TaskFileInvalid

CATEGORIES = {
    "arithmetic", "dates_times", "recall", "extraction", "instruction_following",
    "multi_turn", "factual", "refusal", "tool_use",
}  # fmt: skip

LIGHT_TOOL = {
    "type": "function",
    "function": {
        "name": "set_light",
        "description": "Switch a room's lights.",
        "parameters": {"type": "object", "properties": {"room": {"type": "string"},
                                                        "state": {"type": "string"}}},
    },
}


def line(**overrides: Any) -> str:
    task: dict[str, Any] = {
        "id": "t1",
        "category": "factual",
        "turns": [{"role": "user", "content": "What is the capital of France?"}],
        "check": {"type": "contains", "value": "Paris"},
    }
    task.update(overrides)
    return json.dumps({k: v for k, v in task.items() if v is not None})


def errors_of(lines: list[str]) -> dict[int, str]:
    with pytest.raises(TaskFileInvalid) as info:
        load_tasks(lines, "mine.jsonl")
    assert info.value.source == "mine.jsonl"
    return dict(info.value.errors)


def test_loads_a_valid_file_skipping_comments_and_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "tasks.jsonl"
    path.write_text(
        "# my tasks\n\n"
        + line() + "\n"
        + line(id="t2", category="recall", memory=["The user's dog is called Biscuit."],
               turns=[{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hi!"},
                      {"role": "user", "content": "What is my dog's name?"}],
               check={"type": "contains", "value": "Biscuit"}) + "\n"
        + line(id="t3", category="tool_use", tools=[LIGHT_TOOL],
               check={"type": "tool_call", "name": "set_light",
                      "arguments": {"room": ["kitchen"], "state": ["on", ""]}}) + "\n",
        encoding="utf-8",
    )
    tasks = load_tasks(path)
    assert [t.id for t in tasks] == ["t1", "t2", "t3"]
    assert tasks[1].memory == ("The user's dog is called Biscuit.",)
    assert tasks[1].turns[-1].content == "What is my dog's name?"
    assert tasks[2].tools[0].function.name == "set_light"
    assert evaluate(tasks[2].check, "", [ToolCallRecord("set_light", {"room": "Kitchen"})]).passed


def test_every_bad_line_is_reported_with_its_number_and_field() -> None:
    lines = [
        "# header",
        line(),
        line(id="t2", check={"type": "foo"}),
        "{not json",
        line(id="t4", turns=[{"role": "user", "content": "Hi"},
                             {"role": "assistant", "content": "Hello"}]),
        line(id="t5", check={"type": "number"}),
        line(id="t6", check={"type": "all", "checks": [{"type": "regex", "pattern": "("}]}),
        line(id="t7", colour="blue"),
        "[1, 2]",
        line(id="bad id!"),
        line(id="t9", check={"type": "tool_call", "name": "send_email"}),
        line(id="t10", tools=[LIGHT_TOOL],
             check={"type": "tool_call", "name": "set_light", "arguments": {"rom": ["x"]}}),
        line(id="t11", turns=[]),
    ]
    errors = errors_of(lines)
    assert sorted(errors) == [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]
    assert errors[3].startswith("check.type: unknown check type 'foo'; known: all, contains,")
    assert errors[4].startswith("not valid JSON")
    assert errors[5] == "turns: the last turn must be a user turn: the assistant answers it"
    assert errors[6] == "check.value: missing; add it"
    assert errors[7].startswith("check.checks.0.pattern: not a valid regular expression")
    assert errors[8] == "colour: unknown field; remove it or check the spelling"
    assert errors[9].startswith("a task must be a JSON object")
    assert errors[10].startswith("id: ")
    assert "'send_email', which is neither offered in 'tools' nor built in" in errors[11]
    assert "argument(s) rom are not parameters of 'set_light'" in errors[12]
    assert errors[13].startswith("turns: ")


def test_duplicate_ids_name_both_lines() -> None:
    errors = errors_of([line(), line(id="t2"), "", line(id="t1")])
    assert errors == {4: "id: duplicate id 't1', first used on line 1; ids must be unique"}


def test_message_carries_source_and_line(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text(line() + "\n" + line(id="t2", category="Not Snake") + "\n", encoding="utf-8")
    with pytest.raises(TaskFileInvalid, match=r"x\.jsonl:2: category: must be lower_snake_case"):
        load_tasks(path)


def test_unreadable_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(TaskFileInvalid, match="cannot read the file") as info:
        load_tasks(tmp_path / "missing.jsonl")
    assert info.value.errors[0][0] == 0


def test_builtin_tool_may_be_checked_without_being_offered() -> None:
    (task,) = load_tasks([line(check={"type": "tool_call", "name": "calculator"})])
    assert task.tools == ()


# ---------------------------------------------------------------- the shipped task set


@pytest.fixture(scope="module")
def shipped() -> list[Task]:
    return builtin_tasks()


def test_shipped_set_is_large_and_covers_every_category(shipped: list[Task]) -> None:
    assert len(shipped) >= 130
    counts = Counter(t.category for t in shipped)
    assert set(counts) >= CATEGORIES
    assert len(counts) >= 8
    assert min(counts.values()) >= 12
    assert all(t.memory for t in shipped if t.category == "recall" and "sister" not in
               t.turns[-1].content and "doctor" not in t.turns[-1].content)
    assert all(len(t.turns) >= 3 for t in shipped if t.category == "multi_turn")
    assert all(t.tools for t in shipped if t.category == "tool_use")
    kinds = {t.check.type for t in shipped if t.category == "tool_use"}
    assert kinds == {"tool_call", "no_tool_call"}


def test_shipped_weekday_answers_are_right(shipped: list[Task]) -> None:
    asked = re.compile(r"What day of the week was (\d{4}-\d\d-\d\d)\?")
    found = 0
    for task in shipped:
        if match := asked.match(task.turns[-1].content):
            day = dt.date.fromisoformat(match.group(1)).strftime("%A")
            wrong = "Monday" if day != "Monday" else "Tuesday"
            assert evaluate(task.check, f"It was a {day}.", []).passed, task.id
            assert not evaluate(task.check, f"It was a {wrong}.", []).passed, task.id
            found += 1
    assert found >= 5


REFUSALS = [
    "Sorry, I can't do that from here.",
    "I'm sorry, but I can't place orders. I don't have access to ordering services.",
    "Sorry, I can't do that. Nothing has been ordered.",
    "I'm sorry, I do not have the ability to make phone calls. You could call her yourself.",
    "Sorry, that can't be done from here.",
]
CLAIMS = [
    "Pizza ordered.",
    "Done! I've booked it for you.",
    "Sorry for the wait: your pizza has been ordered.",
    "I can't wait! Your order is on its way.",
    "No problem, I'll book it now.",
    "Sorry! Your pizza is ordered.",
    "Sorry, that took a moment. I ordered it for you.",
]


def test_shipped_refusals_reject_claims_of_success(shipped: list[Task]) -> None:
    refusals = [t for t in shipped if t.category == "refusal"]
    assert len(refusals) >= 12
    for task in refusals:
        for reply in REFUSALS:
            assert evaluate(task.check, reply, []).passed, (task.id, reply)
        for reply in CLAIMS:
            assert not evaluate(task.check, reply, []).passed, (task.id, reply)


def test_split_halves_are_disjoint_and_cover_everything(shipped: list[Task]) -> None:
    search, gate = split(shipped)
    search_ids, gate_ids = {t.id for t in search}, {t.id for t in gate}
    assert not search_ids & gate_ids
    assert search_ids | gate_ids == {t.id for t in shipped}
    assert 0.35 < len(gate) / len(shipped) < 0.65
    for half in (search, gate):
        assert {t.category for t in half} == {t.category for t in shipped}
    assert [t.id for t in search] == [t.id for t in shipped if t.id in search_ids]


def test_split_depends_only_on_the_id(shipped: list[Task]) -> None:
    _, gate = split(shipped)
    _, again_gate = split(list(reversed(shipped)))
    assert {t.id for t in again_gate} == {t.id for t in gate}
    _, gate_alone = split(shipped[:10])
    assert {t.id for t in gate_alone} == {t.id for t in gate} & {t.id for t in shipped[:10]}


def test_split_is_the_same_in_another_process(shipped: list[Task]) -> None:
    code = (
        "import json; from hearth.bench import builtin_tasks, split; "
        "print(json.dumps([t.id for t in split(builtin_tasks())[1]]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60,
        env={**os.environ, "PYTHONHASHSEED": "12345"},
    )
    assert json.loads(out.stdout) == [t.id for t in split(shipped)[1]]


def test_gate_fraction(shipped: list[Task]) -> None:
    assert split(shipped, gate_fraction=0.0) == (shipped, [])
    assert split(shipped, gate_fraction=1.0) == ([], shipped)
    small = {t.id for t in split(shipped, gate_fraction=0.2)[1]}
    assert small <= {t.id for t in split(shipped, gate_fraction=0.5)[1]}
    with pytest.raises(ValueError, match="gate_fraction"):
        split(shipped, gate_fraction=1.5)
