"""Numeric codes an argument's description defines, read from the words the message uses.

Functions often take codes the user never says: "service_id: '1' represents
cleaning, '2' represents ironing", "province_id: 1 corresponds to Bangkok, 2
to Chiang Mai". People say "ironing" and "Bangkok"; a small model picks a
number it saw in the message instead ("4 stars" became `service_id=4`).
When the description pairs codes with names and the message uses the words
of exactly one best name, the argument is that name's code.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from hearth.edge_runtime.routing._relevance import words

#: "'2' represents ironing", "2 for ironing", "2 = ironing", "'2' to Chiang Mai".
_PAIR = re.compile(
    r"['\"]?(\d+)['\"]?\s*(?:represents?|means|stands for|is|for|corresponds to|to|=|:|-)\s+"
    r"(?:an?\s+|the\s+)?([^,;.()'\"]+?)(?=\s*(?:,|;|\.|\(|\)|\band\b|\bor\b|$))",
    re.IGNORECASE)
#: Words in a name that say what kind of thing it is, not which one.
_KIND_WORDS = frozenset(("service", "task", "type", "option", "mode"))


def _key(word: str) -> str:
    # words() stems "services" to "servic" but leaves "service": compare without the e.
    return word.rstrip("e")


def code_names(description: str) -> dict[int, set[str]]:
    """{code: the words of its name} from a description, when it pairs codes with names."""
    names: dict[int, set[str]] = {}
    for code, name in _PAIR.findall(description):
        named = {_key(w) for w in words(name)} - {_key(w) for w in _KIND_WORDS}
        if named and not any(w.isdigit() for w in named):
            names.setdefault(int(code), named)
    return names if len(names) >= 2 else {}


def described_codes(schema: Mapping[str, Any], user: str) -> dict[str, int]:
    """{argument: code} for integer arguments whose described name the message uses.

    A name counts when every one of its words is in the message; of those,
    the one with most words wins ("big cleaning" over "cleaning"); a tie is
    no answer.
    """
    said = {_key(w) for w in words(user)}
    chosen: dict[str, int] = {}
    for key, prop in (schema.get("properties") or {}).items():
        if not isinstance(prop, Mapping) or prop.get("type") not in ("integer", "number"):
            continue
        names = code_names(str(prop.get("description", "")))
        allowed = prop.get("enum")
        full = sorted(((len(name), code) for code, name in names.items()
                       if name <= said and (not allowed or code in allowed)), reverse=True)
        if full and (len(full) == 1 or full[0][0] > full[1][0]):
            chosen[str(key)] = full[0][1]
    return chosen
