"""Calendar questions the other date readers miss, as clock arguments.

Counts ("How many Fridays are in October 2027?", "How many days does 2028
have?", "How many leap years from 2001 to 2099?", "What day number of the
year is October 9, 2028?"), a weekday some days after another ("100 days
after a Wednesday", "falls on a Saturday ... 53 days later"), a span
between two clock times however the message joins them ("leaves at 22:30
and lands at 06:05"), and holidays of a given year ("from Christmas Day 2025
to New Year's Day 2027"). `text` is lower case with number words as digits.
"""

from __future__ import annotations

import re
from typing import Any

from hearth.edge_runtime.routing._math import CLOCK_TIME
from hearth.edge_runtime.tools._calendar import MONTHS, WEEKDAYS, parse_clock_time
from hearth.edge_runtime.tools._named_days import NAMED, named_day_in
from hearth.edge_runtime.tools._zones import places_in
from hearth.errors import ToolError

Arguments = dict[str, Any]

_WEEKDAY = r"(" + "|".join(d.lower() for d in WEEKDAYS) + r")"
_MONTH = r"(" + "|".join(m.lower() for m in MONTHS) + r")"
_YEAR = r"(\d{4})"
_WEEKDAYS_IN = re.compile(r"\bhow\s+many\s+" + _WEEKDAY + r"s\b.{0,30}?\b(?:in|of)\s+" + _MONTH
                          + r"(?:,?\s+" + _YEAR + r")?\b")
#: "How many working days (Monday to Friday) are there in March 2027?".
_WORKING_DAYS = re.compile(r"\bhow\s+many\s+(?:working|week|business|work)\s*days\b.{0,50}?\b"
                           r"(?:in|of)\s+" + _MONTH + r"(?:,?\s+" + _YEAR + r")?\b")
_DAYS_IN_YEAR = re.compile(r"\bhow\s+many\s+days\s+(?:are\s+there\s+in|(?:are\s+)?in|does|did|"
                           r"will|has)\s+(?:the\s+year\s+)?" + _YEAR + r"\b(?=\s*(?:(?:have|has|"
                           r"got)\b(?!\s+(?:left|remaining))|in\s+total|altogether|[?.!]|$))")
_LEAP_YEARS = re.compile(r"\bhow\s+many\s+leap\s+years\b.{0,30}?\b(?:from|between)\s+"
                         r"(?:the\s+years?\s+)?" + _YEAR
                         + r"\s+(?:to|and|until|through|-)\s+" + _YEAR + r"\b")
DAY_NUMBER = re.compile(r"\b(?:day\s+number|which\s+day|what\s+day|number\s+of\s+the\s+day)\b"
                         r".{0,30}?\bof\s+the\s+year\b|\bday\s+of\s+the\s+year\s+is\b")
_DAYS_LATER = re.compile(r"\b(\d{1,6})\s+(days?|weeks?)\s+(after|later|from|before|earlier)\b")
_ON_WEEKDAY = re.compile(r"\b(?:an?|on|is|was|falls\s+on|fell\s+on)\s+(?:an?\s+)?" + _WEEKDAY
                         + r"\b")
_SPAN_ASKED = re.compile(r"\bhow\s+(?:many\s+(?:minutes|hours)|long)\b")
#: A start and an end said: "leaves ... lands", "from ... to", "starts ... ends".
_START_END = re.compile(r"\b(?:from|between)\b.*\b(?:to|and|until|till)\b|\b(?:leaves?|left|"
                        r"departs?|starts?|started|begins?|began|opens?|go(?:es)?\s+to\s+(?:bed|sleep)|"
                        r"fell\s+asleep|"
                        r"set\s+off|took\s+off|takes\s+off)\b.*\b(?:lands?|landed|arrives?|arrived|"
                        r"ends?|ended|finish\w*|closes?|closed|wakes?|woke|gets?\s+in|got\s+in|"
                        r"until|till)\b")
_HOLIDAY_YEAR = re.compile(r"\b(" + "|".join(re.escape(n) for n in sorted(
    NAMED, key=len, reverse=True)) + r"|easter sunday|thanksgiving day)\s*,?\s+" + _YEAR + r"\b",
    re.IGNORECASE)


def _counts(text: str) -> Arguments | None:
    # "How many Fridays are left in March?", "excluding 2020", "in March and April": another
    # count than the whole span's.
    if re.search(r"\b(?:left|remain\w*|still|exclud\w*|except|not\s+counting|weekends?)\b", text) \
            or len(re.findall(_MONTH, text)) > 1:
        return None
    if found := _WORKING_DAYS.search(text):
        working: Arguments = {"operation": "count", "what": "working_days",
                              "month": found.group(1)}
        if found.group(2):
            working["year"] = int(found.group(2))
        return working
    if found := _WEEKDAYS_IN.search(text):
        arguments: Arguments = {"operation": "count", "what": "weekday_in_month",
                                "weekday": found.group(1), "month": found.group(2)}
        if found.group(3):
            arguments["year"] = int(found.group(3))
        return arguments
    if found := _DAYS_IN_YEAR.search(text):
        return {"operation": "count", "what": "days_in_year", "year": int(found.group(1))}
    if found := _LEAP_YEARS.search(text):
        return {"operation": "count", "what": "leap_years", "year": int(found.group(1)),
                "to_year": int(found.group(2))}
    return None


def _weekday_later(text: str) -> Arguments | None:
    """"What weekday is 100 days after a Wednesday?" (no date, one weekday)."""
    later, weekdays = _DAYS_LATER.search(text), re.findall(_WEEKDAY, text)
    if later is None or len(set(weekdays)) != 1 or re.search(r"\b(?:today|tomorrow|yesterday)"
                                                             r"\b|\d{4}", text):
        return None
    on = _ON_WEEKDAY.search(text)
    if on is None:
        return None
    days = int(later.group(1)) * (7 if later.group(2).startswith("week") else 1)
    sign = -1 if later.group(3) in ("before", "earlier") else 1
    return {"operation": "weekday_add", "weekday": on.group(1), "days": sign * days}


def _two_times(text: str) -> Arguments | None:
    """"A flight leaves at 22:30 and lands at 06:05. How many minutes is the flight?"."""
    times = CLOCK_TIME.findall(text)
    if len(times) != 2 or not _SPAN_ASKED.search(text) or re.search(r"\d{4}-\d", text) or \
            not _START_END.search(text) or places_in(text) or \
            re.search(r"\b(?:should|ok|okay|best|recommend\w*|normal)\b", text) or \
            re.search(r"\d+\s*(?:minutes?|mins?|hours?|hrs?)\b", CLOCK_TIME.sub(" ", text)):
        return None
    try:
        start, end = parse_clock_time(times[0]), parse_clock_time(times[1])
    except ToolError:
        return None
    if (end - start) % 1440 > 720:
        return None  # "leaves at 7:15 ... if I arrive at 7:05": not a span from the first
    return {"operation": "time_diff", "time": times[0], "to_time": times[1]}


def holidays_with_years(text: str) -> str:
    """`text` with "christmas day 2025" written as 2025-12-25, for the date readers."""
    def iso(match: re.Match[str]) -> str:
        day = named_day_in(match.group(1).lower(), int(match.group(2)))
        return day.isoformat() if day else match.group(0)
    return _HOLIDAY_YEAR.sub(iso, text)


def count_arguments(text: str) -> Arguments | None:
    """The clock call for a count, a weekday later or a span between two times, or None."""
    return _counts(text) or _weekday_later(text) or _two_times(text)
