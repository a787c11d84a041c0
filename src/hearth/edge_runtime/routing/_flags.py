"""Yes/no arguments the message answers by naming what they switch on.

"I want to see images" asks for `include_images=true`; a model leaves an
optional boolean out (its default is usually false), so the call returns no
images. A boolean named after a thing (`include_images`, `with_lyrics`,
`show_details`, `subtitles_enabled`) is true when the message names that thing
and false when it refuses it ("without images", "no images", "don't include
images"). A message that names nothing of it leaves the model's value.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from hearth.edge_runtime.routing._relevance import name_words, words

#: Words in a boolean's name that say "switch on", not what is switched.
_SWITCH_WORDS = frozenset((
    "include", "includes", "with", "show", "display", "return", "get", "fetch", "enable",
    "enabled", "use", "is", "has", "want", "add", "allow", "flag", "should", "do"))  # fmt: skip
#: Words right before the thing that refuse it.
_REFUSED = re.compile(
    r"\b(?:without|no|not|exclude|excluding|skip|hide|omit|never|"
    r"don't|dont|do not)\b(?:\s+\w+){0,2}\s*$",
    re.IGNORECASE,
)
_WORD = re.compile(r"[A-Za-z]+")
#: Things too vague to be named by chance ("data", "results" are in most requests).
_VAGUE = frozenset(("data", "result", "info", "information", "detail", "item", "value", "all"))
#: Both, stemmed as `words` stems what they are compared with.
_NOT_THINGS = words(" ".join(_SWITCH_WORDS | _VAGUE))


def _things(key: str) -> set[str]:
    return words(key) - _NOT_THINGS


def _answer(things: set[str], user: str) -> bool | None:
    answers = set()
    for found in _WORD.finditer(user):
        if words(found.group(0)) & things:
            answers.add(not _REFUSED.search(user[: found.start()]))
    return answers.pop() if len(answers) == 1 else None


def flag_arguments(schema: Mapping[str, Any], user: str) -> dict[str, bool]:
    """{argument: true or false} for booleans whose thing the message names or refuses."""
    out: dict[str, bool] = {}
    for key, prop in (schema.get("properties") or {}).items():
        if not isinstance(prop, Mapping) or prop.get("type") != "boolean":
            continue
        things = _things(str(key))
        # A bare noun (`images`) says nothing about what true means; a switch word does.
        if not things or len(name_words(str(key))) == len(things):
            continue
        if (answer := _answer(things, user)) is not None:
            out[str(key)] = answer
    return out
