"""A JSON reply with the keys the message names, written under a grammar.

"Extract JSON with keys "payee" and "month" from: ..." asks for one object
with exactly those keys. A small model starts with "{" and stops, writes
prose about JSON, or invents other keys. The keys (and the values a key may
take, "(low, medium or high)", "whose value is "positive" or "negative"") are
read from the message, and the reply is generated under that JSON schema, so
it is always a well-formed object with those keys.

With `copy_spans` (models too small to copy faithfully), a free value must be
a span of the text the message quotes (or of the message), as offered tool
arguments are (`_tool_prompts.bounded`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from hearth.edge_runtime._tool_prompts import MAX_ARGUMENT_CHARS, message_spans

_ASKS_JSON = re.compile(r"\bjson\b", re.IGNORECASE)
_KEYS = re.compile(r"\bkeys?\b((?:\s*(?:,|and|&)?\s*[\"“][A-Za-z_][\w ]{0,30}[\"”])+)",
                   re.IGNORECASE)
_NAME = re.compile(r"[\"“]([A-Za-z_][\w ]{0,30})[\"”]")
#: Choices right after a key: ("priority" (low, medium or high)) or (whose value is "a" or "b").
_IN_BRACKETS = re.compile(r"\s*\(([^()]{1,120})\)")
_WHOSE = re.compile(r"\s*(?:whose\s+value\s+is|which\s+is|that\s+is|one\s+of)\s+"
                    r"((?:[\"“][^\"”]{1,30}[\"”]\s*(?:,\s*|\s+or\s+|,\s*or\s+)?){2,})",
                    re.IGNORECASE)
_QUOTED = re.compile(r"[\"“]([^\"”]{3,})[\"”]")
#: Most keys a reply schema takes; more is a document, not an extraction.
MAX_KEYS = 12


def _choices(after: str) -> list[str] | None:
    if found := _WHOSE.match(after):
        return _NAME.findall(found.group(1)) or re.findall(r"[\"“]([^\"”]+)[\"”]",
                                                           found.group(1))
    if found := _IN_BRACKETS.match(after):
        options = [o.strip(" '\"") for o in re.split(r",|\bor\b", found.group(1))]
        options = [o for o in options if o and len(o.split()) <= 3]
        return options if len(options) >= 2 else None
    return None


@dataclass(frozen=True)
class JsonRequest:
    """What a message asking for a JSON object names: its keys and the text they describe."""

    #: Each key, with the values the message lists for it ("(low, medium or high)") or None.
    keys: dict[str, list[str] | None]
    #: The text the values come from: what the message quotes, else the message.
    data: str


def json_request(message: str) -> JsonRequest | None:
    """The object `message` asks for, or None when it asks for none (or for too many keys)."""
    if not _ASKS_JSON.search(message) or not (found := _KEYS.search(message)):
        return None
    keys: dict[str, list[str] | None] = {}
    for name in _NAME.finditer(found.group(1)):
        keys[name.group(1).strip()] = _choices(message[found.start(1) + name.end():])
    if not keys or len(keys) > MAX_KEYS:
        return None
    # The data is what the message quotes, apart from the key names themselves (cut out
    # first: a two-letter key's closing quote would otherwise open a quote).
    rest = message[:found.start()] + " " + message[found.end():]
    data = [q for q in _QUOTED.findall(rest) if q.strip() not in keys]
    return JsonRequest(keys=keys, data=" ".join(data) or message)


def reply_schema(message: str, *, copy_spans: bool = False) -> dict[str, Any] | None:
    """The JSON schema of the object `message` asks for, or None when it asks for none."""
    if (request := json_request(message)) is None:
        return None
    spans = message_spans(request.data) if copy_spans else []
    keys: dict[str, dict[str, Any]] = {}
    for key, choices in request.keys.items():
        if choices:
            keys[key] = {"type": "string", "enum": choices}
        elif spans:
            keys[key] = {"type": "string", "enum": spans}
        else:
            keys[key] = {"type": "string", "maxLength": MAX_ARGUMENT_CHARS}
    return {"type": "object", "properties": keys, "required": list(keys),
            "additionalProperties": False}
