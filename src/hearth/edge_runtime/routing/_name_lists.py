"""A list-of-names argument filled with the names the message lists.

"the prime ministers of Australia, Canada, and India" for `countries` is
["Australia", "Canada", "India"]; a small model under a grammar stops after
two. Read only where nothing else can be meant: the function has one
list-of-strings argument, the message has no other list, and it lists
capitalised names (one to three words each, not at a sentence's start)
once, joined by commas and a final "and"/"or".
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

#: A capitalised word or an initial ("J."): a full stop after a word ends the sentence.
_WORD = r"[A-Z](?:\.|[\w'’-]*)"
_NAME = rf"{_WORD}(?:\s+{_WORD}){{0,2}}"
_LISTED = re.compile(rf"(?<![\w,])({_NAME}(?:,\s*{_NAME})*,?\s+(?:and|or)\s+{_NAME})(?![\w'’-])")
_SPLIT = re.compile(r",\s*(?:(?:and|or)\s+)?|\s+(?:and|or)\s+")


def name_lists(schema: Mapping[str, Any], user: str,
               given: Mapping[str, Any] | None = None) -> dict[str, list[str]]:
    """{argument: names} for the function's one list-of-strings argument, when the message
    lists two or more names once and the model's list is empty or a part of them (it
    wrote "AAPL" for "Apple": its own reading stays)."""
    lists = [str(k) for k, p in (schema.get("properties") or {}).items()
             if isinstance(p, Mapping) and p.get("type") == "array"
             and isinstance(items := p.get("items"), Mapping)
             and items.get("type") == "string"
             and not ({"enum", "pattern", "format"} & items.keys())]
    found = list(_LISTED.finditer(user))
    if len(lists) != 1 or len(found) != 1:
        return {}
    # At a sentence's start the first capital may be the sentence's ("Tell Anna, Bob ...").
    if re.search(r"(?:^|[.!?:]\s+)$", user[:found[0].start()]):
        return {}
    # Another list in the message ("red logo, yellow rectangle, white text") may be the one.
    rest = user[:found[0].start()] + " " + user[found[0].end():]
    if any(sentence.count(",") >= 2 for sentence in re.split(r"[.!?:;]\s", rest)):
        return {}
    names = [n.strip() for n in _SPLIT.split(found[0].group(1)) if n.strip()]
    if len(names) < 2 or "I" in names:
        return {}
    model = (given or {}).get(lists[0])
    if isinstance(model, list) and not {str(v).casefold() for v in model} <= {
            n.casefold() for n in names}:
        return {}
    return {lists[0]: names}
