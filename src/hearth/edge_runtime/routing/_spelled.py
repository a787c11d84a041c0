"""Numbers spelt out in several words, as digits: "seven hundred and twelve" is 712.

`_math.words_to_digits` swaps number words one at a time, which reads
"seven hundred and twelve divided by eight" as "7 100 and 12 divided by 8"
and leaves the calculator "12/8". A run of number words that forms one
number by the usual grammar (units, teens and tens under a hundred, then
hundreds, thousands, millions, "and" only after a scale word) is read as
that number first; any other run ("two three-bedroom houses", "one and
two") is left for the word-by-word swap.
"""

from __future__ import annotations

import re
from decimal import Decimal

_UNITS = {w: i for i, w in enumerate((
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen"))}
_TENS = {w: 10 * i for i, w in enumerate(
    ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"), start=2)}
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
_WORD = "|".join(sorted([*_UNITS, *_TENS, *_SCALES], key=len, reverse=True))
_DIGIT = r"(?:" + "|".join(w for w in _UNITS if _UNITS[w] < 10) + r"|\d)"
#: "one point five", "3 point two five".
_POINT = re.compile(r"\b(" + "|".join(w for w in _UNITS if _UNITS[w] < 10) + r"|\d+)\s+point\s+("
                    + _DIGIT + r"(?:\s+" + _DIGIT + r")*)\b", re.I)
#: "5 hundred", "2.5 million".
_DIGITS_SCALE = re.compile(r"(?<![\d.])(\d{1,6}(?:\.\d{1,3})?)\s+(hundred|thousand|million)\b",
                           re.I)
_RUN = re.compile(r"\b(?:" + _WORD + r")(?:(?:\s+and\s+|[\s-]+)(?:" + _WORD + r"))+\b", re.I)


def _value(words: list[str]) -> int | None:
    """The number `words` spell (with "and" kept as a word), or None when they spell none."""
    total = chunk = 0
    last = ""  # kind of the previous word: unit, teen, tens, hundred, scale, and
    for word in words:
        if word == "and":
            if last not in ("hundred", "scale"):
                return None
            last = "and"
        elif word in _TENS:
            if last in ("unit", "teen", "tens"):
                return None
            chunk, last = chunk + _TENS[word], "tens"
        elif word in _UNITS:
            if last in ("unit", "teen") or (last == "tens" and _UNITS[word] >= 10) or (
                    last == "tens" and _UNITS[word] == 0):
                return None
            chunk, last = chunk + _UNITS[word], "teen" if _UNITS[word] >= 10 else "unit"
        elif word == "hundred":
            if last not in ("unit", "teen") or chunk >= 100:
                return None
            chunk, last = chunk * 100, "hundred"
        else:
            if last in ("scale", "and", "") or chunk == 0:
                return None
            total, chunk, last = total + chunk * _SCALES[word], 0, "scale"
    return None if last == "and" else total + chunk


def _segments(words: list[str]) -> list[str]:
    """The run read as the fewest numbers, longest first ("nine ninety nine": 9 and 99);
    a word no number starts with ("and" alone) stays a word."""
    out: list[str] = []
    at = 0
    while at < len(words):
        for end in range(len(words), at, -1):
            if words[at] != "and" and (value := _value(words[at:end])) is not None:
                out.append(str(value))
                at = end
                break
        else:
            out.append(words[at])
            at += 1
    return out


def spelled_numbers(text: str) -> str:
    """`text` with each run of number words as the numbers it spells ("seven hundred and
    twelve" as 712, "nine ninety-nine" as "9 99", never "90-9"), "one point five" as 1.5
    and "5 hundred" as 500."""
    def swap(match: re.Match[str]) -> str:
        words = re.findall(r"[a-z]+", match.group(0).lower())
        if (value := _value(words)) is not None:
            return str(value)
        return " ".join(_segments(words))
    # "a hundred and twenty" is "one hundred and twenty".
    text = re.sub(r"\ban?\s+(?=(?:hundred|thousand|million)\b)", "one ", text, flags=re.I)
    text = _RUN.sub(swap, text)
    text = _DIGITS_SCALE.sub(_scaled, text)
    return _POINT.sub(_decimal, text)


def _scaled(match: re.Match[str]) -> str:
    """"2.5 million" as 2500000."""
    return f"{(Decimal(match.group(1)) * _SCALES[match.group(2).lower()]).normalize():f}"


def _decimal(match: re.Match[str]) -> str:
    whole = match.group(1)
    whole = whole if whole.isdigit() else str(_UNITS[whole.lower()])
    return whole + "." + "".join(str(_UNITS[d.lower()]) if not d.isdigit() else d
                                 for d in match.group(2).split())
