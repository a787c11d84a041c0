"""What "Add oat milk to the shopping list" adds, for a function that takes an item.

A small model copies the wrong span ("the shopping list, we need 2
cartons") or the count with the item ("2 cartons of oat milk"). The request
has one regular shape: add X to (the|my|our) ... list. X fills the function's
one item-like string argument; a count said with it ("2 cartons of oat
milk", "we need 2 cartons") fills its one count argument.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from hearth.edge_runtime.routing._relevance import name_words

_ADD = re.compile(
    r"^\W*(?:(?:please|can\s+you|could\s+you|would\s+you|hey|ok(?:ay)?)[\s,]+)*"
    r"(?:add|put|pop|stick|write)\s+([^,.;:!?]{1,60}?)\s+(?:to|on(?:to)?|in)\s+"
    r"(?:the|my|our)\s+(?:[a-z'-]{1,20}\s+){0,2}list\b([^.!?]{0,60})", re.IGNORECASE)
_CONTAINERS = (r"(?:cartons?|bottles?|packs?|packets?|bags?|boxes|box|cans?|tins?|jars?|"
               r"loaves|loaf|bunch(?:es)?|kilos?|kg|grams?|g|litres?|liters?|l|rolls?|"
               r"pieces?|tubs?|heads?)")
_COUNT = r"(\d{1,4}|a\s+dozen|dozen|a|an|one|two|three|four|five|six|seven|eight|nine|ten)"
_COUNT_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
                "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "a dozen": 12,
                "dozen": 12}
#: Words after a number that make it part of the item's name or a measure, not a count:
#: "2 percent milk", "9 volt batteries", "3 in 1 shampoo", "500 g of flour".
_PART_OF_NAME = (r"(?!\s*(?:%|percent|volt|v\b|watt|w\b|in\b|x\b|-|g\b|grams?|kg|kilos?|ml|l\b|"
                 r"litres?|liters?|lbs?|oz|pounds?|ounces?|inch|cm|mm|m\b|ply|pack\b))")
#: "2 cartons of oat milk", "a bag of rice", "3 lemons".
_COUNTED = re.compile(r"^" + _COUNT + r"\b" + _PART_OF_NAME + r"\s+(?:" + _CONTAINERS
                      + r"\s+of\s+)?(.+)$", re.IGNORECASE)
#: "..., we need 2 cartons", "... (3 bottles)", "... x4".
_AFTER = re.compile(r"\b(?:need|want|get|buy)\s+" + _COUNT + r"\b(?:\s+" + _CONTAINERS
                    + r")?\s*$|\bx\s*(\d{1,4})\b",
                    re.IGNORECASE)
_IN_PARENS = re.compile(r"\(\s*" + _COUNT + r"(?:\s+" + _CONTAINERS + r")?\s*\)", re.IGNORECASE)
#: Words of a string argument's name that make it the thing added.
_ITEM_WORDS = frozenset(("item", "items", "product", "name", "title", "task", "entry",
                         "thing", "what", "text", "content", "todo"))
_COUNT_ARG_WORDS = frozenset(("quantity", "qty", "count", "amount", "number", "units"))


def _one(schema: Mapping[str, Any], kinds: tuple[str, ...],
         wanted: frozenset[str]) -> str | None:
    keys = [str(key) for key, prop in (schema.get("properties") or {}).items()
            if isinstance(prop, Mapping) and prop.get("type") in kinds and "enum" not in prop
            and set(name_words(str(key))) & wanted]
    return keys[0] if len(keys) == 1 else None


def _count(word: str) -> int:
    return int(word) if word.isdigit() else _COUNT_WORDS[" ".join(word.lower().split())]


def list_items(schema: Mapping[str, Any], user: str) -> dict[str, Any]:
    """{item argument: the thing added, count argument: how many} for "add X to the list"."""
    found = _ADD.search(user.strip())
    item_key = _one(schema, ("string",), _ITEM_WORDS)
    if found is None or item_key is None:
        return {}
    item, after = found.group(1).strip(), found.group(2)
    count: int | None = None
    if inside := _IN_PARENS.search(item):
        item, count = (item[:inside.start()] + item[inside.end():]).strip(), _count(inside.group(1))
    elif counted := _COUNTED.match(item):
        item = counted.group(2).strip()
        count = _count(counted.group(1)) if counted.group(1).lower() not in ("a", "an") else None
    elif later := _AFTER.search(after):
        count = _count(next(g for g in later.groups() if g is not None))
    item = re.sub(r"^(?:some|more|the)\s+", "", item, flags=re.IGNORECASE).strip("'\"‘’“” ")
    if not item or re.fullmatch(r"(?:it|them|that|this|these|those)", item, re.IGNORECASE):
        return {}
    read: dict[str, Any] = {item_key: item}
    count_key = _one(schema, ("integer", "number"), _COUNT_ARG_WORDS)
    if count is not None and count_key is not None:
        read[count_key] = count
    return read
