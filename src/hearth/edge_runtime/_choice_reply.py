"""A reply that must be one of a few words the message names: "yes or no only", "X or Y?".

"Is the Sun a star? Answer only yes or no." gets "a star" from a 135M model,
and "Which is bigger, an elephant or a mouse? Answer with one word" gets a
sentence. Where the message itself names the only answers it accepts, the
reply is generated under a grammar that allows exactly those: the model still
chooses, but among the answers, and its choice comes from the same
probabilities it would have written them with.
"""

from __future__ import annotations

import json
import re
from typing import Any

_YES_NO = re.compile(
    r"\b(?:only|just|simply|solely)\s+(?:with\s+)?(?:an?\s+)?[\"'“‘]?yes[\"'”’]?\s*(?:or|/)\s*"
    r"[\"'“‘]?no\b|\byes\s*(?:or|/)\s*no[\"'”’]?\s*(?:only|,?\s*nothing else|answer)\b|"
    r"\b(?:answer|reply|respond)\s+(?:me\s+)?(?:with\s+)?(?:a\s+)?[\"'“‘]?yes[\"'”’]?\s*(?:or|/)\s*"
    r"[\"'“‘]?no[\"'”’]?\s*(?:[.:!;]|$)", re.IGNORECASE)
#: "Is 17 a prime number? yes or no." asks for the word as the message ends.
_ENDS_YES_NO = re.compile(r"[.?!:]\s*(?:answer\s+|reply\s+)?yes\s*(?:or|/)\s*no\W*$", re.IGNORECASE)
_TRUE_FALSE = re.compile(r"\b(?:answer|reply|respond)\s+(?:with\s+)?(?:only\s+|just\s+)?[\"']?true"
                         r"[\"']?\s*(?:or|/)\s*[\"']?false[\"']?(?:\s+only)?\b|"
                         r"\btrue\s+or\s+false\s*(?:only)?\s*:", re.IGNORECASE)
#: "an elephant or a mouse?": two one-word alternatives right before the question mark.
#: Each alternative opens with an article or opens the question: "an elephant or a mouse?",
#: "Tea or coffee?"; not "ice cream or cake?" nor "red, green, or blue?".
_EITHER = re.compile(r"(?:(?:^|[,.!?:]\s*)(?:which\s+is\s+\w+\s*,?\s*)?(?:an?\s+|the\s+)?|"
                     r"\b(?:an?|the|(?:is|are|was|were)\s+(?:it|they|he|she|this|that))\s+)"
                     r"([A-Za-z][\w-]{0,30})\s+or\s+(?:an?\s+|the\s+)?"
                     r"([A-Za-z][\w-]{0,30})\s*\?", re.IGNORECASE)
_ONE_WORD = re.compile(r"\b(?:in|with|using)\s+(?:just\s+|only\s+)?(?:one|a\s+single|a)\s+word\b|"
                       r"\bone[- ]word\s+(?:answer|reply)\b|\bsingle\s+word\b", re.IGNORECASE)
#: Words that make "X or Y" no pair of answers ("more or less?", "sooner or later?").
_NOT_ANSWERS = frozenset({"not", "no", "less", "more", "later", "so", "what", "something",
                          "anything", "else", "both", "neither", "either"})


#: A question a yes or a no answers: "Is the Sun a star?", "can penguins fly?".
_POLAR = re.compile(r"(?:^|[.!?:]\s+)\W*(?:is|are|am|was|were|do|does|did|can|could|will|would|"
                    r"should|shall|has|have|had|may|might|must)\b[^.!?]*\?", re.IGNORECASE)


_MORE = re.compile(r"\b(?:explain|why|elaborate|sentences?|paragraph|reasons?|each|these|correct|"
                   r"if\s+(?:false|true|yes|no|so|not)|format|quiz|draft|form|pros|cons|texted)\b|"
                   r"\d\)|[\"“‘']\s*(?:is|are|do|does|did|can|will|would|have|has)\b",
                   re.IGNORECASE)


def answer_choices(message: str) -> list[str] | None:
    """The answers `message` allows and nothing else, or None when it leaves the reply open."""
    # "My boss accepts only yes or no. How should I ask?" asks no yes-or-no question;
    # "... Please explain in two sentences." wants more than the word.
    if _MORE.search(message):
        return None
    if (_YES_NO.search(message) or _ENDS_YES_NO.search(message)) and _POLAR.search(message):
        return ["Yes", "No"]
    if _TRUE_FALSE.search(message):
        return ["True", "False"]
    # "how would you describe rock or jazz?" wants a word of its own, not one of the two.
    if _ONE_WORD.search(message) and (found := _EITHER.search(message)) and \
            not re.search(r"\bhow\b", message[:found.start()], re.IGNORECASE):
        first, second = found.group(1), found.group(2)
        if first.casefold() != second.casefold() and \
                not {first.casefold(), second.casefold()} & _NOT_ANSWERS:
            return [first, second]
    return None


def choice_schema(message: str) -> dict[str, Any] | None:
    """The JSON schema (one string of the allowed answers) of the reply, or None."""
    choices = answer_choices(message)
    return {"type": "string", "enum": choices} if choices else None


def unquoted(reply: str) -> str:
    """The answer a reply generated under `choice_schema` holds (a JSON string)."""
    try:
        value = json.loads(reply)
    except ValueError:
        return reply
    return value if isinstance(value, str) else reply
