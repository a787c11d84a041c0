"""Whether a call's required arguments come from the message, or were made up.

A model asked for a function's arguments fills every field, also when the
message gives none of them: "I need a train, can you search?" becomes
`from="Can", to="Train", date="Train"`, and "I have a transaction, can you
do it?" a payment of 10.5 to "I have a transaction". Calling with such values
does something nobody asked for; asking for what is missing is what a person
would do (and what function-calling benchmarks count as right).

The checks are lenient (a value the model rephrased, translated or completed
passes while it keeps one of the message's words; a message in another script
is not checked); they catch values that cannot be the user's:
* a string with no content word besides the function's own name words,
  pronouns and generic verbs ("you", "Fetch all", "Train" for `GetTrainTickets`),
  or none that the message says ("John" for "what is your name?", "New York, NY"
  for "any musical shows?"): a value may be reworded, not conjured;
* a date or time in a message that names none (no digit, month, weekday or
  relative day), or a value that is not one;
* a URL that is a bare word, or whose site the message does not name (its
  IP, or a word of its host name: "example" for `api.example.com`);
* a number the message does not state, when the argument's description gives
  no numbers to choose from either.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from hearth.edge_runtime.routing._date_arguments import date_layout, is_time_argument
from hearth.edge_runtime.routing._math import message_numbers, number_value
from hearth.edge_runtime.routing._percent import PERCENT
from hearth.edge_runtime.routing._quoted import QUOTED
from hearth.edge_runtime.routing._region_codes import region_code_words
from hearth.edge_runtime.routing._relevance import GENERIC_VERBS, name_words, readable, words
from hearth.edge_runtime.routing._url_arguments import is_url_argument
from hearth.edge_runtime.routing._us_cities import short_names

_DATE_WORDS = re.compile(
    r"\d|\b(jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|"
    r"sep(t|tember)?|oct(ober)?|nov(ember)?|dec(ember)?|mon(day)?|tue(s|sday)?|wed(nesday)?|"
    r"thu(rs|rsday)?|fri(day)?|sat(urday)?|sun(day)?|today|tomorrow|tonight|yesterday|now|"
    r"morning|noon|afternoon|evening|night|midnight|weekend|week|fortnight|month|year|"
    r"o'?clock|[ap]\.?m\.?)\b", re.IGNORECASE)
_URL = re.compile(r"[/.:]")
#: Parts of host names that name no site ("api.example.com" is named by "example").
_HOST_WORDS = frozenset(("www", "api", "com", "org", "net", "io", "dev", "app", "http",
                         "https", "v1", "v2", "v3"))
#: Short words that are whole values when the message says them ("turn it on").
_STATES = frozenset(("on", "off", "yes", "no", "up", "down", "in", "out", "true", "false"))
#: Words that point at something instead of naming it ("their", "something"), stemmed
#: as the values they are compared with ("something" is "someth").
_POINTERS = words(" ".join((
    "their", "them", "they", "his", "her", "hers", "its", "mine", "yours", "ours", "theirs",
    "something", "anything", "everything", "nothing", "thing", "things", "stuff", "one",
    "ones", "someone", "anyone", "somewhere", "anywhere")))


def _is_date(key: str, prop: Mapping[str, Any]) -> bool:
    tokens = name_words(key)
    named = bool({"date", "time", "datetime", "when"} & set(tokens))
    return named or prop.get("format") == "date-time" or date_layout(prop) is not None \
        or is_time_argument(prop)


def _number_grounded(value: float, prop: Mapping[str, Any], numbers: set[float]) -> bool:
    if value in numbers or "enum" in prop or "default" in prop:
        return True
    # "1 for cleaning, 2 for ironing": the number is read from the description.
    return bool(re.search(r"\d", str(prop.get("description", ""))))


def _capital_runs(message: str, size: int) -> list[str]:
    """Every run of `size` consecutive capitalised words in the message."""
    found = re.findall(r"\b[A-Z][a-z]+\b(?:\s+[A-Z][a-z]+\b)*", message)
    runs: list[str] = []
    for phrase in found:
        parts = phrase.split()
        runs += [" ".join(parts[i:i + size]) for i in range(len(parts) - size + 1)]
    return runs


class _Grounds:
    """What the message offers: its words, numbers, and the function's own words."""

    def __init__(self, message: str, function_words: set[str]) -> None:
        self.readable = readable(message)
        self.dated = bool(_DATE_WORDS.search(message))
        self.original = message
        self.message = message.lower()
        # "New York" gives NY, "United Kingdom" UK: initials of two to four capitalised words.
        self.initials = {"".join(w[0] for w in run.split()) for size in (2, 3, 4)
                         for run in _capital_runs(message, size)}
        self.said = set(re.findall(r"[a-z]+", self.message))
        # "NYC" gives "New York, NY": a short name grounds the name it stands for.
        self.words = words(self.message) | words(short_names(message).lower())
        self.numbers = {float(n) for n in message_numbers(message)}
        # "-2" gives -2 too, and "5%" gives 0.05: the same number in another form.
        self.numbers |= {-float(n) for n in re.findall(r"(?<![\w.])-(\d+(?:\.\d+)?)", message)}
        self.numbers |= {round(float(m.group(1)) / 100, 12) for m in PERCENT.finditer(message)}
        self.own = function_words | GENERIC_VERBS | _POINTERS

    def value(self, key: str, value: object, prop: Mapping[str, Any]) -> bool:
        if not self.readable:  # words, dates and numbers of another script say nothing here
            return value is not None
        if value is None or isinstance(value, bool) or "enum" in prop or "const" in prop:
            return value is not None
        if isinstance(value, int | float):
            number = number_value(value)  # None: an int no float holds, no message wrote it
            return number is not None and _number_grounded(number, prop, self.numbers)
        if isinstance(value, str):
            return self._string(key, value, prop)
        if isinstance(value, list):
            items = prop.get("items")
            shape: Mapping[str, Any] = items if isinstance(items, Mapping) else {}
            return any(self.value(key, item, shape) for item in value) if value else True
        if isinstance(value, Mapping):
            inner = prop.get("properties") or {}
            return all(self.value(k, v, inner.get(k) or {}) for k, v in value.items()
                       if k in (prop.get("required") or ()))
        return True

    def _names_host(self, url: str) -> bool:
        """Whether the message names the URL's site: its IP, or a word of its host name."""
        try:
            host = (urlsplit(url if "//" in url else f"//{url}").hostname or "").lower()
        except ValueError:  # "https://[your-domain]/api": a placeholder, no site at all
            return False
        if not host or host in self.message:
            return True
        # A hyphenated label is named only by all its words ("open-meteo", not "open").
        labels = [label.split("-") for label in host.split(".")
                  if len(label) > 2 and label not in _HOST_WORDS]
        return any(set(parts) <= self.said for parts in labels) or not labels

    def _written(self, value: str) -> bool:
        """Whether the message writes the value as it stands and it is no common word.

        An identifier ("my-bot-id", "user_42") or a quoted value counts, also
        when its words are the function's own: the bot's id is 'my-bot-id'.
        A plain word does not ("Train" for `GetTrainTickets`).
        """
        text = value.strip().lower()
        if len(text) < 2:
            return self._letter(value.strip())
        if re.search(r"[-_./@#:]", text):
            return re.search(rf"(?<![\w-]){re.escape(text)}(?![\w-])", self.message) is not None
        return any(text == quoted.strip() for found in QUOTED.findall(self.message)
                   for quoted in found if quoted)

    def _letter(self, value: str) -> bool:
        """Whether a one-letter value is a letter the message writes alone ("a major C
        scale", "stock 'X'", "solve for x"); "a" and "I" only quoted: they are words."""
        if not re.fullmatch(r"[A-Za-z]", value):
            return False
        alone = rf"(?<![\w'’-]){value}(?![\w'’-])"
        if value in "AaIi":
            alone = rf"['\"‘“]{value}['\"’”]"
        return re.search(alone, self.original) is not None

    def _initials(self, value: str) -> bool:
        """Whether the value abbreviates capitalised words the message writes ("NY")."""
        return bool(re.fullmatch(r"[A-Z]{2,4}", value.strip())) and value.strip() in self.initials

    def _string(self, key: str, value: str, prop: Mapping[str, Any]) -> bool:
        if not value.strip():
            return False
        if is_url_argument(key, prop):
            return bool(_URL.search(value)) and self._names_host(value)
        if _is_date(key, prop):  # the model may have rewritten "tomorrow" as a date
            return self.dated and bool(_DATE_WORDS.search(value))
        if value.strip().lower() in _STATES:
            return value.strip().lower() in self.said
        if re.search(r"\d", value) or self._written(value) or self._initials(value):
            return True
        # "California" gives CA for a state, "the UK" GB for a country.
        if value.strip() in region_code_words(key, self.original):
            return True
        # Compared in lower case: "McDonald's" splits at its capitals, "mcdonald's" not.
        return bool((words(value.lower()) - self.own) & self.words)


def ungrounded(message: str, function: Mapping[str, Any],
               arguments: Mapping[str, Any]) -> list[str]:
    """The required arguments of `function` (an OpenAI-style schema) the message does not give.

    Empty when the call may go ahead; the names otherwise, in the schema's order.
    """
    parameters = function.get("parameters") or {}
    properties: Mapping[str, Any] = parameters.get("properties") or {}
    required = [str(k) for k in parameters.get("required") or ()]
    own = words(str(function.get("name", ""))) | {w for k in properties for w in words(k)}
    grounds = _Grounds(message, own)
    return [key for key in required
            if key not in arguments
            or not grounds.value(key, arguments[key], properties.get(key) or {})]


def asking_for(missing: list[str], function: str) -> str:
    """A short question for the arguments `missing` (their names, read as words)."""
    names = [" ".join(name_words(m)) for m in missing]
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    # Not "I can do that": the function may be the nearest one, not one that fits.
    return f"For {function} I need the {listed}. Could you tell me?"
