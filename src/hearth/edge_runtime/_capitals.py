"""The capital of a country or US state, from a shipped table: a 135M model says Sydney.

Only the plain question is answered here ("What's the capital of Australia?",
"Capital of Peru?"), with a one-word form where the message asks for it;
anything more ("... and how many people live there?") or a country the table
does not know ("the largest country") is left to the model. Where a country's
answer is more than one city (Bolivia, South Africa), the table's note says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class Capital:
    """A country's capital as the table gives it."""

    country: str
    city: str
    note: str


_ASKED = re.compile(
    r"^\W*(?:(?:please|hey|quick\s+question|so|ok(?:ay)?)[\s,:]+)*"
    r"(?:(?:what(?:'?s|\s+is)|which\s+city\s+is|tell\s+me|do\s+you\s+know|name)\s+)?"
    r"(?:the\s+)?capital(?:\s+city)?\s+of\s+(?:the\s+)?(?P<country>[^?.!,;:]{2,60}?)"
    r"\s*[?.!]?\s*(?P<short>(?:please\s+)?(?:answer|reply|respond)\s+(?:with|in)\s+"
    r"(?:just\s+|only\s+)?(?:one\s+word|a\s+single\s+word|the\s+(?:city|name)(?:\s+only)?)"
    r"(?:\s+only)?\s*[.!]?)?\s*$", re.IGNORECASE)


#: Names said with "the": "the capital of the United Kingdom".
_WITH_THE = re.compile(r"^(?:united|republic|democratic|central|dominican|czech|marshall|"
                       r"solomon)\b|^(?:netherlands|philippines|bahamas|gambia|maldives|"
                       r"seychelles|comoros)$", re.IGNORECASE)


def _key(name: str) -> str:
    return " ".join(re.sub(r"^the\s+", "", name.strip(), flags=re.IGNORECASE).lower().split())


@cache
def _capitals() -> dict[str, Capital]:
    """{country name or other name, lower case: its capital}."""
    text = resources.files("hearth.edge_runtime.routing").joinpath(
        "data/capitals.tsv").read_text(encoding="utf-8")
    table: dict[str, Capital] = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        country, city, *rest = line.split("\t")
        others, note = [*rest, "", ""][:2]
        capital = Capital(country, city, note)
        for name in [country, *filter(None, others.split(","))]:
            table[_key(name)] = capital
    return table


def capital_answer(message: str) -> str | None:
    """The answer to a plain question for a country's capital, or None."""
    found = _ASKED.match(message.strip())
    if found is None:
        return None
    capital = _capitals().get(_key(found.group("country")))
    if capital is None:
        return None
    if found.group("short"):
        return capital.city
    if capital.note:
        return capital.note + "."
    the = "the " if _WITH_THE.search(capital.country) else ""
    return f"The capital of {the}{capital.country} is {capital.city}".rstrip(".") + "."
