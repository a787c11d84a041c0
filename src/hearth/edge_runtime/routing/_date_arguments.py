"""Date and time arguments of any function, read from the message as the schema asks.

"a flight on the 16th of March 2024" with `departure_date` described as
"in the format DD/MM/YYYY" is `16/03/2024`, without asking the model: small
models copy a wrong span ("14:00") or reorder day and month. Likewise "around
2 pm" for a time described as "HH:MM" is `14:00`. An argument that takes both
in one string ("dd/mm/yyyy HH:MM", ISO-8601 such as '2023-04-15T13:45:00Z')
gets both: "the 20th of June 2022 at 5 in the afternoon" is `20/06/2022 17:00`.
Only a message naming exactly one date (and one clock time) is read, or two
dates for a pair of arguments named as a range's ends (`start_date` and
`end_date`: "from April 3rd to April 5th 2023"), or one date and two times for
such a pair of date-and-time arguments ("May 3rd 2025, 2pm to 4pm"); anything
else stays the model's.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime, time
from typing import Any

from hearth.edge_runtime.routing._calendar_counts import holidays_with_years
from hearth.edge_runtime.routing._dates import date_range, find_dates, find_times
from hearth.edge_runtime.routing._ranges import DAY_ENDS, DAY_STARTS, pairs
from hearth.edge_runtime.routing._relative_days import (
    relative_days,
    relative_range,
    stated_today,
)

#: "YYYY-MM-DD", "MM/DD/YYYY", "%d.%m.%Y" ... in a description.
_LAYOUT = re.compile(r"\b(yyyy|mm|dd)([-/.])(yyyy|mm|dd)\2(yyyy|mm|dd)\b"
                     r"|%([Ymd])([-/.])%([Ymd])\6%([Ymd])", re.IGNORECASE)
#: "HH:MM", "%H:%M", "24-hour format", or an example clock time ("such as '18:45'").
_HOUR_MINUTE = re.compile(r"\bhh:mm\b|%H:%M|\b24[- ]hours?\b|\b[0-2]?\d:[0-5]\d\b",
                          re.IGNORECASE)
_FIELD = {"yyyy": "%Y", "mm": "%m", "dd": "%d", "y": "%Y", "m": "%m", "d": "%d"}
#: A date and a time in one layout: "dd/mm/yyyy HH:MM", "YYYY-MM-DDTHH:MM:SSZ".
_DATETIME_LAYOUT = re.compile(r"\b(yyyy|mm|dd)([-/.])(yyyy|mm|dd)\2(yyyy|mm|dd)([T ])hh:mm"
                              r"(:ss)?(z)?(?![\w:])", re.IGNORECASE)
#: An example date and time in a description: '2023-04-15T13:45:00Z', "2024-03-12 16:00".
_DATETIME_EXAMPLE = re.compile(r"\b\d{4}-\d{2}-\d{2}([T ])\d{2}:\d{2}(:\d{2})?(Z)?(?![\w:+-])")
#: A time zone other than UTC the message names ("10:30 PST", "4pm London time").
_OTHER_ZONE = re.compile(r"\b(?:[PMCE][SD]T|CES?T|BST|IST|JST|AES?T|[A-Z][a-z]+ time)\b")
_ISO_8601 = re.compile(r"\biso[- ]?8601\b", re.IGNORECASE)


def date_layout(prop: Mapping[str, Any]) -> str | None:
    """The strftime layout a date argument asks for, or None when it names none."""
    if prop.get("type") not in (None, "string"):
        return None
    if prop.get("format") == "date":
        return "%Y-%m-%d"
    match = _LAYOUT.search(str(prop.get("description", "")))
    if match is None:
        return None
    if match.group(1):
        first, sep, second, third = match.group(1, 2, 3, 4)
    else:
        first, sep, second, third = match.group(5, 6, 7, 8)
    fields = [_FIELD[f.lower()] for f in (first, second, third)]
    if sorted(fields) != ["%Y", "%d", "%m"]:
        return None
    return sep.join(fields)


def datetime_layout(prop: Mapping[str, Any]) -> str | None:
    """The strftime layout of an argument that asks for a date and a time in one string.

    From a layout the description spells out ("dd/mm/yyyy HH:MM"), else an
    example it gives ('2023-04-15T13:45:00Z'), else "ISO-8601" or `format:
    date-time` (seconds, no zone).
    """
    if prop.get("type") not in (None, "string"):
        return None
    description = str(prop.get("description", ""))
    if match := _DATETIME_LAYOUT.search(description):
        first, sep, second, third, joint, seconds, zone = match.groups()
        fields = [_FIELD[f.lower()] for f in (first, second, third)]
        if sorted(fields) != ["%Y", "%d", "%m"]:
            return None
        return (sep.join(fields) + joint.upper() + "%H:%M" + (":%S" if seconds else "")
                + ("Z" if zone else ""))
    if match := _DATETIME_EXAMPLE.search(description):
        joint, seconds, zone = match.groups()
        return f"%Y-%m-%d{joint}%H:%M" + (":%S" if seconds else "") + (zone or "")
    if _LAYOUT.search(description):
        return None  # a date alone, spelled out
    iso = _ISO_8601.search(description) is not None and bool(
        re.search(r"\btime\b(?!\s*zone)", description, re.IGNORECASE))
    if prop.get("format") == "date-time" or iso:
        return "%Y-%m-%dT%H:%M:%S"
    return None


def is_time_argument(prop: Mapping[str, Any]) -> bool:
    """Whether a string argument asks for a clock time ("HH:MM", `format: time`, an example)."""
    return prop.get("type") in (None, "string") and (
        prop.get("format") == "time" or bool(_HOUR_MINUTE.search(str(prop.get("description", "")))))


def date_arguments(schema: Mapping[str, Any], user: str,
                   today: date | None = None) -> dict[str, str]:
    """The date and time arguments of `schema` the message gives, formatted as the schema asks.

    Each is read only when the message names exactly one date (time) and the
    schema has exactly one argument with a date (time) layout: a check-in and
    a check-out are left alone. A message without a calendar date may name
    one from today ("tomorrow at 4pm"), counted from the today it states, else
    from `today` (the user's, from the clock).
    """
    properties = {k: p for k, p in (schema.get("properties") or {}).items()
                  if isinstance(p, Mapping)}
    out: dict[str, str] = {}
    # "Today is monday 2022-10-20" says when now is, not which day is meant.
    anchor = stated_today(user)
    today = None if anchor.unreadable else anchor.day or today
    # "Christmas Day 2025" is a calendar date too.
    user = holidays_with_years(anchor.rest)
    dates: list[date] = list(dict.fromkeys(find_dates(user)))
    times = list(dict.fromkeys(find_times(user)))
    # A time before 5am makes a day's word unclear ("tonight at 1am" is tomorrow's
    # date), and a calendar date the message writes is the day: both left as they are.
    if today is not None and (dates or any(hour < 5 for hour, _ in times)):
        today = None
    relative = relative_days(user, today) if today is not None else []
    if len(relative) == 1:
        dates = relative
    moments = {k: layout for k, p in properties.items() if (layout := datetime_layout(p))}
    required = set(schema.get("required") or ())
    needed = {k: v for k, v in moments.items() if k in required}
    # "departure on ... at 5" is the departure, not the optional return.
    chosen = needed if len(moments) > 1 and len(needed) == 1 else moments
    if len(chosen) == 1 and len(dates) == 1 and len(times) == 1 and not (
            next(iter(chosen.values())).endswith("Z") and _OTHER_ZONE.search(user)):
        ((key, layout),) = chosen.items()
        ((hour, minute),) = times
        out[key] = datetime.combine(dates[0], time(hour, minute)).strftime(layout)
    # "on 3 May 2025 from 14:00 to 16:00" with a start and an end: one day, both times.
    spans = pairs(moments, DAY_STARTS, DAY_ENDS)
    if len(spans) == 1 and len(dates) == 1 and len(times) == 2 and times[0] < times[1]:
        for key, (hour, minute) in zip(spans[0], times, strict=True):
            out[key] = datetime.combine(dates[0], time(hour, minute)).strftime(moments[key])
    layouts = {k: layout for k, p in properties.items()
               if k not in moments and (layout := date_layout(p))}
    if len(layouts) == 1 and len(dates) == 1:
        ((key, layout),) = layouts.items()
        out[key] = dates[0].strftime(layout)
    # "from April 3rd to April 5th 2023" with start_date and end_date: both ends, in order.
    ends = pairs(layouts, DAY_STARTS, DAY_ENDS)
    # "checking in tomorrow and checking out on Friday": two days from today, in order.
    if len(ends) == 1 and (found := date_range(user) or (
            relative_range(user, today) if today is not None else None)) is not None:
        ((start, end),) = ends
        out[start], out[end] = (found[0].strftime(layouts[start]),
                                found[1].strftime(layouts[end]))
    timed = [k for k, p in properties.items()
             if is_time_argument(p) and k not in layouts and k not in moments]
    if len(timed) == 1 and len(times) == 1:
        out[timed[0]] = f"{times[0][0]:02d}:{times[0][1]:02d}"
    return out
