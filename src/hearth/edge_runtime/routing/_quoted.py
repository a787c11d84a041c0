"""String arguments the message quotes next to their name: "titled 'Julian is Testing'".

People quote the exact text they want in a field, and say which field just
before or after the quote ("the meta title should be '…'", "with '…' as
content"). A small model picks another span or rewrites the text; reading
the quote where its label names the argument gives the text as written.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from hearth.edge_runtime.routing._relevance import words

#: A quoted text: '…' (not an apostrophe inside a word), "…", “…” or ‘…’.
QUOTED = re.compile(r"(?<![\w])'([^']{1,300})'(?![\w])|\"([^\"]{1,300})\"|“([^”]{1,300})”"
                     r"|‘([^’]{1,300})’")
#: Words between a label and its quote that say nothing ("the title should be '…'").
_GLUE = frozenset(("be", "to", "is", "should", "must", "as", "the", "a", "an", "of", "set",
                   "will", "would", "it", "its", "with", "=", ":", "-"))
#: Words that name a field by another word ("a speaker called '…'").
#: Stemmed by `words` itself, so they stay in step with its stemmer.
_SYNONYMS = {stem: target for said, meant in (("called", "name"), ("named", "name"),
                                             ("titled", "title"), ("entitled", "title"))
             for stem in words(said) for target in words(meant)}
#: Label words read on each side of a quote.
_LABEL_WORDS = 2


def _token(raw: str) -> str:
    return raw.strip(".,;:!?()[]{}").lower()


def _label(tokens: list[str]) -> set[str]:
    """The first non-glue words of `tokens` (nearest the quote first), as stemmed words."""
    found: list[str] = []
    for raw in tokens:
        token = _token(raw)
        if token in _GLUE or not token:
            if found:
                break
            continue
        found.append(token)
        if len(found) == _LABEL_WORDS:
            break
    return {_SYNONYMS.get(w, w) for w in words(" ".join(found))}


def _same(a: str, b: str) -> bool:
    """Whether two stemmed words are one ("content" and "contents")."""
    n = min(len(a), len(b), 5)
    return a == b or (n >= 4 and a[:n] == b[:n])


def _score(name: set[str], label: set[str]) -> int:
    """Name words the label says, a whole name first ("meta title" over "title")."""
    hits = sum(1 for w in name if any(_same(w, x) for x in label))
    return 0 if not hits else 10 * hits - (len(name) - hits)


def quoted_arguments(schema: Mapping[str, Any], user: str) -> dict[str, str]:
    """Free string arguments of `schema` whose name a quote's label says.

    The label is the nearest words before the quote ("the meta title should
    be '…'") or after it ("'…' as content"), skipping glue words. Each quote
    fills at most one argument and each argument takes at most one quote.
    """
    properties = {k: p for k, p in (schema.get("properties") or {}).items()
                  if isinstance(p, Mapping) and p.get("type") in (None, "string")
                  and "enum" not in p}
    if not properties:
        return {}
    names = {key: words(key) for key in properties}
    scored: list[tuple[int, int, str, str]] = []
    for index, match in enumerate(QUOTED.finditer(user)):
        text = next(g for g in match.groups() if g is not None).strip()
        before = _label(list(reversed(user[:match.start()].split())))
        after = _label(user[match.end():].split())
        for key, name in names.items():
            score = max(_score(name, before), _score(name, after))
            if text and score > 0:
                scored.append((-score, index, key, text))
    chosen: dict[str, str] = {}
    used: set[int] = set()
    for _rank, index, key, text in sorted(scored):
        if key not in chosen and index not in used:
            chosen[key] = text
            used.add(index)
    return chosen
