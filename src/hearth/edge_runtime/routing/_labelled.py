"""Unquoted values the message labels: "using the command tasklist /FI …", "identifier 3pak7".

Two kinds of value a small model cannot copy: a shell command (it keeps a
few words of it, or none, and the call is refused as made up) and an
identifier (`3pak7`, `ACHD`: it picks the function's own words instead).
People say which is which:
* a command follows the words "the command" (or "the command called") and
  runs to the end of the message: that text is the `command` argument, as
  written;
* an identifier follows its argument's name ("the MPN identifier 3pak7"),
  or is the message's only identifier-like token (letters with digits, or a
  capitalised code such as `ACHD`) that is not a word of the function's
  name or one of its listed values.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

#: Argument names that hold a command line.
_COMMAND_NAMES = frozenset(("command", "cmd", "command_line", "commandline"))
#: Words of argument names that hold an identifier.
_ID_WORDS = frozenset(("id", "identifier", "code", "sku", "mpn", "serial", "ref",
                       "reference"))
_COMMAND = re.compile(r"\bthe\s+command\s*(?:[:=]|\b(?:called|named)\b)?\s+(.+?)\s*[?!.]*\s*$",
                      re.IGNORECASE | re.DOTALL)
#: Capitalised words that are common abbreviations, not anybody's identifier.
_ACRONYMS = frozenset((
    "api", "id", "ids", "url", "uri", "http", "https", "json", "xml", "html", "csv", "pdf", "sql",
    "usa", "us", "uk", "eu", "un", "ai", "ip", "ok", "am", "pm", "utc", "gmt", "faq", "ceo",
    "tv", "pc", "gps", "sms", "os", "asap", "fyi", "diy", "vip", "atm", "pin", "nyc", "la",
    "get", "post", "put", "patch", "delete", "head", "rest", "crud"))
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*[A-Za-z0-9]|[A-Za-z0-9]")
_QUOTES = "'\"`"


def _name_words(name: str) -> set[str]:
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name).replace("_", " ")
    return {w.lower() for w in spaced.split()}


def _id_like(token: str) -> bool:
    has_digit = any(c.isdigit() for c in token)
    has_alpha = any(c.isalpha() for c in token)
    return (has_digit and has_alpha) or (token.isalpha() and token.isupper() and len(token) >= 2)


def _command(user: str) -> str | None:
    found = _COMMAND.search(user)
    if found is None:
        return None
    text = found.group(1).strip()
    if len(text) >= 2 and text[0] in _QUOTES and text[-1] == text[0]:
        text = text[1:-1].strip()
    return text or None


def _identifier(key: str, user: str, excluded: set[str]) -> str | None:
    labels = _name_words(key) | ({"identifier"} if key.lower() == "id" else set())
    for label in sorted(labels):
        found = re.search(rf"\b{re.escape(label)}\s*[:=#]?\s*['\"]?({_TOKEN.pattern})",
                          user, re.IGNORECASE)
        if found and _id_like(found.group(1)) and found.group(1).lower() not in _ACRONYMS:
            return found.group(1)
    tokens = {t for t in _TOKEN.findall(user)
              if _id_like(t) and t.lower() not in excluded | _ACRONYMS}
    return tokens.pop() if len(tokens) == 1 else None


def labelled_arguments(schema: Mapping[str, Any], user: str,
                       function: str = "") -> dict[str, str]:
    """{argument: value} for command and identifier arguments the message labels."""
    properties: Mapping[str, Any] = schema.get("properties") or {}
    excluded = _name_words(function)
    for prop in properties.values():
        if isinstance(prop, Mapping):
            excluded |= {str(v).lower() for v in prop.get("enum") or () if isinstance(v, str)}
    out: dict[str, str] = {}
    for key, prop in properties.items():
        if not isinstance(prop, Mapping) or prop.get("type", "string") != "string":
            continue
        if str(key).lower() in _COMMAND_NAMES:
            value = _command(user)
        elif _name_words(str(key)) & _ID_WORDS:
            value = _identifier(str(key), user, excluded | _name_words(str(key)))
        else:
            continue
        if value:
            out[str(key)] = value
    return out
