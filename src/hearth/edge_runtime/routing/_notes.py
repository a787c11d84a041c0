"""Remember, recall and reminder arguments read from the message, and facts in person.

Facts are stored in the third person ("The user's sister Lena lives in
Porto.") so that they read the same whoever wrote them (the user through the
remember tool, a benchmark's memory, an import), and are turned back into the
second person ("Your sister Lena lives in Porto.") when a reply quotes them.
"""

from __future__ import annotations

import re
from typing import Any

Arguments = dict[str, Any]

_REMEMBER = re.compile(
    r"^\W*(?:please\s+|pls\s+|can you\s+|could you\s+)?(?:remember|note|memori[sz]e|keep in mind|"
    r"don'?t forget|make a note)\s*(?:that|this|:)?\s*(?P<fact>.+?)\W*$", re.I | re.S)
_REMINDER = re.compile(
    r"\bremind (?:me|us)\s+(?:to\s+|about\s+|that\s+|of\s+)?(?P<rest>.+?)[.!?]*$", re.I | re.S)
_DAY_WORD = (r"(?:today|tomorrow|(?:on\s+)?(?:next\s+|this\s+)?(?:monday|tuesday|wednesday|"
             r"thursday|friday|saturday|sunday))")
_WHEN = re.compile(
    r"\s*\b(?P<when>in\s+(?:half\s+an\s+hour|an\s+hour\s+and\s+a\s+half)|"
    r"in\s+(?:\d+|an?|one|two|three|five|ten|fifteen|twenty|thirty)\s*"
    r"(?:minutes?|mins?|hours?|hrs?|days?|weeks?)|(?:" + _DAY_WORD + r"\s+)?at\s+\d{1,2}"
    r"(?::\d{2})?\s*(?:am|pm)?|" + _DAY_WORD + r"(?:\s+at\s+\d{1,2}(?::\d{2})?\s*(?:am|pm)?)?|"
    r"" + _DAY_WORD + r"\s+\d{1,2}(?::\d{2})?\s*(?:am|pm)?)\b", re.I)
_SMALL_NUMBERS = {"one": "1", "two": "2", "three": "3", "five": "5", "ten": "10",
                  "fifteen": "15", "twenty": "20", "thirty": "30"}

# First person to third, applied in order (longest phrases first).
_TO_THIRD = (
    (r"\bI am\b|\bI'm\b", "the user is"), (r"\bI was\b", "the user was"),
    (r"\bI have\b|\bI've\b", "the user has"), (r"\bmy\b", "the user's"),
    (r"\bmine\b", "the user's"), (r"\bmyself\b", "the user"), (r"\bme\b", "the user"),
    (r"\bI\b", "the user"), (r"\bwe\b", "the user and family"), (r"\bour\b", "the user's"),
)
# Third person back to second, for replies.
_TO_SECOND = (
    (r"\bthe user's\b", "your"), (r"\bthe user is\b", "you are"),
    (r"\bthe user was\b", "you were"), (r"\bthe user has\b", "you have"),
    (r"\bthe user (\w+?)s\b", r"you \1"), (r"\bthe user\b", "you"),
)


def _apply(rules: tuple[tuple[str, str], ...], text: str) -> str:
    for pattern, replacement in rules:
        text = re.sub(pattern, replacement, text, flags=re.I)
    return text


def _sentence(text: str) -> str:
    text = text.strip().rstrip(".!") + "."
    return text[0].upper() + text[1:]


def third_person(text: str) -> str:
    """"my sister lives in Porto" as "The user's sister lives in Porto."."""
    return _sentence(_apply(_TO_THIRD, text))


def second_person(fact: str) -> str:
    """"The user's sister lives in Porto." as "Your sister lives in Porto."."""
    return _sentence(_apply(_TO_SECOND, fact))


_PERSONAL = re.compile(
    r"^\W*(what|where|when|who|which|how old|how many|how much)\b(?:'s| is| are| was| were| "
    r"does| do| did)?\s+(?:(?:the )?name of |the )?(my|i)\b|\b(do you remember|what did i "
    r"(tell|say)|did i (tell|mention|say))\b", re.I)


def asks_personal_fact(text: str) -> bool:
    """Whether the message asks for a fact about the user ("Where does my sister live?").

    Only such a question, with nothing remembered, is answered "I don't know";
    "What's a good name for my dog?" goes to chat instead.
    """
    return bool(_PERSONAL.search(text)) or bool(
        re.search(r"^\W*(what|where|when|who|which)\b[^?]{0,40}\bmy\b[^?]{0,40}\?\s*$"
                  r"", text, re.I) and not re.search(r"\b(good|best|should|could|can|would|idea|"
                                                    r"suggest)\b", text, re.I))


#: The fact first, the request after: "I'm allergic to penicillin, please remember that."
#: ... found from the end, after a sentence break or comma, and only as a request: "I can't
#: remember that" and "I'll always remember that" ask nothing.
_REMEMBER_AFTER = re.compile(
    r"[,.;:!-]\s*(?:so\s+)?(?:please\s+|pls\s+|can you\s+|could you\s+)?"
    r"(?:remember|note|memori[sz]e|keep in mind|don'?t forget|make a note of)\s+"
    r"(?:that|this|it)(?:\s+(?:please|for me))?\W*$", re.I)


def remember_arguments(text: str) -> Arguments | None:
    """{"fact": ...} for "Remember that my car is blue" (or "My car is blue, remember that"),
    or None for a question."""
    text = text.strip()
    if text.endswith("?"):
        return None
    if (match := _REMEMBER.match(text)) is not None:
        fact = match.group("fact")
    elif (after := _REMEMBER_AFTER.search(text)) is not None:
        fact = text[:after.start()].strip()
    else:
        return None
    return {"fact": third_person(fact)} if len(fact) >= 3 else None


#: A request to remember around a recalled message: "Remember my wifi password is ...".
_REQUEST_WORDS = re.compile(
    r"^\W*(?:please\s+)?(?:remember|note|keep in mind|don'?t forget|make a note)\s*(?:that\b|:)?"
    r"\s*|[,.;:!-]\s*(?:so\s+)?(?:please\s+)?(?:remember|note|keep in mind|don'?t forget)\s+"
    r"(?:that|this|it)\W*$", re.I)


def without_request(text: str) -> str:
    """A recalled message without the request to remember it, as a statement."""
    stripped = _REQUEST_WORDS.sub("", text).strip()
    return stripped[:1].upper() + stripped[1:] if stripped else text


def recall_arguments(text: str) -> Arguments:
    """{"query": ...}: the question itself; the index drops the words that do not help."""
    return {"query": text.strip()[:500]}


#: "Set a timer for 10 minutes", "start a 5 minute timer", "timer for 1 hour please".
_TIMER = re.compile(
    r"^\W*(?:(?:please|can\s+you|could\s+you|hey)[\s,]+)*(?:(?:set|start)\s+(?:me\s+)?(?:an?\s+)?"
    r"(?:(?P<before>\d{1,4}|an?|one)[- ](?P<unit1>minute|min|hour|second)s?[- ])?timer"
    r"|timer)(?:\s+for\s+(?P<count>\d{1,4}|an?|one)\s*(?P<unit2>minutes?|mins?|hours?|hrs?))?"
    r"\s*(?:please)?\s*[.!?]?\s*$", re.I)


def _timer(text: str) -> Arguments | None:
    """A timer as a reminder: "Set a timer for 10 minutes" rings in 10 minutes."""
    found = _TIMER.match(text.strip())
    if found is None or not (found.group("before") or found.group("count")):
        return None
    count = found.group("before") or found.group("count")
    unit = (found.group("unit1") or found.group("unit2")).lower().rstrip("s")
    unit = {"min": "minute", "hr": "hour"}.get(unit, unit)
    if unit == "second":
        return None  # reminders ring to the minute
    count = "1" if count.lower() in ("a", "an", "one") else count
    span = f"{count} {unit}{'s' * (count != '1')}"
    return {"text": f"Timer: {span} are up" if count != "1" else f"Timer: {span} is up",
            "when": f"in {span}"}


def reminder_arguments(text: str) -> Arguments | None:
    """{"text", "when"} for "Remind me to call mum in 20 minutes", or None."""
    if (timer := _timer(text)) is not None:
        return timer
    match = _REMINDER.search(text.strip())
    # "every Friday", "daily": a repeating reminder, which the tool cannot set.
    if match is None or re.search(r"\b(?:every|each|daily|weekly|monthly)\b", match.group("rest"),
                                  re.I):
        return None
    rest = match.group("rest")
    when = _WHEN.search(rest)
    if when is None:
        return None
    what = " ".join((rest[:when.start()] + " " + rest[when.end():]).split()).strip(" ,.")
    when_text = re.sub(r"^on\s+", "", when.group("when").lower())
    when_text = {"in half an hour": "in 30 minutes",
                 "in an hour and a half": "in 90 minutes"}.get(" ".join(when_text.split()),
                                                               when_text)
    for word, digits in _SMALL_NUMBERS.items():
        when_text = re.sub(rf"\b{word}\b", digits, when_text)
    if what.lower().startswith("to "):
        what = what[3:]
    return {"text": what or "your reminder", "when": when_text.replace("at ", "").strip()}
