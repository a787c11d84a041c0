"""Deterministic checks that score one benchmark reply, and `evaluate` that runs them.

A check is data, a discriminated union on ``type``: task files written elsewhere score the same.
Checks grade the way a person would: `number` reads the answer a reply states
(not merely its first number), `contains` matches whole words unless asked for
a substring, and `tool_call` compares arguments the way BFCL's AST checker does.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, JsonValue, field_validator

from hearth.bench._arguments import ExtraRule, StringRule, accepted_problem, arguments_problem
from hearth.bench._numbers import stated_answers

MatchMode = Literal["word", "substring"]
"""How `contains` matches: whole words (the default) or anywhere, inside other words too."""


class _Check(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ExactCheck(_Check):
    """The whole reply, stripped, equals `value` (case-insensitive)."""

    type: Literal["exact"] = "exact"
    value: str


class ContainsCheck(_Check):
    """The reply contains `value` (case-insensitive) as whole words.

    "red" matches "a red car" but not "stored"; "cow" not "Moscow". Whitespace
    inside `value` matches any whitespace. With ``"mode": "substring"`` the
    value may sit inside other words.
    """

    type: Literal["contains"] = "contains"
    value: str = Field(min_length=1)
    mode: MatchMode = "word"


class NotContainsCheck(_Check):
    """The reply does not contain `value` (case-insensitive), matched as `ContainsCheck` does."""

    type: Literal["not_contains"] = "not_contains"
    value: str = Field(min_length=1)
    mode: MatchMode = "word"


class RegexCheck(_Check):
    """`re.search(pattern, reply)` finds a match; use ``(?i)`` for case-insensitive."""

    type: Literal["regex"] = "regex"
    pattern: str = Field(min_length=1)

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"not a valid regular expression: {exc}") from None
        return value


class NumberCheck(_Check):
    """The answer the reply states is within `tolerance` of `value`.

    The stated answer is read by `hearth.bench._numbers.stated_answers`: the
    number after "=", "equals", "is", "are", "makes", "gives", ... ("48 times
    12 equals 576" states 576), numbers that only repeat the question's left
    aside; failing that, the first number that is not the question's, or the
    last number of the first sentence. A reply that states two different
    answers fails ("1001 minus 457 equals 596. [calculator: 544]").
    """

    type: Literal["number"] = "number"
    value: float = Field(allow_inf_nan=False)
    tolerance: float = Field(0.0, ge=0.0, allow_inf_nan=False)


class JsonFieldsCheck(_Check):
    """The first JSON object in the reply has each key, its value containing the substring."""

    type: Literal["json_fields"] = "json_fields"
    fields: dict[str, str] = Field(min_length=1)


class ToolCallCheck(_Check):
    """A call to `name` ran whose arguments each take one of the accepted values.

    BFCL's possible-answer format: each argument lists its accepted values,
    which may be lists (compared item by item, in order) or objects (each key
    listing its own accepted values); ``""`` among them means the argument may
    be left out. `strings` chooses how strings compare ("bfcl": case, spaces
    and ``, . / - _ * ^`` ignored; "plain": case and whitespace only, for
    expressions such as "98765-12345"); `extra_arguments` whether arguments the
    check does not list fail the call ("allow" by default; BFCL tasks "forbid").
    See `hearth.bench._arguments` for the full rules.
    """

    type: Literal["tool_call"] = "tool_call"
    name: str = Field(min_length=1)
    arguments: dict[str, Annotated[tuple[JsonValue, ...], Field(min_length=1)]] = Field(
        default_factory=dict
    )
    strings: StringRule = "bfcl"
    extra_arguments: ExtraRule = "allow"

    @field_validator("arguments")
    @classmethod
    def _objects_list_choices(
        cls, value: dict[str, tuple[JsonValue, ...]]
    ) -> dict[str, tuple[JsonValue, ...]]:
        for name, accepted in value.items():
            if problem := accepted_problem(list(accepted)):
                raise ValueError(f"argument {name!r}: {problem}")
        return value


class NoToolCallCheck(_Check):
    """No tool call ran."""

    type: Literal["no_tool_call"] = "no_tool_call"


class AllCheck(_Check):
    """Every check in `checks` passes."""

    type: Literal["all"] = "all"
    checks: tuple[Check, ...] = Field(min_length=1)


Check = Annotated[
    ExactCheck | ContainsCheck | NotContainsCheck | RegexCheck | NumberCheck
    | JsonFieldsCheck | ToolCallCheck | NoToolCallCheck | AllCheck,
    Field(discriminator="type"),
]
AllCheck.model_rebuild()

CHECK_TYPES: tuple[str, ...] = tuple(
    sorted(m.model_fields["type"].default for m in get_args(get_args(Check)[0]))
)
"""The known values of a check's ``type``, sorted."""


@dataclass(frozen=True)
class ToolCallRecord:
    """A tool call that actually ran while answering a task."""

    name: str
    arguments: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class CheckResult:
    """Whether a reply passed a check, and why (for failures: what was expected and found)."""

    passed: bool
    reason: str


_DECODER = json.JSONDecoder()


def first_json_object(text: str) -> dict[str, Any] | None:
    """The first JSON object in `text`, trying each ``{`` in turn, or None."""
    for start in (i for i, char in enumerate(text) if char == "{"):
        try:
            value = _DECODER.raw_decode(text, start)[0]
        except json.JSONDecodeError:
            continue
        if isinstance(value, dict):
            return value
    return None


def _clip(text: str, limit: int = 80) -> str:
    return repr(text if len(text) <= limit else text[: limit - 3] + "...")


def _apostrophes(text: str) -> str:
    return text.replace("\u2019", "'").casefold()


def contains(reply: str, value: str, mode: MatchMode = "word") -> bool:
    """Whether `reply` contains `value`, case-insensitive, as whole words unless `mode` says."""
    reply, value = _apostrophes(reply), _apostrophes(value.strip())
    if mode == "substring":
        return value in reply
    body = r"\s+".join(re.escape(part) for part in value.split())
    # A boundary only where the value itself starts or ends with a word character:
    # "+1" or "7:15" need none on their non-word side.
    start = r"(?<!\w)" if re.match(r"\w", value) else ""
    end = r"(?!\w)" if re.search(r"\w$", value) else ""
    return re.search(start + body + end, reply) is not None


def _tool_call(check: ToolCallCheck, calls: Sequence[ToolCallRecord]) -> CheckResult:
    named = [c for c in calls if c.name.strip().casefold() == check.name.strip().casefold()]
    if not named:
        made = ", ".join(c.name for c in calls) or "none"
        return CheckResult(False, f"expected a call to {check.name!r}; calls made: {made}")
    accepted = {name: list(values) for name, values in check.arguments.items()}
    problems = [arguments_problem(call.arguments, accepted, check.strings, check.extra_arguments)
                for call in named]
    if None in problems:
        return CheckResult(True, f"called {check.name!r} with accepted arguments")
    return CheckResult(False, f"{check.name!r} was called but " + "; ".join(map(str, problems)))


def _fmt(number: float) -> str:
    # Up to 12 significant digits: 7006652 stays 7006652, not 7.00665e+06.
    return f"{number:.12g}"


def _number(check: NumberCheck, reply: str, question: str) -> CheckResult:
    want = f"a number near {_fmt(check.value)} ± {_fmt(check.tolerance)}"
    answers = stated_answers(reply, question)
    if not answers:
        return CheckResult(False, f"expected {want}, found no number in {_clip(reply)}")
    slack = check.tolerance + 1e-9 * max(1.0, abs(check.value))
    ok = all(abs(found - check.value) <= slack for found in answers)
    distinct = list(dict.fromkeys(_fmt(found) for found in answers))
    if len(distinct) > 1:
        return CheckResult(ok, f"expected {want}, the reply states {' and '.join(distinct)}")
    return CheckResult(ok, f"expected {want}, found {distinct[0]}")


def _json_fields(check: JsonFieldsCheck, reply: str) -> CheckResult:
    obj = first_json_object(reply)
    if obj is None:
        return CheckResult(False, f"expected a JSON object, found none in {_clip(reply)}")
    for key, expected in check.fields.items():
        if key not in obj:
            return CheckResult(False, f"JSON object has no key {key!r} (keys: {', '.join(obj)})")
        if expected.casefold() not in str(obj[key]).casefold():
            found = _clip(str(obj[key]))
            return CheckResult(False, f"JSON key {key!r} is {found}, expected {expected!r} in it")
    return CheckResult(True, "JSON object has the expected fields")


def evaluate(check: Check, reply: str, tool_calls: Sequence[ToolCallRecord] = (), *,
             question: str = "") -> CheckResult:
    """Score one reply (and the tool calls that ran) against `check`.

    `question` is the user message the reply answers: `number` leaves aside
    numbers that only repeat it. Without it, `number` still reads the answer
    after "=", "equals", "is", ... and otherwise takes the reply's first number.
    """
    match check:
        case ExactCheck(value=value):
            ok = reply.strip().casefold() == value.strip().casefold()
            return CheckResult(ok, f"expected exactly {value!r}, got {_clip(reply.strip())}")
        case ContainsCheck(value=value, mode=mode):
            ok = contains(reply, value, mode)
            how = "" if mode == "word" else " (anywhere)"
            return CheckResult(ok, f"expected the reply to contain {value!r}{how}: {_clip(reply)}")
        case NotContainsCheck(value=value, mode=mode):
            ok = not contains(reply, value, mode)
            how = "" if mode == "word" else " (anywhere)"
            return CheckResult(ok, f"expected the reply not to contain {value!r}{how}: "
                                   f"{_clip(reply)}")
        case RegexCheck(pattern=pattern):
            ok = re.search(pattern, reply) is not None
            return CheckResult(ok, f"expected a match for /{pattern}/ in {_clip(reply)}")
        case NumberCheck():
            return _number(check, reply, question)
        case JsonFieldsCheck():
            return _json_fields(check, reply)
        case ToolCallCheck():
            return _tool_call(check, tool_calls)
        case NoToolCallCheck():
            made = ", ".join(c.name for c in tool_calls) or "none"
            return CheckResult(not tool_calls, f"expected no tool call, calls made: {made}")
        case AllCheck(checks=checks):
            results = [evaluate(c, reply, tool_calls, question=question) for c in checks]
            failed = [r.reason for r in results if not r.passed]
            return CheckResult(not failed, "; ".join(failed) or "all checks passed")
    raise TypeError(f"not a check: {check!r}")  # pragma: no cover
