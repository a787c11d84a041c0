"""A short follow-up that asks the last question again with another number.

"I need 3 bags of flour at 2.40 each. How much is that?" then "Sorry, I meant
4 bags." or "A recipe for 4 needs 300 g of pasta. How much for 6 people?"
then "And for 10?": the follow-up alone holds one number and no question a
rule or a 135M model can answer (it wrote "4*24"). Read as the last question
with the new number put in, every route answers it as if it had been asked
so. Which number is replaced: the one before the same word ("4 bags" for "3
bags"), else the one after the same preposition ("for 10" for "for 6"), else
the question's only number. Clock times, longer messages and anything that
fits none of these are left alone.
"""

from __future__ import annotations

import re

from hearth.edge_runtime.routing._math import CLOCK, CLOCK_TIME, message_numbers

_NUM = r"\d{1,12}(?:\.\d{1,12})?"
#: "Sorry, I meant 4 bags", "Actually, make it 15 miles", "And for 10?", "What about 6 people?"
_FOLLOW_UP = re.compile(
    r"^\W*(?:(?:sorry|oops|no|wait|actually|oh|ok|okay|hmm|hm)\W+)*"
    r"(?:i\s+meant?\s+|make\s+(?:it|that)\s+|(?:and\s+)?(?:what|how)\s+about\s+|and\s+)"
    r"(?:(for|with|at|in|to|of|on)\s+)?(" + _NUM + r")(?![\d:.])\s*([a-z]+)?"
    r"[^\d]{0,30}$", re.IGNORECASE)
#: Words after the number that name no quantity: "I meant 4 instead", "and 10 then?"
_NOT_A_NOUN = frozenset({"instead", "then", "please", "now", "more", "less", "how", "what",
                         "and", "or", "so", "am", "pm"})
#: A follow-up that adds to the last one ("and 5 more") is a step, not a correction.
_ADDS = re.compile(r"\b(?:more|less|fewer|extra|another|plus|minus|too|also|as\s+well|"
                   r"for\s+(?:me|us|him|her|them)|half|quarter|third)\b", re.IGNORECASE)
#: "And at 5 pm?", "What about 10:30?", "And if I call her at 2 pm my time?"
_AT_TIME = re.compile(
    r"^\W*(?:(?:and|so|ok|okay|but|oh)\W+)*(?:(?:what|how)\s+about|if|at|for|and)\b"
    r"[^\d?]{0,40}?\b(" + CLOCK + r")(?!\d)[^\d]{0,25}$", re.IGNORECASE)
#: Words around a new time that ask nothing else: "and if I call her at 2 pm my time?"
_FILLER = frozenset(("and", "so", "ok", "okay", "but", "oh", "what", "how", "about", "if", "i",
                     "we", "call", "ring", "phone", "her", "him", "them", "at", "for", "then",
                     "instead", "my", "our", "time", "here", "local", "start", "leave", "it's",
                     "it", "is", "was", "say", "let's", "make", "that", "meant", "sorry", "no",
                     "actually", "wait", "do", "go", "the", "meeting", "call's"))
#: Longest previous turn restated; a longer one is no single question.
MAX_PREVIOUS_CHARS = 300


def _forms(word: str) -> str:
    """A pattern for `word` in the singular or the plural ("bag", "bags"; "person" stays)."""
    stem = word[:-2] if word.endswith("es") and len(word) > 4 else (
        word[:-1] if word.endswith("s") and len(word) > 3 else word)
    return re.escape(stem) + r"(?:s|es)?"


def _replace_one(text: str, pattern: str, number: str) -> str | None:
    """`text` with the number of the one match of `pattern` (its group 1) replaced.

    Looked for in the question's own sentence first ("How much for 6 people?" after
    "A recipe for 4 ..."); two matches there, or none there and two before, are
    a guess ("for 6 people if the recipe for 4 ..."), so None.
    """
    start = max((m.end() for m in re.finditer(r"[.!?]\s+(?=\S)", text)), default=0)
    for at in (start, 0):
        found = list(re.finditer(pattern, text[at:], re.IGNORECASE))
        if len(found) == 1:
            one = found[0]
            return text[:at + one.start(1)] + number + text[at + one.end(1):]
        if found:
            return None
    return None


def _at_another_time(message: str, previous: str) -> str | None:
    """"And if I call her at 2 pm my time?" after a question about 9 am: asked at 2 pm."""
    follow = _AT_TIME.match(message.strip())
    if follow is None or len(CLOCK_TIME.findall(message)) != 1 or \
            len(message_numbers(CLOCK_TIME.sub(" ", message))) != 0:
        return None
    # Only the time is new: "And 5 pm in New York?", "for the plumber", "on Friday" ask more.
    words = re.findall(r"[a-z']+", CLOCK_TIME.sub(" ", message).lower())
    if any(w not in _FILLER for w in words) or \
            re.search(r"\b(?:her|his|their|your)\s+time\b", message, re.IGNORECASE):
        return None  # "at 8 pm her time" is a time in the other place
    times = list(CLOCK_TIME.finditer(previous))
    if len(times) != 1:
        return None
    return previous[:times[0].start(1)] + follow.group(1) + previous[times[0].end(1):]


def restated_question(message: str, earlier: list[str]) -> str | None:
    """The user's last turn asked again with the number `message` corrects, or None."""
    previous = earlier[-1].strip() if earlier else ""
    if previous.endswith("?") and len(previous) <= MAX_PREVIOUS_CHARS and \
            (at := _at_another_time(message, previous)) is not None:
        return at
    follow = _FOLLOW_UP.match(message.strip())
    if follow is None or not earlier or len(message_numbers(message)) != 1 or \
            _ADDS.search(message):
        return None
    # Only a question is asked again: "Remind me in 2 days" then "make it 3 days" means
    # to change that reminder, not to set another one.
    previous = earlier[-1].strip()
    if not previous.endswith("?") or len(previous) > MAX_PREVIOUS_CHARS or \
            not message_numbers(previous) or \
            re.search(r"\d:\d|\d\s*(?:am|pm)\b", previous, re.IGNORECASE):
        return None
    preposition, number, word = follow.group(1), follow.group(2), follow.group(3)
    free = r"(?<![\d.])(" + _NUM + r")(?![\d.]*\d)"
    if word and word.lower() not in _NOT_A_NOUN:
        return _replace_one(previous, free + r"\s*" + _forms(word.lower()) + r"\b", number)
    if preposition and (found := _replace_one(previous, r"\b" + preposition + r"\s+" + free,
                                                number)) is not None:
        return found
    if len(message_numbers(previous)) == 1:
        return _replace_one(previous, free, number)
    return None
