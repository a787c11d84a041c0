"""Days named from today ("tomorrow", "in 3 days", "on Friday") fill date arguments exactly.

Counted from the date the message states, else from the user's own today;
words that mean different days to different people are left to the model.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from hearth.bench import Task
from hearth.bench._runner import score_tasks
from hearth.edge_runtime.routing import date_arguments
from hearth.edge_runtime.routing._relative_days import relative_days, stated_today
from hearth.edge_runtime.tools import ToolContext
from hearth.specs import default_spec
from tests.bench.test_runner import ScriptedEngine

SUNDAY = date(2026, 12, 6)
BOOKING: dict[str, Any] = {"type": "object", "required": ["when"], "properties": {
    "when": {"type": "string", "description": "Start, in ISO-8601 date and time."}}}
SEARCH: dict[str, Any] = {"type": "object", "properties": {
    "start_date": {"type": "string", "description": "First day, in the format YYYY-MM-DD."},
    "rating": {"type": "number"}}}


@pytest.mark.parametrize(("message", "expected"), [
    ("Book a table for tomorrow", date(2026, 12, 7)),
    ("what's on today?", SUNDAY),
    ("the day after tomorrow please", date(2026, 12, 8)),
    ("log it for yesterday", date(2026, 12, 5)),
    ("in 3 days", date(2026, 12, 9)),
    ("in two weeks", date(2026, 12, 20)),
    ("on Friday", date(2026, 12, 11)),
    ("this coming Tuesday", date(2026, 12, 8)),
    ("Friday at half past eight", date(2026, 12, 11)),
    ("last Friday", date(2026, 12, 4)),
    ("3 days from now", date(2026, 12, 9)),
    ("a week from today", date(2026, 12, 13)),
    ("two days ago", date(2026, 12, 4)),
    ("in a fortnight", date(2026, 12, 20)),
    ("a month from today", date(2027, 1, 6)),
    ("due at the end of the month", date(2026, 12, 31)),
    ("on the 15th", date(2026, 12, 15)),
    ("by the 2nd", date(2027, 1, 2)),          # this month's has passed
    ("the first of next month", date(2027, 1, 1)),
    ("this morning at 8", SUNDAY),
])
def test_a_day_named_from_today_is_counted_from_it(message: str, expected: date) -> None:
    assert relative_days(message, SUNDAY) == [expected]


@pytest.mark.parametrize("message", [
    "next Friday",            # this week's to some, next week's to others
    "this Sunday",            # said on a Sunday: today, or a week on
    "tomorrow or the day after tomorrow",
    "on Friday after next",
    "book it for me",
    "on Fridays",             # every one
    "every Tuesday",
    "from Wednesday until the following Monday",
    "on the 15th floor",
    "in a few days",
    "on Wednesday next week",  # at a weekend: the week starting tomorrow, or the one after
])
def test_words_that_name_no_one_day_are_not_read(message: str) -> None:
    assert relative_days(message, SUNDAY) == []


@pytest.mark.parametrize(("message", "today"), [
    ("available tomorrow, today is 20230929", date(2023, 9, 29)),
    ("Today is monday 2022-10-20, move it", date(2022, 10, 20)),
    ("today is Sept 29, 2023", date(2023, 9, 29)),
    ("today is 29 September 2023, book for tomorrow", date(2023, 9, 29)),
    ("Today's date: 2023-09-29. Remind me in 3 days", date(2023, 9, 29)),
    ("It's 2023-09-29 today, book for tomorrow", date(2023, 9, 29)),
])
def test_the_today_a_message_states_is_read(message: str, today: date) -> None:
    assert stated_today(message).day == today


def test_a_date_argument_is_counted_from_the_stated_today_before_the_clock() -> None:
    message = "Find a housekeeper with 4.5 stars, available tomorrow, today is 20230929"
    assert date_arguments(SEARCH, message, SUNDAY) == {"start_date": "2023-09-30"}
    assert date_arguments(SEARCH, "Find one available tomorrow", SUNDAY) == {
        "start_date": "2026-12-07"}
    # Without a today to count from, "tomorrow" stays the model's.
    assert date_arguments(SEARCH, "Find one available tomorrow") == {}


@pytest.mark.parametrize("message", ["Wednesday next week", "next week on Wednesday"])
def test_a_weekday_next_week_is_in_the_week_after_this_one(message: str) -> None:
    assert relative_days(message, date(2026, 12, 3)) == [date(2026, 12, 9)]  # on a Thursday


def test_two_days_from_today_fill_a_stays_two_ends_in_order() -> None:
    stay: dict[str, Any] = {"type": "object", "properties": {
        "check_in": {"type": "string", "description": "Check-in date, YYYY-MM-DD"},
        "check_out": {"type": "string", "description": "Check-out date, YYYY-MM-DD"}}}
    assert date_arguments(stay, "Check in tomorrow and check out on Friday", SUNDAY) == {
        "check_in": "2026-12-07", "check_out": "2026-12-11"}
    # A second day before the first is no stay.
    assert date_arguments(stay, "Check in on Friday and check out tomorrow", SUNDAY) == {}


def test_a_holiday_with_its_year_is_a_date() -> None:
    assert date_arguments(SEARCH, "Remind me to call Grandma on Christmas Day 2025") == {
        "start_date": "2025-12-25"}


def test_a_day_from_today_and_a_clock_time_make_one_moment() -> None:
    assert date_arguments(BOOKING, "Book a table tomorrow at 7pm", SUNDAY) == {
        "when": "2026-12-07T19:00:00"}
    # A calendar date the message writes wins over a word that counts from today.
    assert date_arguments(BOOKING, "Today I want to book March 3, 2027 at 7pm", SUNDAY) == {
        "when": "2027-03-03T19:00:00"}


def test_the_users_today_is_the_clocks_date_in_their_zone() -> None:
    late = datetime(2026, 12, 6, 23, 30, tzinfo=UTC)
    ctx: Any = ToolContext(chat_id="c", user_id="u", timezone="Asia/Tokyo", now=lambda: late,
                           memory=None, scheduler=None)  # type: ignore[arg-type]
    assert ctx.today() == date(2026, 12, 7)


BOOK_TABLE = {"type": "function", "function": {
    "name": "book_table", "description": "Book a table at the restaurant.",
    "parameters": {"type": "object", "required": ["date", "time", "people"], "properties": {
        "date": {"type": "string", "description": "The day, in the format YYYY-MM-DD."},
        "time": {"type": "string", "description": "The time, as HH:MM."},
        "people": {"type": "integer", "description": "How many people."}}}}}
#: BENCH_NOW, the runner's clock, is Monday 2025-06-02.
BOOKED = {"type": "tool_call", "name": "book_table",
          "arguments": {"date": ["2025-06-03"], "time": ["19:00"], "people": [2]}}


def _booking(message: str) -> Task:
    return Task.model_validate({"id": "b", "category": "tool_use", "tools": [BOOK_TABLE],
                                "turns": [{"role": "user", "content": message}],
                                "check": BOOKED})


def test_a_call_gets_the_day_the_message_counts_from_the_users_today(home: Path) -> None:
    # The model wrote a date of its own; the user said "tomorrow".
    engine = ScriptedEngine(tool="book_table", arguments={
        "date": "2023-10-12", "time": "19:00", "people": 2})
    (result,) = score_tasks(default_spec(), [_booking(
        "Book a table for 2 people tomorrow at 7pm")], home=home, engine=engine).results
    assert result.passed, (result.reason, result.tool_calls)


@pytest.mark.model
def test_the_real_model_books_tomorrow_on_the_right_day(home: Path) -> None:
    (result,) = score_tasks(default_spec(), [_booking(
        "Book a table for 2 people tomorrow at 7pm")], home=home).results
    assert result.passed, (result.reason, result.tool_calls)


MEETING: dict[str, Any] = {"type": "object", "required": ["start_time", "end_time"],
                           "properties": {
    "start_time": {"type": "string", "description": "Start, as 'YYYY-MM-DD HH:MM:SS'."},
    "end_time": {"type": "string", "description": "End, as 'YYYY-MM-DD HH:MM:SS'."}}}


@pytest.mark.parametrize("message", [
    "Book the meeting room on May 3rd 2025 from 2pm to 4pm",
    "Book the meeting room tomorrow, 14:00 - 16:00",
])
def test_one_day_and_two_times_fill_a_start_and_an_end(message: str) -> None:
    assert date_arguments(MEETING, message, date(2025, 5, 2)) == {
        "start_time": "2025-05-03 14:00:00", "end_time": "2025-05-03 16:00:00"}


@pytest.mark.parametrize("message", [
    "Book the meeting room on May 3rd 2025 from 4pm to 2pm",   # ends before it starts
    "Book the meeting room on 2025-05-03 or 2025-05-04, 2pm to 4pm",
    "Book the meeting room on May 3rd 2025 at 2pm",             # no end given
])
def test_a_start_and_an_end_are_left_alone_where_the_message_is_unclear(message: str) -> None:
    assert date_arguments(MEETING, message, date(2025, 5, 2)) == {}


DAY: dict[str, Any] = {"type": "object", "properties": {
    "date": {"type": "string", "description": "The day, YYYY-MM-DD"}}}
MONDAY, FRIDAY, SATURDAY = date(2025, 6, 2), date(2025, 6, 6), date(2025, 6, 7)


@pytest.mark.parametrize(("message", "today"), [
    # A today the message states but in words no reader reads: not the clock's either.
    ("today is 29.09.2023, book for tomorrow", MONDAY),
    ("Today is Friday, book it for tomorrow", MONDAY),
    ("tomorrow is 2023-09-30, book for the day after tomorrow", MONDAY),
    # A day written without its year stands beside the weekday.
    ("book Friday June 13 at 7pm", MONDAY),
    ("remind me on Friday the 20th", MONDAY),
    # Alternatives, corrections, exclusions.
    ("book for Wednesday or Thursday", MONDAY),
    ("book a table Tuesday at 7 - no wait, Wednesday", MONDAY),
    ("anything but Friday works", MONDAY),
    ("I can't do Tuesday", MONDAY),
    ("schedule the call, but not on Monday", FRIDAY),
    # The past, and days counted from another day.
    ("how many steps did I walk on Saturday", date(2025, 6, 8)),
    ("this past Friday I spent 40 dollars", SATURDAY),
    ("send me Monday's meeting notes", SATURDAY),
    ("next week Friday", MONDAY),
    ("Friday week", MONDAY),
    ("a week from tomorrow", MONDAY),
    ("remind me the day before Friday", MONDAY),
    ("first Monday of next month", FRIDAY),
    ("last Friday of the month is payday", MONDAY),
    # Repeats, names and durations.
    ("remind me to stretch every other Monday at 9am", FRIDAY),
    ("weekly on Tuesday", FRIDAY),
    ("remind me every day until Friday", MONDAY),
    ("Black Friday deals", MONDAY),
    ("log my Sunday long run of 20 km", MONDAY),
    ("order ingredients for a Sunday roast", MONDAY),
    ("remind me to watch Monday Night Football", FRIDAY),
    ("remind me to watch Tomorrow Never Dies", MONDAY),
    ("play Tomorrow by Avril Lavigne", MONDAY),
    ("find articles in USA Today about tariffs", MONDAY),
    ("skip tomorrow, book it the day after", MONDAY),
    ("last Friday but one", MONDAY),
    ("I finished the project in 3 days, log it", MONDAY),
    ("remind me in a day or two", MONDAY),
    ("in a week or so", MONDAY),
    ("book it on the 2nd attempt", FRIDAY),
    # Past midnight, tonight's date is tomorrow's.
    ("set an alarm for 1am tonight", MONDAY),
])
def test_days_people_may_mean_otherwise_are_left_to_the_model(message: str,
                                                              today: date) -> None:
    assert date_arguments(DAY, message, today) == {}


def test_a_range_of_two_days_needs_words_that_join_its_ends() -> None:
    stay: dict[str, Any] = {"type": "object", "properties": {
        "start_date": {"type": "string", "description": "First day, YYYY-MM-DD"},
        "end_date": {"type": "string", "description": "Last day, YYYY-MM-DD"}}}
    assert date_arguments(stay, "Out of office from Monday to Wednesday", FRIDAY) == {
        "start_date": "2025-06-09", "end_date": "2025-06-11"}
    for message in ("book for Monday and Wednesday, whichever is free",
                    "tomorrow's no good, make it Friday"):
        assert date_arguments(stay, message, MONDAY) == {}, message


@pytest.mark.parametrize(("message", "expected"), [
    # Guards that once took these away: a capital before the day, a past verb, a
    # word of another clause.
    ("Book a table for two at Luigi's tomorrow", "2025-06-03"),
    ("I spent 42.50 on petrol yesterday, log it please", "2025-06-01"),
    ("remind me in a month to cancel the free trial before it charges me", "2025-07-02"),
    ("Today is 2024-02-27. Book the vet for Pepper 3 days from now.", "2024-03-01"),
    ("My parcel should have come two days ago and never showed up", "2025-05-31"),
])
def test_words_elsewhere_in_the_message_leave_a_plain_day_alone(message: str,
                                                                 expected: str) -> None:
    assert date_arguments(DAY, message, MONDAY) == {"date": expected}
