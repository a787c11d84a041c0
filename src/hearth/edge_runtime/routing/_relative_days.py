"""Days a message names from today: "tomorrow", "in 3 days", "on Friday", as dates.

A model cannot know today's date, so "book a table for tomorrow" gets a
date it makes up. Counted from the user's own today (the clock's, in their
zone), or from the one the message states ("today is 2023-09-29"), the day
is exact. Only words that name one day are read: "next Friday" is this
week's Friday to some people and next week's to others, and "every Friday"
is no one day, so a message with either is left to the model.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from hearth.edge_runtime.routing._dates import find_dates

#: "Today is monday 2022-10-20", "today's date is 20230929": when now is, not a day meant.
TODAY_IS = re.compile(r"\b(?:today(?:'s date)?|the current date|current date)\s+is\s+"
                      r"(?:[a-z]+,?\s+){0,2}[\w/.-]*\d[\w/.,-]*"
                      r"(?:\s+\d{1,2}(?:st|nd|rd|th)?\b,?)?(?:\s+\d{4}\b)?", re.IGNORECASE)
_COMPACT = re.compile(r"\b(\d{4})(\d{2})(\d{2})\b")
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
            "seven": 7, "eight": 8, "nine": 9, "ten": 10, "twelve": 12}
_COUNT = r"\d{1,3}|an?|one|two|three|four|five|six|seven|eight|nine|ten|twelve"
_UNIT = r"days?|weeks?|fortnights?|months?"
_DAY = "|".join(_WEEKDAYS)
_RELATIVE = re.compile(
    r"\b(?:(?P<after>(?:the\s+)?day\s+after\s+tomorrow)"
    r"|(?P<before>(?:the\s+)?day\s+before\s+yesterday)"
    r"|(?P<word>today|tonight|tomorrow|yesterday|this\s+(?:morning|afternoon|evening))"
    r"|in\s+(?P<count>" + _COUNT + r")\s+(?P<unit>" + _UNIT + r")"
    r"|(?P<count_from>" + _COUNT + r")\s+(?P<unit_from>" + _UNIT + r")\s+(?:from\s+(?:now|today)"
    r"|(?P<ago>ago))"
    r"|(?P<month_end>(?:the\s+)?end\s+of\s+(?:the|this)\s+month)"
    r"|(?P<next_first>(?:the\s+)?(?:first|1st)\s+(?:day\s+)?of\s+next\s+month)"
    r"|(?:on|by|due)\s+the\s+(?P<nth>\d{1,2})(?:st|nd|rd|th)\b(?!\s+(?:of|floor|century))"
    r"|(?P<weekday_next>" + _DAY + r")\s+next\s+week|next\s+week\s+on\s+(?P<next_weekday>" + _DAY
    + r")"
    r"|(?:(?P<mod>next|last|every|following|this|coming|on)\s+)?(?P<weekday>" + _DAY + r")"
    r"(?P<plural>s)?(?!\s+(?:after|before|next\s+week)))\b",
    re.IGNORECASE)
_WORD_DAYS = {"today": 0, "tonight": 0, "tomorrow": 1, "yesterday": -1}


def stated_today(text: str) -> date | None:
    """The date the message says today is, or None."""
    if (match := TODAY_IS.search(text)) is None:
        return None
    said = match.group(0)
    if compact := _COMPACT.search(said):
        try:
            return date(*map(int, compact.groups()))
        except ValueError:
            return None
    found = find_dates(said)
    return found[0] if len(found) == 1 else None


def relative_days(text: str, today: date) -> list[date]:
    """The days `text` names counted from `today`, in order; none if one is unclear."""
    days: list[date] = []
    for match in _RELATIVE.finditer(text):
        day = _day(match, today)
        if day is None:
            return []
        if day not in days:
            days.append(day)
    return days


def relative_day(text: str, today: date) -> date | None:
    """The one day `text` names counted from `today`, or None (none, several, unclear)."""
    days = relative_days(text, today)
    return days[0] if len(days) == 1 else None


def _day(match: re.Match[str], today: date) -> date | None:
    if match.group("after"):
        return today + timedelta(days=2)
    if match.group("before"):
        return today - timedelta(days=2)
    if word := match.group("word"):
        return today + timedelta(days=_WORD_DAYS.get(word.lower(), 0))
    if unit := match.group("unit") or match.group("unit_from"):
        count = match.group("count") or match.group("count_from")
        n = int(count) if count.isdigit() else _NUMBERS[count.lower()]
        return _later(today, -n if match.group("ago") else n, unit.lower())
    if match.group("month_end"):
        return today.replace(day=calendar.monthrange(today.year, today.month)[1])
    if match.group("next_first"):
        return _later(today.replace(day=1), 1, "month")
    if nth := match.group("nth"):
        return _nth(today, int(nth))
    if weekday := match.group("weekday_next") or match.group("next_weekday"):
        if today.weekday() >= 5:
            return None  # at a weekend, "next week" may be the one starting on Monday or after
        monday = today + timedelta(days=7 - today.weekday())
        return monday + timedelta(days=_WEEKDAYS.index(weekday.lower()))
    if match.group("plural"):
        return None  # "on Fridays": every one
    return _weekday(today, match.group("weekday").lower(), (match.group("mod") or "").lower())


def _later(today: date, n: int, unit: str) -> date:
    if unit.startswith("month"):
        months = today.month - 1 + n
        year, month = today.year + months // 12, months % 12 + 1
        return date(year, month, min(today.day, calendar.monthrange(year, month)[1]))
    days = {"d": 1, "w": 7, "f": 14}[unit[0]]
    return today + timedelta(days=n * days)


def _nth(today: date, nth: int) -> date | None:
    """"on the 15th": this month's, or next month's once this month's has passed."""
    year, month = today.year, today.month
    if nth < today.day:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    if nth > calendar.monthrange(year, month)[1]:
        return None
    return date(year, month, nth)


def _weekday(today: date, name: str, mod: str) -> date | None:
    """The coming (or, after "last", the past) day called `name`; None where unclear."""
    if mod in ("next", "every", "following"):
        return None  # "next Friday": this week's or next week's; "every Friday": no one day
    wanted = _WEEKDAYS.index(name)
    if mod == "last":
        return today - timedelta(days=(today.weekday() - wanted - 1) % 7 + 1)
    # "on Friday": the coming one. Said on a Friday it may be today or a week on: unread.
    ahead = (wanted - today.weekday()) % 7
    return today + timedelta(days=ahead) if ahead else None
