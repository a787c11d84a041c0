"""One value of the message fills one argument.

A model that found a name in the message tends to put it in every string
argument that could hold a name: "a thriller directed by Alexander
Mackendrick" gets `directed_by` and `cast` both set to him, and the search
looks for films he acted in. A value the readers read for one argument, or
that a required argument holds, is dropped from the optional arguments that
repeat it: their default ("any cast") is what the user asked for.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from typing import Any


def one_holder(schema: Mapping[str, Any], read: Mapping[str, Any]) -> dict[str, Any]:
    """`read` less values that fill several arguments, kept only in the one required of them.

    A reader that finds one value for two arguments (an identifier for `botId`
    and `localeId`, coordinates for a ride's origin and destination) cannot
    tell which is meant; the one required argument is, or none of them.
    """
    required = set(schema.get("required") or ())
    out = dict(read)
    for value in {value_key(v) for v in read.values()}:
        holders = [k for k, v in read.items() if value_key(v) == value]
        needed = [k for k in holders if k in required]
        if len(holders) > 1:
            for key in holders:
                if needed != [key]:
                    del out[key]
    return out


def value_key(value: object) -> str:
    """A value as compared for sameness: trimmed, case folded."""
    return str(value).strip().casefold()


def _repeat_key(value: object) -> str | None:
    """A value as compared for repeats: as `value_key`, numbers without leading zeros
    ("20/6/2022" repeats "20/06/2022") and a one-item list as its item; None for others."""
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    if not isinstance(value, str) or not value.strip():
        return None
    # Leading zeros of whole numbers only: "1.05" is not "1.5"; no int() of a long run.
    return re.sub(r"(?<![\d.])0+(?=\d)", "", value_key(value))


def without_repeats(
    schema: Mapping[str, Any], arguments: Mapping[str, Any], read: Collection[str] = ()
) -> dict[str, Any]:
    """`arguments` less optional values that repeat a read or required argument's value.

    `read` names the arguments a reader took from the message as written. The
    message said the value once, for one argument: a return time equal to the
    departure ("20/6/2022 17:00" for "20/06/2022 17:00") or a network id list
    holding the sensor's serial is the model filling in, not the user.
    """
    required = set(schema.get("required") or ())
    owners: dict[str, str] = {}
    for key, value in arguments.items():
        if (found := _repeat_key(value)) is not None and (key in read or key in required):
            owners.setdefault(found, key)
    return {
        key: value
        for key, value in arguments.items()
        if key in read
        or key in required
        or (found := _repeat_key(value)) is None
        or owners.get(found, key) == key
    }


#: What joins a value to another argument's at its end: "Hilton Hotel in Chicago",
#: "123 main street, with parcel number 1234567890".
_JOINED = re.compile(r",\s*with\b(?:\s+[\w-]+){0,3}?\s+$|\s+(?:in|at|near)\s+$", re.IGNORECASE)
#: Arguments holding a place: a value ending "in <that place>" ran on into it.
_PLACE = re.compile(r"location|city|town|state|county|country|area|region|district|place|"
                    r"address|zip|postcode|parcel|lot|neighbou?rhood", re.IGNORECASE)


#: Arguments that hold a whole request or text ("restaurants in New York" is the query).
_FREE_TEXT = re.compile(r"query|search|text|message|content|description|prompt|keyword|"
                        r"question|sentence|note|comment|title|body|term|movie|film|song|"
                        r"album|book|dish|recipe|show|event|play|artist|band|track",
                        re.IGNORECASE)


def without_other_tails(arguments: Mapping[str, Any]) -> dict[str, Any]:
    """`arguments` with a string cut where it runs on into another argument's value.

    A model copying a span takes too much: `hotel_name` "Hilton Hotel in
    Chicago" beside `location` "Chicago". The tail joined by "in", "at",
    "near" or ", with ..." to a place argument's value is that argument's;
    titles and free text ("Sleepless in Seattle") keep their words.
    """
    out = dict(arguments)
    for key, value in arguments.items():
        if not isinstance(value, str) or _FREE_TEXT.search(str(key)):
            continue
        for other, held in arguments.items():
            if other == key or not isinstance(held, str) or len(held.strip()) < 3 or \
                    not _PLACE.search(str(other)):
                continue
            tail = held.strip()
            if value.casefold().endswith(tail.casefold()) and len(value) > len(tail):
                head = value[:len(value) - len(tail)]
                if (joined := _JOINED.search(head)) and joined.start() > 0:
                    out[key] = head[:joined.start()].strip()
                    break
    return out
