"""Both ends of a "from A to B" request in a pair of string arguments, in order.

"Convert 3pm from New York time zone to London time zone" has two ends for
`from_timezone` and `to_timezone`; "the exchange rate from British Pounds to
Japanese Yen" for `source_currency` and `target_currency`. A small model
swaps them, or copies "British Pounds to Japanese Yen" whole into the first.
A pair of string arguments named as two ends (`from_*`/`to_*`,
`source_*`/`target_*`, `origin`/`destination`, ...) takes the message's one
"from A to B", each end without the words of its argument's kind ("time
zone", "currency"; a place's kind stays: "Mexico City"). Only where the
model's own values hold both ends already: it knew what the pair is about,
not what goes where.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from hearth.edge_runtime.routing._ranges import pairs
from hearth.edge_runtime.routing._relevance import name_words

#: Kinds whose words are no part of a name ("New York time zone" is New York), as the
#: message may write them.
_ABSTRACT = {"timezone": r"time\s*zones?", "tz": r"time\s*zones?", "zone": r"zones?",
             "time": r"time", "currency": r"currency|currencies", "language": r"languages?",
             "lang": r"languages?", "format": r"formats?", "locale": r"locales?",
             "unit": r"units?", "units": r"units?"}
_STARTS = frozenset(("from", "source", "origin", "departure", "start", "input", "base"))
_ENDS = frozenset(("to", "target", "destination", "arrival", "end", "output", "quote"))
_STOP = (r"(?:for|on|at|with|by|using|please|and|or|in|via|next|tomorrow|today|tonight|now|asap|"
         r"this|that|between|leaving|returning|including|avoiding|round|one[- ]way|departing|"
         r"arriving|before|after|around|starting|during|within|under|over)")
_FROM_TO = re.compile(
    r"\bfrom\s+(?:the\s+)?(?P<a>[^,.;:?!]{1,60}?)\s+(?:to|into)\s+(?:the\s+)?"
    r"(?P<b>[^,.;:?!]{1,60}?)(?=\s*(?:[,.;:?!]|$)|\s+" + _STOP + r"\b)", re.IGNORECASE)


def _without_kind(value: str, key: str) -> str:
    """"New York time zone" for `from_timezone` as "New York"."""
    kinds = [_ABSTRACT[w] for w in name_words(key) if w in _ABSTRACT]
    if not kinds:
        return value  # "Mexico City", "Penn Station": a place keeps its kind word
    return re.sub(r"\s+(?:" + "|".join(kinds) + r")$", "", value, flags=re.IGNORECASE).strip()


def end_pairs(schema: Mapping[str, Any], user: str, given: Mapping[str, Any]) -> dict[str, str]:
    """{start: A, end: B} for the one string pair and the message's one "from A to B"."""
    properties = schema.get("properties") or {}
    found_pairs = [(a, b) for a, b in pairs(properties, _STARTS, _ENDS)
                   if all(isinstance(properties[k], Mapping)
                          and properties[k].get("type") == "string"
                          and "enum" not in properties[k] for k in (a, b))]
    found = list(_FROM_TO.finditer(user))
    if len(found_pairs) != 1 or len(found) != 1:
        return {}
    (start, end), match = found_pairs[0], found[0]
    first = _without_kind(match.group("a").strip(), start)
    second = _without_kind(match.group("b").strip(), end)
    if not first or not second or re.search(r"\d", first + second):
        return {}  # numbers are `range_arguments`'s
    said = " ".join(str(given.get(k, "")) for k in (start, end)).casefold()
    if first.casefold() not in said or second.casefold() not in said:
        return {}  # both ends are in the model's values already, in some order
    return {start: first, end: second}
