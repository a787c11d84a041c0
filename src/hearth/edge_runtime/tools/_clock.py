"""The clock tool: today's date and time in the user's zone, and date arithmetic.

Small models do not know what day it is and count days badly; this tool does
both from the context's clock, in the user's IANA time zone (so a DST change
shows as a new UTC offset, and adding days moves calendar days, not 24-hour
blocks).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from hearth.edge_runtime.tools import _calendar
from hearth.edge_runtime.tools._counts import COUNTS, count
from hearth.edge_runtime.tools._named_days import named_day
from hearth.edge_runtime.tools._types import ToolContext, ToolDefinition, ToolResult
from hearth.edge_runtime.tools._zone_time import converted_time, zoned_now
from hearth.errors import ToolError

#: Largest shift `add` accepts, in days (about 100 years).
MAX_SHIFT_DAYS = 36_600

_RELATIVE_DAYS = {"today": 0, "tomorrow": 1, "yesterday": -1}


def local_now(ctx: ToolContext) -> datetime:
    """The context's current time in the user's time zone."""
    return ctx.now().astimezone(ZoneInfo(ctx.timezone))


def describe_day(day: date) -> str:
    """A date as the model should read it: 2025-03-30 (Sunday)."""
    return f"{day.isoformat()} ({day:%A})"


def parse_date(value: object, today: date, *, argument: str = "date") -> date:
    """A YYYY-MM-DD date (or today / tomorrow / yesterday); None means today."""
    if value is None:
        return today
    text = str(value).strip().lower()
    if not text:
        return today
    if text in _RELATIVE_DAYS:
        return today + timedelta(days=_RELATIVE_DAYS[text])
    if (named := named_day(text, today)) is not None:
        return named
    if len(text) > 10 and text[10] in "t ":
        text = text[:10]  # a full timestamp: its date is what was meant
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ToolError(
            f"{argument} {value!r} is not a date; use YYYY-MM-DD (e.g. {today.isoformat()}), "
            "today, tomorrow, a weekday ('next friday'), a day without a year ('25 december') "
            "or a holiday ('christmas', 'easter')"
        ) from None


def _int_argument(arguments: dict[str, Any], key: str) -> int:
    value = arguments.get(key)
    if value is None:
        return 0
    whole = isinstance(value, int) or (isinstance(value, float) and value.is_integer())
    if isinstance(value, bool) or not whole:
        raise ToolError(f"{key} must be a whole number, got {value!r}")
    return int(value)


def clock(arguments: dict[str, Any], ctx: ToolContext) -> ToolResult:
    """Run one clock operation: now, add, weekday or diff."""
    now = local_now(ctx)
    today = now.date()
    operation = str(arguments.get("operation") or "now")
    # "What time will it be in 45 minutes?": the clock's own time of day as the start.
    for key in ("time", "to_time"):
        if str(arguments.get(key, "")).strip().lower() == "now":
            arguments = {**arguments, key: f"{now:%H:%M}"}
    # "What time is it in Tokyo?", "9 am in London in Tokyo": another place's clock.
    if operation == "now" and arguments.get("zone"):
        return zoned_now(arguments, ctx)
    if operation == "time" and (arguments.get("zone") or arguments.get("to_zone")):
        shift = 60 * _int_argument(arguments, "hours") + _int_argument(arguments, "minutes")
        return converted_time(arguments, ctx, shift)
    if operation == "now":
        offset = now.isoformat()[-6:]
        return ToolResult(
            True,
            f"It is {now:%A} {today.isoformat()} {now:%H:%M} in {ctx.timezone} (UTC{offset}).",
            {
                "operation": operation,
                "iso": now.isoformat(timespec="seconds"),
                "date": today.isoformat(),
                "time": f"{now:%H:%M}",
                "weekday": f"{now:%A}",
                "timezone": ctx.timezone,
            },
        )
    match operation:
        case "time":
            return _calendar.time_shift(arguments)
        case "month_days":
            return _calendar.month_days(arguments, today)
        case "leap_year":
            return _calendar.leap_year(arguments, today)
        case "day_of_year":
            return _calendar.day_of_year(arguments, today)
        case "month_add":
            return _calendar.month_add(arguments)
        case "weekday_add":
            return _calendar.weekday_add(arguments)
        case "time_diff":
            return _calendar.time_between(arguments)
        case "age":
            return _calendar.age(arguments, today)
        case "count":
            return count(arguments, today)
    start = parse_date(arguments.get("date"), today)
    if operation == "weekday":
        return ToolResult(
            True,
            f"{start.isoformat()} is a {start:%A}.",
            {"operation": operation, "date": start.isoformat(), "weekday": f"{start:%A}"},
        )
    if operation == "add":
        shift = _int_argument(arguments, "days") + 7 * _int_argument(arguments, "weeks")
        if abs(shift) > MAX_SHIFT_DAYS:
            raise ToolError(f"cannot move {shift} days; at most {MAX_SHIFT_DAYS} either way")
        try:
            result = start + timedelta(days=shift)
        except OverflowError:
            raise ToolError(f"{start.isoformat()} + {shift} days is outside the calendar") from None
        return ToolResult(
            True,
            f"{describe_day(start)} + {shift} days = {describe_day(result)}",
            {"operation": operation, "date": start.isoformat(), "days": shift,
             "result": result.isoformat(), "weekday": f"{result:%A}"},
        )
    if operation == "diff":
        if arguments.get("to") is None:
            raise ToolError("diff needs 'to': the second date, YYYY-MM-DD")
        end = parse_date(arguments.get("to"), today, argument="to")
        days = (end - start).days
        return ToolResult(
            True,
            f"From {describe_day(start)} to {describe_day(end)} is {days} days.",
            {"operation": operation, "date": start.isoformat(), "to": end.isoformat(),
             "days": days},
        )
    raise ToolError(f"unknown operation {operation!r}; use {', '.join(OPERATIONS)}")


#: Every operation the clock knows, in the order the schema lists them.
OPERATIONS = ("now", "add", "weekday", "diff", "time", "month_days", "leap_year",
              "day_of_year", "month_add", "weekday_add", "time_diff", "age", "count")


CLOCK = ToolDefinition(
    name="clock",
    description=(
        "Current date, time and weekday in the user's time zone, and date arithmetic: "
        "now; add days or weeks to a date; weekday of a date; diff: days between two dates; "
        "time: a clock time plus hours and minutes, in another place's time zone, or in 24-hour "
        "or 12-hour form; time_diff: hours between two times; age: years since a birth "
        "date or year; month_days; "
        "leap_year; day_of_year; month_add; weekday_add; count: days in a year, a weekday's "
        "days in a month, leap years between two years, or a date's day number."
    ),
    parameters={
        "type": "object",
        "properties": {
            "operation": {"type": "string", "enum": list(OPERATIONS)},
            "date": {"type": "string", "description": "YYYY-MM-DD, a weekday ('next friday'), "
                     "'25 december' or a holiday ('christmas'); today if left out"},
            "days": {"type": "integer", "description": "for add: days to add (may be negative)"},
            "weeks": {"type": "integer", "description": "for add: weeks to add"},
            "to": {"type": "string", "description": "for diff: the second date, YYYY-MM-DD"},
            "time": {"type": "string", "description": "for time: HH:MM, 7:45 pm or now"},
            "to_time": {"type": "string", "description": "for time_diff: the second time"},
            "hours": {"type": "integer", "description": "for time: hours to add"},
            "minutes": {"type": "integer", "description": "for time: minutes to add"},
            "zone": {"type": "string", "description": "for now and time: the place or IANA "
                     "zone the time is in (a city, e.g. Tokyo); the user's if left out"},
            "to_zone": {"type": "string",
                        "description": "for time: the place to show the time in"},
            "season": {"type": "string", "enum": ["winter", "spring", "summer", "autumn"],
                       "description": "for time between zones: the season asked about"},
            "clock": {"type": "string", "enum": ["24-hour", "12-hour"],
                      "description": "for time with nothing added: the form to convert to"},
            "year": {"type": "integer",
                     "description": "for month_days, leap_year, day_of_year, month_add"},
            "month": {"type": "string", "description": "a month name, for month_days/month_add"},
            "months": {"type": "integer", "description": "for month_add: months to move"},
            "day": {"type": "integer", "description": "for day_of_year: the day number"},
            "weekday": {"type": "string",
                        "description": "for weekday_add and count: a weekday name"},
            "what": {"type": "string", "enum": list(COUNTS), "description": "for count"},
            "to_year": {"type": "integer", "description": "for count leap_years: the last year"},
        },
        "required": ["operation"],
        "additionalProperties": False,
    },
    run=clock,
)
