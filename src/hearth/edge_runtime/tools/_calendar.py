"""Calendar questions the clock tool answers beside now/add/weekday/diff.

Small models get these wrong more often than anything else: clock arithmetic
across midnight, days in a month, leap years, the n-th day of a year, the
month or weekday some steps away. Each operation takes plain JSON numbers
and names and says its result in one sentence the reply can quote.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from typing import Any

from hearth.edge_runtime.tools._types import ToolResult
from hearth.errors import ToolError

MONTHS = tuple(calendar.month_name)[1:]
WEEKDAYS = tuple(calendar.day_name)
#: Largest shift in hours or minutes `time` accepts (a year of minutes).
MAX_MINUTES = 525_600

_CLOCK_TIME = re.compile(r"^\s*(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?\s*$", re.I)


def parse_clock_time(value: object) -> int:
    """Minutes after midnight of "10:30", "7:45 pm" or "7 pm"; `ToolError` if unreadable."""
    match = _CLOCK_TIME.match(str(value or ""))
    if match is None or (match.group(2) is None and match.group(3) is None):
        raise ToolError(f"time {value!r} is not a clock time; use HH:MM or 7:45 pm")
    hour, minute = clock_hour_minute(match.group(1), match.group(2), match.group(3),
                                     f"time {value!r}")
    return hour * 60 + minute


def clock_hour_minute(hour_text: str, minute_text: str | None, meridiem: str | None,
                      said: str) -> tuple[int, int]:
    """(hour, minute) of a clock time read in pieces; am/pm to 24 hours; `ToolError` if off."""
    hour, minute = int(hour_text), int(minute_text or 0)
    half = (meridiem or "").lower().replace(".", "")
    if half:
        if not 1 <= hour <= 12:
            raise ToolError(f"{said}: with am/pm the hour must be 1 to 12")
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        raise ToolError(f"{said} is not a time of day; use HH:MM from 00:00 to 23:59")
    return hour, minute


def whole(arguments: dict[str, Any], key: str, default: int | None = None) -> int:
    value = arguments.get(key, default)
    if value is None:
        raise ToolError(f"{key} is missing; give it as a whole number")
    if isinstance(value, bool) or not (isinstance(value, int) or (
            isinstance(value, float) and value.is_integer())):
        raise ToolError(f"{key} must be a whole number, got {value!r}")
    return int(value)


def year_of(arguments: dict[str, Any], today: date) -> int:
    return in_calendar(whole(arguments, "year", today.year))


def in_calendar(year: int) -> int:
    if not 1 <= year <= 9999:
        raise ToolError(f"year {year} is outside the calendar (1 to 9999)")
    return year


def named(value: object, names: tuple[str, ...], what: str) -> int:
    """Index of a month or weekday given as a name, an abbreviation or a number."""
    text = str(value or "").strip().lower()
    if text.isdigit() and what == "month" and 1 <= int(text) <= 12:
        return int(text) - 1
    for index, name in enumerate(names):
        if text and (text == name.lower() or (len(text) >= 3 and name.lower().startswith(text))):
            return index
    raise ToolError(f"{what} {value!r} is not a {what} name; use e.g. {names[0]}")


def time_shift(arguments: dict[str, Any]) -> ToolResult:
    """A clock time moved by hours and minutes, or converted to 24-hour form."""
    start = parse_clock_time(arguments.get("time"))
    shift = 60 * whole(arguments, "hours", 0) + whole(arguments, "minutes", 0)
    if abs(shift) > MAX_MINUTES:
        raise ToolError(f"cannot move a time by {shift} minutes; at most {MAX_MINUTES}")
    total = start + shift
    days, minute = divmod(total, 1440)
    result = f"{minute // 60:02d}:{minute % 60:02d}"
    began = f"{start // 60:02d}:{start % 60:02d}"
    note = "" if days == 0 else f" ({'+' if days > 0 else ''}{days} day{'s' * (abs(days) != 1)})"
    if not shift and str(arguments.get("clock", "")).startswith("12"):
        twelve = f"{(minute // 60) % 12 or 12}:{minute % 60:02d} {'am' if minute < 720 else 'pm'}"
        return ToolResult(True, f"{arguments.get('time')} is {twelve} in 12-hour time",
                          {"operation": "time", "result": twelve, "days": 0})
    text = (f"{began} + {shift} minutes = {result}{note}" if shift
            else f"{arguments.get('time')} is {result} in 24-hour time")
    return ToolResult(True, text, {"operation": "time", "result": result, "days": days})


def month_days(arguments: dict[str, Any], today: date) -> ToolResult:
    """How many days a month of a year has."""
    year = year_of(arguments, today)
    month = named(arguments.get("month"), MONTHS, "month") + 1
    days = calendar.monthrange(year, month)[1]
    return ToolResult(True, f"{MONTHS[month - 1]} {year} has {days} days.",
                      {"operation": "month_days", "year": year, "month": month, "days": days})


def leap_year(arguments: dict[str, Any], today: date) -> ToolResult:
    """Whether a year is a leap year (Gregorian rules)."""
    year = year_of(arguments, today)
    leap = calendar.isleap(year)
    text = (f"Yes, {year} is a leap year (366 days)." if leap
            else f"No, {year} is not a leap year (365 days).")
    return ToolResult(True, text, {"operation": "leap_year", "year": year, "leap": leap})


def day_of_year(arguments: dict[str, Any], today: date) -> ToolResult:
    """The date of the n-th day of a year."""
    year = year_of(arguments, today)
    number = whole(arguments, "day")
    length = 366 if calendar.isleap(year) else 365
    if not 1 <= number <= length:
        raise ToolError(f"{year} has days 1 to {length}; {number} is not one of them")
    day = date(year, 1, 1) + timedelta(days=number - 1)
    return ToolResult(True, f"Day {number} of {year} is {day.isoformat()} ({day:%A}).",
                      {"operation": "day_of_year", "result": day.isoformat()})


def month_add(arguments: dict[str, Any]) -> ToolResult:
    """The month some months after (or before) a named month."""
    start = named(arguments.get("month"), MONTHS, "month")
    shift = whole(arguments, "months", 1)
    if abs(shift) > 12 * 9999:
        raise ToolError(f"cannot move {shift} months; at most {12 * 9999} either way")
    result = MONTHS[(start + shift) % 12]
    word = "after" if shift >= 0 else "before"
    began = MONTHS[start]
    if arguments.get("year") is not None:  # "18 months after September 2025" is March 2027
        year = in_calendar(whole(arguments, "year"))
        began = f"{began} {year}"
        result = f"{result} {in_calendar(year + (start + shift) // 12)}"
    return ToolResult(True, f"{abs(shift)} month(s) {word} {began} is {result}.",
                      {"operation": "month_add", "result": result})


def weekday_add(arguments: dict[str, Any]) -> ToolResult:
    """The weekday some days after (or before) a named weekday."""
    start = named(arguments.get("weekday"), WEEKDAYS, "weekday")
    shift = whole(arguments, "days", 0)
    result = WEEKDAYS[(start + shift) % 7]
    return ToolResult(True, f"{shift} day(s) from {WEEKDAYS[start]} is {result}.",
                      {"operation": "weekday_add", "result": result})


def _span(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    parts = [f"{hours} hour{'s' * (hours != 1)}"] if hours else []
    if rest or not hours:
        parts.append(f"{rest} minute{'s' * (rest != 1)}")
    return " ".join(parts)


def time_between(arguments: dict[str, Any]) -> ToolResult:
    """How long from one clock time to a later one ("9:15" to "17:45"; past midnight when
    the second is earlier: a night shift)."""
    start = parse_clock_time(arguments.get("time"))
    if arguments.get("to_time") is None:
        raise ToolError("time_diff needs 'to_time': the second clock time, e.g. 17:45")
    end = parse_clock_time(arguments.get("to_time"))
    minutes = (end - start) % 1440
    text = _span(minutes)
    return ToolResult(True, f"From {start // 60:02d}:{start % 60:02d} to {end // 60:02d}:"
                            f"{end % 60:02d} is {text}",
                      {"operation": "time_diff", "result": text, "minutes": minutes,
                       "hours": round(minutes / 60, 4)})


def age(arguments: dict[str, Any], today: date) -> ToolResult:
    """How old someone born on `date` (YYYY-MM-DD) or in `year` is today."""
    born = arguments.get("date")
    if born:
        try:
            day = date.fromisoformat(str(born))
        except ValueError:
            raise ToolError(f"date {born!r} is not a date; use YYYY-MM-DD") from None
        if day > today:
            raise ToolError(f"{day.isoformat()} is after today ({today.isoformat()})")
        years = today.year - day.year - ((today.month, today.day) < (day.month, day.day))
        return ToolResult(True, f"Born on {day.isoformat()}: {years} years old today.",
                          {"operation": "age", "result": str(years), "years": years})
    year = in_calendar(whole(arguments, "year"))
    if year > today.year:
        raise ToolError(f"{year} is after this year ({today.year})")
    years = today.year - year
    note = f"{years}, or {years - 1} if their birthday is still to come this year" \
        if years else "0 (born this year)"
    return ToolResult(True, f"Born in {year}: {note}.",
                      {"operation": "age", "result": note, "years": years})
