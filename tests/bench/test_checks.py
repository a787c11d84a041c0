"""Every check type scores real replies: a pass and a fail each, with readable reasons."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from hearth.bench._checks import (
    CHECK_TYPES,
    Check,
    CheckResult,
    ToolCallRecord,
    evaluate,
    first_json_object,
    first_number,
)

ADAPTER: TypeAdapter[Check] = TypeAdapter(Check)


def check(**data: Any) -> Check:
    return ADAPTER.validate_python(data)


def score(data: dict[str, Any], reply: str, calls: tuple[ToolCallRecord, ...] = ()) -> CheckResult:
    return evaluate(ADAPTER.validate_python(data), reply, calls)


# (check, a reply that passes, a reply that fails)
CASES: list[tuple[dict[str, Any], str, str]] = [
    ({"type": "exact", "value": "yes"}, "  Yes \n", "Yes."),
    ({"type": "exact", "value": "The quick brown fox."}, "the quick brown fox.", "quick brown fox"),
    ({"type": "contains", "value": "Biscuit"}, "Your dog is called BISCUIT!", "Your dog is Rex."),
    ({"type": "not_contains", "value": "ordered"}, "Sorry, I can't.", "I have ORDERED it."),
    ({"type": "regex", "pattern": r"(?i)\bfriday\b"}, "It was a Friday.", "It was Fridays."),
    ({"type": "regex", "pattern": r"^[^A-Z]*$"}, "rome", "Rome"),
    ({"type": "number", "value": 1234}, "That makes 1,234 in total.", "About 1,200."),
    ({"type": "number", "value": -3.5}, "It is -3.5 degrees.", "It is 3.5 degrees."),
    ({"type": "number", "value": 42, "tolerance": 0.5}, "42.4", "43"),
    ({"type": "json_fields", "fields": {"task": "plumber", "time": "5"}},
     'Sure: {"task": "Call the PLUMBER", "time": "5 pm"}', '{"task": "call the plumber"}'),
    ({"type": "json_fields", "fields": {"items": "eggs"}},
     '```json\n{"items": ["milk", "Eggs"]}\n```', '{"items": ["milk"]}'),
    ({"type": "no_tool_call"}, "Hello!", "Hello!"),
    ({"type": "all", "checks": [{"type": "contains", "value": "milk"},
                                {"type": "contains", "value": "bread"}]},
     "Milk and bread.", "Just milk."),
]


@pytest.mark.parametrize(("data", "good", "bad"), CASES)
def test_check_passes_and_fails(data: dict[str, Any], good: str, bad: str) -> None:
    calls = (ToolCallRecord("set_light", {"room": "kitchen"}),)
    assert score(data, good).passed, score(data, good).reason
    failed = score(data, bad, calls if data["type"] == "no_tool_call" else ())
    assert not failed.passed
    assert failed.reason


def test_every_check_type_is_covered() -> None:
    covered = {data["type"] for data, _, _ in CASES} | {"tool_call"}
    assert covered == set(CHECK_TYPES)


def test_number_reason_names_expected_and_found() -> None:
    result = score({"type": "number", "value": 42, "tolerance": 0.5}, "I think 17.")
    assert not result.passed
    assert result.reason == "expected a number near 42 ± 0.5, found 17"
    assert "found no number" in score({"type": "number", "value": 1}, "none").reason


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,234", 1234.0),
        ("-3.5", -3.5),
        ("12,345.67 dollars", 12345.67),
        ("a list 1,2,3", 1.0),
        ("1,2345", 1.0),
        ("x-5 is a name", 5.0),
        ("minus: −7", -7.0),
        ("The date 2024-03-15", 2024.0),
        ("no digits here", None),
    ],
)
def test_first_number(text: str, expected: float | None) -> None:
    assert first_number(text) == expected


@given(
    prefix=st.sampled_from(["", "The answer is ", "total: ", "= ", "(", "about\n"]),
    value=st.integers(min_value=-10**12, max_value=10**12),
    cents=st.none() | st.integers(min_value=0, max_value=99),
    grouped=st.booleans(),
)
def test_first_number_reads_formatted_numbers(
    prefix: str, value: int, cents: int | None, grouped: bool
) -> None:
    text = format(value, "," if grouped else "d")
    expected = float(value)
    if cents is not None:
        text += f".{cents:02d}"
        expected = float(f"{value}.{cents:02d}")
    assert first_number(f"{prefix}{text} and 99 more") == expected


def test_first_json_object_skips_braces_that_are_not_json() -> None:
    text = 'Here {is not json} and {"a": {"b": 1}} then {"c": 2}'
    assert first_json_object(text) == {"a": {"b": 1}}
    assert first_json_object("[1, 2] no object") is None


def test_json_fields_reasons() -> None:
    data = {"type": "json_fields", "fields": {"task": "plumber"}}
    assert "found none" in score(data, "call the plumber").reason
    assert "no key 'task'" in score(data, '{"job": "plumber"}').reason
    assert "expected 'plumber'" in score(data, '{"task": "dentist"}').reason


LIGHT = {"type": "tool_call", "name": "set_light",
         "arguments": {"room": ["kitchen"], "state": ["on"], "brightness": [30, ""]}}


@pytest.mark.parametrize(
    "arguments",
    [
        {"room": "kitchen", "state": "on"},
        {"room": "Kitchen ", "state": "ON", "brightness": "30"},
        {"room": "kitchen", "state": "on", "brightness": 30.0, "colour": "warm"},
    ],
)
def test_tool_call_accepts(arguments: dict[str, Any]) -> None:
    result = score(LIGHT, "", (ToolCallRecord("set_light", arguments),))
    assert result.passed, result.reason


@pytest.mark.parametrize(
    ("calls", "reason"),
    [
        ((), "expected a call to 'set_light'; calls made: none"),
        ((ToolCallRecord("get_weather", {"city": "Oslo"}),), "calls made: get_weather"),
        ((ToolCallRecord("set_light", {"state": "on"}),), "argument 'room' missing"),
        ((ToolCallRecord("set_light", {"room": "kitchen", "state": "off"}),),
         "argument 'state' was 'off', expected one of 'on'"),
        ((ToolCallRecord("set_light", {"room": "kitchen", "state": "on", "brightness": 31}),),
         "argument 'brightness' was 31"),
    ],
)
def test_tool_call_rejects(calls: tuple[ToolCallRecord, ...], reason: str) -> None:
    result = score(LIGHT, "", calls)
    assert not result.passed
    assert reason in result.reason


def test_tool_call_passes_when_any_matching_call_fits() -> None:
    calls = (
        ToolCallRecord("set_light", {"room": "hall", "state": "on"}),
        ToolCallRecord("set_light", {"room": "kitchen", "state": "on"}),
    )
    assert score(LIGHT, "", calls).passed


def test_tool_call_numbers_compare_numerically() -> None:
    data = {"type": "tool_call", "name": "set_thermostat", "arguments": {"temperature": ["21"]}}
    assert score(data, "", (ToolCallRecord("set_thermostat", {"temperature": 21.0}),)).passed
    assert not score(data, "", (ToolCallRecord("set_thermostat", {"temperature": True}),)).passed


def test_all_reports_every_failure() -> None:
    data = {"type": "all", "checks": [{"type": "contains", "value": "milk"},
                                      {"type": "contains", "value": "bread"},
                                      {"type": "no_tool_call"}]}
    result = score(data, "eggs", (ToolCallRecord("calculator", {}),))
    assert not result.passed
    for part in ("'milk'", "'bread'", "expected no tool call, calls made: calculator"):
        assert part in result.reason


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        ({"type": "regex", "pattern": "(unclosed"}, "not a valid regular expression"),
        ({"type": "number", "value": 1, "tolerance": -1}, "greater than or equal to 0"),
        ({"type": "contains", "value": ""}, "at least 1 character"),
        ({"type": "tool_call", "name": "f", "arguments": {"x": []}}, "at least 1 item"),
        ({"type": "all", "checks": []}, "at least 1 item"),
        ({"type": "exact", "value": "x", "extra": 1}, "Extra inputs are not permitted"),
    ],
)
def test_invalid_checks_are_refused(data: dict[str, Any], fragment: str) -> None:
    with pytest.raises(ValidationError, match=fragment):
        check(**data)


def test_checks_round_trip_through_json() -> None:
    data = {"type": "all", "checks": [LIGHT, {"type": "number", "value": 2.5, "tolerance": 0.1}]}
    parsed = check(**data)
    assert ADAPTER.validate_python(json.loads(ADAPTER.dump_json(parsed))) == parsed
