"""Region codes an argument asks for, from the place the model or the message names.

Functions take codes people never say: "the U.S. state abbreviation, such as
'CA' for California", "ISO 3166-1 alpha-2 country codes, e.g. 'US'". People
write "in San Francisco, California" and "for London in the UK"; a small model
copies "California", a bigger one writes "UK" (the ISO code is GB), or writes
"CA" and is then refused as making the value up. A repair, not a reading:
where an argument asks for such a code and the model's value is no code, the
value is the code of the place it names ("California", "UK"), else of the
one place of that kind the message names. A code the model wrote stays. The
codes of the places the message names also count as stated (`_grounded`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from hearth.edge_runtime.routing._relevance import name_words
from hearth.edge_runtime.routing._us_cities import STATE_CODES

#: Country names and the names people use for them -> ISO 3166-1 alpha-2.
_COUNTRIES = {
    "united states": "US", "united states of america": "US", "usa": "US", "u.s.a.": "US",
    "u.s.": "US", "us": "US", "america": "US", "united kingdom": "GB", "uk": "GB", "u.k.": "GB",
    "great britain": "GB", "britain": "GB", "england": "GB", "scotland": "GB", "wales": "GB",
    "northern ireland": "GB",
    "canada": "CA", "mexico": "MX", "brazil": "BR", "argentina": "AR", "chile": "CL",
    "colombia": "CO", "peru": "PE", "venezuela": "VE", "cuba": "CU", "ireland": "IE",
    "france": "FR", "germany": "DE", "spain": "ES", "portugal": "PT", "italy": "IT",
    "netherlands": "NL", "holland": "NL", "belgium": "BE", "luxembourg": "LU",
    "switzerland": "CH", "austria": "AT", "denmark": "DK", "norway": "NO", "sweden": "SE",
    "finland": "FI", "iceland": "IS", "poland": "PL", "czech republic": "CZ", "czechia": "CZ",
    "slovakia": "SK", "hungary": "HU", "romania": "RO", "bulgaria": "BG", "greece": "GR",
    "turkey": "TR", "türkiye": "TR", "ukraine": "UA", "russia": "RU", "croatia": "HR",
    "serbia": "RS", "slovenia": "SI", "estonia": "EE", "latvia": "LV", "lithuania": "LT",
    "israel": "IL", "egypt": "EG", "morocco": "MA", "nigeria": "NG", "kenya": "KE",
    "ethiopia": "ET", "ghana": "GH", "south africa": "ZA", "saudi arabia": "SA",
    "united arab emirates": "AE", "uae": "AE", "qatar": "QA", "iran": "IR", "iraq": "IQ",
    "pakistan": "PK", "india": "IN", "bangladesh": "BD", "sri lanka": "LK", "nepal": "NP",
    "china": "CN", "japan": "JP", "south korea": "KR", "korea": "KR", "north korea": "KP",
    "taiwan": "TW", "hong kong": "HK", "singapore": "SG", "malaysia": "MY",
    "indonesia": "ID", "thailand": "TH", "vietnam": "VN", "philippines": "PH",
    "australia": "AU", "new zealand": "NZ",
}  # fmt: skip
#: Longest names first, so "south korea" is read before "korea".
_COUNTRY_NAMES = sorted(_COUNTRIES, key=len, reverse=True)
#: States by name, and Washington, D.C. by the names people use for it.
_STATES = {**STATE_CODES, "washington dc": "DC", "washington d.c.": "DC",
           "washington, d.c.": "DC", "washington, dc": "DC"}
_STATE_NAMES = sorted(_STATES, key=len, reverse=True)
#: Places named after a country that are not in it.
_NOT_COUNTRIES = ("new south wales", "new england", "new caledonia", "papua new guinea")
_CITY_FORM = re.compile(r"\bcity\s*(?:,|and)\s*(?:state|country)\b", re.IGNORECASE)
#: A description asking for a code: "abbreviation", "two-letter", "ISO 3166", "code".
_ASKS_CODE = re.compile(r"\b(?:abbreviat\w*|abbr|two-letter|2-letter|alpha-2|iso|code)\b",
                        re.IGNORECASE)
#: "Country name (not the code)", "the dialing code (+44)": no region code wanted.
_NO_CODE = re.compile(
    r"\b(?:not|no|never|don't|do not|without)\b[^.;]*\b(?:code|abbreviat\w*|iso)\b|"
    r"\b(?:dial|dialing|dialling|calling|phone|telephone|currency|postal|zip|area|language|"
    r"airport)\s+codes?\b", re.IGNORECASE)


def _named(text: str, names: list[str], table: Mapping[str, str]) -> set[str]:
    """Codes of the places `text` (in lower case) names; a longer name hides the shorter
    in it, and a name followed by "city" is a city's ("Kansas City")."""
    found = set()
    for name in names:
        pattern = rf"(?<![\w.]){re.escape(name)}(?![\w])(?!\s+city\b)"
        if re.search(pattern, text):
            found.add(table[name])
            text = re.sub(pattern, " ", text)
    return found


# Cached: `_grounded` asks once per string argument of a call, with the same message.
@lru_cache(maxsize=64)
def named_states(user: str) -> frozenset[str]:
    """The two-letter codes of the US states the message names in full ("California")."""
    return frozenset(_named(user.lower(), _STATE_NAMES, _STATES))


@lru_cache(maxsize=64)
def named_countries(user: str) -> frozenset[str]:
    """The ISO codes of the countries the message names ("the UK" is GB); "New Mexico",
    "New South Wales" and other places named after a country are none."""
    text = user.lower()
    for place in (*_STATE_NAMES, *_NOT_COUNTRIES):
        text = re.sub(rf"(?<![\w.]){re.escape(place)}(?![\w])", " ", text)
    found = _named(text, [n for n in _COUNTRY_NAMES if n != "us"], _COUNTRIES)
    # "US" is a country only in capitals, and not in a message written all in capitals.
    if re.search(r"\bUS\b", user) and not user.isupper():
        found.add("US")
    return frozenset(found)


def _asks(key: str, prop: object, kind: str) -> bool:
    if not isinstance(prop, Mapping) or prop.get("type", "string") != "string" or \
            "enum" in prop:
        return False
    description = str(prop.get("description") or "")
    # "The city, in the form 'City, State'" asks for a place, not a code (see `_us_cities`).
    if kind not in name_words(key) or _CITY_FORM.search(description):
        return False
    return bool(_ASKS_CODE.search(description)) and not _NO_CODE.search(description)


_KINDS = {"state": (named_states, frozenset(_STATES.values())),
          "country": (named_countries, frozenset(_COUNTRIES.values()))}


def _kept(value: object, codes: frozenset[str], prop: Mapping[str, Any]) -> bool:
    """Whether the model's value stands: a code ("CA", or "JM" the table lacks), or one of
    the values the description lists ("OPEN, IN_PROGRESS or DONE")."""
    if not isinstance(value, str):
        return False
    text = value.strip()
    if _COUNTRIES.get(text.lower(), text) != text:
        return False  # "UK" is a name: its code is GB
    return text in codes or bool(re.fullmatch(r"[A-Z]{2}", text)) or (
        re.fullmatch(r"[A-Z][A-Z_]+", text) is not None
        and re.search(rf"\b{re.escape(text)}\b", str(prop.get("description") or "")) is not None)


def region_codes(schema: Mapping[str, Any], user: str,
                 given: Mapping[str, Any]) -> dict[str, str]:
    """{argument: code} where an argument asks for a state's or a country's code and the
    model's value is no such code (see the module docstring)."""
    chosen: dict[str, str] = {}
    for key, prop in (schema.get("properties") or {}).items():
        for kind, (named, codes) in _KINDS.items():
            value = given.get(key)
            if not _asks(str(key), prop, kind) or _kept(value, codes, prop):
                continue
            # The place the model wrote ("California", "UK"), else the message's only one.
            said = named(value) if isinstance(value, str) else set()
            if len(found := said or named(user)) == 1:
                chosen[str(key)] = next(iter(found))
    return chosen


def region_code_words(key: str, user: str) -> set[str]:
    """The codes of the places of the argument's kind the message names (they ground a
    model's "CA" for `state`); of both kinds for an argument named for neither."""
    kinds = [k for k in _KINDS if k in name_words(key)] or list(_KINDS)
    return set().union(*(_KINDS[k][0](user) for k in kinds))
