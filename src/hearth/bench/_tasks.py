"""Benchmark tasks: the JSON Lines format and the loader.

One task per line::

    {"id": "recall-01", "category": "recall",
     "turns": [{"role": "user", "content": "What is my dog's name?"}],
     "memory": ["The user's dog is called Biscuit."],
     "tools": [], "check": {"type": "contains", "value": "Biscuit"}}

Blank lines and lines starting with ``#`` are skipped.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from hearth.bench._checks import CHECK_TYPES, AllCheck, Check, ToolCallCheck
from hearth.errors import TaskFileInvalid
from hearth.specs import BUILTIN_TOOLS

BUILTIN_TASKS_FILE = "tasks.jsonl"
"""Name of the shipped task file inside the ``hearth.bench.data`` package data."""

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$")
_CATEGORY = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
_FUNCTION_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]{0,63}$")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Turn(_Frozen):
    """One message of the conversation shown to the assistant."""

    role: Literal["user", "assistant"]
    content: str = Field(min_length=1)


class FunctionSchema(_Frozen):
    """The ``function`` part of an OpenAI-style tool schema."""

    name: str
    description: str = ""
    parameters: dict[str, Any] = Field(default_factory=lambda: {"type": "object", "properties": {}})

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not _FUNCTION_NAME.match(value):
            raise ValueError("must be 1-64 letters, digits, '_' or '-', not starting with a digit")
        return value


class ToolSchema(_Frozen):
    """An OpenAI-style function tool offered to the assistant in one task."""

    type: Literal["function"] = "function"
    function: FunctionSchema


def tool_checks(check: Check) -> list[ToolCallCheck]:
    """The `tool_call` checks in `check`, inside `all` checks too."""
    if isinstance(check, ToolCallCheck):
        return [check]
    if isinstance(check, AllCheck):
        return [t for c in check.checks for t in tool_checks(c)]
    return []


class Task(_Frozen):
    """One benchmark task: a conversation ending in a user turn, and how to score the reply."""

    id: str
    category: str
    turns: tuple[Turn, ...] = Field(min_length=1)
    memory: tuple[str, ...] = ()
    tools: tuple[ToolSchema, ...] = ()
    check: Check

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        if not _ID.match(value):
            raise ValueError("must be 1-100 letters, digits, '_', '.', ':' or '-'")
        return value

    @field_validator("category")
    @classmethod
    def _category(cls, value: str) -> str:
        if not _CATEGORY.match(value):
            raise ValueError("must be lower_snake_case, e.g. 'dates_times'")
        return value

    @field_validator("memory")
    @classmethod
    def _memory(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if any(not fact.strip() for fact in value):
            raise ValueError("memory facts must be non-empty strings")
        return value

    @field_validator("turns")
    @classmethod
    def _last_is_user(cls, value: tuple[Turn, ...]) -> tuple[Turn, ...]:
        if value and value[-1].role != "user":
            raise ValueError("the last turn must be a user turn: the assistant answers it")
        return value

    @model_validator(mode="after")
    def _tools_consistent(self) -> Task:
        offered = {t.function.name: t.function for t in self.tools}
        if len(offered) != len(self.tools):
            raise ValueError("tools: function names must be unique within a task")
        for check in tool_checks(self.check):
            function = offered.get(check.name)
            if function is None and check.name not in BUILTIN_TOOLS:
                raise ValueError(
                    f"check: tool_call names {check.name!r}, which is neither offered in "
                    f"'tools' nor built in ({', '.join(BUILTIN_TOOLS)})"
                )
            known = (function.parameters.get("properties") or {}) if function else {}
            if unknown := sorted(a for a in check.arguments if known and a not in known):
                raise ValueError(
                    f"check: tool_call argument(s) {', '.join(unknown)} are not parameters of "
                    f"{check.name!r} ({', '.join(known)})"
                )
        return self


def _location(loc: Sequence[int | str]) -> str:
    parts: list[str] = []
    for i, part in enumerate(loc):
        text = str(part)
        if text.startswith("function-"):
            continue
        # A discriminated union puts the tag in the path ("check.number.value"): drop it.
        after_union = i > 0 and (loc[i - 1] == "check" or (
            isinstance(loc[i - 1], int) and i > 1 and loc[i - 2] == "checks"))
        if after_union and text in CHECK_TYPES:
            continue
        parts.append(text)
    return ".".join(parts)


def _describe(exc: ValidationError) -> str:
    known = f"known: {', '.join(CHECK_TYPES)}"
    errors, messages = exc.errors(), []
    for error in errors:
        where, kind = _location(error["loc"]), error["type"]
        rule = {
            "extra_forbidden": "unknown field; remove it or check the spelling",
            "missing": "missing; add it",
            "union_tag_invalid": f"unknown check type {error.get('ctx', {}).get('tag')!r}; {known}",
            "union_tag_not_found": f"missing; {known}",
        }.get(kind, str(error["msg"]).removeprefix("Value error, "))
        if kind.startswith("union_tag"):
            where = f"{where}.type"
        # Items that failed are dropped before the length check: only the items matter.
        elif kind == "too_short" and any(
            e["loc"][: len(error["loc"])] == error["loc"] != e["loc"] for e in errors
        ):
            continue
        messages.append(f"{where}: {rule}" if where else rule)
    return "; ".join(messages)


def _parse_line(text: str) -> Task:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not valid JSON: {exc.msg} at column {exc.colno}") from None
    if not isinstance(data, dict):
        raise ValueError('a task must be a JSON object: {"id", "category", "turns", "check"}')
    try:
        return Task.model_validate(data)
    except ValidationError as exc:
        raise ValueError(_describe(exc)) from None


def load_tasks(source: Path | str | Iterable[str], source_name: str | None = None) -> list[Task]:
    """Load tasks from a JSON Lines file (a path) or from its lines (an iterable of str).

    Every bad line is reported at once: raises `TaskFileInvalid` carrying
    ``(line_number, message)`` pairs, each message naming the field.
    """
    if isinstance(source, Path | str):
        name = source_name or str(source)
        try:
            lines: Iterable[str] = Path(source).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise TaskFileInvalid(name, [(0, f"cannot read the file: {exc}")]) from None
    else:
        name, lines = source_name or "<tasks>", source
    tasks: list[Task] = []
    errors: list[tuple[int, str]] = []
    first_line: dict[str, int] = {}
    for number, raw in enumerate(lines, start=1):
        text = raw.strip()
        if not text or text.startswith("#"):
            continue
        try:
            task = _parse_line(text)
        except ValueError as exc:
            errors.append((number, str(exc)))
            continue
        if task.id in first_line:
            errors.append((number, f"id: duplicate id {task.id!r}, first used on line "
                                   f"{first_line[task.id]}; ids must be unique"))
            continue
        first_line[task.id] = number
        tasks.append(task)
    if errors:
        raise TaskFileInvalid(name, errors)
    return tasks


def builtin_tasks() -> list[Task]:
    """The task set shipped with Hearth."""
    data = resources.files("hearth.bench").joinpath("data", BUILTIN_TASKS_FILE)
    text = data.read_text(encoding="utf-8")
    return load_tasks(text.splitlines(), f"hearth/bench/data/{BUILTIN_TASKS_FILE}")
