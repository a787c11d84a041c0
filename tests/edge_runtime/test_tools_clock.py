"""The clock: local date and time around a DST change, and date arithmetic."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from hearth.edge_runtime.tools import ToolBox, ToolResult
from hearth.specs import Tool, Tools
from tests.edge_runtime.test_tools_support import make_ctx

BOX = ToolBox.from_spec(Tools(tools=(Tool(name="clock", enabled=True),)))


def clock(now: datetime, timezone: str = "Europe/Berlin", **arguments: Any) -> ToolResult:
    return BOX.call("clock", arguments, make_ctx(now=now, timezone=timezone))


def test_now_before_and_after_the_spring_dst_change() -> None:
    before = clock(datetime(2025, 3, 30, 0, 30, tzinfo=UTC), operation="now")
    assert before.ok
    assert before.content == "It is Sunday 2025-03-30 01:30 in Europe/Berlin (UTC+01:00)."
    after = clock(datetime(2025, 3, 30, 1, 30, tzinfo=UTC), operation="now")
    assert after.content == "It is Sunday 2025-03-30 03:30 in Europe/Berlin (UTC+02:00)."
    assert after.data["time"] == "03:30"
    assert after.data["iso"] == "2025-03-30T03:30:00+02:00"


def test_now_uses_the_local_date_not_utc() -> None:
    # 23:30 UTC on Saturday is already Sunday in Berlin, and still Saturday in New York.
    now = datetime(2025, 3, 29, 23, 30, tzinfo=UTC)
    assert clock(now, operation="now").data["weekday"] == "Sunday"
    ny = clock(now, "America/New_York", operation="now")
    assert ny.data["date"] == "2025-03-29"
    assert ny.data["time"] == "19:30"


def test_add_days_and_weeks() -> None:
    now = datetime(2025, 3, 29, 20, 0, tzinfo=UTC)
    result = clock(now, operation="add", date="2025-03-28", days=3)
    assert result.content == "2025-03-28 (Friday) + 3 days = 2025-03-31 (Monday)"
    assert result.data["result"] == "2025-03-31"
    assert clock(now, operation="add", weeks=2).data["result"] == "2025-04-12"
    assert clock(now, operation="add", days=-29).data["result"] == "2025-02-28"
    assert clock(now, operation="add", date="2024-02-28", days=1).data["result"] == "2024-02-29"


def test_weekday_and_relative_words() -> None:
    now = datetime(2025, 3, 29, 20, 0, tzinfo=UTC)
    assert clock(now, operation="weekday", date="2025-12-25").content == "2025-12-25 is a Thursday."
    assert clock(now, operation="weekday", date="tomorrow").data["date"] == "2025-03-30"
    assert clock(now, operation="weekday").data["weekday"] == "Saturday"


def test_diff_counts_calendar_days_across_dst() -> None:
    now = datetime(2025, 3, 29, 20, 0, tzinfo=UTC)
    result = clock(now, operation="diff", date="2025-03-30", to="2025-12-25")
    assert result.ok
    assert result.data["days"] == 270
    assert "is 270 days" in result.content
    assert clock(now, operation="diff", to="2025-03-01").data["days"] == -28


@pytest.mark.parametrize(
    ("arguments", "says"),
    [
        ({"operation": "weekday", "date": "30.03.2025"}, "use YYYY-MM-DD"),
        ({"operation": "diff"}, "diff needs 'to'"),
        ({"operation": "yesterday"}, "must be one of"),
        ({"operation": "add", "days": 3.5}, "must be integer"),
        ({"operation": "add", "days": "3"}, "must be integer"),
        ({"operation": "add", "days": 10**9}, "at most 36600"),
        ({"operation": "now", "hour": 3}, "has no argument 'hour'"),
        ({}, "missing required argument(s): operation"),
    ],
)
def test_bad_arguments_explain_the_fix(arguments: dict[str, Any], says: str) -> None:
    result = BOX.call("clock", arguments, make_ctx())
    assert not result.ok
    assert says in result.content


def test_null_optional_arguments_count_as_absent() -> None:
    result = BOX.call("clock", {"operation": "weekday", "date": None}, make_ctx())
    assert result.ok
    assert result.data["date"] == "2025-03-29"


@pytest.mark.parametrize(("arguments", "said"), [
    ({"operation": "time", "time": "23:50", "minutes": 40}, "00:30 (+1 day)"),
    ({"operation": "time", "time": "10:30", "hours": 3, "minutes": 45}, "= 14:15"),
    ({"operation": "time", "time": "7:45 pm"}, "is 19:45 in 24-hour time"),
    ({"operation": "time", "time": "18:40", "clock": "12-hour"}, "is 6:40 pm in 12-hour time"),
    ({"operation": "time", "time": "00:05", "clock": "12-hour"}, "is 12:05 am in 12-hour time"),
    ({"operation": "time", "time": "12:00", "clock": "12-hour"}, "is 12:00 pm in 12-hour time"),
    ({"operation": "month_add", "month": "September", "months": 18, "year": 2025},
     "is March 2027"),
    ({"operation": "month_add", "month": "February", "months": -3, "year": 2025},
     "is November 2024"),
    ({"operation": "month_days", "month": "February", "year": 2024}, "has 29 days"),
    ({"operation": "month_days", "month": "feb", "year": 2023}, "has 28 days"),
    ({"operation": "leap_year", "year": 2100}, "No, 2100 is not a leap year"),
    ({"operation": "leap_year", "year": 2000}, "Yes, 2000 is a leap year"),
    ({"operation": "day_of_year", "year": 2023, "day": 100}, "2023-04-10 (Monday)"),
    ({"operation": "month_add", "month": "November", "months": 3}, "is February"),
    ({"operation": "weekday_add", "weekday": "friday", "days": 2}, "is Sunday"),
])
def test_calendar_operations(arguments: dict[str, Any], said: str) -> None:
    result = BOX.call("clock", arguments, make_ctx())
    assert result.ok, result.content
    assert said in result.content


@pytest.mark.parametrize(("arguments", "problem"), [
    ({"operation": "time", "time": "25:00", "minutes": 5}, "not a time of day"),
    ({"operation": "time", "time": "13 pm"}, "hour must be 1 to 12"),
    ({"operation": "day_of_year", "year": 2023, "day": 366}, "days 1 to 365"),
    ({"operation": "month_days", "month": "Smarch"}, "not a month name"),
    ({"operation": "leap_year", "year": 0}, "outside the calendar"),
    ({"operation": "month_add", "month": "March", "months": 2, "year": 0},
     "outside the calendar"),
    ({"operation": "month_add", "month": "December", "months": 1, "year": 9999},
     "year 10000 is outside the calendar"),
])
def test_calendar_mistakes_say_what_is_wrong(arguments: dict[str, Any], problem: str) -> None:
    result = BOX.call("clock", arguments, make_ctx())
    assert not result.ok and problem in result.content
