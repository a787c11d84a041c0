"""How well an offered function fits a message: shared words, weighted by where they sit.

A small model asked "which of these tools, or none" picks a tool for almost
every message. Whether a function fits is mostly visible in the words: a
request to dim the lights names lights; a question about Peru's capital names
nothing a thermostat function mentions. The score is a cheap first opinion;
the model is asked only when it is neither clearly high nor zero.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

#: Words that say nothing about which function fits.
STOP_WORDS = frozenset((
    "a", "an", "the", "and", "or", "of", "to", "in", "on", "for", "with", "by", "at", "from",
    "is", "are", "was", "were", "be", "been", "it", "this", "that", "these", "those", "what",
    "which", "who", "whom", "how", "when", "where", "why", "can", "could", "would", "should",
    "will", "shall", "may", "might", "do", "does", "did", "please", "me", "my", "i", "you",
    "your", "we", "our", "us", "get", "set", "give", "tell", "show", "make", "let", "s", "t",
    "use", "using", "want", "need", "some", "any", "all", "just", "now", "today", "there",
    "here", "as", "into", "than", "then", "so", "if", "not", "no", "yes", "about", "like",
    "one", "two"
))  # fmt: skip
#: A function whose score reaches this is called without asking the model.
SURE_SCORE = 2.0

_WORD = re.compile(r"[a-z0-9]+")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def _stem(word: str) -> str:
    """A crude stem that gives a word's forms one key: service, services -> servic;
    provide, provides, provided, providing -> provid; box, boxes -> box; city,
    cities -> citi; movie, movies -> movi; multiply, multiplied, multiplication
    -> multipli (`score` also gives a message's -ation nouns their verbs' stems)."""
    if len(word) > 9 and word.endswith("ication"):
        return word[:-7] + "i"
    if len(word) > 4 and word.endswith(("ied", "ies")):
        return word[:-3] + "i"
    for suffix in ("ing", "ed"):
        if len(word) > len(suffix) + 2 and word.endswith(suffix):
            return _final_y(word[: -len(suffix)])
    if len(word) > 4 and word.endswith(("sses", "xes", "ches", "shes", "zes")):
        word = word[:-2]
    elif len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    # A final e goes too: "services" loses its s, "service" its e, and they meet; a
    # final y is an i, as in "cities" and "multiplied".
    if len(word) > 3 and word.endswith("e"):
        return word[:-1]
    return _final_y(word)


def _final_y(word: str) -> str:
    return word[:-1] + "i" if len(word) > 3 and word.endswith("y") else word


def name_words(name: str) -> list[str]:
    """The words of an identifier, lower case: `departure_time`, `productId` -> [.., ..]."""
    return _CAMEL.sub(" ", name).replace("_", " ").lower().split()


def _verbs(word: str) -> tuple[str, ...]:
    """The verbs an -ation noun may come from: combination -> combine, translation -> translate."""
    if len(word) > 8 and word.endswith("ation") and not word.endswith("ication"):
        return word[:-5] + "e", word[:-5] + "ate"
    return ()


def words(text: str) -> set[str]:
    """Content words of `text`, lowercased and crudely stemmed; names split at _ . and case."""
    spaced = _CAMEL.sub(" ", text).replace("_", " ").replace(".", " ")
    return {_stem(w) for w in _WORD.findall(spaced.lower()) if w not in STOP_WORDS and len(w) > 1}


def _schema_words(parameters: Mapping[str, Any]) -> tuple[set[str], set[str]]:
    names: set[str] = set()
    values: set[str] = set()
    for name, prop in (parameters.get("properties") or {}).items():
        names |= words(name)
        if isinstance(prop, Mapping):
            values |= words(str(prop.get("description", "")))
            for item in prop.get("enum") or ():
                values |= words(str(item))
    return names, values


#: Verbs that many function names start with: "find" in a message says it wants
#: something found, not that `find_bus` fits, so they weigh like description words.
GENERIC_VERBS = frozenset(_stem(w) for w in (
    "find", "search", "fetch", "list", "create", "add", "update", "delete", "remove", "check",
    "request", "retrieve", "look", "lookup", "send", "run", "execute", "open", "start", "call",
    "query", "info", "information", "data", "detail", "details", "new"))


#: Words that ask for what a function's name says: "combine the names" is `concat`.
_ASKS_FOR: dict[str, frozenset[str]] = {
    _stem(name): frozenset(words(" ".join(alike))) for name, alike in (
    ("concat", ("combine", "concatenate")),
    ("sort", ("arrange", "ascending", "descending")),
    ("reverse", ("backwards", "reversed")),
    # "Is it going to rain in Dublin?" asks for the weather without the word.
    ("weather", ("rain", "raining", "rainy", "snow", "snowing", "sunny", "cloudy", "windy",
                 "storm", "stormy", "umbrella", "forecast")),
)}  # fmt: skip
#: Arithmetic asked for in words between or before numbers ("12 plus 30", "the product
#: of 6 and 7"): raw words, not stems ("times" and "time" share one).
_NUMBER = r"-?\d+(?:\.\d+)?"
_COMPUTES: dict[str, re.Pattern[str]] = {
    _stem(name): re.compile(pattern, re.IGNORECASE) for name, pattern in (
    ("sum", rf"{_NUMBER}\s*(?:plus|\+)\s*{_NUMBER}|\b(?:sum|addition) of\s+{_NUMBER}"
            rf"|\badd\s+{_NUMBER}\s+(?:and|to)\s+{_NUMBER}"),
    ("add", rf"{_NUMBER}\s*(?:plus|\+)\s*{_NUMBER}|\bsum of\s+{_NUMBER}"),
    ("multiply", rf"{_NUMBER}\s*(?:times|x|×)\s*{_NUMBER}|\bproduct of\s+{_NUMBER}"),
    ("subtract", rf"{_NUMBER}\s*minus\s*{_NUMBER}|\bsubtract\s+{_NUMBER}"),
    ("divide", rf"{_NUMBER}\s*divided by\s*{_NUMBER}"),
)}  # fmt: skip


#: Sides of which a message asking for one does not ask for another: "the lowest score"
#: is no `high_score`, "the external rate" no `internal_rate`. Not top/bottom ("a
#: top-load washer") nor buy/sell ("before it sells out"): they name other things too.
_EXCLUSIVE: tuple[tuple[frozenset[str], ...], ...] = tuple(
    tuple(frozenset(_stem(w) for w in side.split()) for side in sides) for sides in (
    ("high highest higher", "low lowest lower"),
    ("max maximum largest biggest", "min minimum smallest"),
    ("internal", "external"), ("import", "export"),
    ("increase", "decrease"), ("sunrise", "sunset"), ("input", "output"),
    ("profit revenue income gain", "loss"), ("arrival", "departure"), ("birth", "death"),
    ("area", "volume", "perimeter circumference"),
    ("median", "mean average", "variance", "deviation"),
))  # fmt: skip


def contradicts(message: str, name: str, others: Iterable[str] = ()) -> bool:
    """Whether the message asks for another side of a word in the function's name.

    It does where the other side's word comes right before one of the name's
    words ("the lowest score" for `high_score`), or where another offered
    function is named with that side ("get_min" beside `get_max`). A side
    word elsewhere ("my loss" for `calculate_profit`) may be the name's own
    result and says nothing.
    """
    tokens = [_stem(t) for t in _WORD.findall(message.lower())]
    said, named = set(tokens), words(name)
    siblings = set().union(*(words(other) for other in others if other != name))
    for sides in _EXCLUSIVE:
        own = [side for side in sides if named & side]
        if not own or any(said & side for side in own):
            continue
        for side in sides:
            if side in own or not side & said:
                continue
            beside = any(t in side and named & set(tokens[n + 1:n + 3])
                         for n, t in enumerate(tokens))
            if beside or side & siblings:
                return True
    return False


def _asked(message: str) -> tuple[set[str], set[str]]:
    """(name words the message asks for, all its words): its words and the name words its
    words ask for; a noun's verb ("combination": combine) counts only beside the name."""
    said = words(message)
    named = said | {name for name, asks in _ASKS_FOR.items() if said & asks}
    named |= {name for name, pattern in _COMPUTES.items() if pattern.search(message)}
    # A noun's verb is added on the message's side only: one word counts once.
    return named, named | {_stem(v) for w in _WORD.findall(message.lower()) for v in _verbs(w)}


def score(message: str, name: str, description: str, parameters: Mapping[str, Any]) -> float:
    """Shared content words: 2 per word of the name, 1 of the description, 0.5 of the schema.

    Generic verbs and nouns of a name ("find", "list", "data") count as description words.
    A word that asks for what a name word does ("combine" for `concat`, "plus"
    for `sum` where the message gives numbers) counts as that name word.
    """
    named, said = _asked(message)
    name_words = words(name) - GENERIC_VERBS
    described = (words(description) | (words(name) & GENERIC_VERBS)) - name_words
    param_names, param_values = _schema_words(parameters)
    schema_words = (param_names | param_values) - name_words - described
    return (2.0 * len(named & name_words) + 1.0 * len(said & described)
            + 0.5 * len(said & schema_words))


def readable(message: str) -> bool:
    """Whether the word scores mean anything: most letters are Latin ones.

    The words compared are English-like; for a message in another script a
    score of zero says nothing, and the model decides.
    """
    letters = [c for c in message if c.isalpha()]
    latin = sum(1 for c in letters if c.isascii())
    return not letters or latin / len(letters) >= 0.7


def rank(message: str, functions: Iterable[Mapping[str, Any]]) -> list[tuple[float, str]]:
    """(score, name) of each OpenAI-style function schema, best first; -1 for a function
    whose name the message contradicts (see `contradicts`)."""
    functions = list(functions)
    names = [str(f["name"]) for f in functions]
    scored = [(-1.0 if contradicts(message, f["name"], names) else
               score(message, f["name"], str(f.get("description", "")),
                     f.get("parameters") or {}), f["name"]) for f in functions]
    return sorted(scored, key=lambda pair: -pair[0])
