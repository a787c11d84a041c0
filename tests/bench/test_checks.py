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
)
from hearth.bench._numbers import first_number, stated_answers

ADAPTER: TypeAdapter[Check] = TypeAdapter(Check)


def check(**data: Any) -> Check:
    return ADAPTER.validate_python(data)


def score(data: dict[str, Any], reply: str, calls: tuple[ToolCallRecord, ...] = (),
          question: str = "") -> CheckResult:
    return evaluate(ADAPTER.validate_python(data), reply, calls, question=question)


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


# ---------------------------------------------------------------- graded like a person


@pytest.mark.parametrize(
    ("reply", "value", "question", "passed"),
    [
        # The issue's cases: the stated answer counts, not the first number.
        ("48 times 12 equals 576", 576, "What is 48 times 12?", True),
        ("48 times 12 equals 576", 576, "", True),
        ("1001 minus 457 equals 596. [calculator: 544]", 544, "What is 1001 minus 457?", False),
        ("1001 minus 457 equals 596. [calculator: 544]", 596, "What is 1001 minus 457?", False),
        ("The answer is 7,006,652.", 7006652, "What is 1234 times 5678?", True),
        ("1234 times 5678 is a long calculation.", 7006652, "What is 1234 times 5678?", False),
        # Restated givens are not answers; the answer is.
        ("There are 8 slices and you ate 3, so 5 are left.", 5,
         "A pizza is cut into 8 slices and we eat 3. How many slices are left?", True),
        ("There are 8 slices left.", 5,
         "A pizza is cut into 8 slices and we eat 3. How many slices are left?", False),
        ("48 x 12 -> 576", 576, "What is 48 times 12?", True),
        ("48 × 12: 576", 576, "What is 48 times 12?", True),
        ("It makes about $12.50 in total.", 12.5, "", True),
        ("9 times 8 is 72, and 72 divided by 9 is 8.", 72, "What is 9 times 8?", True),
        # The answer may repeat a given number: the last of the first sentence.
        ("12 divided by 1 is 12.", 12, "What is 12 divided by 1?", True),
        ("144", 12, "What is 144 divided by 12?", False),
        # Two different answers fail, even when one of them is right.
        ("The answer is 12. No wait, it is 13.", 12, "", False),
        ("The answer is 12, so 6 + 6 = 12.", 12, "", True),
        # A clock time is not "answer 30".
        ("At 10:30 the total is 5.", 5, "", True),
        # A worked answer: what follows the last conclusion word settles two stated answers.
        ("25% of 80 is 20, so the sale price is $60.", 60,
         "A jacket costs 80 dollars and it's 25% off. What's the sale price?", True),
        ("25% of 80 is 20, so the sale price is $60.", 20,
         "A jacket costs 80 dollars and it's 25% off. What's the sale price?", False),
        ("The tip is 12.80, the total is 76.80, so each person pays = 25.60.", 25.6, "", True),
        # One stated answer is kept, whatever remark follows it.
        ("The sale price is $60. So you save 20 dollars.", 60, "", True),
        ("A 15% tip on $48 is $7.20. In total you'd pay $55.20.", 7.2,
         "How much is a 15% tip on 48 dollars?", True),
        # A conclusion that is not the reply's last word, or none after a contradiction, fails.
        ("7 times 8 is 54. So the answer is 56... actually no, it's 54.", 56,
         "What is 7 times 8?", False),
        ("So, 48 times 12 is 586. [calculator: 576]", 576, "What is 48 times 12?", False),
    ],
)
def test_number_reads_the_stated_answer(reply: str, value: float, question: str,
                                        passed: bool) -> None:
    result = score({"type": "number", "value": value}, reply, question=question)
    assert result.passed is passed, result.reason


def test_number_reason_names_both_answers_when_two_are_stated() -> None:
    result = score({"type": "number", "value": 544},
                   "1001 minus 457 equals 596. [calculator: 544]")
    assert result.reason == "expected a number near 544 ± 0, the reply states 596 and 544"
    assert score({"type": "number", "value": 7006652}, "7006652").reason.endswith("found 7006652")


def test_stated_answers_without_a_question_fall_back_to_the_first_number() -> None:
    assert stated_answers("I think 17 or 18.") == [17.0]
    assert stated_answers("no digits") == []
    assert stated_answers("Paris is the capital; it has 2,100,000 people.") == [2100000.0]


@pytest.mark.parametrize(
    ("value", "reply", "passed"),
    [
        ("red", "Your car is red.", True),
        ("red", "I have stored that.", False),
        ("cow", "A cow says moo.", True),
        ("cow", "It is in Moscow.", False),
        ("Biscuit", "BISCUIT!", True),
        ("guten morgen", "Guten\n Morgen!", True),
        ("7:15", "At 7:15 every day.", True),
        ("7:15", "At 17:15.", False),
        ("don't know", "I don’t know that.", True),
        ("+1", "Call +1 555.", True),
    ],
)
def test_contains_matches_whole_words(value: str, reply: str, passed: bool) -> None:
    assert score({"type": "contains", "value": value}, reply).passed is passed
    assert score({"type": "not_contains", "value": value}, reply).passed is not passed


def test_substring_mode_matches_inside_words() -> None:
    data = {"type": "contains", "value": "red", "mode": "substring"}
    assert score(data, "I have stored that.").passed
    assert "(anywhere)" in score(data, "nothing").reason
    assert not score({**data, "type": "not_contains"}, "I have stored that.").passed
    with pytest.raises(ValidationError, match="'word' or 'substring'"):
        check(type="contains", value="x", mode="fuzzy")


def call(name: str, **arguments: Any) -> tuple[ToolCallRecord, ...]:
    return (ToolCallRecord(name, arguments),)


# BFCL's possible answers, as its data writes them (multiple_119, multiple_8, live_simple_1-1-0).
QUERY = {"type": "tool_call", "name": "database_query", "extra_arguments": "forbid",
         "arguments": {"table": ["user"], "conditions": [[
             {"field": ["age"], "operation": [">"], "value": ["25"]},
             {"field": ["job"], "operation": ["="], "value": ["engineer"]}]]}}
BUDGET = {"type": "tool_call", "name": "realestate_find_properties",
          "arguments": {"budget": [{"min": [300000], "max": [400000]}], "rooms": [2, ""]}}
STARS = {"type": "tool_call", "name": "github_star",
         "arguments": {"repos": ["ShishirPatil/gorilla,gorilla-llm/gorilla-cli"],
                       "aligned": [True]}}


@pytest.mark.parametrize(
    ("data", "calls", "passed"),
    [
        (QUERY, call("database_query", table="User", conditions=[
            {"field": "age", "operation": ">", "value": "25"},
            {"field": "job", "operation": "=", "value": "Engineer"}]), True),
        # Lists compare in order, with the same length.
        (QUERY, call("database_query", table="user", conditions=[
            {"field": "job", "operation": "=", "value": "engineer"},
            {"field": "age", "operation": ">", "value": "25"}]), False),
        (QUERY, call("database_query", table="user", conditions=[
            {"field": "age", "operation": ">", "value": "25"}]), False),
        # An object key the answer does not list fails, as in BFCL's dict checker.
        (QUERY, call("database_query", table="user", conditions=[
            {"field": "age", "operation": ">", "value": "25", "x": 1},
            {"field": "job", "operation": "=", "value": "engineer"}]), False),
        (QUERY, call("database_query", table="user", limit=5, conditions=[
            {"field": "age", "operation": ">", "value": "25"},
            {"field": "job", "operation": "=", "value": "engineer"}]), False),
        # Objects: each key's accepted values; int and float are one number.
        (BUDGET, call("realestate_find_properties", budget={"min": 300000.0, "max": 400000}),
         True),
        (BUDGET, call("realestate_find_properties", budget={"min": 300000}), False),
        (BUDGET, call("realestate_find_properties", budget={"min": 3e5, "max": 4e5}, rooms=2),
         True),
        (BUDGET, call("realestate_find_properties", budget=[300000, 400000]), False),
        # BFCL's string rule: case, spaces and , . / - _ * ^ do not count.
        (STARS, call("github_star", repos="shishirpatil/gorilla, gorilla-llm/gorilla-cli",
                     aligned=True), True),
        (STARS, call("github_star", repos="ShishirPatil/gorilla", aligned=True), False),
        (STARS, call("github_star", repos="ShishirPatil/gorilla,gorilla-llm/gorilla-cli",
                     aligned=False), False),
        (STARS, call("github_star", repos="ShishirPatil/gorilla,gorilla-llm/gorilla-cli",
                     aligned=1), False),
    ],
)
def test_tool_call_compares_bfcl_answers(data: dict[str, Any], calls: tuple[ToolCallRecord, ...],
                                         passed: bool) -> None:
    result = score(data, "", calls)
    assert result.passed is passed, result.reason


def test_tool_call_reasons_name_the_argument() -> None:
    conditions = [{"field": "age", "operation": ">", "value": "25"},
                  {"field": "job", "operation": "=", "value": "engineer"}]
    assert "unexpected argument(s) 'limit'" in score(QUERY, "", call(
        "database_query", table="user", limit=5, conditions=conditions)).reason
    assert "argument 'budget' missing" in score(BUDGET, "", call(
        "realestate_find_properties")).reason


def test_string_rules_bfcl_and_plain() -> None:
    minus = {"type": "tool_call", "name": "calculator",
             "arguments": {"expression": ["98765-12345"]}}
    times = call("calculator", expression="98765*12345")
    assert score(minus, "", times).passed  # BFCL's rule drops - and *: the lint reports it
    plain = {**minus, "strings": "plain"}
    assert not score(plain, "", times).passed
    assert score(plain, "", call("calculator", expression=" 98765 - 12345")).passed


def test_accepted_null_and_empty_mean_the_argument_may_be_left_out() -> None:
    data = {"type": "tool_call", "name": "detail_project",
            "arguments": {"project_name": ["invoice-website"], "start_date": [None]}}
    assert score(data, "", call("detail_project", project_name="Invoice Website")).passed
    assert score(data, "", call("detail_project", project_name="invoice-website",
                                start_date=None)).passed


def test_accepted_objects_must_list_something() -> None:
    with pytest.raises(ValidationError, match="key 'min' lists no accepted value"):
        check(type="tool_call", name="f", arguments={"budget": [{"min": []}]})
