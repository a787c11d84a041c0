"""Both ends of a range the message gives, each in its own argument, and signs kept.

"Law cases from 2010 to 2015" fills `from_year=2010, to_year=2015`; a small
model swaps them, or writes one end twice. "From x = -2 to x = 3" is
`start_x=-2`: a grammar-bound model drops the sign. A pair of arguments is
named as a range's two ends (`from_*`/`to_*`, `start_*`/`end_*`,
`min_*`/`max_*`, `origin`/`destination`); the message's "from A to B",
"between A and B" or "A-B" gives them, numbers only, and only where the
model put those numbers in the pair already (swapped, or one twice). A
number the model wrote without the sign the message gives it ("-2") gets its
sign back when the message never writes it unsigned.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from hearth.edge_runtime.routing._math import number_value
from hearth.edge_runtime.routing._relevance import name_words

# Not first/last: `first_name` and `last_name` are no range.
_STARTS = frozenset(("from", "start", "begin", "min", "minimum", "lower", "low", "origin",
                     "since", "initial"))
_ENDS = frozenset(("to", "end", "until", "max", "maximum", "upper", "high", "destination",
                   "final"))
#: A stay's or a trip's two days: `check_in`/`check_out`, `departure_date`/`return_date`.
DAY_STARTS = _STARTS | {"in", "departure"}
DAY_ENDS = _ENDS | {"out", "return"}
_NUM = r"(-?\d{1,3}(?:,\d{3})+(?:\.\d+)?|-?\d+(?:\.\d+)?)"
#: "from 2010 to 2015", "from x = -2 to x = 3", "between 10 and 20", "2015-2021" (years only).
_RANGE = re.compile(
    rf"\b(?:from|between)\s+(?:[a-z]\s*=\s*)?[$€£]?{_NUM}\s*(?:to|and|until|till|through|-)\s*"
    rf"(?:[a-z]\s*=\s*)?[$€£]?{_NUM}(?!\d|[.,]\d)"
    rf"|(?<![\w.-])((?:1[89]|20)\d\d)\s*[-–]\s*((?:1[89]|20)\d\d)(?![\w.])",
    re.IGNORECASE)
# Not "10 -3" (a subtraction) nor "-2 eggs" opening a line (a list's dash).
_SIGNED = re.compile(r"(?<![\w.])(?<!\d )(?<!^)(?<!\n)-(\d+(?:\.\d+)?)(?![\w.]*\d)")
_UNSIGNED = r"(?<![\w.-]){}(?![\w.]*\d)"


def _numeric(prop: object) -> bool:
    return isinstance(prop, Mapping) and prop.get("type") in ("number", "integer") \
        and "enum" not in prop


def pairs(properties: Mapping[str, Any], starts_words: frozenset[str] = _STARTS,
          ends_words: frozenset[str] = _ENDS) -> list[tuple[str, str]]:
    """(start, end) argument pairs: the same name but for one start word and one end word."""
    def split(key: str, side: frozenset[str]) -> tuple[str, ...] | None:
        parts = name_words(key)
        hits = [n for n, word in enumerate(parts) if word in side]
        return (*parts[:hits[0]], "*", *parts[hits[0] + 1:]) if len(hits) == 1 else None
    starts = {shape: k for k in properties if (shape := split(str(k), starts_words))}
    ends = {shape: k for k in properties if (shape := split(str(k), ends_words))}
    return [(str(starts[s]), str(ends[s])) for s in starts if s in ends]


def _number(text: str, integer: bool) -> int | float:
    text = text.replace(",", "")
    value = float(text)
    return int(value) if integer or ("." not in text and value.is_integer()) else value


def _magnitude(value: object) -> float | None:
    number = number_value(value)
    return None if number is None else abs(number)


def range_arguments(schema: Mapping[str, Any], user: str,
                    given: Mapping[str, Any]) -> dict[str, int | float]:
    """{start: a, end: b} for the one numeric range pair, when the message has one range
    and the model put its numbers (or their magnitudes) in the pair, in any order."""
    properties = schema.get("properties") or {}
    found_pairs = [(a, b) for a, b in pairs(properties)
             if _numeric(properties[a]) and _numeric(properties[b])]
    found = list(_RANGE.finditer(user))
    if len(found_pairs) != 1 or len(found) != 1:
        return {}
    (start, end), match = found_pairs[0], found[0]
    low, high = match.group(1, 2) if match.group(1) else match.group(3, 4)
    values = {start: _number(low, properties[start].get("type") == "integer"),
              end: _number(high, properties[end].get("type") == "integer")}
    # "From 12 to 16 March, under 150 euros" is no price range: the model's own
    # values say which numbers the pair is about.
    ends = {abs(float(v)) for v in values.values()}
    held = [_magnitude(given.get(key)) for key in (start, end) if key in given]
    if not held or any(m not in ends for m in held):
        return {}
    return values


def signed(schema: Mapping[str, Any], user: str, given: Mapping[str, Any]) -> dict[str, Any]:
    """The model's positive numbers that the message writes only with a minus sign, negated."""
    negatives = {float(m.group(1)) for m in _SIGNED.finditer(user)}
    out: dict[str, Any] = {}
    for key, prop in (schema.get("properties") or {}).items():
        value = given.get(key)
        magnitude = _magnitude(value)
        if not _numeric(prop) or magnitude is None or magnitude == 0 \
                or magnitude != value or magnitude not in negatives:
            continue
        written = f"{value:g}"
        if not re.search(_UNSIGNED.format(re.escape(written)), user):
            out[str(key)] = -value
    return out
