"""Places the message writes out: a street address, an area named with its kind.

A model asked for a location copies part of an address ("Street", or the
address without its country) or mangles it ("221 Baker Street" for "221B
Baker Street"). People write addresses in one recognisable shape: a house
number, capitalised street words and a street type, then comma-separated
capitalised parts (city, state, country) or a postcode. That shape is read as
written.

An area named with its kind ("Khlong Sam Wa District", "Sai Kong
Subdistrict") fills the argument named after that kind (`district_name`,
`sub_district_name`) with the name alone: the kind is what the argument
already says. Only administrative kinds: "Quezon City" is a city's whole name.

An argument described as "City, Country" (or with an example such as
'Paris, France') takes the one such pair the message writes ("Hyderabad,
India"), where a model keeps only the city.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from hearth.edge_runtime.routing._relevance import name_words

#: Street types people write after a street's name.
_STREET_TYPES = (
    "street", "st", "avenue", "ave", "road", "rd", "boulevard", "blvd", "lane", "ln", "drive",
    "dr", "way", "place", "pl", "court", "ct", "terrace", "parkway", "pkwy", "highway", "hwy",
    "square", "sq", "crescent", "close", "row", "alley")  # fmt: skip
_CAP = r"[A-Z][\w'’.-]*"
#: One comma-separated part after the street: "Berkeley", "CA 94704", "USA", "10115".
_PART = rf"(?:{_CAP}|\d{{4,5}}(?:-\d{{4}})?)(?:\s+(?:{_CAP}|\d{{4,5}}(?:-\d{{4}})?))*"
#: A street's own name: "Baker", "Pennsylvania", "5th", "Martin Luther King Jr.".
_STREET_NAME = rf"(?:{_CAP}|\d{{1,3}}(?:st|nd|rd|th))"
_ADDRESS = re.compile(
    rf"(?<![\w-])\d{{1,6}}[A-Za-z]?(?:-\d{{1,6}})?\s+(?:{_STREET_NAME}\s+){{1,4}}"
    rf"(?i:{'|'.join(_STREET_TYPES)})\b\.?(?:\s+(?:[NS][EW]?|[EW])\b)?(?:,\s*{_PART})*"
)
#: Words of argument names that hold an address; a description may say it instead.
_ADDRESS_WORDS = frozenset((
    "address", "location", "loc", "street", "origin", "destination", "pickup", "dropoff",
    "place"))  # fmt: skip
_ADDRESS_DESCRIBED = re.compile(r"\b(?:address|location|street)\b", re.IGNORECASE)
#: Words of argument names that hold a date or time, never an address.
_WHEN_WORDS = frozenset(("date", "time", "day", "hour", "when", "at", "datetime"))
#: Which end of a trip an argument is, by its words, and the word before that end.
_TRIP_ENDS = {
    "from": frozenset(("from", "origin", "start", "pickup", "source", "departure")),
    "to": frozenset(("to", "destination", "dropoff", "end", "arrival")),
}
#: Administrative kinds whose name the message may write before the kind.
_AREA_KINDS = frozenset((
    "district", "subdistrict", "province", "county", "region", "prefecture", "municipality",
    "borough", "ward", "parish", "canton"))  # fmt: skip
_NAME = r"(?-i:[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,4})"
#: A description that asks for a place as "City, Country": says so, or gives such an example.
_PAIR_ASKED = re.compile(r"(?i:\b(?:city|town)\s*(?:\(abbr\)\s*)?,\s*(?:state|country|province)\b)"
                         r"|'[A-Z][a-z]+(?: [A-Z][a-z]+)*, [A-Z][A-Za-z]+'")
#: Capitalised words, no full stops (one ends the sentence) but in "St. Louis".
_WORDS = r"(?:(?:St|Ste|Ft|Mt)\.\s+)?[A-Z][a-z][a-z'’-]*(?:\s+[A-Z][a-z][a-z'’-]*)"
#: "Paris, France", "New York, NY", "Hyderabad, India" in a message.
_PAIR = re.compile(rf"(?<![\w,])({_WORDS}{{0,3}}),\s+({_WORDS}{{0,2}}|[A-Z]{{2}})(?![\w'’-])")


def _city_pair(user: str, model: object) -> str | None:
    """The one "City, Country" pair the message writes, when the model kept only the city.

    Not a pair inside a longer list or address ("Mumbai, Maharashtra, India",
    "Boston, Chicago and Denver", "1 Infinite Loop, Cupertino, CA"), and not
    where the model wrote its own pair ("Austin, TX" for "Austin, Texas").
    """
    pairs = {", ".join(m.groups()) for m in _PAIR.finditer(user)
             if not re.match(r",\s*[A-Z]|\s+(?:and|or)\b|\s*,?\s*\d", user[m.end():])
             and not re.search(r"\d[^,.;!?]*$", user[:m.start()])}
    if len(pairs) != 1:
        return None
    pair = pairs.pop()
    if isinstance(model, str) and "," in model and \
            model.strip().lower().startswith(pair.split(",")[0].lower()):
        return None
    return pair


def street_addresses(user: str) -> list[tuple[int, str]]:
    """(offset, address) of each street address the message writes, in order."""
    return [(m.start(), m.group(0).rstrip(".,")) for m in _ADDRESS.finditer(user)]


def _is_address_argument(key: str, prop: Mapping[str, Any]) -> bool:
    words = set(name_words(key))
    if words & _WHEN_WORDS:
        return False
    return bool(words & _ADDRESS_WORDS) or bool(
        _ADDRESS_DESCRIBED.search(str(prop.get("description", "")))
    )


def _trip_end(key: str) -> str | None:
    keys = set(name_words(key))
    ends = [end for end, names in _TRIP_ENDS.items() if keys & names]
    return ends[0] if len(ends) == 1 else None


def _address_for(key: str, found: list[tuple[int, str]], user: str) -> str | None:
    if len(found) == 1:
        return found[0][1]
    end = _trip_end(key)
    if end is None:
        return None
    before = [
        address
        for at, address in found
        if re.search(rf"\b{end}\s*(?:the\s+)?$", user[:at], re.IGNORECASE)
    ]
    return before[0] if len(before) == 1 else None


def _area_kind(key: str) -> str | None:
    words = name_words(key)
    if words and words[-1] == "name":
        words = words[:-1]
    kind = "".join(words)
    return kind if kind in _AREA_KINDS else None


def _area(kind: str, user: str) -> str | None:
    # "Subdistrict", "Sub-district" and "Sub district" are one kind.
    spelled = (
        r"[\s-]?".join(re.escape(p) for p in re.findall(r"sub|.+", kind))
        if kind.startswith("sub")
        else re.escape(kind)
    )
    found = re.findall(rf"(?<![\w-])({_NAME})\s+(?i:{spelled})\b", user)
    # "Sai Kong Sub district" names a subdistrict, not a district called "Sai Kong Sub".
    names = {n for n in found if n.split()[-1].lower() != "sub"}
    return names.pop() if len(names) == 1 else None


def place_arguments(schema: Mapping[str, Any], user: str,
                    given: Mapping[str, Any] | None = None) -> dict[str, str]:
    """{argument: value} for address and area arguments the message writes out.

    For an address, the model's value stays when it is the message's own text
    and not a piece of what was read ("Street" of "221B Baker Street"); an
    area the message labels with its kind is always read.
    """
    given = given or {}
    found = street_addresses(user)
    out: dict[str, str] = {}
    for key, prop in (schema.get("properties") or {}).items():
        if not isinstance(prop, Mapping) or prop.get("type", "string") != "string" \
                or "enum" in prop or "format" in prop:
            continue
        if (kind := _area_kind(str(key))) is not None:
            # The user labelled the area with its kind: that reading is the answer
            # (a model put "Sai Kong Subdistrict" in `district_name`).
            if (area := _area(kind, user)) is not None:
                out[str(key)] = area
            continue
        if not found or not _is_address_argument(str(key), prop) or \
                (value := _address_for(str(key), found, user)) is None:
            if _PAIR_ASKED.search(str(prop.get("description", ""))) and \
                    (pair := _city_pair(user, given.get(key))) is not None:
                out[str(key)] = pair
            continue
        model = given.get(key)
        if isinstance(model, str) and model.strip() and model.strip() not in value \
                and model.strip().lower() in user.lower():
            continue
        out[str(key)] = value
    return out


def without_other_areas(schema: Mapping[str, Any], user: str,
                        arguments: Mapping[str, Any]) -> dict[str, Any]:
    """`arguments` less optional area values the message labels as another kind of area.

    "ironing services in Chonburi Province" names a province: a model that
    also puts "Chonburi" in the optional `district_name` narrows the search to
    a district nobody asked for.
    """
    required = set(schema.get("required") or ())
    out = dict(arguments)
    for key, value in arguments.items():
        kind = _area_kind(str(key))
        if kind is None or key in required or not isinstance(value, str) or not value.strip():
            continue
        labels = re.findall(rf"(?<![\w-]){re.escape(value.strip())}\s+([A-Za-z-]+)", user)
        kinds = {label.lower().replace("-", "") for label in labels}
        if kinds & _AREA_KINDS and kind not in kinds:
            del out[key]
    return out
