"""Small questions about the message's own numbers, answered exactly.

"Which is bigger, 0.5 or 0.45?", "Is 17 a prime number?", "Is 7 greater than
10?": a 135M model answers "0.45" or "No" as often as not, yet each is one
comparison. Only numbers written in the message are compared; anything else
is left to the model and the calculator.
"""

from __future__ import annotations

import re

_NUM = r"(-?\d{1,12}(?:\.\d{1,12})?)"
_BIGGER = r"bigger|larger|greater|higher|more|the\s+biggest|the\s+largest|the\s+greatest"
_SMALLER = r"smaller|less|lower|fewer|the\s+smallest|the\s+lowest"
_WHICH = re.compile(r"\b(?:which|what)(?:\s+number)?\s+is\s+(" + _BIGGER + "|" + _SMALLER + r")\b"
                    r"[\s,:]*" + _NUM + r"\s*(?:,\s*|\s+or\s+)" + _NUM + r"\s*\?", re.IGNORECASE)
_IS_PRIME = re.compile(r"\bis\s+(\d{1,12})\s+(?:a\s+)?prime(?:\s+number)?\s*\?", re.IGNORECASE)
_COMPARE = re.compile(r"(?:^|[.!?:]\s+)\W*is\s+" + _NUM + r"\s+(" + _BIGGER + "|" + _SMALLER
                      + r")\s+than\s+" + _NUM + r"\s*\?", re.IGNORECASE)


def _prime(n: int) -> bool:
    if n < 2:
        return False
    return all(n % d for d in range(2, int(n ** 0.5) + 1))


def _bigger(word: str) -> bool:
    return re.match(_BIGGER, word, re.IGNORECASE) is not None


#: The message wants more than the answer, or it in another form: the model's to write.
_MORE = re.compile(r"\b(?:explain|why|how|show|reason\w*|steps?|if\s+(?:yes|no|so|not)|next|then|"
                   r"true|false|spanish|french|german|italian|words?)\b", re.IGNORECASE)


def number_answer(message: str) -> str | None:
    """The answer to a comparison of the message's numbers, or None."""
    if _MORE.search(message):
        return None
    if found := _WHICH.search(message):
        a, b = found.group(2), found.group(3)
        if float(a) == float(b):
            return None
        return max(a, b, key=float) if _bigger(found.group(1)) else min(a, b, key=float)
    if (found := _IS_PRIME.search(message)) and len(found.group(1)) <= 7:
        return "Yes" if _prime(int(found.group(1))) else "No"
    if found := _COMPARE.search(message):
        a, b = float(found.group(1)), float(found.group(3))
        holds = a > b if _bigger(found.group(2)) else a < b
        return "Yes" if holds else "No"
    return None
