"""Half said in words fills a number argument on a scale: "close the blinds halfway".

"Halfway" is 50 on a position from 0 (closed) to 100 (open); a small model
writes 10 or copies nothing. The scale comes from the argument: its
`minimum` and `maximum`, or a description that names both ends ("0 = fully
closed, 100 = fully open", "0-100", "from 0 to 255", "percent"). Only a
message without digits of its own is read: "set it to 30%" says its value.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

#: "Halfway", "half open", "to half", "half brightness": the middle of the scale. Quarters
#: are left out: "three quarters closed" counts from the other end of an open scale.
_HALF = re.compile(r"\bhalf[- ]?way\b|\bhalf\s+(?:open|closed|shut|up|down|full|brightness|"
                   r"volume|power|speed)\b|\b(?:to|at)\s+half\b(?!\s+(?:past|an?\b))|"
                   r"\bhalf\b(?=\s+(?:of\s+)?(?:the\s+)?(?:way|max(?:imum)?)\b)", re.IGNORECASE)
_ENDS = re.compile(r"(?<![\d.])(-?\d{1,6})\s*(?:=|-|–|to|through|and)\s*(?:[^\d]{0,40}?[,;]\s*)?"
                   r"(-?\d{1,6})\s*(?:=|\b)", re.IGNORECASE)
_PERCENT = re.compile(r"percent|%", re.IGNORECASE)
#: Fewest steps between the ends of a scale read from a description.
_SHORTEST_SCALE = 4


def _scale(prop: Mapping[str, Any]) -> tuple[float, float] | None:
    """(low, high) of a number argument's scale, or None when nothing says it."""
    low, high = prop.get("minimum"), prop.get("maximum")
    if isinstance(low, (int, float)) and isinstance(high, (int, float)) and high > low:
        return float(low), float(high)
    description = str(prop.get("description") or "")
    if found := _ENDS.search(description):
        a, b = float(found.group(1)), float(found.group(2))
        # "1=low, 2=medium, 3=high" are choices, not the ends of a scale.
        return (a, b) if b - a >= _SHORTEST_SCALE else None
    return (0.0, 100.0) if _PERCENT.search(description) else None


def portion_arguments(schema: Mapping[str, Any], user: str) -> dict[str, float | int]:
    """{argument: value} for the one scaled number argument, when the message says a portion."""
    if re.search(r"\d", user):
        return {}
    if not _HALF.search(user):
        return {}
    scaled = [(str(key), prop, ends) for key, prop in (schema.get("properties") or {}).items()
              if isinstance(prop, Mapping) and prop.get("type") in ("integer", "number")
              and "enum" not in prop and (ends := _scale(prop)) is not None]
    if len(scaled) != 1:
        return {}
    key, prop, (low, high) = scaled[0]
    value = (low + high) / 2
    if prop.get("type") == "integer":
        return {key: round(value)}
    return {key: int(value) if value.is_integer() else value}
