"""Deterministic checks that score one benchmark reply, and `evaluate` that runs them.

A check is data, a discriminated union on ``type``: task files written elsewhere score the same.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator

ArgValue = str | int | float | bool


class _Check(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ExactCheck(_Check):
    """The whole reply, stripped, equals `value` (case-insensitive)."""

    type: Literal["exact"] = "exact"
    value: str


class ContainsCheck(_Check):
    """The reply contains `value` (case-insensitive)."""

    type: Literal["contains"] = "contains"
    value: str = Field(min_length=1)


class NotContainsCheck(_Check):
    """The reply does not contain `value` (case-insensitive)."""

    type: Literal["not_contains"] = "not_contains"
    value: str = Field(min_length=1)


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
    """The first number in the reply is within `tolerance` of `value`."""

    type: Literal["number"] = "number"
    value: float = Field(allow_inf_nan=False)
    tolerance: float = Field(0.0, ge=0.0, allow_inf_nan=False)


class JsonFieldsCheck(_Check):
    """The first JSON object in the reply has each key, its value containing the substring."""

    type: Literal["json_fields"] = "json_fields"
    fields: dict[str, str] = Field(min_length=1)


class ToolCallCheck(_Check):
    """A call to `name` ran whose arguments each take one of the accepted values.

    An empty string among an argument's accepted values means it may be omitted;
    arguments not listed here are not checked.
    """

    type: Literal["tool_call"] = "tool_call"
    name: str = Field(min_length=1)
    arguments: dict[str, Annotated[tuple[ArgValue, ...], Field(min_length=1)]] = Field(
        default_factory=dict
    )


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


# A thousands separator only counts in groups of three ("1,234" but not "1,2");
# a minus only when it does not join two words ("x-5" is not minus five).
_NUMBER = re.compile(r"(?:(?<!\w)[-−])?(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?")
_DECODER = json.JSONDecoder()


def first_number(text: str) -> float | None:
    """The first number in `text` ("1,234" and "-3.5" included), or None."""
    match = _NUMBER.search(text)
    if match is None:
        return None
    return float(match.group().replace(",", "").replace("−", "-"))


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


def _norm(value: object) -> str:
    return " ".join(str(value).split()).casefold()


def _as_number(value: object) -> float | None:
    try:
        number = math.nan if isinstance(value, bool) else float(str(value))
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _same(actual: object, accepted: object) -> bool:
    a, b = _as_number(actual), _as_number(accepted)
    if a is not None and b is not None:
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    return _norm(actual) == _norm(accepted)


def _clip(text: str, limit: int = 80) -> str:
    return repr(text if len(text) <= limit else text[: limit - 3] + "...")


def _arguments_problem(check: ToolCallCheck, call: ToolCallRecord) -> str | None:
    for arg, accepted in check.arguments.items():
        if arg not in call.arguments:
            if "" not in accepted:
                return f"argument {arg!r} missing"
        elif not any(_same(call.arguments[arg], ok) for ok in accepted):
            options = ", ".join(repr(ok) for ok in accepted if ok != "")
            return f"argument {arg!r} was {call.arguments[arg]!r}, expected one of {options}"
    return None


def _tool_call(check: ToolCallCheck, calls: Sequence[ToolCallRecord]) -> CheckResult:
    named = [c for c in calls if _norm(c.name) == _norm(check.name)]
    if not named:
        made = ", ".join(c.name for c in calls) or "none"
        return CheckResult(False, f"expected a call to {check.name!r}; calls made: {made}")
    problems = [_arguments_problem(check, call) for call in named]
    if None in problems:
        return CheckResult(True, f"called {check.name!r} with accepted arguments")
    return CheckResult(False, f"{check.name!r} was called but " + "; ".join(map(str, problems)))


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


def evaluate(check: Check, reply: str, tool_calls: Sequence[ToolCallRecord] = ()) -> CheckResult:
    """Score one reply (and the tool calls that ran) against `check`."""
    match check:
        case ExactCheck(value=value):
            ok = reply.strip().casefold() == value.strip().casefold()
            return CheckResult(ok, f"expected exactly {value!r}, got {_clip(reply.strip())}")
        case ContainsCheck(value=value):
            ok = value.casefold() in reply.casefold()
            return CheckResult(ok, f"expected the reply to contain {value!r}: {_clip(reply)}")
        case NotContainsCheck(value=value):
            ok = value.casefold() not in reply.casefold()
            return CheckResult(ok, f"expected the reply not to contain {value!r}: {_clip(reply)}")
        case RegexCheck(pattern=pattern):
            ok = re.search(pattern, reply) is not None
            return CheckResult(ok, f"expected a match for /{pattern}/ in {_clip(reply)}")
        case NumberCheck(value=value, tolerance=tolerance):
            found = first_number(reply)
            want = f"a number near {value:g} ± {tolerance:g}"
            if found is None:
                return CheckResult(False, f"expected {want}, found no number in {_clip(reply)}")
            ok = abs(found - value) <= tolerance + 1e-9 * max(1.0, abs(value))
            return CheckResult(ok, f"expected {want}, found {found:g}")
        case JsonFieldsCheck():
            return _json_fields(check, reply)
        case ToolCallCheck():
            return _tool_call(check, tool_calls)
        case NoToolCallCheck():
            made = ", ".join(c.name for c in tool_calls) or "none"
            return CheckResult(not tool_calls, f"expected no tool call, calls made: {made}")
        case AllCheck(checks=checks):
            results = [evaluate(c, reply, tool_calls) for c in checks]
            failed = [r.reason for r in results if not r.passed]
            return CheckResult(not failed, "; ".join(failed) or "all checks passed")
    raise TypeError(f"not a check: {check!r}")  # pragma: no cover
