"""A unit argument from the unit the message writes: "a radius of 4 inches", "in km/h".

Functions that compute with measures take the unit as a string (`unit`,
`to_unit`, `distance_unit`). A small model leaves the optional unit out, and
the function's default (often metres or seconds) answers another question. A
plain unit argument takes the one unit the message writes after its numbers;
a target unit (`to_unit`, `output_unit`) the one unit after "in", "into" or
"to" that no number precedes ("the speed in km/h"). A unit argument whose
name says its kind (`temp_unit`) counts only units of that kind. Written as the message
writes it; a unit argument with listed choices is `_choices`'s.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from hearth.edge_runtime.routing._examples import quoted_examples
from hearth.edge_runtime.routing._relevance import name_words

UNIT_WORDS = (
    r"km/h|kph|mph|m/s|ft/s|km/s|(?:c|k|m)?m[²³23]|ft[²³23]|in[²³23]|"
    r"(?:milli|centi|kilo)?(?:met(?:er|re)s?|grams?|liters?|litres?)|mm|cm|km|kg|mg|ml|"
    r"inch(?:es)?|feet|foot|ft|yards?|yd|miles?|mi|nautical miles|"
    r"pounds?|lbs?|ounces?|oz|tons?|tonnes?|stones?|gallons?|gal|quarts?|pints?|cups?|"
    r"celsius|fahrenheit|kelvin|degrees (?:celsius|fahrenheit)|"
    r"seconds?|minutes?|hours?|days?|weeks?|months?|years?|"
    r"joules?|calories|kcal|watts?|kw|kwh|newtons?|pascals?|atm|bar|psi|hertz|hz|volts?|"
    r"amperes?|amps?|ohms?|light years?|parsecs?|acres?|hectares?|square (?:feet|meters|metres|"
    r"miles|kilometers|kilometres)|sq\.? ?ft")
# A match starts only where a number starts: a run of digits is no quadratic scan.
_NUMBER_UNIT = re.compile(r"(?<![\d,.])(\d{1,15}(?:,\d{3})*(?:\.\d{1,10})?)\s*(" + UNIT_WORDS
                          + r")(?![\w/])", re.I)
_TARGET_UNIT = re.compile(r"(?<![\d.]\s)\b(?:in|into|to)\s+(" + UNIT_WORDS + r")(?![\w/])",
                          re.I)
_TARGET_WORDS = frozenset(("to", "target", "output", "result", "desired", "converted"))
#: Units of one kind, for a unit argument whose name says the kind (`temp_unit`).
_KINDS = {
    "temperature": r"celsius|fahrenheit|kelvin|degrees",
    "length": r"met|mm|cm|km|inch|feet|foot|ft|yard|yd|mile|mi\b",
    "weight": r"gram|kg|mg|pound|lb|ounce|oz|ton|stone",
    "time": r"second|minute|hour|day|week|month|year",
    "speed": r"/|mph|kph",
}
_KIND_OF = {"temp": "temperature", "temperature": "temperature", "celsius": "temperature",
            "fahrenheit": "temperature", "distance": "length",
            "length": "length", "height": "length", "width": "length", "weight": "weight",
            "mass": "weight", "time": "time", "duration": "time", "speed": "speed",
            "velocity": "speed"}
_SOURCE_WORDS = frozenset(("from", "source", "input", "original"))


def _one(found: list[str]) -> str | None:
    distinct = {f.lower(): f for f in found}
    return next(iter(distinct.values())) if len(distinct) == 1 else None


def unit_arguments(schema: Mapping[str, Any], user: str) -> dict[str, str]:
    """{unit argument: the unit the message writes} for each unit argument it settles.

    A description that quotes the units it takes ("'celsius' or 'fahrenheit'",
    "'metric' or 'imperial'") takes only those, as it spells them; one that
    names a kind ("Temperature unit") only units of that kind.
    """
    out: dict[str, str] = {}
    for key, prop in (schema.get("properties") or {}).items():
        words = set(name_words(str(key)))
        if not isinstance(prop, Mapping) or prop.get("type") != "string" or "enum" in prop \
                or not words & {"unit", "units"}:
            continue
        if words & _TARGET_WORDS:
            found = [m.group(1) for m in _TARGET_UNIT.finditer(user)]
        elif words & _SOURCE_WORDS:
            continue  # "from what" is the number's own unit, but which number is unsure
        else:
            found = [m.group(2) for m in _NUMBER_UNIT.finditer(user)]
            found += [m.group(1) for m in _TARGET_UNIT.finditer(user)]
            described = set(name_words(str(prop.get("description", ""))))
            kinds = {_KIND_OF[w] for w in words if w in _KIND_OF} or \
                {_KIND_OF[w] for w in described if w in _KIND_OF}
            if len(kinds) == 1:  # "3 days in Celsius" for `temp_unit`: the temperature
                kind = _KINDS[kinds.pop()]
                found = [f for f in found if re.match(kind, f, re.I)]
        quoted = {q.casefold(): q for q in quoted_examples(str(prop.get("description", "")))}
        if quoted:  # only the units the description names, as it spells them
            found = [quoted[f.casefold()] for f in found if f.casefold() in quoted]
        if value := _one(found):
            out[str(key)] = value
    return out
