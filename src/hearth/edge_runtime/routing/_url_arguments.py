"""A URL argument takes the message's one URL, exactly as written.

Small models copy a URL and then "complete" it: the message's
`https://example.com/versions.json?` becomes
`https://example.com/versions.json?params=param1=value1&param2=value2`.
A URL is an exact string; when the message gives exactly one and the
function has exactly one URL argument, that argument is the message's URL.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

_URL = re.compile(r"https?://[^\s'\"<>()\[\]{}]+", re.IGNORECASE)
#: Characters that end a sentence, not a URL ("…/data.json?" or "…/data.json.").
_TRAILING = "?.,!;:"
#: Argument names that hold a URL ("address" may be a postal or e-mail one).
_NAMES = frozenset(("url", "uri", "endpoint", "link"))


def is_url_argument(key: str, prop: Mapping[str, Any]) -> bool:
    """Whether argument `key` (schema `prop`) holds a URL."""
    return (key.lower() in _NAMES and prop.get("type", "string") == "string") \
        or prop.get("format") == "uri"


def bare(url: str) -> str:
    """`url` without its scheme, `www.` and trailing slash, lower case, for comparing."""
    return re.sub(r"^(?:https?://)?(?:www\.)?", "", url.strip().lower()).rstrip("/")


def message_urls(user: str) -> list[str]:
    """The distinct URLs of `user`, without the punctuation that ends a sentence."""
    found = [u.rstrip(_TRAILING) for u in _URL.findall(user)]
    return list(dict.fromkeys(u for u in found if u))


def url_arguments(schema: Mapping[str, Any], user: str) -> dict[str, str]:
    """{argument: URL} when the message has one URL and the schema one URL argument."""
    properties: Mapping[str, Any] = schema.get("properties") or {}
    keys = [k for k, prop in properties.items()
            if isinstance(prop, Mapping) and is_url_argument(str(k), prop)]
    urls = message_urls(user)
    if len(keys) != 1 or len(urls) != 1:
        return {}
    return {str(keys[0]): urls[0]}
