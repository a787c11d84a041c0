"""A US city in the "City, State" form an argument asks for: "Berkeley" is "Berkeley, CA".

Functions that look up places in the United States often ask for 'City,
State' with the state's two-letter code ("such as 'Berkeley, CA' or 'New
York, NY'"); people write the city alone ("a salon in Fremont"), the state in
full ("Austin, Texas") or without the comma ("Novato CA"), and a small model
copies that. The state comes from the message where it names one, else from a
table of US cities (GeoNames, 15,000 people or more), which holds a name only
where it means one city ("Portland" is Oregon's; "Springfield" and "Paris"
are not in it). Read only for the one argument that asks for the form and
holds the city already, and one city in the message that ends its run of
capitalised words ("Lincoln Park" is no Lincoln).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

STATE_CODES = {
    "alabama": "AL", "alaska": "AK", "arizona": "AZ", "arkansas": "AR", "california": "CA",
    "colorado": "CO", "connecticut": "CT", "delaware": "DE", "florida": "FL", "georgia": "GA",
    "hawaii": "HI", "idaho": "ID", "illinois": "IL", "indiana": "IN", "iowa": "IA",
    "kansas": "KS", "kentucky": "KY", "louisiana": "LA", "maine": "ME", "maryland": "MD",
    "massachusetts": "MA", "michigan": "MI", "minnesota": "MN", "mississippi": "MS",
    "missouri": "MO", "montana": "MT", "nebraska": "NE", "nevada": "NV",
    "new hampshire": "NH", "new jersey": "NJ", "new mexico": "NM", "new york": "NY",
    "north carolina": "NC", "north dakota": "ND", "ohio": "OH", "oklahoma": "OK",
    "oregon": "OR", "pennsylvania": "PA", "rhode island": "RI", "south carolina": "SC",
    "south dakota": "SD", "tennessee": "TN", "texas": "TX", "utah": "UT", "vermont": "VT",
    "virginia": "VA", "washington": "WA", "west virginia": "WV", "wisconsin": "WI",
    "wyoming": "WY", "district of columbia": "DC",
}  # fmt: skip
_CODES = frozenset(STATE_CODES.values())
#: Short names people write for a city, as they write them ("la" is Spanish, "La Mesa"
#: another city).
_ALIASES = {"NYC": "New York", "nyc": "New York", "LA": "Los Angeles", "SF": "San Francisco"}
_ASKED_PLAIN = re.compile(r"\bcity\s*(?:,|and)\s*state\b", re.IGNORECASE)
#: An example of the form: 'Austin, TX' (a state's code, not a country's 'London, UK').
_EXAMPLE = re.compile(r"\b[A-Z][a-z]+(?:\s[A-Z][a-z]+)*,\s([A-Z]{2})\b")


@cache
def us_cities() -> dict[str, str]:
    """{city name: state code} from the shipped table."""
    text = resources.files("hearth.edge_runtime.routing").joinpath(
        "data/us_cities.tsv").read_text(encoding="utf-8")
    rows = (line.split("\t") for line in text.splitlines() if line and not line.startswith("#"))
    return {name: state for name, state in rows}


@cache
def _lowercase_cities() -> dict[str, str]:
    """{city name in lower case: city name}."""
    return {name.lower(): name for name in us_cities()}


def _short_named(user: str) -> list[str]:
    """The cities the message calls by a short name, as written ("NYC", not "la playa")."""
    return [name for alias, name in _ALIASES.items()
            if re.search(rf"(?<![\w.]){alias}(?![\w.])", user)]


def short_names(user: str) -> str:
    """The cities the message calls by a short name, written out ("NYC": "New York")."""
    return " ".join(_short_named(user))


def _asks_city_state(prop: object) -> bool:
    if not isinstance(prop, Mapping) or prop.get("type", "string") != "string" or "enum" in prop:
        return False
    description = str(prop.get("description") or "")
    return bool(_ASKED_PLAIN.search(description)) or any(
        code in _CODES for code in _EXAMPLE.findall(description))


def _stated_state(user: str, end: int) -> str | None:
    """The state the message writes right after a city: ", CA", " CA", ", California"."""
    after = user[end:end + 40]
    # "in Fremont, OK?" asks whether that is all right; it names no Oklahoma.
    if found := re.match(r",?\s+([A-Z]{2})\b(?!\s*[?!])", after):
        return found.group(1) if found.group(1) in _CODES else None
    if found := re.match(r",?\s+([A-Za-z]+(?:\s[A-Za-z]+)?)", after):
        for name in (found.group(1).lower(), found.group(1).lower().split()[0]):
            if name in STATE_CODES:
                return STATE_CODES[name]
    return None


def _longest(words: list[str], table: Mapping[str, str]) -> str | None:
    """The longest run of `words` that is a city: "Los Gatos", not "Gatos"."""
    for size in range(len(words), 0, -1):
        for start in range(len(words) - size + 1):
            if (name := " ".join(words[start:start + size])) in table:
                return name
    return None


def _cities(user: str, given: str) -> set[tuple[str, str]]:
    """(city, state) pairs the message names: as written capitalised, or as the model
    copied it in lower case ("berkeley"), or by a short name ("NYC")."""
    table = us_cities()
    found: set[tuple[str, str]] = set()
    for run in re.finditer(r"[A-Z][a-z.]+(?:\s[A-Z][a-z.]+){0,3}", user):
        # The city ends its run of capitalised words: "Lincoln Park", "Orange County" and
        # "Jackson Street Bar" are places in a city, or another place, not the city.
        if (name := _longest(run.group(0).split(), table)) and run.group(0).endswith(name):
            found.add((name, _stated_state(user, run.end()) or table[name]))
    if found:
        return found
    lowered = given.strip().lower()
    # Written in lower case: a capitalised "Washington Square" was no city above.
    if (name := _lowercase_cities().get(lowered)) and \
            re.search(rf"\b{re.escape(lowered)}\b", user):
        return {(name, table[name])}
    return {(name, table[name]) for name in _short_named(user)}


def city_state_arguments(schema: Mapping[str, Any], user: str,
                         given: Mapping[str, Any]) -> dict[str, str]:
    """{argument: "City, ST"} for the one argument asking for that form."""
    properties = schema.get("properties") or {}
    asking = [str(k) for k, p in properties.items() if _asks_city_state(p)]
    if len(asking) != 1:
        return {}
    (key,) = asking
    value = given.get(key)
    text = value if isinstance(value, str) else ""
    cities = _cities(user, text)
    if len(cities) != 1:
        return {}
    ((city, state),) = cities
    # The model's value is that city as the message writes it (with or without its
    # state), or its short name; an empty value is not filled: the city may be meant
    # for something else ("a table at the Jackson Street Bar").
    bare = re.split(r",|\s+(?=[A-Z]{2}$)", text.strip())[0].strip().lower()
    held = bare == city.lower() or _ALIASES.get(text.strip()) == city
    return {key: f"{city}, {state}"} if held else {}

