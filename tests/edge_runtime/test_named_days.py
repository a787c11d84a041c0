"""Days named in words, spans between clock times and ages: the clock tool and its reader."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from hearth.edge_runtime.routing import match
from hearth.edge_runtime.routing._dates import clock_arguments
from hearth.edge_runtime.tools import ToolBox, ToolResult
from hearth.edge_runtime.tools._named_days import named_day
from hearth.specs import Tool, Tools, default_spec
from tests.edge_runtime.test_tools_support import make_ctx

BOX = ToolBox.from_spec(Tools(tools=(Tool(name="clock", enabled=True),)))
MONDAY = date(2025, 6, 2)


def clock(**arguments: Any) -> ToolResult:
    return BOX.call("clock", arguments, make_ctx(now=datetime(2025, 6, 2, 9, 30, tzinfo=UTC),
                                                 timezone="Europe/London"))


@pytest.mark.parametrize(("name", "day"), [
    ("Christmas", date(2025, 12, 25)), ("christmas eve", date(2025, 12, 24)),
    ("next friday", date(2025, 6, 6)), ("next monday", date(2025, 6, 9)),
    ("this monday", MONDAY), ("last friday", date(2025, 5, 30)),
    ("25 December", date(2025, 12, 25)), ("june 1st", date(2026, 6, 1)),  # passed: next year
    ("Easter", date(2026, 4, 5)), ("thanksgiving", date(2025, 11, 27)),
    ("29 February", date(2028, 2, 29)),  # the next year that has one
])
def test_named_days_are_their_next_occurrence(name: str, day: date) -> None:
    assert named_day(name, MONDAY) == day


def test_a_name_that_is_no_day_is_none() -> None:
    for name in ("31 april", "someday", "my birthday", "friday week"):
        assert named_day(name, MONDAY) is None, name


def test_the_clock_counts_to_a_named_day_and_between_times() -> None:
    assert clock(operation="diff", date="today", to="christmas").data["days"] == 206
    assert clock(operation="weekday", date="next friday").data["date"] == "2025-06-06"
    span = clock(operation="time_diff", time="9:15", to_time="17:45")
    assert span.data["result"] == "8 hours 30 minutes" and span.data["hours"] == 8.5
    night = clock(operation="time_diff", time="10 pm", to_time="6 am")
    assert night.data["result"] == "8 hours"
    assert clock(operation="age", year=1985).data["result"] == \
        "40, or 39 if their birthday is still to come this year"
    assert clock(operation="age", date="1990-06-03").data["years"] == 34
    unknown = clock(operation="diff", date="today", to="my birthday")
    assert not unknown.ok and "a holiday ('christmas', 'easter')" in unknown.content
    assert not clock(operation="age", year=2030).ok


@pytest.mark.parametrize(("question", "arguments"), [
    ("How many days until Christmas?", {"operation": "diff", "date": "today", "to": "christmas"}),
    ("how long till new year's eve?",
     {"operation": "diff", "date": "today", "to": "new year's eve"}),
    ("What's the date next Friday?", {"operation": "weekday", "date": "next friday"}),
    ("What day does Christmas fall on this year?", {"operation": "weekday", "date": "christmas"}),
    ("How many hours between 9:15 and 17:45?",
     {"operation": "time_diff", "time": "9:15", "to_time": "17:45"}),
    ("How old is someone born in 1985?", {"operation": "age", "year": 1985}),
    ("How many days are left in this year?",
     {"operation": "diff", "date": "today", "to": "31 december"}),
    # A date with its year is the dated readers'; two years are a sum.
    ("How many days until March 3, 2026?",
     {"operation": "diff", "date": "today", "to": "2026-03-03"}),
])
def test_day_questions_are_read_and_routed_to_the_clock(question: str,
                                                         arguments: dict[str, Any]) -> None:
    assert clock_arguments(question) == arguments
    found = match(default_spec().agent.routes, question)
    assert found.sure is not None and found.sure.tool == "clock"


def test_times_from_now_and_weeks_until_a_day() -> None:
    from hearth.edge_runtime.routing._replies import template

    assert clock_arguments("What time will it be in 45 minutes?") == \
        {"operation": "time", "time": "now", "minutes": 45}
    assert clock(operation="time", time="now", minutes=45).data["result"] == "11:15"  # BST
    assert clock_arguments("How many minutes until 6 pm?") == \
        {"operation": "time_diff", "time": "now", "to_time": "6 pm"}
    assert clock(operation="time_diff", time="now", to_time="6 pm").data["minutes"] == 450
    asked = "How many weeks until my holiday on 15 August?"
    assert clock_arguments(asked) == {"operation": "diff", "date": "today", "to": "15 august"}
    until = clock(operation="diff", date="today", to="15 august")
    assert template("clock", until.data, until.content, asked) == \
        "10 weeks and 4 days (74 days, from 2025-06-02 to 2025-08-15)."


def test_reminders_on_a_weekday() -> None:
    from hearth.edge_runtime.routing._notes import reminder_arguments
    from hearth.edge_runtime.tools import parse_when

    assert reminder_arguments("Remind me on Friday at 9 to call the bank.") == \
        {"text": "call the bank", "when": "friday 9"}
    now = datetime(2025, 6, 2, 9, 30, tzinfo=UTC)  # a Monday
    assert parse_when("friday 9", now, "UTC") == datetime(2025, 6, 6, 9, 0, tzinfo=UTC)
    assert parse_when("monday 10", now, "UTC") == datetime(2025, 6, 2, 10, 0, tzinfo=UTC)
    assert parse_when("monday 9", now, "UTC") == datetime(2025, 6, 9, 9, 0, tzinfo=UTC)
    assert parse_when("next monday 10", now, "UTC") == datetime(2025, 6, 9, 10, 0, tzinfo=UTC)


def test_other_questions_about_days_are_left_alone() -> None:
    assert clock_arguments("When is my dentist appointment?") is None
    assert clock_arguments("How old will I be in 2030 if I was born in 1990?") is None
