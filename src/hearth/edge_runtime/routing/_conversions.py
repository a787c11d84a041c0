"""Unit conversions set up as calculator expressions: "Convert 5 miles to kilometres".

A 135M model answers "1.5 miles is 0.62 kilometres" and "a pound is 304
ounces"; the factors are exact definitions (a mile is 1609.344 m, a pound
0.45359237 kg), so the calculator gets "5*1609.344/1000". Length, mass,
volume, speed and temperature; a conversion between two kinds ("5 pounds to
euros": money, not mass) is left alone. Cups, spoons, fluid ounces, pints and
gallons are US measures unless the message says "imperial" or "UK".
"""

from __future__ import annotations

import re

#: An amount as written: "1,500", "-10", "2.5", "1/2".
_NUM = (r"((?<![\d.,/])(?:\d{1,3}/\d{1,3}|-?(?:\d{1,3}(?:,\d{3})+|\d{1,12})(?:\.\d{1,10})?))"
        r"(?![\d/])")
#: (kind, size in the kind's base unit) of each unit name.
_UNITS: dict[str, tuple[str, str]] = {}
#: How a reply names the unit a size stands for: "kilometres", "°C".
_SHOWN: dict[tuple[str, str], str] = {("temperature", "c"): "°C", ("temperature", "f"): "°F",
                                      ("temperature", "k"): "K"}
_SPECIAL_NAMES = {"fl-oz": "fluid ounces", "uk-pint": "imperial pints",
                  "uk-gallon": "imperial gallons", "km/h": "km/h", "g": "grams",
                  "stone": "stone"}
for _names, _kind, _size in (
    ("mm millimetre millimetres millimeter millimeters", "length", "0.001"),
    ("cm centimetre centimetres centimeter centimeters", "length", "0.01"),
    ("m metre metres meter meters", "length", "1"),
    ("km kms kilometre kilometres kilometer kilometers", "length", "1000"),
    ("inch inches", "length", "0.0254"),
    ("ft foot feet", "length", "0.3048"),
    ("yd yard yards", "length", "0.9144"),
    ("mi mile miles", "length", "1609.344"),
    ("mg milligram milligrams", "mass", "0.000001"),
    ("g gram grams gramme grammes", "mass", "0.001"),
    ("kg kgs kilo kilos kilogram kilograms", "mass", "1"),
    ("tonne tonnes", "mass", "1000"),
    ("oz ounce ounces", "mass", "0.028349523125"),
    ("lb lbs pound pounds", "mass", "0.45359237"),
    ("stone stones", "mass", "6.35029318"),
    ("ml millilitre millilitres milliliter milliliters", "volume", "0.001"),
    ("cl centilitre centilitres", "volume", "0.01"),
    ("l litre litres liter liters", "volume", "1"),
    ("tsp teaspoon teaspoons", "volume", "0.00492892159375"),
    ("tbsp tablespoon tablespoons", "volume", "0.01478676478125"),
    ("cup cups", "volume", "0.2365882365"),
    ("fl-oz", "volume", "0.0295735295625"),
    ("pint pints", "volume", "0.473176473"),
    ("quart quarts", "volume", "0.946352946"),
    ("gallon gallons", "volume", "3.785411784"),
    ("uk-pint", "volume", "0.56826125"),
    ("uk-gallon", "volume", "4.54609"),
    ("km/h kph kmh", "speed", "1000/3600"),
    ("mph", "speed", "1609.344/3600"),
    ("m/s", "speed", "1"),
    ("knot knots", "speed", "1852/3600"),
):
    for _name in _names.split():
        _UNITS[_name] = (_kind, _size)
    # The longest British plural names it in replies ("kilometres", not "kms" or "meters").
    _plurals = [n for n in _names.split() if n.endswith("s") and len(n) > 3
                and not n.endswith("ers")]
    _SHOWN[_kind, _size] = _SPECIAL_NAMES.get(
        _names.split()[0], max(_plurals, key=len) if _plurals else _names.split()[-1])

_TEMPERATURES = {"celsius": "c", "centigrade": "c", "c": "c", "fahrenheit": "f", "f": "f",
                 "kelvin": "k", "k": "k"}
#: Writings of one unit as one word the table knows.
_SPELLINGS = ((re.compile(r"\bfl(?:uid)?\.?\s*(?:oz|ounces?)\b"), "fl-oz"),
              (re.compile(r"\b(?:imperial|uk|british)\s+(pint|gallon)s?\b"), r"uk-\1"),
              (re.compile(r"\bkilometres?\s+(?:an|per)\s+hour\b|\bkm\s*/\s*h(?:our|r)?\b"), "km/h"),
              (re.compile(r"\bmiles?\s+(?:an|per)\s+hour\b"), "mph"),
              (re.compile(r"\bmet(?:re|er)s?\s+per\s+second\b|\bm\s*/\s*s\b"), "m/s"),
              (re.compile(r"\bmetric\s+tons?\b"), "tonne"),
              (re.compile(r"(?:°|degrees?\s+)(c|f|k)\b|°\s*(celsius|fahrenheit|kelvin)\b|"
                          r"\bdegrees?\s+(celsius|centigrade|fahrenheit|kelvin)\b"),
               r"\1\2\3-deg"))
_UNIT = r"([a-z][a-z/-]{0,15})"
#: "5 miles to km", "72 degrees Fahrenheit in Celsius", "3 cups is how many ml".
_GIVEN_FIRST = re.compile(_NUM + r"\s*" + _UNIT + r"\s+(?:(?:in|into|to|as)\s+(?:the\s+)?|"
                          r"(?:is|are|equals?)\s+how\s+many\s+)" + _UNIT + r"\b")
#: "How many ounces in a pound?", "how many cm are there in 3 feet".
_WANTED_FIRST = re.compile(r"\bhow\s+many\s+" + _UNIT + r"\s+(?:are\s+)?(?:there\s+)?(?:in|per)\s+"
                           r"(?:an?\s+|one\s+|" + _NUM + r"\s*)" + _UNIT + r"\b")
#: "5 feet 10 inches" (and "5 ft 10", "5'10\"", "5 foot 2"), a height.
_FEET_INCHES = re.compile(r"\b(\d{1,2})\s*(?:feet|foot|ft|')\s*(?:and\s+)?(\d{1,2}(?:\.\d+)?)"
                          r"(?:\s*(?:inches|inch|\"|''))?")
_OTHER_SCALE = {"fahrenheit": "celsius", "celsius": "fahrenheit", "centigrade": "fahrenheit"}
#: "18 degrees in Fahrenheit": degrees of the other scale.
_BARE_DEGREES = re.compile(r"(-?\b\d{1,4}(?:\.\d+)?)\s*degrees\s+(?=(?:in|into|to|as)\s+"
                           r"(?:degrees\s+)?(fahrenheit|celsius|centigrade)\b)")


#: Short spellings word problems use ("15 an hour ... 40 hrs", "6 ltr"); conversions between
#: clock units are `_math`'s.
_SHORT_WORDS = {"h": "hour", "hr": "hour", "hrs": "hour", "min": "minute", "mins": "minute",
               "sec": "second", "secs": "second", "ltr": "l"}


def unit_key(word: str) -> str:
    """One name for a unit however it is written ("km", "kilometres", "kms"); a word that
    names no known unit ("pages") in the singular."""
    word = _SHORT_WORDS.get(word, word)
    singular = word[:-1] if word.endswith("s") and len(word) > 3 else word
    for form in (word, singular):
        if (known := _UNITS.get(_SHORT_WORDS.get(form, form))) is not None:
            return f"{known[0]}:{known[1]}"
    return _SHORT_WORDS.get(singular, singular)


def unit_size(word: str) -> tuple[str, str] | None:
    """(kind, size in the kind's base unit) of a length, mass or volume word, or None."""
    word = _SHORT_WORDS.get(word, word)
    singular = word[:-1] if word.endswith("s") and len(word) > 3 else word
    for form in (word, singular):
        if (known := _UNITS.get(form)) is not None and known[0] in ("length", "mass", "volume"):
            return known
    return None


def _unit(word: str) -> tuple[str, str] | None:
    """(kind, size) of a unit word, or ("temperature", scale)."""
    if word.endswith("-deg"):
        return "temperature", _TEMPERATURES[word.removesuffix("-deg")]
    if word in ("celsius", "centigrade", "fahrenheit", "kelvin"):
        return "temperature", _TEMPERATURES[word]
    return _UNITS.get(word)


def _temperature(count: str, given: str, wanted: str) -> str | None:
    to_celsius = {"c": count, "f": f"({count}-32)*5/9", "k": f"({count}-273.15)"}[given]
    if wanted == given:
        return None
    return {"c": to_celsius, "f": f"{to_celsius}*9/5+32", "k": f"{to_celsius}+273.15"}[wanted]


def _as_expression(count: str, given: str, wanted: str) -> str | None:
    count = count.replace(",", "")
    count = f"({count})" if count.startswith("-") or "/" in count else count
    one, other = _unit(given), _unit(wanted)
    if one is None or other is None or one[0] != other[0]:
        return None
    if one[0] == "temperature":
        return _temperature(count, one[1], other[1])
    if one[1] == other[1]:
        return None
    return f"{count}*{one[1]}/{other[1]}" if "/" not in other[1] else \
        f"{count}*{one[1]}/({other[1]})"


def unit_conversion(text: str) -> str | None:
    """The expression converting the message's amount to the unit it asks for, or None.

    `text` has its number words as digits already ("five miles" as "5 miles")."""
    found = converted(text)
    return found[0] if found else None


def converted(text: str) -> tuple[str, str] | None:
    """(expression, how a reply names the wanted unit: "kilometres") for a conversion the
    message asks for, or None."""
    lower = " ".join(text.lower().split())
    # "18 degrees in Fahrenheit" is Celsius, where the message names no other scale ("It's 25
    # degrees in Celsius here, what is that in Fahrenheit?" is left to the model).
    if _BARE_DEGREES.search(lower) and \
            len(re.findall(r"celsius|fahrenheit|centigrade|kelvin|°", lower)) == 1:
        lower = _BARE_DEGREES.sub(lambda m: f"{m.group(1)} degrees {_OTHER_SCALE[m.group(2)]} ",
                                  lower, count=1)
    for pattern, written in _SPELLINGS:
        lower = pattern.sub(written, lower)
    if height := _FEET_INCHES.search(lower):
        rest = lower[height.end():]
        to = re.match(r"\s+(?:in|into|to|as)\s+(?:the\s+)?" + _UNIT + r"\b", rest) or \
            re.search(r"\bin\s+" + _UNIT + r"\b", rest)
        other = _unit(to.group(1)) if to else None
        if to and other and other[0] == "length":
            feet, inches = height.groups()
            return f"({feet}*0.3048+{inches}*0.0254)/{other[1]}", _SHOWN[other]
    if found := _GIVEN_FIRST.search(lower):
        count, given, wanted = found.groups()
    elif found := _WANTED_FIRST.search(lower):
        wanted, count, given = found.group(1), found.group(2) or "1", found.group(3)
    else:
        return None
    expression, unit = _as_expression(count, given, wanted), _unit(wanted)
    return (expression, _SHOWN[unit]) if expression and unit else None
