"""Date and time arguments of any function, read from the message as the schema asks.

"a flight on the 16th of March 2024" with `departure_date` described as
"in the format DD/MM/YYYY" is `16/03/2024`, without asking the model: small
models copy a wrong span ("14:00") or reorder day and month. Likewise "around
2 pm" for a time described as "HH:MM" is `14:00`. Only a message naming
exactly one date (or one clock time) is read; anything else stays the model's.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from hearth.edge_runtime.routing._dates import find_dates, find_times

#: "YYYY-MM-DD", "MM/DD/YYYY", "%d.%m.%Y" ... in a description.
_LAYOUT = re.compile(r"\b(yyyy|mm|dd)([-/.])(yyyy|mm|dd)\2(yyyy|mm|dd)\b"
                     r"|%([Ymd])([-/.])%([Ymd])\6%([Ymd])", re.IGNORECASE)
#: "HH:MM", "%H:%M", "24-hour format", or an example clock time ("such as '18:45'").
_HOUR_MINUTE = re.compile(r"\bhh:mm\b|%H:%M|\b24[- ]hours?\b|\b[0-2]?\d:[0-5]\d\b",
                          re.IGNORECASE)
_FIELD = {"yyyy": "%Y", "mm": "%m", "dd": "%d", "y": "%Y", "m": "%m", "d": "%d"}


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


def is_time_argument(prop: Mapping[str, Any]) -> bool:
    """Whether a string argument asks for a clock time ("HH:MM", `format: time`, an example)."""
    return prop.get("type") in (None, "string") and (
        prop.get("format") == "time" or bool(_HOUR_MINUTE.search(str(prop.get("description", "")))))


def date_arguments(schema: Mapping[str, Any], user: str) -> dict[str, str]:
    """The date and time arguments of `schema` the message gives, formatted as the schema asks.

    Each is read only when the message names exactly one date (time) and the
    schema has exactly one argument with a date (time) layout: a check-in and
    a check-out are left alone.
    """
    properties = {k: p for k, p in (schema.get("properties") or {}).items()
                  if isinstance(p, Mapping)}
    out: dict[str, str] = {}
    layouts = {k: layout for k, p in properties.items() if (layout := date_layout(p))}
    dates: list[date] = list(dict.fromkeys(find_dates(user)))
    if len(layouts) == 1 and len(dates) == 1:
        ((key, layout),) = layouts.items()
        out[key] = dates[0].strftime(layout)
    timed = [k for k, p in properties.items() if is_time_argument(p) and k not in layouts]
    times = list(dict.fromkeys(find_times(user)))
    if len(timed) == 1 and len(times) == 1:
        out[timed[0]] = f"{times[0][0]:02d}:{times[0][1]:02d}"
    return out
