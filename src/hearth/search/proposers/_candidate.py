"""What every proposer makes (`Candidate`) and reads (`Failure`, `Fit`), and word matching.

Proposers fit edits to failures by the words they share with descriptions,
route patterns and passing answers, never by a category's name: a user's
task file with categories the code has never seen gets the same proposers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from hearth.specs import Edit, parse_edits


@dataclass(frozen=True)
class Candidate:
    """Edits aimed at one cluster, and why."""

    target: str
    edits: tuple[Edit, ...]
    rationale: str
    source: str = "offline"
    #: Why a proposal was refused before it became edits (malformed, out of
    #: schema); such a candidate is only recorded, never scored.
    invalid: str = ""
    #: Which proposer made it: few_shot, tools, routes, instructions, sampling,
    #: engine, model, teacher.
    kind: str = ""
    #: What the candidate costs to run where known (a model's size in bytes,
    #: its measured decode tokens per second), for the report.
    cost: dict[str, float] = field(default_factory=dict, compare=False, hash=False)


class Failure(Protocol):
    """A failed task as proposers read it (the session's `Outcome` is one)."""

    @property
    def prompt(self) -> str:
        """The last user message."""
        ...

    @property
    def reply(self) -> str:
        """What the assistant answered."""
        ...

    @property
    def reason(self) -> str:
        """Why the check failed."""
        ...


def edits(data: list[dict[str, Any]]) -> tuple[Edit, ...]:
    """Edits from JSON-ready data (validated)."""
    return tuple(parse_edits(data))


_WORD = re.compile(r"[a-zA-ZÀ-ÿ]{3,}")
#: Words too common to say what a message is about.
_STOP_WORDS = (
    "the and for you your are was were what which who whom whose when where why how with "
    "that this these those from into about just only than then them they their there have "
    "has had not but can could would should will shall may might must does did doing done "
    "please answer tell give say said one two any all some our out its it's also very")
_STOP = frozenset(_STOP_WORDS.split())


#: Shapes a message and a description can share without a word in common: a
#: description's example ``1234*5678`` fits a message asking for ``23 * 17``.
_SHAPES = ((re.compile(r"\d\s*[-+*/x×÷^%]\s*\(?\d"), "#calc"),
           (re.compile(r"\b\d{1,2}:\d{2}\b|\b\d{4}-\d{2}-\d{2}\b"), "#when"))


def words(text: str) -> set[str]:
    """The content words of `text`, lower case, a crude stem (plural s) removed, and shapes."""
    found = {tag for pattern, tag in _SHAPES if pattern.search(text)}
    for word in _WORD.findall(text.lower()):
        if word in _STOP:
            continue
        found.add(word[:-1] if len(word) > 4 and word.endswith("s") else word)
    return found


def fit(texts: Iterable[str], description: str) -> int:
    """How many of the texts share a content word with `description`."""
    wanted = words(description)
    return sum(1 for text in texts if words(text) & wanted)
