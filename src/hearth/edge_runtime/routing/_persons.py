"""A person's name argument filled with the name the user introduces themselves by.

"Hi, I am Karan. What is the status of my flight 6E123?" gives
`passenger_name="Karan"`; a small model fills it with "My". Read for an
argument named as a person's name (`passenger_name`, `user_name`,
`customer_name`; not a bare `name`, often a playlist's or a place's), from
"my name is X", "I am X", "I'm X", "this is X" or "call me X" followed by a
capitalised name, when the message introduces exactly one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from hearth.edge_runtime.routing._relevance import name_words

#: Words beside "name" that say the name is a person's.
_PERSONS = frozenset((
    "passenger", "user", "customer", "guest", "person", "full", "first", "traveler",
    "traveller", "patient", "client", "sender", "my", "your", "member"))
_INTRODUCED = re.compile(r"(?i:\b(?:my name is|i am|i'm|this is|call me))\s+"
                         r"([A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,2})\b")


def _is_person_name(key: str) -> bool:
    words = name_words(key)
    return "name" in words and bool(set(words) & _PERSONS)


def person_arguments(schema: Mapping[str, Any], user: str) -> dict[str, str]:
    """{argument: name} for a person's-name argument, when the user introduces themselves."""
    names = {m.group(1) for m in _INTRODUCED.finditer(user)}
    if len(names) != 1:
        return {}
    keys = [str(k) for k, p in (schema.get("properties") or {}).items()
            if isinstance(p, Mapping) and p.get("type", "string") == "string"
            and "enum" not in p and _is_person_name(str(k))]
    return {keys[0]: names.pop()} if len(keys) == 1 else {}
