"""A running total kept by talking: "I had 10 euros." "I spent 4 on coffee." "How much is left?"

People keep score, count money or add up distances over several messages,
then ask for the total with no number in the question. A 135M model answers
with the first number it saw. The user's statements are read as a ledger:
each clause with one quantity of the same thing (the noun after the first
number: euros, apples, km, points) adds to it, and a clause whose verb takes
away (spent, gave, ate, lost) subtracts from it, relative to the first
clause ("I spent 10 and then 5; how much in total?" adds). Anything
ambiguous (two numbers in a clause, another noun, a question that asks for
something else) is left to the other rules and the model.
"""

from __future__ import annotations

import re

from hearth.edge_runtime.routing._math import CLOCK_TIME, message_numbers
from hearth.edge_runtime.routing._word_problems import TAKEN

#: The question asks for an amount: how much/many/far, a score, a total.
#: ... and asks where things stand now: left, now, in total, so far, a score.
_NOW = re.compile(r"\b(?:left|now|total|altogether|in\s+all|so\s+far|remaining|still|score|"
                  r"balance|tally)\b", re.IGNORECASE)
#: A step of the user's own: "I spent", "we scored", "my ... "; "They scored 2" is another's.
_FIRST_PERSON = re.compile(r"\b(?:i|i'm|i've|i'd|we|we're|we've|my|our|me|us)\b", re.IGNORECASE)
_ASKS = re.compile(
    r"^\W*(?:and\s+|so\s+)?(?:the\s+)?total\b|\btotal\s+(?:for|so\s+far|now|today)\b|"
    r"\bhow\s+(?:much|many|far|long)\b|\bwhat(?:'s|’s|\s+is|\s+was)\s+(?:my|our|the)\s+"
    r"(?:score|total|balance|tally|count|sum)\b|\bin\s+total\b|\baltogether\b|\ball\s+together\b",
    re.IGNORECASE)
_QUESTION = re.compile(r"[^.!?]*\?\s*$")
_CLAUSES = re.compile(r"[.;!?]+\s+|,\s*(?:and\s+|then\s+|but\s+)?|\s+(?:and|then|but)\s+",
                      re.IGNORECASE)
_NOUN = re.compile(r"^\s*([A-Za-z$€£]+)")
_CURRENCY = frozenset({"euro", "dollar", "pound", "buck", "cent", "yen", "usd", "eur", "gbp",
                       "franc", "$", "€", "£"})
_GAINED = re.compile(r"\b(?:ha(?:ve|d|s)|got|get|gets|bought|buy|found|earn(?:ed|s)?|"
                     r"scor(?:ed|es?)|receiv(?:ed|es?)|add(?:ed|s)?|another|more|ran|run|walk(?:ed)?|w[oi]n|"
                     r"picked|made|sav(?:ed|es?)|deposit(?:ed)?|gain(?:ed)?|plus|collected|read|"
                     r"did|done|wrote|drove|cycled|swam|hiked|biked|lifted|finished|completed|"
                     r"worked|studied|practi[cs]ed|logged)\b")
#: Words after a number that are no noun of what is counted.
_NOT_NOUNS = frozenset({"to", "of", "on", "in", "at", "for", "and", "or", "from", "with", "more",
                        "extra", "this", "that", "today", "yesterday", "tomorrow", "last",
                        "by", "the", "a", "an", "too", "as", "so", "now", "then",
                        "each", "per", "times", "year", "years", "old", "is", "are", "was",
                        "were", "do", "does", "did", "have", "has", "will", "can", "would",
                        "should", "left"})
_YEAR = re.compile(r"(?:19|20)\d\d")
#: Questions that may total entries that name no noun: "total for the day?", "how many now?".
_COUNT_OR_TOTAL = re.compile(r"\btotal\b|\bhow\s+(?:much|many)\b|\baltogether\b",
                             re.IGNORECASE)
_GOES_ON = re.compile(r"^[\s.,!…]*(?:\+|(?:and|also|plus|then|another)\b)", re.IGNORECASE)
#: Someone else's step: "And then, they scored 3", "Also, Tom ran 10 km".
_OTHERS = re.compile(r"\b(?:they|he|she|(?!We\b)(?-i:[A-Z][a-z]+)\s+(?:ran|scored|got|made|won|"
                     r"bought|did))\b", re.IGNORECASE)
_LOGGED = re.compile(r"^\W*[A-Za-z]+\s*:\s*\d")
#: Nouns that count people, one kind: "12 guests", then "3 people cancelled".
_PEOPLE = frozenset({"people", "person", "guest", "visitor", "friend", "adult", "kid", "child",
                     "children", "attendee", "player", "student"})
#: Most statements a ledger reads; a longer one is no chat's running total.
MAX_ENTRIES = 12
#: Longest message a ledger reads: a running total is said in short messages.
MAX_CHARS = 500


def _noun(after: str) -> str | None:
    if not (found := _NOUN.match(after)):
        return None
    word = found.group(1).lower()
    if word in _NOT_NOUNS:
        return None
    word = word[:-1] if word.endswith("s") and len(word) > 3 else word
    return "person" if word in _PEOPLE else word


Entry = tuple[str, str | None, bool, bool]
"""(number, noun, takes away, is a step: has a verb or continues the message's clause)."""


def _entries(text: str) -> list[Entry] | None:
    """(number, noun, takes away) per clause with a quantity; None when a clause has two."""
    entries: list[Entry] = []
    for clause in _CLAUSES.split(CLOCK_TIME.sub(" ", text)):
        plain = re.sub(r"([$€£])\s?(\d+(?:[.,]\d+)*)", r"\2 \1", clause)  # "$10" is 10 of "$"
        numbers = message_numbers(plain)
        if not numbers:
            continue
        if len(numbers) > 1:
            return None
        if _YEAR.fullmatch(numbers[0]):
            return None  # "born in 1990": a date, not an amount
        found = re.search(re.escape(numbers[0]) + r"(?!\d)", plain)
        noun = _noun(plain[found.end():]) if found else None
        lowered = clause.lower()
        # A clause without a verb of its own ("and 5 on Tuesday") goes the previous one's way.
        verb = bool(TAKEN.search(lowered) or _GAINED.search(lowered))
        takes = bool(TAKEN.search(lowered)) if verb else (entries[-1][2] if entries else False)
        # A step has a verb of the user's ("I spent", "we scored") or one that takes away
        # ("3 people cancelled"), or goes on the step before it ("and 5 on Tuesday", "And 7
        # km today"), or is a log line ("afternoon: 15"); "My oldest is 12" or "They scored
        # 2" is none.
        step = (verb and (takes or bool(_FIRST_PERSON.search(text)))) or bool(entries) or \
            bool(_LOGGED.match(clause) or _GOES_ON.match(clause) or _GOES_ON.match(text))
        if _OTHERS.search(clause) and not takes:
            step = False
        entries.append((numbers[0], noun, takes, step))
    return entries


def running_total(earlier: list[str], message: str) -> str | None:
    """An expression for the total `message` asks for over the user's `earlier` statements."""
    if len(message) > MAX_CHARS or any(len(t) > MAX_CHARS for t in earlier[-MAX_ENTRIES:]):
        return None
    question = _QUESTION.search(message)
    if question is None or not _ASKS.search(question.group(0)) or \
            not _NOW.search(question.group(0)) or len(message_numbers(question.group(0))) > 0:
        return None
    statements = [t for t in earlier if not t.rstrip().endswith("?")]
    said = message[:question.start()]
    entries: list[Entry] = []
    for text in [*statements, said]:
        read = _entries(text)
        if read is None:
            return None
        entries += read
        if len(entries) > MAX_ENTRIES:
            return None  # no need to read the rest of a long chat
    if not 2 <= len(entries) <= MAX_ENTRIES or len(_entries(said) or []) == len(entries):
        return None
    first_number, noun, first_takes, _ = entries[0]
    # Of one thing throughout: the first entry's noun, or none at all ("Morning: 20",
    # "afternoon: 15", "25 more").
    if any(n is not None and n != noun for _, n, _, _ in entries[1:]) or \
            (noun is None and (any(n is not None for _, n, _, _ in entries) or
                               not _COUNT_OR_TOTAL.search(question.group(0)))) or \
            any(not step for _, _, _, step in entries[1:]):
        return None
    if (asked := re.search(r"\bhow\s+many\s+([A-Za-z]+)", question.group(0), re.I)) and \
            _noun(asked.group(1)) not in (noun, None):
        return None
    if re.search(r"\bhow\s+much\s+money\b", question.group(0), re.I) and noun not in _CURRENCY:
        return None
    expression = first_number
    for number, _, takes, _ in entries[1:]:
        expression += ("-" if takes != first_takes else "+") + number
    return expression
