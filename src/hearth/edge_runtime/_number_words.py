"""A number written out in English words: "Write 47 in words" is "forty-seven".

A 135M model answers such a request with another number ("123"); the words
are a few lines of code. Only English is written here: "in French words"
and anything past the trillions are left to the model.
"""

from __future__ import annotations

import re

_ONES = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
         "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
         "eighteen", "nineteen")
_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_SCALES = ((10 ** 12, "trillion"), (10 ** 9, "billion"), (10 ** 6, "million"),
           (1000, "thousand"))
#: Largest number written out: past it, words are no answer anyone reads.
MAX_NUMBER = 10 ** 15 - 1

_NUMBER = r"(-?\d{1,3}(?:,\d{3})+|-?\d{1,15})(?!\d|[.,]\d)"
_IN_WORDS = r"(?:in\s+(?:english\s+)?(?:words|letters)|as\s+(?:a\s+)?(?:english\s+)?words?)"
#: "Write the number 47 in English words", "Write 47 out in words".
_WRITE = (r"(?:write|type|give\s+me|put|say|express)(?:\s+out)?\s+(?:the\s+number\s+)?"
          + _NUMBER + r"\s+(?:out\s+)?" + _IN_WORDS)
#: "Spell out 1,200", "spell 47 in words": only the number, nothing after it ("Spell 5
#: words that rhyme with cat", "spell out 7 pm" ask for something else).
_SPELL = (r"spell\s+(?:out\s+)?(?:the\s+number\s+)?" + _NUMBER + r"(?:\s+" + _IN_WORDS
          + r")?(?:\s+(?:for\s+me|please))?\s*[.!?]?\s*$")
#: "How do you say 90 in words?", "What is 13 in words?".
_HOW = (r"(?:how\s+(?:do\s+(?:you|i)|would\s+you|to)\s+(?:write|say|spell)|what\s+is|what's)\s+"
        r"(?:the\s+number\s+)?" + _NUMBER + r"\s+" + _IN_WORDS)
_ASKED = re.compile(r"\b(?:" + _WRITE + "|" + _SPELL + "|" + _HOW + ")", re.IGNORECASE)

#: More asked than the words: left to the model.
_MORE = re.compile(r"\b(?:explain|why|also|and\s+then|then\s+(?:add|multiply|write))\b",
                   re.IGNORECASE)


def _below_thousand(n: int) -> str:
    if n < 20:
        return _ONES[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return _TENS[tens] + (f"-{_ONES[ones]}" if ones else "")
    hundreds, rest = divmod(n, 100)
    return f"{_ONES[hundreds]} hundred" + (f" and {_below_thousand(rest)}" if rest else "")


def in_words(n: int) -> str:
    """`n` in English words, British style: 105 is "one hundred and five"."""
    if n < 0:
        return "minus " + in_words(-n)
    if n < 1000:
        return _below_thousand(n)
    parts: list[str] = []
    for scale, name in _SCALES:
        if n >= scale:
            count, n = divmod(n, scale)
            parts.append(f"{in_words(count)} {name}")
    if n:
        # "one thousand and five", as the hundreds say "and" before a last small part.
        parts.append(("and " if n < 100 else "") + _below_thousand(n))
    return " ".join(parts)


def words_answer(message: str) -> str | None:
    """The words a request to write a number out asks for, or None."""
    found = _ASKED.search(message)
    if found is None or _MORE.search(message):
        return None
    if re.search(r"\bin\s+(?!english\b)[a-z]+\s+words\b|\bin\s+(?:french|spanish|german|italian|"
                 r"portuguese|dutch|roman)\b", message, re.IGNORECASE):
        return None
    text = next(g for g in found.groups() if g is not None).replace(",", "")
    number = int(text)
    if abs(number) > MAX_NUMBER:
        return None
    words = in_words(number)
    return words[0].upper() + words[1:]
