"""Reading a date or time question as clock-tool arguments, without the model.

Dates come as ISO (2024-03-15) or in words (March 15, 2024; 15 March 2024);
durations as "3 hours and 45 minutes", "an hour and a half", "10 days". Each
reader below recognises one kind of question and returns the clock call that
answers it; `clock_arguments` tries them from the most specific down and
returns None when none applies, leaving the question to the model.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from datetime import date
from typing import Any

from hearth.edge_runtime.routing._calendar_counts import (
    DAY_NUMBER,
    count_arguments,
    holidays_with_years,
)
from hearth.edge_runtime.routing._day_questions import day_arguments
from hearth.edge_runtime.routing._math import CLOCK_TIME, words_to_digits
from hearth.edge_runtime.routing._zone_questions import zone_arguments
from hearth.edge_runtime.tools._calendar import MONTHS, WEEKDAYS

Arguments = dict[str, Any]

_MONTH = (r"(" + "|".join(m.lower() for m in MONTHS)
          + r"|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)")
_WEEKDAY = r"(" + "|".join(d.lower() for d in WEEKDAYS) + r")"
_ISO = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
_MONTH_FIRST = re.compile(_MONTH + r"\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b", re.I)
_DAY_FIRST = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?(?:\s+of)?\s+" + _MONTH + r",?\s+(\d{4})\b",
                        re.I)
#: "April 3rd to April 5th 2023", "March 1-5, 2024": the range's one year is both ends'.
_YEARLESS_START = re.compile(
    _MONTH + r"\.?\s+(\d{1,2})(?:st|nd|rd|th)?\s*(?:to|through|until|till|and|-|–)\s*"
    r"(?:" + _MONTH + r"\.?\s+)?(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b", re.I)
#: What joins a range's two ends: "to", "through", "until", "and", a dash.
_RANGE_GLUE = re.compile(r"(?:st|nd|rd|th)?\s*,?\s*(?:to|through|thru|until|till|and|-|–)\s*", re.I)
#: "5 in the afternoon", "9 o'clock in the morning", "8 at night".
_DAY_PART = re.compile(r"(?<!for\s)(?<!of\s)\b(\d{1,2})(?::(\d{2}))?\s*(?:o'?clock\s+)?"
                       r"(?:in\s+the\s+(morning|afternoon|evening)|at\s+(night))\b", re.I)
_HOURS = re.compile(r"(\d+(?:\.\d+)?|an?|one)\s*(?:hours?|hrs?|h)\b(\s+and\s+a\s+half)?")
_MINUTES = re.compile(r"(\d+)\s*(?:minutes?|mins?)\b")
_SPAN = re.compile(r"(\d+|an?|one)\s*(days?|weeks?)\b")
_UTC = re.compile(r"\b(?:utc|gmt)\s*([+-]\s*\d{1,2})?", re.I)
_BACKWARDS = re.compile(r"\b(before|earlier|ago|minus|prior|back)\b")


def _month_index(name: str) -> int:
    return next(i for i, m in enumerate(MONTHS) if m.lower().startswith(name[:3].lower())) + 1


def date_spans(text: str) -> list[tuple[int, int, date]]:
    """(start, end, date) of each calendar date the message names, in order."""
    found: list[tuple[int, int, date]] = []
    for pattern, order in ((_ISO, "ymd"), (_MONTH_FIRST, "mdy"), (_DAY_FIRST, "dmy")):
        for match in pattern.finditer(text):
            parts = dict(zip(order, match.groups(), strict=True))
            month = parts["m"]
            try:
                day = date(int(parts["y"]), int(month) if month.isdigit()
                           else _month_index(month), int(parts["d"]))
            except ValueError:
                continue
            found.append((match.start(), match.end(), day))
    for match in _YEARLESS_START.finditer(text):
        first, start_day, second, end_day, year = match.groups()
        try:
            end = date(int(year), _month_index(second or first), int(end_day))
            start = date(int(year), _month_index(first), int(start_day))
            if start > end and start.month <= end.month:
                continue  # "May 10 to May 3, 2024" is no range
            if start > end:  # "Dec 30 to Jan 2, 2025": the start is in the year before
                start = start.replace(year=start.year - 1)
        except ValueError:
            continue
        found.append((match.start(), match.end(2), start))
        if second is None:  # "March 1-5, 2024": the end has no month of its own either
            found.append((match.start(4), match.end(), end))
    return sorted(found, key=lambda f: f[0])


def find_dates(text: str) -> list[date]:
    """The calendar dates a message names, in order of appearance."""
    return [d for _, _, d in date_spans(text)]


def date_range(text: str) -> tuple[date, date] | None:
    """The two ends of the one date range the message writes ("from April 3rd to April
    5th 2023", "between 2024-03-01 and 2024-03-05"), or None."""
    dated = date_spans(text)
    # "and" joins a range's ends only after "between" ("on June 3 and June 10" is two days).
    ranges = [(a[2], b[2]) for a, b in itertools.pairwise(dated)
              if a[2] < b[2] and (glue := _RANGE_GLUE.fullmatch(text[a[1]:b[0]]))
              and ("and" not in glue.group(0).lower()
                   or re.search(r"\bbetween\s+$", text[:a[0]], re.IGNORECASE))]
    return ranges[0] if len(ranges) == 1 else None


def find_times(text: str) -> list[tuple[int, int]]:
    """The clock times a message names ("14:00", "2 pm", "9:30 a.m."), as (hour, minute)."""
    found: dict[int, tuple[int, int]] = {}  # by offset: "5:30 in the evening" is one time
    for match in CLOCK_TIME.finditer(text):
        clock = match.group(1).lower().replace(".", "")
        hour, _, minute = re.sub(r"\s*[ap]m$", "", clock).partition(":")
        h, m = int(hour), int(minute or 0)
        if clock.endswith("pm") and h < 12:
            h += 12
        elif clock.endswith("am") and h == 12:
            h = 0
        if h < 24 and m < 60:
            found[match.start()] = (h, m)
    for match in _DAY_PART.finditer(text):
        h, m = int(match.group(1)), int(match.group(2) or 0)
        part = (match.group(3) or match.group(4)).lower()
        if part != "morning" and h < 12 and not (part == "night" and h < 5):
            h += 12
        if h < 24 and m < 60:
            found[match.start()] = (h, m)
    return [found[at] for at in sorted(found)]


def _count(text: str) -> float:
    return 1.0 if text in ("a", "an", "one") else float(text)


def _duration_minutes(text: str) -> int | None:
    """Minutes in "3 hours and 45 minutes", "an hour and a half", "50 minutes"."""
    total, seen = 0.0, False
    if hours := _HOURS.search(text):
        total += 60 * (_count(hours.group(1)) + (0.5 if hours.group(2) else 0.0))
        seen = True
    if minutes := _MINUTES.search(text):
        total += int(minutes.group(1))
        seen = True
    return round(total) if seen else None


def _time_zone(text: str) -> Arguments | None:
    offsets = [int((m.group(1) or "0").replace(" ", "")) for m in _UTC.finditer(text)]
    clock = CLOCK_TIME.search(text)
    if len(offsets) != 2 or clock is None:
        return None
    return {"operation": "time", "time": clock.group(1), "hours": offsets[1] - offsets[0]}


#: "in 12-hour time", "to 12 hour format", "am or pm?": a conversion, not 12 hours added
#: ("a 12-hour shift starting at 7:00" is a duration).
_AM_OR_PM = r"\bam\s*(?:/|or)\s*pm\b"
_TO_12_HOUR = re.compile(r"\b(?:in|to|into|as)\s+(?:the\s+)?12[- ]?hour\b|\b12[- ]?hour\s+"
                         r"(?:time|format|clock|notation)\b|" + _AM_OR_PM)


def _twelve_hour(text: str, clock: re.Match[str]) -> Arguments | None:
    """"What is 18:40 in 12-hour time?", "Is 13:00 am or pm?": the time in 12-hour form."""
    time = re.sub(r"\s*(?:am|pm|a\.m\.|p\.m\.)$", "", clock.group(1))
    if re.search(_AM_OR_PM, text) and not re.fullmatch(
            r"(?:0?0|1[3-9]|2[0-3]):\d{2}", time):
        return None  # "Is 7:30 am or pm?" cannot be told from the time itself
    return {"operation": "time", "time": time, "clock": "12-hour"}


def _clock_shift(text: str) -> Arguments | None:
    clock = CLOCK_TIME.search(text)
    if clock is None or len(CLOCK_TIME.findall(text)) > 1:
        return None  # "Between 9:00 and 17:00 I take a 30 minute break": no shift of one time
    if _TO_12_HOUR.search(text):
        return _twelve_hour(text, clock)
    rest = text[:clock.start()] + " " + text[clock.end():]
    minutes = _duration_minutes(rest)
    if minutes is None:
        if re.search(r"24[- ]?hour|convert|military", text):
            return {"operation": "time", "time": clock.group(1)}
        return None
    sign = -1 if _BACKWARDS.search(text) else 1
    return {"operation": "time", "time": clock.group(1), "minutes": sign * minutes}


def _calendar_facts(text: str) -> Arguments | None:
    year = re.search(r"\b(\d{4})\b", text)
    if "leap year" in text and year and not re.search(r"\bhow\s+many\s+leap\b", text):
        return {"operation": "leap_year", "year": int(year.group(1))}
    if (nth := re.search(r"\b(\d{1,3})(?:st|nd|rd|th) day of (?:the year )?(\d{4})", text)):
        return {"operation": "day_of_year", "year": int(nth.group(2)), "day": int(nth.group(1))}
    month = re.search(r"\bdays?\b.*\b(?:in|does|did|will|has)\s+" + _MONTH + r"\b(?:,?\s+(\d{4}))?",
                      text)
    if month and "how many" in text:
        arguments: Arguments = {"operation": "month_days", "month": month.group(1)}
        if month.group(2):
            arguments["year"] = int(month.group(2))
        return arguments
    # "What month comes 8 months after November?", "... 18 months after September 2025?"
    step = re.search(r"\bmonth\b.{0,60}?\b(?:(\d+|an?|one)\s+months?\s+)?(after|before)\s+" + _MONTH
                     + r"\b(?:,?\s+(\d{4})\b)?", text)
    if step:
        count = int(_count(step.group(1))) if step.group(1) else 1
        shifted: Arguments = {"operation": "month_add", "month": step.group(3),
                              "months": count if step.group(2) == "after" else -count}
        if step.group(4):
            shifted["year"] = int(step.group(4))
        return shifted
    return None


def _weekday_shift(text: str) -> Arguments | None:
    named = re.search(r"\b(?:today|it)(?:\s+is|'s)\s+(?:a\s+)?" + _WEEKDAY + r"\b", text)
    if named is None:
        return None
    rest = text[named.end():]
    if (span := _SPAN.search(rest)) is not None:
        days = int(_count(span.group(1))) * (7 if span.group(2).startswith("week") else 1)
    elif "tomorrow" in rest:
        days = 1
    elif "yesterday" in rest:
        days = -1
    else:
        return None
    sign = -1 if _BACKWARDS.search(rest) else 1
    return {"operation": "weekday_add", "weekday": named.group(1), "days": sign * days}


def _dated(text: str) -> Arguments | None:
    dates = find_dates(text)
    if len(dates) >= 2:
        return {"operation": "diff", "date": dates[0].isoformat(), "to": dates[1].isoformat()}
    if len(dates) != 1:
        return None
    when = dates[0].isoformat()
    span = _SPAN.search(_ISO.sub(" ", text))
    if span is not None and re.search(r"\b(after|before|from|later|ago|prior|since)\b", text):
        days = int(_count(span.group(1))) * (7 if span.group(2).startswith("week") else 1)
        return {"operation": "add", "date": when,
                "days": -days if _BACKWARDS.search(text) else days}
    if re.search(r"\b(until|till|since|ago)\b", text) and "how many" in text:
        return {"operation": "diff", "date": "today", "to": when}
    if re.search(r"\b(day|weekday)\b|" + _WEEKDAY, text):
        return {"operation": "weekday", "date": when}
    return None


def _relative(text: str) -> Arguments | None:
    if (span := re.search(r"\bin\s+(\d+|an?|one)\s*(days?|weeks?)\b|"
                          r"\b(\d+|an?|one)\s*(days?|weeks?)\s+from\s+(?:now|today)\b", text)):
        count, unit = (span.group(1), span.group(2)) if span.group(1) else (
            span.group(3), span.group(4))
        days = int(_count(count)) * (7 if unit.startswith("week") else 1)
        return {"operation": "add", "date": "today", "days": days}
    for word, days in (("tomorrow", 1), ("yesterday", -1)):
        if re.search(rf"\b(what|which)\b.*\b(day|date)\b.*\b{word}\b|\b{word}\b.*\b(day|date)\b",
                     text):
            return {"operation": "add", "date": "today", "days": days}
    if re.search(r"\b(day|date|time|year|month|weekday)\b.{0,20}\b(is it|today|now|right now)\b"
                 r"|\btoday'?s (date|day)\b|\bwhat('?s| is) the (date|time)\b|\bcurrent "
                 r"(date|time|day)\b|\bwhat time\b|\bwhat day\b$", text):
        return {"operation": "now"}
    return None


def _counted(text: str) -> Arguments | None:
    if (counted := count_arguments(text)) is not None:
        return counted
    # "What day number of the year is October 9, 2028?" (`DAY_NUMBER` names the question).
    if DAY_NUMBER.search(text) and len(dates := find_dates(text)) == 1:
        return {"operation": "count", "what": "day_number", "date": dates[0].isoformat()}
    return None


_READERS: tuple[Callable[[str], Arguments | None], ...] = (
    _time_zone, zone_arguments, day_arguments, _counted, _calendar_facts, _weekday_shift,
    _dated, _clock_shift, _relative)


def clock_arguments(text: str) -> Arguments | None:
    """The clock call that answers a date or time question, or None."""
    lower = holidays_with_years(words_to_digits(" ".join(text.lower().split())))
    for reader in _READERS:
        if (arguments := reader(lower)) is not None:
            return arguments
    return None
