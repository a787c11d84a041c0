"""`split_parts`: three disjoint parts, near-duplicates together, the same in every process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

import pytest

from hearth.bench import Task, builtin_tasks, split, split_parts
from hearth.bench._split import group_keys, groups, stable_unit

LIGHT_TOOL = {"type": "function", "function": {"name": "set_light", "parameters": {
    "type": "object", "properties": {"room": {"type": "string"}, "state": {"type": "string"}}}}}
LIGHT = {"type": "tool_call", "name": "set_light",
         "arguments": {"room": ["bedroom"], "state": ["off"]}}


def task(task_id: str, question: str, check: dict[str, Any] | None = None,
         earlier: tuple[str, ...] = ()) -> Task:
    turns = [{"role": r, "content": c} for text in earlier
             for r, c in (("user", text), ("assistant", "Noted."))]
    tools = [LIGHT_TOOL] if check and check["type"] == "tool_call" else []
    return Task.model_validate({
        "id": task_id, "category": "factual", "tools": tools,
        "turns": [*turns, {"role": "user", "content": question}],
        "check": check or {"type": "contains", "value": f"answer {task_id}"}})


def fillers(n: int) -> list[Task]:
    return [task(f"filler-{i}", f"Question number {i} about topic {i * 7}?") for i in range(n)]


def part_of(parts: tuple[list[Task], list[Task], list[Task]], task_id: str) -> int:
    return next(i for i, part in enumerate(parts) if task_id in {t.id for t in part})


@pytest.mark.parametrize(
    "twins",
    [
        # The same question, up to case, filler, punctuation and the answer format.
        [task("a", "What colour is grass?"),
         task("b", "what colour is the grass", earlier=("Answer in French.",)),
         task("c", "What colour is grass? Answer in one word.")],
        # The same tool call expected.
        [task("d", "Switch off the bedroom light, please.", LIGHT),
         task("e2", "Now turn it off again.", LIGHT, earlier=("Turn on the bedroom light.",))],
        # The same answer expected.
        [task("f", "What is the capital of Italy?", {"type": "contains", "value": "Rome"}),
         task("g", "Using lowercase letters only, tell me the capital of Italy.",
              {"type": "all", "checks": [{"type": "contains", "value": "rome"},
                                         {"type": "regex", "pattern": "^[^A-Z]*$"}]})],
    ],
)
def test_near_duplicates_land_in_one_part(twins: list[Task]) -> None:
    # The ids are chosen so that a split by id alone would part each set of twins.
    by_id = {0 if u < 0.4 else 1 if u < 0.7 else 2 for u in (stable_unit(t.id) for t in twins)}
    assert len(by_id) > 1
    parts = split_parts([*fillers(20), *twins, *fillers(40)[20:]])
    assert len({part_of(parts, t.id) for t in twins}) == 1


def test_parts_are_disjoint_cover_everything_and_keep_order() -> None:
    tasks = builtin_tasks()
    parts = split_parts(tasks)
    ids = [[t.id for t in part] for part in parts]
    assert sorted(i for part in ids for i in part) == sorted(t.id for t in tasks)
    for part in ids:
        assert 0.2 < len(part) / len(tasks) < 0.5
        assert part == [t.id for t in tasks if t.id in set(part)]


def test_parts_depend_only_on_the_group() -> None:
    tasks = builtin_tasks()
    parts = [[t.id for t in p] for p in split_parts(tasks)]
    again = [[t.id for t in p] for p in split_parts(list(reversed(tasks)))]
    assert [sorted(p) for p in again] == [sorted(p) for p in parts]
    # Adding unrelated tasks moves none of the others.
    more = [[t.id for t in p if not t.id.startswith("filler")]
            for p in split_parts([*tasks, *fillers(30)])]
    assert more == parts


def test_group_names_do_not_depend_on_order() -> None:
    tasks = builtin_tasks()
    assert groups(tasks) == groups(list(reversed(tasks)))
    by_id = {t.id: t for t in tasks}
    assert groups(tasks)["multi_turn-08"] == groups(tasks)["factual-08"]  # "What colour is grass?"
    assert groups(tasks)["multi_turn-17"] == groups(tasks)["factual-05"]  # Ottawa
    assert any(k.startswith("t:setlight(") for k in group_keys(by_id["tool_use-19"]))


def test_parts_are_the_same_in_another_process() -> None:
    code = ("import json; from hearth.bench import builtin_tasks, split_parts; "
            "print(json.dumps([[t.id for t in p] for p in split_parts(builtin_tasks())]))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=60, env={**os.environ, "PYTHONHASHSEED": "999"})
    assert json.loads(out.stdout) == [[t.id for t in p] for p in split_parts(builtin_tasks())]


def test_fractions() -> None:
    tasks = builtin_tasks()
    assert split_parts(tasks, (1.0, 0.0, 0.0)) == (tasks, [], [])
    assert split_parts(tasks, (0.0, 0.0, 1.0)) == ([], [], tasks)
    with pytest.raises(ValueError, match="sum to 1"):
        split_parts(tasks, (0.5, 0.5, 0.5))


def test_the_old_split_still_splits_by_id() -> None:
    tasks = builtin_tasks()
    search, gate = split(tasks)
    assert len(search) + len(gate) == len(tasks)
    assert {t.id for t in split(tasks[:20])[1]} == {t.id for t in gate} & {t.id for t in tasks[:20]}
