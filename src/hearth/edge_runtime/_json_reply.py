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


def reply_schema(message: str, *, copy_spans: bool = False) -> dict[str, Any] | None:
    """The JSON schema of the object `message` asks for, or None when it asks for none."""
    if not _ASKS_JSON.search(message) or not (found := _KEYS.search(message)):
        return None
    keys: dict[str, dict[str, Any]] = {}
    for name in _NAME.finditer(found.group(1)):
        key = name.group(1).strip()
        after = message[found.start(1) + name.end():]
        choices = _choices(after)
        keys[key] = {"type": "string", "enum": choices} if choices else {"type": "string"}
    if not keys or len(keys) > MAX_KEYS:
        return None
    # The data is what the message quotes, apart from the key names themselves.
    data = [q for q in _QUOTED.findall(message) if q.strip() not in keys]
    spans = message_spans(" ".join(data) or message) if copy_spans else []
    for prop in keys.values():
        if "enum" not in prop:
            if spans:
                prop["enum"] = spans
            else:
                prop["maxLength"] = MAX_ARGUMENT_CHARS
    return {"type": "object", "properties": keys, "required": list(keys),
            "additionalProperties": False}
