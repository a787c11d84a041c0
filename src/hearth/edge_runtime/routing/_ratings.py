"""A star rating the message states fills a rating argument.

"A housekeeper with a review score of 4.5 stars or more" asks for
`rating=4.5`; a small model leaves the optional argument out (its name is not
in the message), so the search returns providers of any rating. A number of
stars, or a number after "rated", fills the one number argument named for a
rating (`rating`, `min_rating`, `stars`, `review_score`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from hearth.edge_runtime.routing._relevance import name_words

_STATED = re.compile(
    r"(?<![\d.])(\d(?:\.\d+)?)\s*\+?\s*-?\s*stars?\b|"
    r"\brated\s+(?:at\s+least\s+|above\s+|over\s+|of\s+)?(\d(?:\.\d+)?)(?![\d.])", re.IGNORECASE)
#: Words of a number argument's name that make it a rating.
_RATING_WORDS = frozenset(("rating", "ratings", "stars", "star", "score"))


def rating_arguments(schema: Mapping[str, Any], user: str) -> dict[str, float | int]:
    """{argument: number} for the one rating argument, when the message states one rating."""
    stated = {float(a or b) for a, b in _STATED.findall(user)}
    if len(stated) != 1:
        return {}
    (value,) = stated
    keys = [(str(key), prop) for key, prop in (schema.get("properties") or {}).items()
            if isinstance(prop, Mapping) and prop.get("type") in ("number", "integer")
            and set(name_words(str(key))) & _RATING_WORDS]
    if len(keys) != 1:
        return {}
    key, prop = keys[0]
    if prop.get("type") == "integer":
        return {key: int(value)} if value.is_integer() else {}
    return {key: value}
