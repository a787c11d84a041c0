"""The values of a JSON reply whose key says what kind of value it holds, read exactly.

"Convert to JSON with keys "from" and "to": "I need a train from Paris to
Rome."" names its values by their keys: a key that is a preposition holds the
words after that preposition in the text ("Paris", "Rome"); a key named "day",
"month", "time", "date", "year", "email", "phone", "url" or "price" holds the
one value of that kind the text writes; a "task" is the action asked for
("Remind me on Monday to water the plants" -> "water the plants"). A 135M
model copies the whole sentence into the first key and a wrong span into the
next, so what is read here replaces the model's value. A key whose kind the
text writes not exactly once, or any other key, keeps the model's value.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from hearth.edge_runtime import _json_kinds as kinds
from hearth.edge_runtime._json_reply import JsonRequest, json_request
from hearth.edge_runtime.routing._math import CLOCK_TIME
from hearth.edge_runtime.routing._units import UNIT_WORDS
from hearth.edge_runtime.tools._calendar import MONTHS, WEEKDAYS

_PREPOSITIONS = frozenset({"from", "to", "at", "on", "in", "by", "via", "until", "for", "with",
                           "near", "after", "before"})
#: Where a preposition's object ends: the next preposition, a conjunction, a clause.
_STOP = (r"(?:to|from|at|on|in|by|via|until|for|with|near|after|before|and|but|or|because|so|"
         r"about|please|today|tomorrow|tonight|yesterday|now|then|is|are|was|were|cost|costs|will)")
_OBJECT = r"((?:the\s+)?[\w'’.-]+(?:\s+(?!" + _STOP + r"\b)[\w'’.-]+){0,3})"
_WEEKDAY = re.compile(r"\b(" + "|".join(WEEKDAYS) + r"|today|tomorrow|tonight)\b", re.I)
#: "May" only capitalised: "the meeting may be moved" names no month.
_MONTH = re.compile(r"\b((?i:" + "|".join(m for m in MONTHS if m != "May") + r")|May)\b")
_DATE = re.compile(r"\b(\d{4}-\d{2}-\d{2}|(?:" + "|".join(MONTHS) + r")\s+\d{1,2}(?:st|nd|rd|th)?"
                   r"(?:,?\s+\d{4})?|\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:" + "|".join(MONTHS)
                   + r")(?:,?\s+\d{4})?)\b", re.I)
_YEAR = re.compile(r"\b((?:19|20)\d{2})\b")
#: How often: "three times daily", "twice a day", "every 8 hours", "once a week", "weekly".
_HOW_OFTEN = re.compile(r"\b((?:once|twice|thrice|(?:\d{1,2}|two|three|four|five|six)\s+times)"
                        r"\s+(?:a\s+|per\s+|an?\s+|each\s+)?(?:day|daily|week|weekly|month|"
                        r"monthly|year|hour)|every\s+(?:\d{1,2}\s+)?(?:hours?|days?|weeks?|"
                        r"months?|morning|evening|night)|(?:hourly|daily|weekly|fortnightly|"
                        r"monthly|yearly|annually))\b", re.I)
_EMAIL = re.compile(r"(?<![\w.+-])([\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8})\b")
_PHONE = re.compile(r"(?<![\w-])(\+?\d[\d ()-]{5,20}\d)(?![\w-])")
_YEARS = re.compile(r"^(?:19|20)\d{2}\s*-\s*(?:19|20)\d{2}$")
_URL = re.compile(r"\b((?:https?://|www\.)\S+?)(?=[.,!?)]?(?:\s|$))")
_MONEY = re.compile(r"([$€£]\s?\d[\d,]{0,15}(?:\.\d{1,4})?|(?<![\d,.])\d[\d,]{0,15}(?:\.\d{1,4})?"
                    r"\s?(?:dollars|euros|pounds|usd|eur|gbp)\b)", re.I)
#: The action a to-do or reminder asks for, after its lead-in.
_ACTION = re.compile(
    r"(?:\bremind (?:me|us)\b(?:\s+(?:on|at|in|this|next|tomorrow|tonight)\b[^,.;]*?)?\s+to"
    r"|\b(?:i|we) (?:need|have|must|should|want|got) to|\b(?:urgent|important|essential|vital)"
    r" that (?:i|we)|\b(?:don'?t forget|remember) to)\s+"
    r"(?P<action>(?!(?:am|is|are|was|were|be|have|has|had|will|would|can|could)\b)[^.;!?]+)",
    re.I)
#: Time words that end an action ("water the plants on Monday" -> "water the plants").
_WHEN_TAIL = re.compile(
    r"(?:\s+(?:on|by|before|after|this|next|at|in|every)\s+(?:(?:the\s+)?(?:monday|tuesday|wednesday|"
    r"thursday|friday|saturday|sunday|weekend|week|month|morning|afternoon|evening|night)|"
    r"\d{1,2}(?::\d{2})?\s*(?:am|pm)?|noon|midnight|\d+\s+(?:minutes?|hours?|days?|weeks?))"
    r"|\s+(?:today|tomorrow|tonight)(?:\s+(?:morning|afternoon|evening|night))?"
    r"|,?\s+please)+$", re.I)


def _one(pattern: re.Pattern[str], text: str) -> str | None:
    found = {m.group(1) for m in pattern.finditer(text)}
    return found.pop() if len(found) == 1 else None


def _phone(text: str) -> str | None:
    found = _one(_PHONE, text)
    return None if found is None or _YEARS.match(found) else found  # "2015 - 2023"


#: "to" after these is an infinitive ("I want to leave"), not a destination.
_WANTS = re.compile(r"\b(?:want|wants|wanted|like|need|needs|have|has|going|able|try|trying|"
                    r"plan|planning|hope|used)\s+$", re.I)


def _after(word: str, text: str) -> str | None:
    found = list(re.finditer(r"\b" + word + r"\s+" + _OBJECT, text, re.I))
    if len(found) != 1 or (word == "to" and _WANTS.search(text[:found[0].start()])):
        return None
    value = found[0].group(1).rstrip(".,")
    # A name ends where its capitals do: "to Amsterdam departs at" -> "Amsterdam".
    words = value.split()
    if words[0][:1].isupper():
        ends = next((i for i, w in enumerate(words) if not w[:1].isupper()), len(words))
        value = " ".join(words[:ends])
    return value


def _action(text: str) -> str | None:
    found = _ACTION.search(text)
    if found is None:
        return None
    action = _WHEN_TAIL.sub("", found.group("action").strip())
    return action or None


#: A count: a whole number that is no time, date, price, phone, code or decimal part.
_COUNT = re.compile(r"(?<![\w.,:#/$€£+-])(\d{1,6})(?![\w:/%]|[.,]\d|\s?(?:am|pm|%|dollars|"
                    r"euros|pounds)\b)", re.I)
_MEASURE = re.compile(r"(?<![\w.,])(\d{1,15}(?:\.\d{1,10})?)\s*(" + UNIT_WORDS + r")(?![\w/])",
                      re.I)
_URGENT = re.compile(r"\b(?:urgent(?:ly)?|asap|immediately|right away|emergency|critical)\b", re.I)
_NOT_URGENT = re.compile(r"\b(?:no rush|whenever|someday|some day|no hurry|not urgent|"
                         r"low priority|when you (?:can|have time))\b", re.I)


def _count(text: str) -> str | None:
    found = {m.group(1) for m in _COUNT.finditer(text)}
    return found.pop() if len(found) == 1 else None


def _amount(text: str) -> str | None:
    return _one(_MONEY, text) or _one(_MEASURE, text) or _count(text)


def _unit(text: str) -> str | None:
    found = {m.group(2) for m in _MEASURE.finditer(text)}
    return found.pop() if len(found) == 1 else None


#: A word said with a negation just before it ("not positive at all", "wouldn't call it").
_NEGATED = re.compile(r"(?:\b(?:not|no|never|nor|hardly)\b|n't)(?:\s+\w+){0,3}\s*$", re.I)


def _says(word: str, text: str) -> bool:
    """Whether `text` says `word`, not negated."""
    return any(not _NEGATED.search(text[max(0, m.start() - 40):m.start()])
               for m in re.finditer(r"(?<![\w-])" + re.escape(word) + r"(?![\w-])", text, re.I))


def _priority(choices: list[str], text: str) -> str | None:
    """"URGENT: the server is down" is the highest of (low, medium, high); "no rush" the lowest."""
    lowered = [c.lower() for c in choices]
    if lowered[0] not in ("low", "lowest", "minor") or lowered[-1] not in ("high", "highest",
                                                                           "urgent", "critical"):
        return None
    urgent = any(not _NEGATED.search(text[max(0, m.start() - 40):m.start()])
                 for m in _URGENT.finditer(text))
    calm = bool(_NOT_URGENT.search(text))
    return choices[-1] if urgent and not calm else choices[0] if calm and not urgent else None


_TASK = re.compile(r"^(?:task|todo|to_do|action)$")
_CODED = re.compile(r"^(?:.+_)?(?:number|no|id|code|tracking|reference|ref|flight|plate|gate|seat|"
                    r"room)$")
_BY_KIND: tuple[tuple[re.Pattern[str], Callable[[str], str | None]], ...] = (
    (re.compile(r"^(?:day|weekday)$"), lambda t: _one(_WEEKDAY, t)),
    (re.compile(r"^month$"), lambda t: _one(_MONTH, t)),
    (re.compile(r"^(?:time|hour)$"), lambda t: _one(CLOCK_TIME, t)),
    (re.compile(r"^(?:date|due(?:_date)?)$"), lambda t: _one(_DATE, t)),
    (re.compile(r"^year$"), lambda t: _one(_YEAR, t)),
    (re.compile(r"^(?:frequency|how_often|schedule|repeat|recurrence)$"),
     lambda t: _one(_HOW_OFTEN, t)),
    (re.compile(r"^e-?mail(?:_address)?$"), lambda t: _one(_EMAIL, t)),
    (re.compile(r"^(?:phone|telephone|mobile|phone_number|number)$"), _phone),
    (re.compile(r"^(?:url|link|website)$"), lambda t: _one(_URL, t)),
    (re.compile(r"^(?:price|cost|total)$"), lambda t: _one(_MONEY, t)),
    (re.compile(r"^amount$"), _amount),
    (re.compile(r"^(?:quantity|qty|count|guests|people|persons|number_of_\w+|pieces|servings)$"),
     _count),
    (re.compile(r"^unit$"), _unit),
    (re.compile(r"^(?:destination|to_city|arrival_city)$"), lambda t: _after("to", t)),
    (re.compile(r"^(?:origin|from_city|departure_city)$"), lambda t: _after("from", t)),
    (_TASK, _action),
    (re.compile(r"^(?:name|full_name|person|who|sender|contact|assignee|owner|guest|patient|"
                r"doctor|child|customer|author|recipient|host|friend)$"), kinds.person),
    (re.compile(r"^(?:store|shop|restaurant|hotel|venue|airline|carrier|company|merchant|brand|"
                r"business|vendor|bank|courier|shop_name|store_name)$"), kinds.business),
    (re.compile(r"^(?:rating|score|stars)$"), kinds.rating),
)


#: Keys that hold the things a text lists ("ingredients", "items").
_LISTED = re.compile(r"^(?:items|ingredients|tags|names|toppings|pros|cons|features|colou?rs|"
                     r"skills|languages|things|products|groceries|foods|fruits|vegetables|"
                     r"animals|cities|countries|members|attendees|participants|hobbies|symptoms|"
                     r"allergies|activities|materials|list|\w+_list)$")


def read_values(request: JsonRequest) -> dict[str, str | list[str]]:
    """Values of the request's free keys that its text states exactly, by the key's kind.

    Keys whose values the message lists ("(low, medium or high)") are the
    model's to choose among; no reader fills them.
    """
    read: dict[str, str | list[str]] = {}
    for key, choices in request.keys.items():
        if choices:
            # The one listed choice the text says ("by card" of "cash or card"), else urgency.
            said = [c for c in choices if _says(c, request.data)]
            if value := (said[0] if len(said) == 1 else None) or _priority(choices, request.data):
                read[key] = value
            continue
        name = key.strip().lower().replace(" ", "_")
        if _LISTED.match(name) and (items := kinds.listed(request.data)):
            read[key] = items
            continue
        # "departure_time" is a time, "pickup_date" a date: the last word names the kind.
        kind = name if any(p.match(name) for p, _ in _BY_KIND) else name.rsplit("_", 1)[-1]
        value = _after(name, request.data) if name in _PREPOSITIONS else next(
            (reader(request.data) for pattern, reader in _BY_KIND if pattern.match(kind)), None)
        if _CODED.match(name):  # "gate 22" by the key's word, else the one code written
            value = kinds.labelled(name, request.data) or kinds.code(request.data)
        # A kind read twice ("bed 23:40, up 07:05") stays the model's; a count is no time.
        if value is None and not any(p.match(kind) for p, _ in _BY_KIND):
            value = kinds.counted(name, request.data)
        if value:
            read[key] = value
    return read


def with_read_values(reply: str, message: str) -> str:
    """`reply`, a JSON object asked for by `message`, with what the message states in place.

    A reply that is not a JSON object, or a message that asks for none, leaves
    `reply` as it is.
    """
    if (request := json_request(message)) is None or not (read := read_values(request)):
        return reply
    try:
        data = json.loads(reply)
    except ValueError:
        return reply
    if not isinstance(data, dict):
        return reply
    # A task the model copied from inside the action is its own reading, kept (its
    # "call the plumber" over a read "call the plumber tomorrow morning").
    found = _ACTION.search(request.data)
    for key in [k for k in read if _TASK.match(k.strip().lower().replace(" ", "_"))]:
        given = data.get(key)
        if found and isinstance(given, str) and given.strip() and \
                given.strip().lower() in found.group("action").lower():
            del read[key]
    if all(data.get(k) == v for k, v in read.items()):
        return reply
    return json.dumps({**data, **read}, ensure_ascii=False)
