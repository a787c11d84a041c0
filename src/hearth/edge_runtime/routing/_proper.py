"""Proper names as the message writes them: whole, and of the argument's kind.

A model that copies a span cuts a name short: "the Metropolitan Museum of
Art" becomes "Museum of Art". A value shaped like the tail of an
institution's name ("Museum of Art", "Bank of America") that the message
writes right after more capitalised words is made whole; not across a
possessive ("Taylor Swift's Shake It Off"), another argument's value or the
sentence's first word. Other capitalised neighbours ("Lakers Celtics") may
be two names and are left apart.

An argument named for a kind of thing (`league`, `river`, `bridge`) takes the
one capitalised name the message ends with that kind ("Premier League"),
where the model wrote something the message does not, another argument's
value (the team's name twice), or nothing for a required argument.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from hearth.edge_runtime.routing._relevance import name_words

_CAP = r"[A-Z][\w'’.&-]*"
#: Capitalised words just before a value; the first capital of a sentence is no name.
_BEFORE = re.compile(rf"((?:{_CAP}\s+)+)$")
#: Words of an argument's name that say nothing of the kind of thing it holds.
_GENERIC = frozenset(("name", "id", "title", "value", "the", "of", "type", "query", "text",
                      "location", "place", "city", "country", "state", "region"))
#: Words a request opens with: never a value of the user's ("match_format": "Find").
REQUEST_WORDS = frozenset((
    "find", "get", "show", "tell", "give", "list", "search", "calculate", "compute", "what",
    "which", "who", "where", "when", "how", "is", "are", "can", "could", "would", "please",
    "check", "fetch", "look", "retrieve", "determine", "identify", "provide", "help"))  # fmt: skip


def _sentence_start(user: str, at: int) -> bool:
    before = user[:at].rstrip()
    return not before or before[-1] in ".!?:\"'“(\n"


#: The tail of an institution's name: "Museum of Art", "Bank of America".
_TAIL = re.compile(rf"{_CAP}\s+(?:of|for|de|du|and|&)\s+\S")


def _whole(value: str, user: str, others: set[str]) -> str | None:
    """The capitalised words `value` is the tail of in `user`, when there are any."""
    if not _TAIL.match(value):
        return None
    found = list(re.finditer(re.escape(value), user))
    if len(found) != 1:
        return None
    start = found[0].start()
    before = _BEFORE.search(user[:start])
    if not before:
        return None
    head = before.start(1)
    # Skip a sentence's first word: "Find Museum of Art" is no "Find Museum of Art".
    words = list(re.finditer(_CAP, before.group(1)))
    while words and _sentence_start(user, head + words[0].start()):
        words.pop(0)
    # Not across a possessive or a word another argument holds.
    while words and any(re.search(r"['’]s?$", w.group(0)) or w.group(0).lower() in others
                        for w in words):
        words.pop(0)
    if not words:
        return None
    return user[head + words[0].start():found[0].end()]


def _kind_named(key: str, user: str) -> str | None:
    kinds = [w for w in name_words(key) if w not in _GENERIC]
    if len(kinds) != 1 or len(kinds[0]) < 4:
        return None
    kind = kinds[0]
    found = {m.group(0) for m in re.finditer(
        rf"(?:{_CAP}\s+){{1,3}}{kind[0].upper()}{re.escape(kind[1:])}s?\b"
        r"(?!\s+(?:of|de|du|for|[A-Z]))", user)}
    names = set()
    for written in found:
        words = list(re.finditer(_CAP, written))
        name = written
        # "Find Premier League" is not a name beginning with Find.
        if words[0].group(0).lower() in REQUEST_WORDS and _sentence_start(user,
                                                                          user.find(written)):
            name = written[words[1].start():]
        if len(name.split()) > 1:
            names.add(name)
    return names.pop() if len(names) == 1 else None


def proper_names(schema: Mapping[str, Any], user: str,
                 given: Mapping[str, Any]) -> dict[str, str]:
    """{argument: name} where the model's string is a clipped name or not of the asked kind."""
    required = set(schema.get("required") or ())
    out: dict[str, str] = {}
    for key, prop in (schema.get("properties") or {}).items():
        if not isinstance(prop, Mapping) or prop.get("type") != "string" or "enum" in prop:
            continue
        value = given.get(key)
        others = {str(v).strip().lower() for k, v in given.items()
                  if k != key and isinstance(v, str) and v.strip()}
        words_of_others = {w for v in others for w in v.split()}
        named = _kind_named(str(key), user)
        if named and _misplaced(value, user, others, key in required):
            out[str(key)] = named
        elif isinstance(value, str) and (whole := _whole(value.strip(), user, words_of_others)):
            out[str(key)] = whole
    return out


def _misplaced(value: object, user: str, others: set[str], required: bool) -> bool:
    """Whether the model's `value` is no reading of its own: absent where required, not in
    the message, or another argument's value ("Grand Central" is kept for `station`)."""
    if not isinstance(value, str) or not value.strip():
        return required
    text = value.strip().lower()
    return text not in user.lower() or text in others


def without_request_words(schema: Mapping[str, Any], user: str,
                          arguments: Mapping[str, Any]) -> dict[str, Any]:
    """`arguments` less optional strings that are only the request's opening word ("Find"),
    which the message writes nowhere else ("Pay ... by check" keeps "check")."""
    required = set(schema.get("required") or ())
    opening = re.match(r"\s*(\w+)", user)
    word = opening.group(1).lower() if opening else ""
    if word not in REQUEST_WORDS or len(re.findall(rf"\b{word}\b", user, re.IGNORECASE)) > 1:
        return dict(arguments)
    return {k: v for k, v in arguments.items()
            if k in required or not isinstance(v, str) or v.strip().lower() != word}


