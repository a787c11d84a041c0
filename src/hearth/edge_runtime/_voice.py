"""The user's own facts said back in the second person.

A small model that finds the answer in the user's earlier turn copies it
as written: "Which country am I visiting?" gets "I'm visiting Japan.", "What
time is my flight?" gets "My flight is at 18:30 on Friday." The fact is
right, but the assistant now claims it. A first-person sentence of the reply
that restates a user turn is turned round ("You are visiting Japan.", "Your
flight is at 18:30 on Friday."); sentences the assistant says about itself
("I can help", "I'm Hearth") are left alone.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from hearth.edge_runtime.routing import words
from hearth.edge_runtime.routing._notes import second_person, third_person

_FIRST_PERSON = re.compile(r"^\s*(?:I|I'm|I’m|I am|I have|I've|My|Mine)\b")
#: Sentences about the assistant itself, never the user's.
_ITSELF = re.compile(r"\b(?:Hearth|assistant|sorry|can|could|will|'ll|’ll|help|happy|glad|"
                     r"know|think|understand|see|remember|note|noted)\b", re.IGNORECASE)
#: Share of a sentence's content words that an earlier user turn must hold.
MIN_SHARED = 0.5


def said_back(reply: str, history: Sequence[tuple[str, str]]) -> str:
    """`reply` with its restatements of the user's turns in the second person."""
    theirs = [words(text) for role, text in history if role == "user"]
    if not theirs or not re.search(r"\b(?:I|My|Mine)\b", reply):
        return reply
    out = []
    for sentence in re.split(r"(?<=[.!?])\s+", reply.strip()):
        mine = words(sentence)
        if _FIRST_PERSON.match(sentence) and mine and not _ITSELF.search(sentence) and any(
                len(mine & said) >= MIN_SHARED * len(mine) for said in theirs):
            out.append(second_person(third_person(sentence)))
        else:
            out.append(sentence)
    return " ".join(out)
