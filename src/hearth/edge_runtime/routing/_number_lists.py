"""A list-of-numbers argument filled with the numbers the message gives.

"What is the sum of 133 and 34?" for `numbers_list` is [133, 34], "[1, 54,
3, 1, 76]" is that list, and "latitude 37.8715 and longitude -122.2730" for
`coordinates` is [37.8715, -122.273]. A model under a grammar drops digits
("13"), signs, or an item. Read only where it cannot mean anything else: the
function has one such argument and, unless the message writes the list in
brackets, no other number argument that a number could be meant for, and
the message's numbers are one run joined by commas, "and" or "or" (a word
may label each: "latitude X and longitude Y").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from hearth.edge_runtime.routing._math import words_to_digits

_BRACKETED = re.compile(r"\[([^\[\]]*)\]")
_NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?(?![\w.]*\d)")
_ONE = r"(?<![\w.])-?\d+(?:\.\d+)?(?![\w.]*\d)"
_RUN = re.compile(rf"{_ONE}(?:\s*(?:,\s*(?:and\s+|or\s+)?|\s(?:and|or)\s+)(?:[a-z]+\s+)?{_ONE})+")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}\b)")


def _kind(prop: object) -> str | None:
    """"number" or "integer" for a numeric argument, "list" for a list of numbers."""
    if not isinstance(prop, Mapping) or "enum" in prop:
        return None
    if prop.get("type") in ("number", "integer"):
        return str(prop["type"])
    items = prop.get("items")
    if prop.get("type") == "array" and isinstance(items, Mapping) and "enum" not in items \
            and items.get("type") in ("number", "integer"):
        return "list"
    return None


def _numbers(text: str) -> list[str]:
    return _NUMBER.findall(_THOUSANDS.sub("", text))


def number_lists(schema: Mapping[str, Any], user: str) -> dict[str, list[int | float]]:
    """{argument: numbers} for the function's one list-of-numbers argument, when the message gives
    two or more numbers for it."""
    properties = schema.get("properties") or {}
    kinds = {str(k): kind for k, p in properties.items() if (kind := _kind(p))}
    lists = [k for k, kind in kinds.items() if kind == "list"]
    if len(lists) != 1:
        return {}
    (key,) = lists
    written = [m.group(1) for m in _BRACKETED.finditer(user)
               if re.fullmatch(r"[\s\d.,-]+", m.group(1)) and _numbers(m.group(1))]
    if len(written) == 1:
        found = _numbers(written[0])
    elif written or len(kinds) > 1:
        return {}
    else:
        # One run of numbers joined by commas, "and" or "or", and no number besides it:
        # "my 3 test scores: 85, 90 and 78" has a count that is no score.
        text = _THOUSANDS.sub("", words_to_digits(user))
        runs = [m.group(0) for m in _RUN.finditer(text)]
        if len(runs) != 1 or len(_numbers(runs[0])) != len(_numbers(text)):
            return {}
        found = _numbers(runs[0])
    if len(found) < 2:
        return {}
    values = [float(n) for n in found]
    items = properties[key]["items"]
    if items.get("type") == "integer":
        if not all(v.is_integer() for v in values):
            return {}
        return {key: [int(v) for v in values]}
    return {key: [int(v) if v.is_integer() and "." not in n else v
                  for v, n in zip(values, found, strict=True)]}
