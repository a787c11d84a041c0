"""Unquoted values the message labels: "the command ls", "identifier 3pak7", "directed by X".

Values a small model cannot copy: a shell command (it keeps a
few words of it, or none, and the call is refused as made up) and an
identifier (`3pak7`, `ACHD`: it picks the function's own words instead).
People say which is which:
* a command follows the words "the command" (or "the command is/called")
  and runs to the end of the message;
* an identifier follows its argument's name ("the MPN identifier 3pak7"),
  or is the message's only identifier-like token (letters with digits, a
  capitalised code such as `ACHD`, or a quoted name joined by hyphens such as
  'Alice-One-one-One') that is not a word of the function's
  name, one of its listed values, an ordinal or a clock time.

* a name follows the phrase its argument is named after, when that name
  ends in a preposition: `directed_by` takes "Tim Burton" from "movies
  directed by Tim Burton with Johnny Depp" (a run of capitalised words);
* a value follows its argument's name and a colon, "=" or " - " ("delete
  todo with content - go to gym", "title: Weekly sync"), or "with" and its
  name ("add todo with content go to sleep at 9 pm"), to the sentence's end.

These are repairs, not readings: the model's value stays when the message
has it as written (and it is not only the function's own word), unless it is
a piece of what the label gives ("start" of "start https://…"). A value
after its name and a separator, or after "with" and its name, is a reading
(`explicit_labels`): the message says outright which words are the value.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from hearth.edge_runtime.routing._date_arguments import date_layout, is_time_argument
from hearth.edge_runtime.routing._relevance import name_words

#: Argument names that hold a command line.
_COMMAND_NAMES = frozenset(("command", "cmd", "command_line", "commandline"))
#: Words of argument names that hold an identifier ("code" is not one: zip
#: codes and currency codes are values of their own).
_ID_WORDS = frozenset(("id", "identifier", "sku", "mpn", "serial", "ref", "reference", "number"))
_COMMAND = re.compile(r"\bthe\s+command\b", re.IGNORECASE)
_COMMAND_GLUE = re.compile(r"^(?:is\b|called\b|named\b|[:=])\s*", re.IGNORECASE)
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*[A-Za-z0-9]|[A-Za-z0-9]")
#: Tokens with digits that are no identifier: "3rd", "5pm", "10am".
_NOT_IDS = re.compile(r"^\d+(?:st|nd|rd|th|am|pm|h|s|m|k|kg|km|mb|gb)$", re.IGNORECASE)
_QUOTES = "'\"`"
_QUOTED_JOINED = re.compile(r"['\"`]([A-Za-z0-9][\w.]*(?:[-_][\w.]+)+)['\"`]")
#: Capitalised words that are common abbreviations, not anybody's identifier.
_ACRONYMS = frozenset((
    "api", "id", "ids", "url", "uri", "http", "https", "json", "xml", "html", "csv", "pdf", "sql",
    "usa", "us", "uk", "eu", "un", "ai", "ip", "ok", "am", "pm", "utc", "gmt", "faq", "ceo",
    "tv", "pc", "gps", "sms", "os", "asap", "fyi", "diy", "vip", "atm", "pin", "nyc", "la",
    "get", "post", "put", "patch", "delete", "head", "rest", "crud"))


def _name_words(name: str) -> set[str]:
    return set(name_words(name))


def _id_like(token: str) -> bool:
    if token.lower() in _ACRONYMS or _NOT_IDS.match(token):
        return False
    has_digit = any(c.isdigit() for c in token)
    has_alpha = any(c.isalpha() for c in token)
    return (has_digit and has_alpha) or (token.isalpha() and token.isupper() and len(token) >= 2)


def _command(user: str) -> str | None:
    found = _COMMAND.search(user)
    if found is None:
        return None
    # Sliced and stripped in Python: a regex with two optional runs of spaces
    # around an optional word backtracks in cubic time on a long run of spaces.
    text = _COMMAND_GLUE.sub("", user[found.end():].strip()).strip()
    # A question mark, or one full stop, ends the sentence ("cd .." keeps its dots).
    if text.endswith("?") or (text.endswith(".") and not text.endswith("..")):
        text = text[:-1].rstrip()
    if len(text) >= 2 and text[0] in _QUOTES and text[-1] == text[0]:
        text = text[1:-1].strip()
    return text or None


def runs_commands(functions: Iterable[Mapping[str, Any]], user: str) -> list[str]:
    """Names of the functions that take a command line, when the message gives one.

    "using the command tasklist /FI ..." asks for a function that runs commands,
    whatever else its words share with the function's description.
    """
    if _command(user) is None:
        return []
    return [f["name"] for f in functions
            if any(str(key).lower() in _COMMAND_NAMES
                   for key in ((f.get("parameters") or {}).get("properties") or {}))]


def _identifier(key: str, user: str, excluded: set[str]) -> str | None:
    labels = _name_words(key) | ({"identifier"} if key.lower() == "id" else set())
    for label in sorted(labels):
        glue = r"\s*(?:[:=#]|is\b)?\s*['\"]?"
        for found in re.finditer(rf"\b{re.escape(label)}\b{glue}({_TOKEN.pattern})", user,
                                 re.IGNORECASE):
            if _id_like(found.group(1)) and not re.match(r"\s+\d", user[found.end():]):
                return found.group(1)
    if not labels & (_ID_WORDS - {"number"}):
        return None  # a phone or ticket number is read after its label only
    tokens = {t for t in _TOKEN.findall(user) if _id_like(t) and t.lower() not in excluded}
    # A quoted name joined by hyphens or underscores ('Alice-One-one-One') is one too.
    tokens |= {t for t in _QUOTED_JOINED.findall(user) if t.lower() not in excluded}
    return tokens.pop() if len(tokens) == 1 else None


#: Last words of argument names that are a phrase people say before a name.
_PREPOSITIONS = frozenset(("by", "from", "to", "in", "at", "for", "with", "of", "on"))
#: A name: up to five capitalised words ("Tim Burton", "Guillermo del Toro").
_NAME = r"(?-i:[A-Z][\w'’.-]*(?:\s+(?:(?:de|del|da|van|von|der|la|le)\s+)?[A-Z][\w'’.-]*){0,4})"


def _named(key: str, user: str) -> str | None:
    words = name_words(key)
    if len(words) < 2 or words[-1] not in _PREPOSITIONS:
        return None
    phrase = r"\s+".join(re.escape(w) for w in words)
    found = re.search(rf"\b{phrase}\s+({_NAME})", user, re.IGNORECASE)
    return found.group(1) if found else None


#: A full stop that ends no sentence: after a title ("Dr. Smith") or an initial ("J. Doe").
_NOT_AN_END = r"(?<!\bDr)(?<!\bMr)(?<!\bMs)(?<!\bMrs)(?<!\bSt)(?<!\bJr)(?<!\b[A-Z])"


#: Longest message whose labels are read (the patterns are not linear in its length).
_MAX_LABELLED = 2000
#: Words between a label and its value: "with a title like 'Q3 review'".
_LINKING = re.compile(r"^(?:(?:like|set to|being|called|named|as|of|=)\s+)+", re.IGNORECASE)


def _label_pattern(name: str) -> str:
    return r"[\s_-]?".join(re.escape(w) for w in name_words(name))


def _after_separator(key: str, user: str,
                     others: Sequence[str] = ()) -> tuple[str, bool] | None:
    """"content - go to gym", "title: Weekly sync": the text after the argument's name,
    and whether it came after "with" and the name instead of a separator."""
    label = _label_pattern
    phrase = label(key)
    # The value ends with its sentence (a full stop before a capital, or the end), or
    # where the next label starts (", body: ...", " and content milk").
    nexts = "|".join(label(o) for o in others if name_words(o))
    then = rf"|\s*(?:,|\band\b|\bwith\b)\s+(?:(?:with|the|a)\s+)*(?:{nexts})\b" if nexts else ""
    end = (rf"\s*(?:{_NOT_AN_END}[.!?](?:\s+(?=[A-Z\d'\"])|$)|$"
           rf"|,?\s+\w+\s*(?::|=|\s-)\s{then})")
    found = re.search(rf"\b{phrase}\s*(?::|=|\s-)\s+(.+?){end}", user, re.IGNORECASE)
    prose = found is None
    # "add todo with content go to sleep at 9 pm": "with" and the name are the label.
    found = found or re.search(rf"\bwith\s+(?:the\s+|a\s+)?{phrase}\s+"
                               rf"(?!(?:of|is|was|and|that|which|to|in|for|about)\b)(.+?){end}",
                               user, re.IGNORECASE)
    value = _LINKING.sub("", found.group(1).strip()) if found else ""
    mark = value[:1]
    if mark and mark in _QUOTES and (quoted := re.match(rf"{mark}([^{mark}]+){mark}", value)):
        value = quoted.group(1)  # "with the content 'ravi' from my list": what is quoted
    value = value.strip(_QUOTES + " ")
    return (value, prose) if 0 < len(value) <= 200 else None


def _keeps(given: object, read: str, user: str, own: set[str]) -> bool:
    """Whether the model's value `given` stands against the label's `read`."""
    if not isinstance(given, str) or not given.strip():
        return False
    text = given.strip()
    if text.lower() in own or (text in read and text != read):
        return False  # the function's own word, or a piece of the labelled value
    return text.lower() in user.lower()


def explicit_labels(schema: Mapping[str, Any], user: str,
                    given: Mapping[str, Any] | None = None, function: str = "") -> dict[str, str]:
    """{argument: value} for values the message writes after the argument's name and a
    separator, or after "with" and its name ("title: X", "with the title 'Julian is
    testing12'"), where the model's value is no value the message gives it.

    A repair: the label's value replaces the model's when that carries the label itself
    ("todo with content go to sleep") or is another argument's ("NewsItem" as both
    kind and title); after a separator also when the message does not have it as
    written (`_keeps`), after "with" only when it is missing or the function's own
    word, since a "with" label in prose runs on ("with color warm white at 50%").
    Dates and times are their readers' (`_date_arguments`): a label gives them as
    written, not as asked.
    """
    given = given or {}
    if len(user) > _MAX_LABELLED:
        return {}
    user = re.sub(r"\s+", " ", user)  # runs of spaces make the label patterns backtrack
    properties: Mapping[str, Any] = schema.get("properties") or {}
    names = [str(k) for k in properties]
    own = _name_words(" ".join([function, *names]))
    out: dict[str, str] = {}
    for key, prop in properties.items():
        if not isinstance(prop, Mapping) or prop.get("type", "string") != "string" or \
                "enum" in prop or str(key).lower() in _COMMAND_NAMES or \
                _name_words(str(key)) & _ID_WORDS or _named(str(key), user) is not None or \
                date_layout(prop) is not None or is_time_argument(prop) or \
                prop.get("format") in ("date", "date-time", "time"):
            continue
        if (found := _after_separator(str(key), user, [n for n in names if n != key])) is None:
            continue
        after, prose = found
        model = given.get(key)
        text = model.strip() if isinstance(model, str) else ""
        label = _name_words(str(key))
        carries_label = bool(label & _plain_words(text)) and not label & _plain_words(after)
        elsewhere = bool(text) and any(v == text for k, v in given.items() if k != key)
        # "with color warm white at 50%": a "with" label runs on; it only repairs a value
        # that is missing or the function's own word (a separator's: `_keeps`).
        wrong = (not text or text.lower() in own) if prose else \
            not _keeps(model, after, user, own)
        if text == after or carries_label or elsewhere or wrong:
            out[str(key)] = after
    return out


def _plain_words(text: str) -> set[str]:
    return set(re.findall(r"[a-z]+", text.lower()))


def labelled_arguments(schema: Mapping[str, Any], user: str, function: str = "",
                       given: Mapping[str, Any] | None = None) -> dict[str, str]:
    """{argument: value} for command and identifier arguments the message labels.

    `given` is what the model filled in; a value of it that the message has as
    written is kept (see the module docstring).
    """
    properties: Mapping[str, Any] = schema.get("properties") or {}
    excluded = _name_words(function)
    for prop in properties.values():
        if isinstance(prop, Mapping):
            excluded |= {str(v).lower() for v in prop.get("enum") or () if isinstance(v, str)}
    given = given or {}
    out: dict[str, str] = {}
    for key, prop in properties.items():
        if not isinstance(prop, Mapping) or prop.get("type", "string") != "string":
            continue
        if str(key).lower() in _COMMAND_NAMES:
            value = _command(user)
        elif _name_words(str(key)) & _ID_WORDS:
            value = _identifier(str(key), user, excluded | _name_words(str(key)))
        elif (named := _named(str(key), user)) is not None:
            value = named
        else:
            continue  # a value after its name and a separator: `explicit_labels`
        # A model value that is the label's own is returned too: it counts as read.
        if value and (given.get(key) == value or not _keeps(given.get(key), value, user,
                                                             excluded)):
            out[str(key)] = value
    return out
