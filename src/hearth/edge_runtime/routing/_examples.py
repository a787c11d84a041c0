"""An optional value named by one of the examples its description quotes.

"case_type: Type of the lawsuit, e.g., 'IPR', 'Patent', 'Commercial'" lists
the values the function knows. "Patent lawsuits involving Apple" says one of
them; a small model leaves the optional argument out, and the function
searches every kind of case. When the message says exactly one of the quoted
examples as a word of its own, the argument is that example, spelled as the
description spells it. A default ("Default is 'all'") is no example, nor is
a word of the arguments' names ("my bot" beside `botId` is the bot, not the
filter 'Bot'); a value another argument holds is that argument's.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from hearth.edge_runtime.routing._relevance import name_words

#: A quoted example: 'Patent', "gluten-free"; short, no sentence.
_QUOTED = re.compile(r"['\"‘“]([A-Za-z][\w .&/-]{0,30}?)['\"’”]")
_DEFAULT = re.compile(r"\bdefaults?\b(?:\s+(?:value|is|to|of))*\s*:?\s*['\"‘“]([^'\"’”]{1,30})",
                      re.IGNORECASE)


def quoted_examples(description: str) -> list[str]:
    """The values a description quotes ("e.g., 'IPR', 'Patent'"), less its default."""
    defaults = {d.strip().casefold() for d in _DEFAULT.findall(description)}
    return [e.strip() for e in _QUOTED.findall(description) if e.strip().casefold() not in defaults]


_NEGATED = re.compile(r"\b(?:no|not|without|except|non|never|nor|instead of|rather than)"
                      r"(?:\W+\w+)?\W*$", re.IGNORECASE)
_QUOTE = re.compile(r"['\"‘“][^'\"’”]*['\"’”]")


def _said(example: str, user: str, *, strict: bool = True) -> bool:
    """Whether the message says `example` outside quotes; a code of three letters or fewer
    ("US", "it") only as the description writes it. `strict`: as words of its own, not
    negated ("no comedy") nor opening a sentence ("First, ...")."""
    spelled = r"[\s-]?".join(re.escape(part) for part in re.split(r"[\s-]+", example))
    flags = 0 if len(example) <= 3 else re.IGNORECASE
    text = _QUOTE.sub(lambda m: " " * len(m.group(0)), user)
    for found in re.finditer(r"(?<![\w-])" + spelled + r"(?![\w-])", text, flags):
        before = text[:found.start()]
        if not strict or (not _NEGATED.search(before) and re.search(r"\w", before)
                          and not re.search(r"[.!?:]\s*$", before)):
            return True
    return False


def example_arguments(schema: Mapping[str, Any], user: str,
                      given: Mapping[str, Any]) -> dict[str, str]:
    """{optional argument: the one quoted example of its description the message says}."""
    required = set(schema.get("required") or ())
    held = {str(v).casefold() for v in given.values() if isinstance(v, str)}
    # "my bot" beside `botId`: the thing the function is about, no kind of it.
    named = {w for k in schema.get("properties") or {} for w in name_words(str(k))}
    out: dict[str, str] = {}
    for key, prop in (schema.get("properties") or {}).items():
        if key in required or not isinstance(prop, Mapping) or prop.get("type") != "string" \
                or "enum" in prop:
            continue
        examples = {e for e in quoted_examples(str(prop.get("description", "")))
                    if e.casefold() not in named}
        if len(examples) < 2:
            continue
        mentioned = [e for e in examples if _said(e, user, strict=False)]
        said = [e for e in mentioned if _said(e, user)] if len(mentioned) == 1 else []
        # Part of another argument's value ("the Red Room" for `room`) is that one's.
        inside = bool(said) and any(k != key and said[0].casefold() in str(v).casefold()
                                    for k, v in given.items())
        if len(said) == 1 and not inside and (
                said[0].casefold() not in held
                or str(given.get(key, "")).casefold() == said[0].casefold()):
            out[str(key)] = said[0]
    return out
