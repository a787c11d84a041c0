"""Date arguments of any function, read from the message in the format the schema asks.

"a flight on the 16th of March 2024" with `departure_date` described as
"in the format DD/MM/YYYY" is `16/03/2024`, without asking the model: small
models copy a wrong span ("14:00") or reorder day and month. Only a message
naming exactly one calendar date is read; anything else stays the model's.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from hearth.edge_runtime.routing._dates import find_dates

#: "YYYY-MM-DD", "MM/DD/YYYY", "%d.%m.%Y" ... in a description.
_LAYOUT = re.compile(r"\b(yyyy|mm|dd)([-/.])(yyyy|mm|dd)\2(yyyy|mm|dd)\b"
                     r"|%([Ymd])([-/.])%([Ymd])\6%([Ymd])", re.IGNORECASE)
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


def date_arguments(schema: Mapping[str, Any], user: str) -> dict[str, str]:
    """The date argument of `schema` the message gives, formatted as the schema asks.

    Empty unless the message names exactly one date and the schema has exactly
    one argument with a date layout (a check-in and a check-out are left alone).
    """
    layouts = {key: layout for key, prop in (schema.get("properties") or {}).items()
               if isinstance(prop, Mapping) and (layout := date_layout(prop))}
    found: list[date] = list(dict.fromkeys(find_dates(user)))
    if len(layouts) != 1 or len(found) != 1:
        return {}
    ((key, layout),) = layouts.items()
    return {key: found[0].strftime(layout)}
