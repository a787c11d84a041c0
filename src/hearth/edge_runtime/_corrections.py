"""Corrections the user made to what they said: "Actually it's Tuesday, not Monday."

A 135M model asked "Which day is my dentist appointment?" answers with the
first day it saw, and recall finds the first statement, not the correction.
A correction names its new value; the old one is the value it negates ("not
Monday") or else the latest earlier value of the same kind (a weekday, a
clock time, a code with digits, a name). Earlier turns are read with the old
value replaced, so the model and recall see what the user meant.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from hearth.edge_runtime.routing._math import CLOCK_TIME
from hearth.edge_runtime.tools._calendar import WEEKDAYS

#: How a correction opens, or the words that make a message one.
_CORRECTS = re.compile(
    r"\b(?:actually|correction|i\s+misread|i\s+meant|my\s+mistake|scratch\s+that|"
    r"make\s+(?:that|it)|change\s+(?:that|it)\s+to|should\s+(?:be|have\s+been)|"
    r"(?:has\s+been|have\s+been|was|were|been|got)\s+(?:moved|changed|pushed|rescheduled)\s+to)\b|"
    r"^\W*(?:oh|oops|sorry|wait|no|nope|hmm|ah)\b.*\b(?:it'?s|it\s+is|that'?s|that\s+is|i\s+mean)\b",
    re.IGNORECASE)
_VALUE_CUE = re.compile(
    r"\b(?:it'?s|it\s+is|that'?s|that\s+is|make\s+(?:that|it)|i\s+meant|i\s+mean|"
    r"should\s+(?:be|have\s+been)|change\s+(?:that|it)\s+to|"
    r"(?:moved|changed|pushed|rescheduled|updated|switched)\s+to)\b", re.IGNORECASE)
_RIGHT_AFTER = re.compile(r"^[\s,:—–-]*(?:(?:at|on|in|to|the|for|been|actually|really|just|now|"
                          r"a|an|moved|changed|rescheduled|pushed)\s+)*$", re.IGNORECASE)
_NOW = re.compile(r"\b(?:now|here|currently|right now)\b", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?](?:\s|$)")
_NOT = re.compile(r"\bnot\s+(?:on\s+|at\s+|the\s+)?([\w:.'-]+(?:\s+[ap]\.?m\.?)?)", re.IGNORECASE)
_WEEKDAY = re.compile(r"\b(" + "|".join(WEEKDAYS) + r")\b", re.IGNORECASE)
_CODE = re.compile(r"(?<![\w.:])((?:[A-Z]{1,3}[ -]?)?\d+[A-Z]?)(?![\w:]|\.\d|\s*(?:am|pm)\b)")
_NAME = re.compile(r"(?<=[a-z,—–-] )([A-Z][a-z]{1,30})\b")
_KINDS: tuple[re.Pattern[str], ...] = (_WEEKDAY, CLOCK_TIME, _CODE, _NAME)
#: Capitalised words that are no names.
_NOT_NAMES = frozenset({"I", "Im", "It", "The", *WEEKDAYS})


def _values(kind: re.Pattern[str], text: str, start: int = 0, end: int | None = None,
            skip: tuple[int, int] = (0, 0)) -> list[str]:
    """Values of `kind` in `text[start:end]`, none inside `skip` (a negated span)."""
    end = len(text) if end is None else end
    found = [m.group(1).strip() for m in kind.finditer(text)
             if start <= m.start(1) and m.end(1) <= end and not skip[0] <= m.start(1) < skip[1]]
    return [v for v in found if kind is not _NAME or v not in _NOT_NAMES]


def _alike(kind: re.Pattern[str], old: str, new: str) -> bool:
    """A code is corrected by a code of its shape: "BA 217" by "BA 271", not "1990" by "2"."""
    if kind is not _CODE:
        return True
    prefixes = [re.sub(r"[\d\s-].*$", "", v).lower() for v in (old, new)]
    digits = [len(re.sub(r"\D", "", v)) for v in (old, new)]
    return prefixes[0] == prefixes[1] and abs(digits[0] - digits[1]) <= 1


def _counted(number: str, text: str) -> str | None:
    """The word after `number` in `text` ("people" in "for 6 people"), if any."""
    found = re.search(r"(?<![\w.])" + re.escape(number) + r"\s+([a-z]+)", text)
    return found.group(1) if found else None


def _replace(text: str, old: str, new: str) -> str:
    return re.sub(r"(?<![\w:])" + re.escape(old) + r"(?![\w:])", new, text,
                  flags=re.IGNORECASE)


def correction(earlier: Sequence[str], message: str) -> tuple[str, str] | None:
    """(old value, new value) when `message` corrects one of the user's `earlier` turns."""
    if not _CORRECTS.search(message):
        return None
    # The new value follows "it's", "make that", "I meant", "moved to", in that sentence:
    # "Actually scratch that, 3 people just cancelled" names a new event, no corrected value.
    if (cue := _VALUE_CUE.search(message)) is None:
        return None
    stop = _SENTENCE_END.search(message, cue.end())
    end = stop.start() if stop else len(message)
    negated = _NOT.search(message, cue.end(), end)
    skip = negated.span() if negated else (0, 0)
    # "Actually, it's 4pm here now" gives the time now, not a corrected one.
    if _NOW.search(message, cue.end(), end):
        return None
    for kind in _KINDS:
        new = _values(kind, message, cue.end(), end, skip)
        # The value follows the cue: "it's Tuesday", "it's been moved to 4:30 pm", not
        # "it's going to rain on Tuesday" nor "it's fine, Sunday works too".
        if len(new) != 1 or not _RIGHT_AFTER.match(message[cue.end():message.index(new[0],
                                                                                  cue.end())]):
            continue
        if negated and (old := _values(kind, negated.group(1))) and old[0] != new[0]:
            return old[0], new[0]
        # "Order 2 pizzas" then "it's for 6 people": a bare number followed by another noun
        # counts something else ("make it 413." corrects "Room 412").
        counted = _counted(new[0], message[cue.end():end]) if new[0].isdigit() else None
        for turn in reversed(earlier):
            olds = [v for v in _values(kind, turn)
                    if v.casefold() != new[0].casefold() and _alike(kind, v, new[0])
                    and (counted is None or counted == _counted(v, turn))]
            if olds:
                return (olds[-1], new[0]) if len(set(olds)) == 1 else None
    return None


def corrected(history: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """`history` with each correction applied to the statement it corrects and the turns
    after that statement (a "Monday" said of something else before it stays)."""
    turns = list(history)
    fixes: set[int] = set()
    for at, (role, text) in enumerate(history):
        if role != "user":
            continue
        earlier = [t for r, t in turns[:at] if r == "user"]
        if (found := correction(earlier, text)) is not None:
            old, new = found
            since = _stated_at(turns[:at], old, fixes)
            turns[since:at] = [(r, _replace(t, old, new)) for r, t in turns[since:at]]
            fixes.add(at)
    return turns


def _stated_at(turns: Sequence[tuple[str, str]], old: str, fixes: set[int]) -> int:
    """The index of the latest user turn, no correction itself, that states `old` (0 when
    none does): "Meeting at 3pm", "Make that 4pm", "make it 5pm" changes the meeting."""
    pattern = re.compile(r"(?<![\w:])" + re.escape(old) + r"(?![\w:])", re.IGNORECASE)
    return next((i for i in range(len(turns) - 1, -1, -1) if i not in fixes
                 and turns[i][0] == "user" and pattern.search(turns[i][1])), 0)


def corrected_texts(texts: Sequence[str], said: Sequence[str]) -> list[str]:
    """`texts` (recalled statements of the user's) as `corrected` reads them among `said`."""
    now = {text: fixed for text, (_, fixed) in
           zip(said, corrected([("user", t) for t in said]), strict=True)}
    return [now.get(text, text) for text in texts]
