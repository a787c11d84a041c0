"""Days named in words, as the clock tool reads its `date` and `to` arguments.

"Christmas", "next Friday", "25 December", "New Year's Eve": a date with no
year is its next occurrence from today (today included), so "How many days
until Christmas?" counts to this year's or next year's. Easter and US
Thanksgiving are computed; holidays whose date differs by country
(Mother's Day) are left out rather than guessed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

from hearth.edge_runtime.tools._calendar import MONTHS, WEEKDAYS

#: Fixed-date holidays, (month, day).
_FIXED = {"christmas": (12, 25), "christmas day": (12, 25), "xmas": (12, 25),
          "christmas eve": (12, 24), "boxing day": (12, 26), "new year": (1, 1),
          "new year's day": (1, 1), "new years day": (1, 1), "new year's eve": (12, 31),
          "new years eve": (12, 31), "halloween": (10, 31), "valentine's day": (2, 14),
          "valentines day": (2, 14), "valentine's": (2, 14), "independence day": (7, 4),
          "the fourth of july": (7, 4), "fourth of july": (7, 4), "st patrick's day": (3, 17),
          "saint patrick's day": (3, 17), "bonfire night": (11, 5)}
_MONTH = r"(" + "|".join(m.lower() for m in MONTHS) + r")"
_YEARLESS = re.compile(r"^(?:" + _MONTH + r"\s+(\d{1,2})(?:st|nd|rd|th)?|(\d{1,2})(?:st|nd|rd|th)?"
                       r"\s+(?:of\s+)?" + _MONTH + r")$")
_WEEKDAY = re.compile(r"^(next|this|coming|this\s+coming|last)?\s*(" + "|".join(
    d.lower() for d in WEEKDAYS) + r")$")
#: Names the `date` argument accepts besides ISO dates, for the model and the reader.
NAMED = (*_FIXED, "easter", "thanksgiving")


def _easter(year: int) -> date:
    """Western Easter Sunday (the anonymous Gregorian computus)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    leap = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * leap) // 451
    month, day = divmod(h + leap - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _thanksgiving(year: int) -> date:
    """US Thanksgiving: the fourth Thursday of November."""
    first = date(year, 11, 1)
    return first + timedelta(days=(3 - first.weekday()) % 7 + 21)


def _next(today: date, on: Callable[[int], date]) -> date:
    """The first day `on` gives from today's year on that is not before today; a year
    without that day (29 February) is skipped."""
    for year in range(today.year, today.year + 9):
        try:
            day = on(year)
        except ValueError:
            continue
        if day >= today:
            return day
    raise ValueError("no such day in the next eight years")


def named_day_in(name: str, year: int) -> date | None:
    """The date a holiday `name` ("christmas day", "easter") falls on in `year`, or None."""
    name = " ".join(name.lower().replace("’", "'").split())
    if name in _FIXED:
        return date(year, *_FIXED[name])
    if name in ("easter", "easter sunday"):
        return _easter(year)
    if name in ("thanksgiving", "thanksgiving day"):
        return _thanksgiving(year)
    return None


def named_day(text: str, today: date) -> date | None:
    """The date `text` names in words, from `today`, or None when it names none."""
    name = " ".join(text.lower().replace("’", "'").split()).removeprefix("on ")
    if re.search(r"\s+next\s+year$", name):
        today = date(today.year + 1, 1, 1)  # "Christmas next year": from next New Year on
    name = re.sub(r"\s+(?:this|next)\s+year$", "", name)
    if name in _FIXED:
        month, day = _FIXED[name]
        return _next(today, lambda year: date(year, month, day))
    if name in ("easter", "easter sunday"):
        return _next(today, _easter)
    if name in ("thanksgiving", "thanksgiving day"):
        return _next(today, _thanksgiving)
    if found := _YEARLESS.match(name):
        month_name = found.group(1) or found.group(4)
        day = int(found.group(2) or found.group(3))
        month = next(i for i, m in enumerate(MONTHS) if m.lower() == month_name) + 1
        try:
            date(2024, month, day)  # a leap year: 29 February is a date
        except ValueError:
            return None
        return _next(today, lambda year: date(year, month, day))
    if found := _WEEKDAY.match(name):
        which, weekday = found.group(1) or "", found.group(2)
        ahead = (WEEKDAYS.index(weekday.capitalize()) - today.weekday()) % 7
        if which == "last":
            return today - timedelta(days=(7 - ahead) % 7 or 7)
        # "next Friday" on a Friday is a week away, as is "Friday"; "this Friday" is today.
        return today + timedelta(days=ahead or (0 if which.startswith("this") else 7))
    return None

