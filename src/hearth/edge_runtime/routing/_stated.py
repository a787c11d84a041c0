"""Optional arguments only when the message states them; the function's default otherwise.

Asked for a function's arguments, a model fills optional ones too, with
values nobody said: "the weather in Boston" gets `unit="celsius"`, "say hi
with the echo command" `unit="seconds"`, a GET request invented query
parameters (`{"query": "example", "ip": "192.168.1.100"}`). Each one changes
what the call does. Leaving such an argument out lets the function's own
default apply, which is what the user asked for by not saying anything.

Required arguments are not touched here (`_grounded` asks for those). The
test is stricter than `_grounded`'s, because leaving an optional argument
out is safe: a value stays when a content word or number of it is in the
message (outside its URLs, whose words name a site, not a value), an enum
value when the message says it, a date when the message names one. A
message mostly in another script says nothing to word tests: its arguments
stay. Booleans stay (a message rarely spells `true`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from hearth.edge_runtime.routing._date_arguments import date_layout, is_time_argument
from hearth.edge_runtime.routing._dates import find_dates, find_times
from hearth.edge_runtime.routing._math import message_numbers
from hearth.edge_runtime.routing._relevance import readable, words
from hearth.edge_runtime.routing._url_arguments import bare, is_url_argument

_SITE = re.compile(r"\.(?:com|org|net|io|dev|app)(?:[/?#]|$)", re.IGNORECASE)
#: Words and numeric layouts that name a day or a time ("tomorrow", "3/16", "on Friday").
_DATE_HINT = re.compile(
    r"\b\d{1,4}[/-]\d{1,2}(?:[/-]\d{2,4})?\b|\b\d{1,2}\.\d{1,2}\.\d{2,4}\b|"
    r"\b\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?may\b|\bmay\s+\d{1,2}\b|"
    r"\b(today|tomorrow|tonight|yesterday|morning|noon|afternoon|evening|night|weekend|week|month|year|"
    r"(mon|tues|wednes|thurs|fri|satur|sun)day|january|february|march|april|june|july|"
    r"august|september|october|november|december)\b", re.IGNORECASE)
#: Longer whitespace-separated tokens are not looked at as URLs (bounded work).
_MAX_URL = 500


class _Said:
    """What the message says, for optional values: its words, numbers and URLs."""

    def __init__(self, message: str) -> None:
        self.readable = readable(message)
        tokens = message.split()
        cores = [t.strip("?.,!;:'\"()<>[]") for t in tokens]
        is_url = [len(c) <= _MAX_URL and (c.lower().startswith(("http://", "https://", "www."))
                                         or bool(_SITE.search(c))) for c in cores]
        self.urls = [bare(c) for c, u in zip(cores, is_url, strict=True) if u]
        plain = " ".join(t for t, u in zip(tokens, is_url, strict=True) if not u)
        self.words = words(plain)
        self.numbers = {float(n) for n in message_numbers(plain)}
        self.dated = bool(_DATE_HINT.search(plain) or find_dates(plain) or find_times(plain))

    def states(self, key: str, value: object, prop: Mapping[str, Any]) -> bool:
        if value is None:
            return False
        if isinstance(value, bool):
            return True
        if isinstance(value, int | float):
            # "1 for cleaning, 2 for ironing": a number read from the description.
            return float(value) in self.numbers or bool(
                re.search(r"\d", str(prop.get("description", ""))))
        if isinstance(value, str):
            return self._string(key, value, prop)
        if isinstance(value, list):
            shape = _schema(prop.get("items"))
            return any(self.states(key, item, shape) for item in value)
        return True  # objects: their keys are checked one by one (`_keep`)

    def _string(self, key: str, value: str, prop: Mapping[str, Any]) -> bool:
        text = value.strip().lower()
        if not text:
            return False
        if is_url_argument(key, prop):
            url = bare(text)
            return any(url.startswith(u) or u.startswith(url) for u in self.urls)
        if date_layout(prop) is not None or is_time_argument(prop) or \
                prop.get("format") in ("date", "date-time", "time"):
            return self.dated
        return bool(words(value) & self.words)


def _schema(prop: object) -> Mapping[str, Any]:
    # JSON Schema allows `true` for "anything": no properties to go by.
    return prop if isinstance(prop, Mapping) else {}


def _keep(said: _Said, value: object, prop: Mapping[str, Any]) -> object:
    """`value` with the unstated optional keys of its objects left out, at any depth."""
    if isinstance(value, list):
        items = _schema(prop.get("items"))
        return [_keep(said, item, items) for item in value]
    if not isinstance(value, Mapping):
        return value
    inner = _schema(prop.get("properties"))
    required = set(prop.get("required") or ())
    return {k: _keep(said, v, _schema(inner.get(k))) for k, v in value.items()
            if k in required or said.states(k, v, _schema(inner.get(k)))}


def stated_only(message: str, parameters: Mapping[str, Any],
                arguments: Mapping[str, Any]) -> dict[str, Any]:
    """`arguments` without the optional ones (at any depth) that `message` does not state.

    `parameters` is the function's JSON schema for its arguments.
    """
    said = _Said(message)
    if not said.readable:
        return dict(arguments)
    kept = _keep(said, arguments, parameters)
    return dict(kept) if isinstance(kept, Mapping) else dict(arguments)
