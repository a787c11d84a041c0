"""Enum arguments whose value the message names, in its words or in words that mean it.

"in Fahrenheit" settles `unit` whatever the model picked: a small model tends
to pick an enum's first value. People rarely say an action's value as the
schema spells it: "remove the 'todo random' item" asks for `type="delete"`,
"create todo" for "add", "mark it as completed" for "complete", "sort in
ascending" for "ASC", and "4pm London time" names `Europe/London`. A value
the message names outright wins; words that mean a value count only when no
value is named outright, and only when they point at exactly one value.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from hearth.edge_runtime.routing._quoted import QUOTED
from hearth.edge_runtime.routing._relevance import words

#: Words that ask for the same action or order, each group one meaning.
_ALIKE: tuple[frozenset[str], ...] = tuple(frozenset(words(" ".join(group))) for group in (
    ("add", "create", "insert", "append", "remember"),
    ("delete", "remove", "erase", "discard", "drop"),
    ("update", "change", "edit", "modify", "rename", "replace"),
    ("complete", "completed", "done", "finish", "finished"),
    ("ascending", "asc", "increasing", "smallest", "oldest", "lowest"),
    ("descending", "desc", "decreasing", "largest", "newest", "latest", "highest"),
    ("enable", "activate"),
    ("disable", "deactivate"),
))  # fmt: skip


def _named(value: str, user: str) -> bool:
    spoken = value.replace("_", " ")
    if re.search(rf"(?<!\w){re.escape(spoken)}(?!\w)", user.replace("_", " "), re.I):
        return True
    # An Olson time zone is named by its city: "London time" is Europe/London.
    place = spoken.rpartition("/")[2]
    return "/" in spoken and len(place) > 2 and re.search(
        rf"(?<!\w){re.escape(place)}(?!\w)", user, re.I) is not None


def _meant(value: str, said: set[str]) -> bool:
    own = words(value.replace("_", " "))
    return any(own and own <= group and said & group for group in _ALIKE)


def mentioned_choices(schema: Mapping[str, Any], user: str) -> dict[str, Any]:
    """Enum arguments whose value the message names or means, exactly one per argument."""
    chosen: dict[str, Any] = {}
    # Words inside the item itself ("'drop off the dry cleaning'", "todo: finish the
    # report") say nothing about the action.
    said = words(QUOTED.sub(" ", user).split(":")[0].split(" - ")[0])
    for key, prop in (schema.get("properties") or {}).items():
        values = prop.get("enum") if isinstance(prop, Mapping) else None
        if not values or not all(isinstance(v, str) for v in values):
            continue
        named = [v for v in values if len(v) > 1 and _named(v, user)]
        if not named:
            named = [v for v in values if _meant(v, said)]
        if len(named) == 1:
            chosen[key] = named[0]
    return chosen
