"""Counting in the calendar: the clock's `count` operation.

"How many days does 2028 have?", "How many Fridays are in October 2027?",
"How many leap years from 2001 to 2099?", "What day number of the year is
October 9, 2028?": a 135M model answers with the year itself. Each count is
exact, and its sentence states the number first so a reply can quote it.
"""

from __future__ import annotations

import calendar
from datetime import date
from typing import Any

from hearth.edge_runtime.tools._calendar import MONTHS, WEEKDAYS, in_calendar, named, whole, year_of
from hearth.edge_runtime.tools._types import ToolResult
from hearth.errors import ToolError

#: What `count` counts, as its `what` argument names it.
COUNTS = ("days_in_year", "weekday_in_month", "working_days", "leap_years", "day_number")


def _result(what: str, number: int, text: str) -> ToolResult:
    return ToolResult(True, f"{number} {text}.", {"operation": "count", "what": what,
                                                 "count": number, "result": f"{number} {text}"})


def count(arguments: dict[str, Any], today: date) -> ToolResult:
    """Run one count (`what`): days in a year, a weekday's days in a month, leap years in a
    span of years (both ends counted), or the day number of a date in its year."""
    what = str(arguments.get("what") or "")
    match what:
        case "days_in_year":
            year = year_of(arguments, today)
            return _result(what, 366 if calendar.isleap(year) else 365, f"days in {year}")
        case "weekday_in_month":
            year = year_of(arguments, today)
            month = named(arguments.get("month"), MONTHS, "month") + 1
            weekday = named(arguments.get("weekday"), WEEKDAYS, "weekday")
            days = calendar.monthrange(year, month)[1]
            number = sum(date(year, month, d).weekday() == weekday for d in range(1, days + 1))
            return _result(what, number, f"{WEEKDAYS[weekday]}s in {MONTHS[month - 1]} {year}")
        case "working_days":
            year = year_of(arguments, today)
            month = named(arguments.get("month"), MONTHS, "month") + 1
            days = calendar.monthrange(year, month)[1]
            number = sum(date(year, month, d).weekday() < 5 for d in range(1, days + 1))
            return _result(what, number, f"working days (Monday to Friday) in "
                                         f"{MONTHS[month - 1]} {year}, holidays not counted")
        case "leap_years":
            first = in_calendar(whole(arguments, "year"))
            last = in_calendar(whole(arguments, "to_year"))
            first, last = min(first, last), max(first, last)
            number = sum(calendar.isleap(y) for y in range(first, last + 1))
            return _result(what, number, f"leap years from {first} to {last}, both included")
        case "day_number":
            raw = arguments.get("date")
            try:
                day = date.fromisoformat(str(raw))
            except ValueError:
                raise ToolError(f"date {raw!r} is not a date; use YYYY-MM-DD") from None
            number = day.timetuple().tm_yday
            return _result(what, number, f"(day number of {day.isoformat()} in {day.year}, "
                                         "1 January being day 1)")
    raise ToolError(f"count needs 'what': one of {', '.join(COUNTS)}; got {what!r}")
