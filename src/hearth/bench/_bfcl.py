"""Importing the Berkeley Function-Calling Leaderboard (BFCL) into Hearth tasks.

BFCL's data ships in the ``bfcl-eval`` wheel (``bfcl_eval/data``): one JSON
object per line in ``BFCL_v4_<category>.json``, and the accepted calls in
``possible_answer/`` under the same name. Four categories are imported by
default: ``live_simple`` and ``multiple``/``live_multiple`` (one call to one
of the offered functions is right: a `tool_call` check in BFCL's
possible-answer format) and ``live_irrelevance`` (no offered function fits:
`no_tool_call`). ``simple_python`` and ``irrelevance``, BFCL's written (not
user-contributed) counterparts, are imported when asked for by name: they are
not shipped, so they can serve as a development set.

Functions are offered as BFCL's OpenAI handler offers them: dots in names
become ``_`` (OpenAI names allow ``^[a-zA-Z0-9_-]{1,64}$``) and BFCL's
parameter types become JSON schema ("dict" -> "object", "float" -> "number"
with ``"format": "float"``, "tuple" -> "array", "any" -> "string", ...).
Records that a Hearth task cannot hold are skipped and counted: a system
message (a task's turns are the user's and the assistant's; the spec owns the
system prompt), or several questions in one record.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from hearth.bench._tasks import Task, load_tasks
from hearth.errors import ConfigError, TaskFileInvalid

#: The BFCL categories imported by default (and shipped), in output order.
BFCL_CATEGORIES: tuple[str, ...] = ("live_simple", "live_multiple", "multiple",
                                    "live_irrelevance")
#: Every category the importer can convert: one call, or no call.
BFCL_KNOWN: tuple[str, ...] = (*BFCL_CATEGORIES, "simple_python", "irrelevance")
#: The converted subset shipped in ``hearth.bench`` package data.
BFCL_TASKS_FILE = "bfcl/tasks.jsonl"

# BFCL's GORILLA_TO_OPENAPI (bfcl_eval/constants/type_mappings.py); anything else is a string.
_TYPES: dict[str, str] = {
    "integer": "integer", "number": "number", "float": "number", "string": "string",
    "boolean": "boolean", "bool": "boolean", "array": "array", "list": "array",
    "dict": "object", "object": "object", "tuple": "array", "any": "string",
    "byte": "integer", "short": "integer", "long": "integer", "double": "number",
    "char": "string", "ArrayList": "array", "Array": "array", "HashMap": "object",
    "Hashtable": "object", "Queue": "array", "Stack": "array", "Any": "string",
    "String": "string", "Bigint": "integer",
}  # fmt: skip
_FILE = re.compile(r"^BFCL_v(\d+)_(\w+)\.json$")


@dataclass
class BfclImport:
    """Tasks converted from BFCL, and how many records were skipped for which reason."""

    tasks: list[Task] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)

    def counts(self) -> dict[str, int]:
        """Tasks per Hearth category, in import order."""
        return dict(Counter(t.category for t in self.tasks))


def function_name(name: str) -> str:
    """A BFCL function name as BFCL's OpenAI handler offers it: dots become underscores."""
    return name.replace(".", "_")


def _json_type(bfcl_type: object) -> str:
    return _TYPES.get(bfcl_type, "string") if isinstance(bfcl_type, str) else "string"


def _cast(properties: dict[str, Any]) -> dict[str, Any]:
    """BFCL's `_cast_to_openai_type`: each property's type in JSON schema terms, nested too."""
    for prop in properties.values():
        if prop.get("type") == "float":
            prop["format"] = "float"
            prop["description"] = prop.get("description", "") + " This is a float type value."
        prop["type"] = _json_type(prop.get("type", "string"))
        if prop["type"] not in ("array", "object"):
            continue
        if isinstance(prop.get("properties"), dict):
            prop["properties"] = _cast(prop["properties"])
        elif isinstance(items := prop.get("items"), dict):
            items["type"] = _json_type(items.get("type"))
            inner = items.get("items")
            if items["type"] == "array" and isinstance(inner, dict):
                inner["type"] = _json_type(inner.get("type"))
            elif items["type"] == "object" and isinstance(items.get("properties"), dict):
                items["properties"] = _cast(items["properties"])
    return properties


def parameters_schema(parameters: Mapping[str, Any]) -> dict[str, Any]:
    """A BFCL function's ``parameters`` as the JSON schema BFCL's OpenAI handler sends."""
    schema = copy.deepcopy(dict(parameters))
    schema["type"] = "object"
    schema["properties"] = _cast(dict(schema.get("properties") or {}))
    return schema


def _tool(function: Mapping[str, Any]) -> dict[str, Any]:
    return {"type": "function", "function": {
        "name": function_name(str(function["name"])),
        "description": str(function.get("description", "")),
        "parameters": parameters_schema(function.get("parameters") or {}),
    }}


def _check(category: str, answer: Mapping[str, Any] | None) -> dict[str, Any]:
    if category.endswith("irrelevance"):
        return {"type": "no_tool_call"}
    calls = (answer or {}).get("ground_truth")
    if not isinstance(calls, list) or len(calls) != 1 or len(calls[0]) != 1:
        raise ValueError("expected exactly one accepted call in possible_answer")
    ((name, arguments),) = calls[0].items()
    return {"type": "tool_call", "name": function_name(name), "arguments": arguments,
            "strings": "bfcl", "extra_arguments": "forbid"}


def convert_record(category: str, record: Mapping[str, Any],
                   answer: Mapping[str, Any] | None) -> Task:
    """One BFCL record (and its possible answer) as a Hearth task; `ValueError` says why not."""
    questions = record.get("question")
    if not isinstance(questions, list) or len(questions) != 1:
        raise ValueError("not a single question")
    turns = questions[0]
    if any(turn.get("role") == "system" for turn in turns):
        raise ValueError("has a system message")
    data = {
        "id": f"bfcl_{record['id']}",
        "category": f"bfcl_{category}",
        "turns": [{"role": t.get("role"), "content": t.get("content")} for t in turns],
        "tools": [_tool(f) for f in record.get("function") or []],
        "check": _check(category, answer),
    }
    try:
        return Task.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise ValueError(f"does not validate ({where}: {first['msg']})") from None


def _version(path: Path) -> int:
    match = _FILE.match(path.name)
    return int(match.group(1)) if match else 0


def find_data_dir(root: Path) -> Path:
    """The folder holding ``BFCL_v*_live_simple.json`` at or under `root` (newest version)."""
    # possible_answer/ holds files of the same names: the data folder is its parent.
    found = sorted((p for p in root.rglob("BFCL_v*_live_simple.json")
                    if (p.parent / "possible_answer").is_dir()),
                   key=lambda p: (_version(p), str(p)))
    if not root.is_dir() or not found:
        raise ConfigError(
            f"no BFCL data in {root} (BFCL_v*_live_simple.json beside possible_answer/): "
            "download the wheel with `pip download --no-deps bfcl-eval -d DIR`, unzip it "
            "and pass its bfcl_eval/data folder")
    return found[-1].parent


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    rows, errors = [], []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            errors.append((number, f"not valid JSON: {exc.msg} at column {exc.colno}"))
            continue
        if not isinstance(row, dict) or "id" not in row:
            errors.append((number, 'a BFCL record must be a JSON object with an "id"'))
            continue
        rows.append(row)
    if errors:
        raise TaskFileInvalid(str(path), errors)
    return rows


def _category_file(data_dir: Path, category: str) -> Path:
    candidates = [p for p in data_dir.glob(f"BFCL_v*_{category}.json")
                  if (m := _FILE.match(p.name)) and m.group(2) == category]
    if not candidates:
        raise ConfigError(f"no BFCL_v*_{category}.json in {data_dir}: pass the whole data "
                          "folder of the bfcl-eval wheel")
    return max(candidates, key=_version)


def stable_order(ids: Iterable[str]) -> list[str]:
    """`ids` sorted by sha256: a spread over the whole file that a new release keeps."""
    return sorted(ids, key=lambda i: hashlib.sha256(i.encode("utf-8")).hexdigest())


def import_bfcl(root: Path, *, categories: Sequence[str] = BFCL_CATEGORIES,
                limit: int | None = None) -> BfclImport:
    """Convert BFCL's data at or under `root` into tasks, `limit` per category at most.

    The tasks kept are the first `limit` convertible records in `stable_order`
    of their ids, written in BFCL's file order.
    """
    unknown = sorted(set(categories) - set(BFCL_KNOWN))
    if unknown:
        raise ConfigError(f"unknown BFCL category {', '.join(unknown)}; "
                          f"known: {', '.join(BFCL_KNOWN)}")
    data_dir = find_data_dir(root)
    result = BfclImport()
    for category in categories:
        path = _category_file(data_dir, category)
        records = _read_jsonl(path)
        answers: dict[str, dict[str, Any]] = {}
        if not category.endswith("irrelevance"):
            answer_path = data_dir / "possible_answer" / path.name
            if not answer_path.is_file():
                raise ConfigError(f"{answer_path} is missing: BFCL keeps the accepted calls "
                                  "there; pass the whole data folder of the bfcl-eval wheel")
            answers = {row["id"]: row for row in _read_jsonl(answer_path)}
        converted: dict[str, Task] = {}
        for record in records:
            try:
                converted[record["id"]] = convert_record(category, record,
                                                         answers.get(record["id"]))
            except (ValueError, KeyError, TypeError, AttributeError) as exc:
                reason = str(exc) if isinstance(exc, ValueError) else f"malformed: {exc!r}"
                result.skipped[f"{category}: {reason.split(' (')[0]}"] += 1
        kept = set(stable_order(converted)[:limit] if limit else converted)
        result.tasks += [task for key, task in converted.items() if key in kept]
    return result


def tasks_jsonl(tasks: Iterable[Task], header: Sequence[str] = ()) -> str:
    """Tasks as a task file: `header` lines as comments, then one task per line."""
    lines = [f"# {line}" for line in header]
    lines += [json.dumps(t.model_dump(mode="json"), ensure_ascii=False) for t in tasks]
    return "\n".join(lines) + "\n"


def bfcl_tasks() -> list[Task]:
    """The BFCL subset shipped with Hearth (see ``hearth/bench/data/bfcl/README.md``)."""
    data = resources.files("hearth.bench").joinpath("data", *BFCL_TASKS_FILE.split("/"))
    return load_tasks(data.read_text(encoding="utf-8").splitlines(),
                      f"hearth/bench/data/{BFCL_TASKS_FILE}")
