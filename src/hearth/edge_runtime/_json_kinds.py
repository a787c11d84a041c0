"""More kinds of JSON reply values read from the text: names, businesses, codes, counted things.

`_json_values` reads values whose key names a kind with one written form (a
day, a time, an email). These read the kinds a key names less exactly:

* a person ("name", "sender", "who"): the one capitalised name not at a
  sentence's start ("Hi, it's Gordon" -> "Gordon");
* a business ("store", "airline", "hotel"): a capitalised name after "at",
  "from" or "with", or a word in capitals ("Paid 23.45 by card at Aldi");
* a code ("flight_number", "tracking", "room"): the one token of letters and
  digits ("KL1234", "#A7731", "B12");
* a count of what the key names ("nights", "bedrooms", "times_per_day"):
  the number written before that word ("3 nights", "2-bedroom", "three times");
* a rating: "1 star", "9 out of 10";
* the things a text lists ("items", "ingredients"): "200 g flour, 2 eggs, 300 ml
  milk and a pinch of salt" as four items, where a small model stops at three.

Each returns None unless the text holds exactly one candidate.
"""

from __future__ import annotations

import re

from hearth.edge_runtime.routing._math import COUNT_WORDS
from hearth.edge_runtime.tools._calendar import MONTHS, WEEKDAYS

#: Capitalised words that are no one's name.
_NOT_NAMES = frozenset({"I", "I'm", "Im", "Hi", "Hello", "Hey", "Dear", "The", "A", "An", "My",
                        "Our", "Your", "This", "That", "Please", "Thanks", "OK", "Ok", "Sept",
                        "Tues", "Thur", "Thurs", *WEEKDAYS, *(m.capitalize() for m in MONTHS),
                        *(d[:3] for d in WEEKDAYS), *(m[:3].capitalize() for m in MONTHS)})
#: Words that make a name a place, not a business or a person ("Lisbon Airport").
_PLACE_NAMES = re.compile(r"\b(?:Airport|Station|Street|St|Road|Rd|Avenue|Ave|Square|Park|Lane|"
                          r"Hospital|Centre|Center|Mall|Bridge|Beach|Lake|Hall|Platform)\b")
_TITLE = r"(?:(?:Dr|Mr|Mrs|Ms|Prof)\.?\s+)?"
_CAPITALISED = re.compile(r"(?<![\w.])(" + _TITLE + r"[A-Z][a-zà-ÿ'’-][\w'’-]*"
                          r"(?:\s+[A-Z][a-zà-ÿ'’-][\w'’-]*){0,2})(?![\w'’-])")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;—–]\s*|\n)\W*$")
_PLACE_BEFORE = re.compile(r"\b(?:in|to|into|near|at|from|via)\s+(?:the\s+)?$", re.IGNORECASE)
_BUSINESS_BEFORE = re.compile(r"\b(?:at|from|with|via)\s+(?:the\s+)?$", re.IGNORECASE)
_TITLED = re.compile(r"(?:Dr|Mr|Mrs|Ms|Prof)\.?\s")
_PAIRED = re.compile(r"\b[A-Z][a-z]+\s+(?:and|&)\s+$")
#: A brand in capitals ("KLM", "DHL"); two letters ("TV") are more often a thing.
_CAPS = re.compile(r"(?<![\w#])([A-Z]{3,6})(?![\w])")
_CODE = re.compile(r"(?<![\w#])#?((?=[A-Z0-9-]*\d)(?=[A-Z0-9-]*[A-Z])[A-Z0-9][A-Z0-9-]{1,15})"
                   r"(?![\w])")
_RATING = re.compile(r"(?<![\w.])(\d{1,2}(?:\.\d)?)\s*(?:stars?\b|out\s+of\s+\d{1,3}\b|"
                     r"/\s*\d{1,3}\b)", re.IGNORECASE)
_PREPOSITION = r"(?:from|to|at|in|on|for|of|by|with|and|or)"
#: Key words that name no counted thing ("per" in "times_per_day").
_NOT_COUNTED = frozenset({"per", "of", "the", "a", "number", "num", "count", "total", "amount",
                          "every", "each", "in", "no"})


def _names(text: str, *, businesses: bool) -> set[str]:
    found = set()
    for match in _CAPITALISED.finditer(text):
        name = match.group(1)
        before = text[max(0, match.start() - 40):match.start()]  # near: no rescan per match
        if businesses and name.startswith("The "):
            name = name[4:]  # "at The Ritz"
        first = name.split()[0]
        if first in _NOT_NAMES or _SENTENCE_START.search(before) or _PLACE_NAMES.search(name):
            continue
        # A business is named after "at"/"from"/"with"; a person never after "in"/"to"/"at".
        if (businesses and not _BUSINESS_BEFORE.search(before)) or \
                (not businesses and _PLACE_BEFORE.search(before) and not _TITLED.match(name)
                 and not re.search(r"['’]s$", name)):  # "at Kim's place" names Kim
            continue
        if not businesses and _PAIRED.search(before):
            return set()  # "Tom and Anna are coming": two people, no one name
        found.add(" ".join(w for w in name.split() if w not in _NOT_NAMES))
    return {n for n in found if n}


def person(text: str) -> str | None:
    """The one name of a person the text writes."""
    found = _names(text, businesses=False)
    return found.pop() if len(found) == 1 else None


def business(text: str) -> str | None:
    """The one business the text names: after at/from/with, else a word in capitals."""
    found = _names(text, businesses=True) or {m.group(1) for m in _CAPS.finditer(text)} - {"I"}
    return found.pop() if len(found) == 1 else None


def code(text: str) -> str | None:
    """The one token of capital letters and digits ("KL1234", "#A7731"; not "3PM")."""
    found = {m.group(1) for m in _CODE.finditer(text)
             if not re.fullmatch(r"\d{1,2}(?:AM|PM)", m.group(1))}
    return found.pop() if len(found) == 1 else None


def labelled(key: str, text: str) -> str | None:
    """The value written right after the word the key names: "gate 22", "flight BA 217"."""
    words = [w for w in key.lower().split("_") if w not in _NOT_COUNTED and len(w) > 1]
    found = {m.group(1) for w in words for m in re.finditer(
        r"\b" + re.escape(w) + r"s?\s+(?:number\s+|no\.?\s+|#\s?)?([A-Z]{0,3}\s?\d[\w-]{0,12}|"
        r"[A-Z]\d[\w-]{0,12})\b", text, re.IGNORECASE)}
    return found.pop() if len(found) == 1 else None


def rating(text: str) -> str | None:
    found = {m.group(1) for m in _RATING.finditer(text)}
    return found.pop() if len(found) == 1 else None


def counted(key: str, text: str) -> str | None:
    """The number written before the thing `key` names: "3 nights", "2-bedroom", "three times"."""
    found = set()
    for word in key.lower().split("_"):
        if len(word) < 2 or word in _NOT_COUNTED:
            continue
        stem = word[:-1] if word.endswith("s") and len(word) > 3 else word
        # "41 min" for "minutes", "200g" for "grams": the word's first three letters, or a
        # one- or two-letter unit written as the key writes it.
        head = stem[:3] if len(stem) > 3 else stem
        for match in re.finditer(r"(?<![\w.:])(\d{1,6}(?:\.\d{1,3})?|" + "|".join(COUNT_WORDS)
                                 + r")(?:[\s-]+(?:(?!" + _PREPOSITION + r"\b)[a-z]+\s+)?|\s?(?="
                                 + re.escape(head[:1]) + r"))" + re.escape(head) + r"\w*", text,
                                 re.IGNORECASE):
            word_count = COUNT_WORDS.get(match.group(1).lower())
            found.add(str(word_count) if word_count is not None else match.group(1))
    return found.pop() if len(found) == 1 else None


#: An item starts at a word, not a space: a leading space made the enumeration exponential.
_ITEM = r"[^,.;:!?()\n\s][^,.;:!?()\n]{0,39}?"
#: "a, b, c and d", "a, b, or c", "a, b, c": three items or more, or two with a comma.
_ENUMERATION = re.compile(r"(" + _ITEM + r"(?:,\s*" + _ITEM + r"){1,30}(?:,?\s+(?:and|or|&)\s+"
                          + _ITEM + r")?)(?=\s*(?:[.;:!?)\n]|$))", re.IGNORECASE)
#: Words that end the lead-in before the first item: "you'll need 200 g flour".
_LEAD_IN = re.compile(r"^.*\b(?:need|needs|needed|bought|buy|get|got|includes?|including|are|is|"
                      r"were|was|has|have|had|with|like|such\s+as|contains?|ordered|packed|"
                      r"invited|visited|add|took)\s+", re.IGNORECASE)
#: What follows the last item: "... and Carla to the party".
_TAIL = re.compile(r"\s+(?:to|at|in|on|for|from|into|before|after|because|since|yesterday|"
                   r"today|tomorrow)\b.*$", re.IGNORECASE)
#: Words of a clause, not of a thing: "Hello, my name is Bob, I live in Paris" lists nothing.
_CLAUSE = re.compile(r"\b(?:is|are|was|were|who|which|that|i|my|we|you|he|she|they|it|love|"
                     r"loves|live|lives)\b", re.IGNORECASE)
#: Most words of one listed item; a longer "item" is a clause.
MAX_ITEM_WORDS = 6


def listed(text: str) -> list[str] | None:
    """The items of the text's one list of three or more things, as written, or None."""
    found: list[list[str]] = []
    for match in _ENUMERATION.finditer(text):
        items = [i.strip() for i in re.split(r",\s*(?:(?:and|or|&)\s+)?|\s+(?:and|or|&)\s+",
                                                match.group(1)) if i.strip()]
        if items:
            items[0] = _LEAD_IN.sub("", items[0]).strip()
            items[-1] = _TAIL.sub("", items[-1]).strip()
        if len(items) >= 3 and all(0 < len(i.split()) <= MAX_ITEM_WORDS and not _CLAUSE.search(i)
                                   for i in items):
            found.append(items)
    return found[0] if len(found) == 1 else None
