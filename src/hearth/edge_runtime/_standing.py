"""Instructions the user gave earlier that hold for later turns.

"Please answer in French from now on" is said once; three turns later a small
model answers in English, because the instruction sits far back in the
history. Such standing instructions are found in the user's earlier turns
and repeated beside the new message, where a small model reads them.

One kind is a rule with a fixed answer: "whenever I say ping, you reply
pong". When the new message is the trigger, the reply is the answer as the
user set it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from hearth.edge_runtime._shape import quote

#: Phrases that make an instruction hold for the turns after it.
_STANDING = re.compile(
    r"\b(?:from now on|for the rest of (?:this|our|the) (?:chat|conversation)|"
    r"until I (?:say|tell you) (?:otherwise|so)|(?:whenever|every time|each time) I "
    r"(?:say|write|type|send|ask)|(?<!I )always (?:answer|reply|respond|write|speak|use|call me)|"
    r"(?<!I )never (?:answer|reply|respond|use|say|call me)|"
    r"(?:answer|reply|respond|speak|write) (?:only )?in \w+ (?:from now on|only)|"
    r"(?:keep|make) (?:all |each |every )?(?:of )?your (?:answers|replies|responses)|"
    r"(?:whenever|every time|each time) you (?:reply|answer|respond|write)|"
    r"(?:end|finish|close|sign off|start|begin) (?:every|each|all(?: of)?(?: your)?|your) "
    r"(?:reply|replies|answer|answers|message|messages|response|responses))\b",
    re.IGNORECASE)
_RULE = re.compile(
    r"\b(?:whenever|every time|each time|when|if) I (?:say|write|type|send)\s+"
    r"[\"'“‘]?([^\"'”’,.;:!?]{1,40}?)[\"'”’]?\s*,?\s*(?:then\s+)?(?:you\s+)?"
    r"(?:reply|respond|answer|say|write)(?:\s+with)?\s+(?:" + quote(80)
    + r"|([^\"'”’.;!?\n]{1,80}?)\s*(?:[.;!?]|$))", re.IGNORECASE)
#: Most standing instructions repeated beside a message (the latest ones).
MAX_STANDING = 3
#: Longest sentence repeated as a standing instruction, in characters.
MAX_CHARS = 300


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if s.strip()]


def standing(history: Sequence[tuple[str, str]]) -> list[str]:
    """The standing instructions in the user's turns of `history`, oldest first."""
    found = [s for role, text in history if role == "user" for s in _sentences(text)
             if len(s) <= MAX_CHARS and _STANDING.search(s)]
    return list(dict.fromkeys(found))[-MAX_STANDING:]


def _plain(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


def rule_reply(history: Sequence[tuple[str, str]], message: str) -> str | None:
    """The answer a rule set earlier gives to `message`, or None (the latest rule wins)."""
    said = _plain(message)
    if not said:
        return None
    for role, text in reversed(history):
        if role != "user":
            continue
        for rule in reversed(list(_RULE.finditer(text))):
            # A quoted answer ends at its quote: "reply 'pong' and nothing else".
            if _plain(rule.group(1)) == said:
                return next(g for g in rule.groups()[1:] if g is not None).strip()
    return None
