"""`hearth bench import bfcl`: real BFCL records become tasks that validate and grade as BFCL does.

The records under tests/bench/data/bfcl are copied unchanged from the bfcl-eval
wheel (2026.3.23, Apache-2.0): a few of each imported category, with a
system-message record and an unanswerable one that the importer must skip.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from hearth.bench import (
    BFCL_CATEGORIES,
    NoToolCallCheck,
    Task,
    ToolCallCheck,
    ToolCallRecord,
    bfcl_tasks,
    evaluate,
    import_bfcl,
    load_tasks,
)
from hearth.bench._bfcl import parameters_schema, tasks_jsonl
from hearth.errors import ConfigError, TaskFileInvalid
from tests.conftest import ROOT, run_cli

DATA = ROOT / "tests" / "bench" / "data" / "bfcl"


@pytest.fixture(scope="module")
def imported() -> dict[str, Task]:
    return {t.id: t for t in import_bfcl(DATA).tasks}


def test_records_become_tasks_per_category() -> None:
    result = import_bfcl(DATA)
    assert result.counts() == {"bfcl_live_simple": 5, "bfcl_live_multiple": 1,
                               "bfcl_multiple": 2, "bfcl_live_irrelevance": 2}
    assert result.skipped == {"live_simple: has a system message": 1,
                              "live_multiple: has a system message": 1,
                              "live_simple: does not validate": 1}
    # Within a category, BFCL's file order.
    ids = [t.id for t in result.tasks if t.category == "bfcl_live_simple"]
    assert ids == ["bfcl_live_simple_1-1-0", "bfcl_live_simple_2-2-0", "bfcl_live_simple_27-7-0",
                   "bfcl_live_simple_39-16-0", "bfcl_live_simple_40-17-0"]


def test_dotted_names_become_underscored(imported: dict[str, Task]) -> None:
    uber = imported["bfcl_live_simple_2-2-0"]
    assert [t.function.name for t in uber.tools] == ["uber_ride"]
    assert uber.check == ToolCallCheck(
        name="uber_ride", strings="bfcl", extra_arguments="forbid",
        arguments={"loc": ("2020 Addison Street, Berkeley, CA, USA",), "type": ("comfort",),
                   "time": (600,)})
    assert uber.turns[-1].content.startswith("I need a Comfort Uber ride")
    query = imported["bfcl_multiple_119"]
    assert "database_query" in [t.function.name for t in query.tools]


def test_parameter_types_become_json_schema(imported: dict[str, Task]) -> None:
    weather = imported["bfcl_live_simple_39-16-0"].tools[0].function.parameters
    assert weather["type"] == "object"
    latitude = weather["properties"]["latitude"]
    assert latitude["type"] == "number" and latitude["format"] == "float"
    assert latitude["description"].endswith(" This is a float type value.")
    assert weather["properties"]["units"] == {
        "type": "string", "description": "The units for temperature and wind speed.",
        "enum": ["metric", "imperial"], "default": "metric"}
    tools = {t.function.name: t.function.parameters for t in imported["bfcl_multiple_119"].tools}
    conditions = tools["database_query"]["properties"]["conditions"]
    assert conditions["type"] == "array" and conditions["items"]["type"] == "object"


def test_parameters_schema_follows_bfcls_openai_handler() -> None:
    bfcl = {"type": "dict", "required": ["a"], "properties": {
        "a": {"type": "tuple", "items": {"type": "float"}},
        "b": {"type": "any", "description": "x"},
        "c": {"description": "no type"},
        "d": {"type": "dict", "properties": {"e": {"type": "float", "description": "f"},
                                             "g": {"type": "HashMap"}}},
        "h": {"type": "array", "items": {"type": "array", "items": {"type": "long"}}},
        "i": {"type": "array", "items": {"type": "dict", "properties": {"j": {"type": "bool"}}}},
    }}
    schema = parameters_schema(bfcl)
    props = schema["properties"]
    assert schema["type"] == "object" and schema["required"] == ["a"]
    assert props["a"] == {"type": "array", "items": {"type": "number"}}
    assert props["b"] == {"type": "string", "description": "x"}
    assert props["c"]["type"] == "string"
    assert props["d"]["properties"]["e"] == {"type": "number", "format": "float",
                                             "description": "f This is a float type value."}
    assert props["d"]["properties"]["g"]["type"] == "object"
    assert props["h"]["items"] == {"type": "array", "items": {"type": "integer"}}
    assert props["i"]["items"]["properties"]["j"]["type"] == "boolean"
    assert bfcl["type"] == "dict"  # the input is not changed


def test_irrelevance_expects_no_call(imported: dict[str, Task]) -> None:
    task = imported["bfcl_live_irrelevance_132-11-7"]
    assert task.check == NoToolCallCheck()
    assert [t.role for t in task.turns] == ["user", "assistant", "user"]
    assert imported["bfcl_live_irrelevance_0-0-0"].tools[0].function.name == "requests_get"


def _first_answer(accepted: Any) -> Any:
    """A call built from the first accepted value of each argument, as BFCL would accept."""
    if isinstance(accepted, dict):
        return {k: _first_answer(v[0]) for k, v in accepted.items() if v[0] != ""}
    if isinstance(accepted, list):
        return [_first_answer(item) for item in accepted]
    return accepted


def test_bfcls_own_answers_pass_and_wrong_ones_fail(imported: dict[str, Task]) -> None:
    checked = 0
    for task in imported.values():
        if not isinstance(task.check, ToolCallCheck):
            continue
        args = {k: _first_answer(next(v for v in ok if v != ""))
                for k, ok in task.check.arguments.items() if any(v != "" for v in ok)}
        right = evaluate(task.check, "", [ToolCallRecord(task.check.name, args)])
        assert right.passed, (task.id, right.reason)
        extra = evaluate(task.check, "", [ToolCallRecord(task.check.name, {**args, "zz": 1})])
        assert not extra.passed, task.id
        other = next(t.function.name for t in task.tools)
        if other != task.check.name:
            assert not evaluate(task.check, "", [ToolCallRecord(other, args)]).passed
        checked += 1
    assert checked == 8
    query = imported["bfcl_multiple_119"].check
    swapped = {"table": "user", "conditions": [
        {"field": "job", "operation": "=", "value": "engineer"},
        {"field": "age", "operation": ">", "value": "25"}]}
    assert not evaluate(query, "", [ToolCallRecord("database_query", swapped)]).passed


def test_converted_schemas_make_llama_cpp_grammars(imported: dict[str, Task]) -> None:
    from llama_cpp.llama_grammar import LlamaGrammar

    for task in imported.values():
        for tool in task.tools:
            grammar = LlamaGrammar.from_json_schema(json.dumps(tool.function.parameters),
                                                    verbose=False)
            assert grammar._grammar, (task.id, tool.function.name)


def test_tasks_round_trip_through_a_task_file(imported: dict[str, Task]) -> None:
    text = tasks_jsonl(imported.values(), header=["from BFCL"])
    assert text.startswith("# from BFCL\n")
    assert {t.id: t for t in load_tasks(text.splitlines())} == imported


def test_limit_takes_a_stable_spread(tmp_path: Path) -> None:
    two = [t.id for t in import_bfcl(DATA, categories=["live_simple"], limit=2).tasks]
    assert len(two) == 2
    # The same records come out of the file in another order.
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy)
    path = copy / "BFCL_v4_live_simple.json"
    path.write_text("".join(reversed(path.read_text().splitlines(keepends=True))))
    again = [t.id for t in import_bfcl(copy, categories=["live_simple"], limit=2).tasks]
    assert sorted(again) == sorted(two)


def test_a_folder_above_the_data_is_searched(tmp_path: Path) -> None:
    shutil.copytree(DATA, tmp_path / "bfcl_eval" / "data")
    assert len(import_bfcl(tmp_path).tasks) == 10


@pytest.mark.parametrize(
    ("broken", "message"),
    [
        (None, "no BFCL data in"),
        ("possible_answer/BFCL_v4_multiple.json", "is missing: BFCL keeps the accepted calls"),
        ("BFCL_v4_multiple.json", "BFCL_v4_multiple.json:1: not valid JSON"),
    ],
)
def test_bad_data_is_refused_with_the_fix(tmp_path: Path, broken: str | None,
                                          message: str) -> None:
    root = tmp_path / "data"
    if broken is None:
        root.mkdir()
    else:
        shutil.copytree(DATA, root)
        if broken.startswith("possible_answer"):
            (root / broken).unlink()
        else:
            (root / broken).write_text("{oops\n")
    with pytest.raises((ConfigError, TaskFileInvalid), match=message):
        import_bfcl(root)


def test_cli_import(tmp_path: Path) -> None:
    out = tmp_path / "sub" / "bfcl.jsonl"
    done = run_cli("bench", "import", "bfcl", str(DATA), "--out", str(out), "--limit", "1")
    assert done.returncode == 0, done.stderr
    assert "bfcl_live_simple: 1 task(s)" in done.stdout
    assert "skipped 1: live_simple: has a system message" in done.stdout
    tasks = load_tasks(out)
    assert sorted({t.category for t in tasks}) == sorted(f"bfcl_{c}" for c in BFCL_CATEGORIES)
    assert len(tasks) == 4
    assert not list(out.parent.glob("*.partial"))
    printed = run_cli("bench", "import", "bfcl", str(DATA), "--category", "multiple")
    assert printed.returncode == 0
    assert len(load_tasks(printed.stdout.splitlines())) == 2
    assert run_cli("bench", "import", "bfcl", str(tmp_path / "nowhere")).returncode == 2
    assert run_cli("bench", "import", "bfcl", str(DATA), "--limit", "0").returncode == 2


def test_the_shipped_subset(imported: dict[str, Task]) -> None:
    shipped = {t.id: t for t in bfcl_tasks()}
    counts: dict[str, int] = {}
    for task in shipped.values():
        counts[task.category] = counts.get(task.category, 0) + 1
    assert counts == {f"bfcl_{c}": 100 for c in BFCL_CATEGORIES}
    # Where a fixture record is among the shipped ones, the shipped task is its conversion.
    both = sorted(set(shipped) & set(imported))
    assert both == ["bfcl_live_simple_2-2-0", "bfcl_live_simple_39-16-0", "bfcl_multiple_119",
                    "bfcl_multiple_8"]
    assert all(shipped[i] == imported[i] for i in both)


def test_written_categories_are_imported_only_when_named() -> None:
    # The default import is the shipped four; BFCL's written categories come when asked.
    result = import_bfcl(DATA, categories=("simple_python", "irrelevance"))
    tasks = {t.id: t for t in result.tasks}
    assert set(tasks) == {"bfcl_simple_python_0", "bfcl_simple_python_1", "bfcl_irrelevance_0"}
    factorial = tasks["bfcl_simple_python_1"]
    assert factorial.category == "bfcl_simple_python"
    assert [t.function.name for t in factorial.tools] == ["math_factorial"]
    assert factorial.check.model_dump()["name"] == "math_factorial"
    assert tasks["bfcl_irrelevance_0"].check.model_dump()["type"] == "no_tool_call"
    assert "bfcl_simple_python" not in import_bfcl(DATA).counts()
