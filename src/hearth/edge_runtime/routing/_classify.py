"""Which route a message takes: patterns first, the model only where they are unsure.

Each route's patterns are counted over the message; the route with the most
matches wins outright. Routes tied at the top are left to a grammar-
constrained choice by the model among just those. A message no pattern claims
goes to the `*` route when an offered function fits it by its words (see
`_relevance`), to the model's choice when one fits only a little, and to the
route named `chat` (or plain chat) otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from hearth.specs import ANY_TOOL, Route

#: The class of a message no route claims.
CHAT = "chat"


@lru_cache(maxsize=512)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


#: Quoted text: double or typographic quotes, or single quotes that are not
#: apostrophes (an opening one after no letter, a closing one before none).
_QUOTED = re.compile(r'"[^"\n]{1,2000}"|“[^”\n]{1,2000}”|«[^»\n]{1,2000}»'
                     r"|(?<![\w'])'[^'\n]{1,500}?'(?![\w'])")
_WORD = re.compile(r"[^\W\d_]+")
#: Words a message needs outside its quotes for the quotes to count as data.
_REQUEST_WORDS = 3
#: A quote with fewer words, or a calculation, is a value the request is about
#: ('Is "17 * 23" bigger than 400?', 'What day was "March 3, 2021"?'): it stays.
_PROSE_WORDS = 2
#: A hyphen between digits is a phone number or a date ("555-0142", "2024-01-15"),
#: not a subtraction, unless spaced ("45 - 12").
_CALCULATION = re.compile(r"\d\s*[+*/^x×÷]\s*\(?\d|\d\s+-\s+\(?\d|\b(?:sqrt|square root)\b",
                          re.I)


def _data(quote: re.Match[str]) -> str:
    text = quote.group(0)
    if len(_WORD.findall(text)) < _PROSE_WORDS or _CALCULATION.search(text):
        return text
    return " "


def evidence(text: str) -> str:
    """The part of `text` that says what is asked: quoted text left out when words remain.

    In 'Turn this into JSON: "Remind me to call the plumber at 5 pm."' the
    quote is data to work on, not a reminder to set: a route's patterns count
    only over the request around it. A message that is little more than a
    quote ('Translate "good night"'), and a quoted value ('Is "17 * 23" more
    than 400?', a one-word key), keep it.
    """
    outside = _QUOTED.sub(_data, text)
    if outside == text or len(_WORD.findall(outside)) < _REQUEST_WORDS:
        return text
    return outside


def pattern_score(route: Route, text: str) -> int:
    """How many of the route's patterns match `text` (pass it through `evidence` first)."""
    return sum(1 for p in route.patterns if _compiled(p).search(text))


@dataclass(frozen=True)
class Matches:
    """The routes whose patterns matched, best first, and whether the best is clear."""

    ranked: tuple[Route, ...] = ()
    tied: tuple[Route, ...] = field(default=())

    @property
    def sure(self) -> Route | None:
        """The one route that won outright, or None."""
        return self.ranked[0] if self.ranked and len(self.tied) <= 1 else None


def match(routes: Sequence[Route], text: str) -> Matches:
    """Score every route's patterns over `text`'s request (`evidence`)."""
    text = evidence(text)
    scored = [(pattern_score(r, text), n, r) for n, r in enumerate(routes) if r.patterns]
    hits = sorted(((s, n, r) for s, n, r in scored if s > 0), key=lambda t: (-t[0], t[1]))
    if not hits:
        return Matches()
    top = hits[0][0]
    return Matches(ranked=tuple(r for _, _, r in hits),
                   tied=tuple(r for s, _, r in hits if s == top))


def fallback(routes: Sequence[Route]) -> Route | None:
    """The route for messages nothing else claims: the one named `chat`, if any."""
    return next((r for r in routes if r.name == CHAT), None)


def any_tool_route(routes: Sequence[Route]) -> Route | None:
    """The route that serves tools no other route names, if the spec has one."""
    return next((r for r in routes if r.path == "tool" and r.tool == ANY_TOOL), None)


def routed_tools(routes: Sequence[Route]) -> set[str]:
    """Tools that a route names explicitly."""
    return {r.tool for r in routes if r.path == "tool" and r.tool and r.tool != ANY_TOOL}
