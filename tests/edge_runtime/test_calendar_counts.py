"""Calendar counts, a weekday some days after another, spans between two times, holidays of a
year: read from the message and answered by the clock tool."""

from __future__ import annotations

from typing import Any

import pytest

from hearth.edge_runtime.routing import match
from hearth.edge_runtime.routing._dates import clock_arguments
from hearth.edge_runtime.routing._replies import template
from hearth.edge_runtime.tools import ToolBox
from hearth.specs import Tool, Tools, default_spec
from tests.edge_runtime.test_tools_support import make_ctx

BOX = ToolBox.from_spec(Tools(tools=(Tool(name="clock", enabled=True),)))


def answer(question: str) -> str:
    arguments = clock_arguments(question)
    assert arguments is not None, question
    result = BOX.call("clock", arguments, make_ctx())
    assert result.ok, result.content
    return template("clock", result.data, result.content, question)


@pytest.mark.parametrize(("question", "reply"), [
    ("How many days does the year 2028 have?", "366 days in 2028."),
    ("how many days are in the year 2033", "365 days in 2033."),
    ("How many Fridays are there in October 2027?", "5 Fridays in October 2027."),
    ("How many leap years are there from 2001 to 2099, inclusive?",
     "24 leap years from 2001 to 2099, both included."),
    ("How many working days (Monday to Friday) are there in March 2027?",
     "23 working days (Monday to Friday) in March 2027, holidays not counted."),
    ("What day number of the year is October 9, 2028?",
     "283 (day number of 2028-10-09 in 2028, 1 January being day 1)."),
    ("What day of the week is it 100 days after a Wednesday?", "Friday."),
    ("If a date falls on a Saturday, what weekday is 53 days later?", "Wednesday."),
    ("If it was a Monday, what day was it 3 days before?", "Friday."),
    ("How long is it from 08:45 to 17:10? Give the answer in minutes.",
     "505 minutes (8 hours 25 minutes)."),
    ("A flight leaves at 22:30 and lands at 06:05. How many minutes is the flight?",
     "455 minutes (7 hours 35 minutes)."),
    ("My shift starts at 21:30 and ends at 05:15. How many hours is that?",
     "7.75 hours (7 hours 45 minutes)."),
    ("How many days are there from Christmas Day 2025 to New Year's Day 2027?",
     "372 days (from 2025-12-25 to 2027-01-01)."),
    ("How many days does February 2100 have?", "28 days."),
    ("How many leap years were there between the years 1800 and 2000?",
     "49 leap years from 1800 to 2000, both included."),
    ("Today's a Friday. What day is it 45 days from today?", "Monday."),
])
def test_calendar_questions_are_answered_exactly(question: str, reply: str) -> None:
    assert answer(question) == reply


@pytest.mark.parametrize("question", [
    "How many days in 2026 are weekends?",
    "How many days does 2025 have left?",
    "How many Fridays are left in March 2025?",
    "How many Tuesdays in march 2025 and april 2025?",
    "The bus leaves at 7:15. How long do I wait if I arrive at 7:05?",
    "The game starts at 7:30pm UK time, which is 2:30pm in New York. How long until kick-off?",
    "I have 2 meetings at 10:00 and 14:30 tomorrow. How long is lunch?",
    "Is it OK if the baby sleeps from 19:00 to 7:00? How long should a baby sleep?",
    "Between 9:00 and 17:00 I take a 30 minute break. How many hours do I work?",
    "How many leap years between 2020 and 2030 excluding 2020?",
])
def test_other_questions_get_no_count_or_span(question: str) -> None:
    arguments = clock_arguments(question) or {}
    assert arguments.get("operation") not in ("count", "time_diff", "time", "leap_year"), \
        arguments


@pytest.mark.parametrize("question", [
    "How many Fridays are there in October 2027?",
    "How many days does the year 2028 have?",
    "How many leap years are there from 2001 to 2099?",
    "How many working days are in March 2027?",
])
def test_calendar_counts_reach_the_clock(question: str) -> None:
    found = match(default_spec().agent.routes, question)
    assert "dates_times" in [r.name for r in found.ranked]


@pytest.mark.parametrize(("arguments", "error"), [
    ({"operation": "count"}, "count needs 'what'"),
    ({"operation": "count", "what": "day_number", "date": "soon"}, "is not a date"),
    ({"operation": "count", "what": "leap_years", "year": 2001}, "to_year is missing"),
])
def test_a_bad_count_is_refused_with_what_to_give(arguments: dict[str, Any], error: str) -> None:
    result = BOX.call("clock", arguments, make_ctx())
    assert not result.ok and error in result.content
