"""Rates the message gives in percent, in the form the argument asks for.

"An annual interest rate of 5%" is 0.05 for `interest_rate` ("The annual
interest rate in decimal form") and 5 for `yearly_yield` ("as a
percentage"). A small model copies the 5 either way, or another of the
message's numbers. The form comes from the description: "as a decimal",
"fraction", "between 0 and 1", or an example of a percent as its fraction in
any language ("e.g. 5% = 0.05", "0.1 para un enganche del 10%") against
"percentage", "in %" or "5 for 5%". Where it says neither, a float whose
name ends in a rate word (`interest_rate`, `annual_return`) is a fraction,
as finance functions take it, but only the percent the model itself copied
is converted. Another percent is put in only where the description says the
form, the message has one percent and the function one rate.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from hearth.edge_runtime.routing._math import number_value
from hearth.edge_runtime.routing._relevance import name_words

# Not "3,5%" (a European 3.5) read as 5.
PERCENT = re.compile(
    r"(?<![\w.])(?<!\d,)(-?\d+(?:\.\d+)?)\s*(?:%|percent\b|per\s+cent\b|pct\b)",
    re.IGNORECASE)
_AS_FRACTION = re.compile(
    r"fraction|(?:as|in)\s+(?:a\s+)?decimal\b(?!\s+places)|decimal\s+(?:form|value|number)"
    r"|(?:between 0(?:\.0)? and|from 0 to|(?:sum|add up) to) 1(?!\d|\.\d)"
    r"|\d\s*%\s*(?:=|is|as)\s*0\.\d|\b0\.\d+\s*(?:for|=|is|means)\s*\d+(?:\.\d+)?\s*%",
    re.IGNORECASE)
_AS_PERCENT = re.compile(
    r"percent|\bpct\b|\bper\s+cent\b|%|\b\d+\s*(?:for|=|is|means)\s*\d+\s*%", re.IGNORECASE)
#: Last words of a float argument's name that make it a rate when the description is silent.
_RATE_WORDS = frozenset(("rate", "return", "yield", "growth", "ratio", "probability",
                         "contribution", "contributions", "inflation"))


def _fraction_example(description: str) -> bool:
    """Whether the description shows a percent as its fraction, in any language:
    "Ejemplo: 0.1 para un enganche del 10%"."""
    fractions = {round(float(f) * 100, 9) for f in re.findall(r"(?<![\d.])0\.\d+", description)}
    return any(round(float(m.group(1)), 9) in fractions for m in PERCENT.finditer(description))


def _form(key: str, prop: Mapping[str, Any]) -> tuple[bool, bool] | None:
    """(fraction?, said so?) for a rate: a fraction takes 5% as 0.05, a percentage as 5;
    `said so` where the description says which. None: no rate."""
    description = str(prop.get("description") or "")
    if _AS_FRACTION.search(description) or _fraction_example(description):
        return True, True
    if _AS_PERCENT.search(f"{key} {description}"):
        return False, bool(_AS_PERCENT.search(description))
    words = name_words(key)
    return (True, False) if words and words[-1] in _RATE_WORDS else None


def _kind(prop: object) -> str | None:
    """"scalar" or "list" for a float argument (or a list of floats); an integer is no rate."""
    if not isinstance(prop, Mapping) or "enum" in prop:
        return None
    if prop.get("type") == "number":
        return "scalar"
    items = prop.get("items")
    if prop.get("type") == "array" and isinstance(items, Mapping) and items.get("type") == "number":
        return "list"
    return None


def _as(value: float, fraction: bool) -> float:
    shown = round(value / 100, 12) if fraction else value
    return int(shown) if shown.is_integer() and not fraction else shown


def _copied(value: object, percents: list[float]) -> list[float]:
    """The message's percents `value` is, as a percentage or a fraction."""
    number = number_value(value)
    if number is None:
        return []
    return [p for p in percents if abs(number - p) < 1e-9 or abs(number - p / 100) < 1e-12]


def percent_arguments(schema: Mapping[str, Any], user: str,
                      given: Mapping[str, Any]) -> dict[str, Any]:
    """{argument: rate} for float rates the message states in percent."""
    percents = [float(m.group(1)) for m in PERCENT.finditer(user)]
    if not percents:
        return {}
    rates = {}
    for key, prop in (schema.get("properties") or {}).items():
        kind = _kind(prop)
        if kind and (form := _form(str(key), prop)) is not None:
            rates[str(key)] = (kind, *form)
    out: dict[str, Any] = {}
    for key, (kind, fraction, said) in rates.items():
        value = given.get(key)
        if kind == "list":
            # The model's own list of the message's percents, each in the asked form.
            found = [_copied(v, percents) for v in value] if isinstance(value, list) else []
            if found and all(len(hits) == 1 for hits in found):
                out[key] = [_as(hits[0], fraction) for hits in found]
            continue
        copied = _copied(value, percents)
        if len(copied) == 1:
            out[key] = _as(copied[0], fraction)
        elif said and len(percents) == 1 and len(rates) == 1:
            out[key] = _as(percents[0], fraction)
    return out
