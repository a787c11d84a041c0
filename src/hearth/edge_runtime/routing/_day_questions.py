"""Questions about named days, spans between clock times and ages, as clock arguments.

"How many days until Christmas?", "What's the date next Friday?", "How many
hours between 9:15 and 17:45?", "How old is someone born in 1985?": a 135M
model answers "Christmas is December 25th", today's date, "33.15" and "20
years". The clock tool knows today; these readers pass it the named day
("christmas", "next friday", "25 december"), the two times, or the year.
"""

from __future__ import annotations

import re
from typing import Any

from hearth.edge_runtime.routing._math import CLOCK, CLOCK_TIME
from hearth.edge_runtime.tools._calendar import MONTHS, WEEKDAYS
from hearth.edge_runtime.tools._named_days import NAMED
from hearth.edge_runtime.tools._zones import places_in, zone_for

Arguments = dict[str, Any]

_MONTH = r"(?:" + "|".join(m.lower() for m in MONTHS) + r")"
#: A day in words: a holiday, a weekday with "next"/"this", or a day of a month without a year.
_DAY = (r"(" + "|".join(re.escape(n) for n in sorted(NAMED, key=len, reverse=True))
        + r"|easter|(?:next|this|coming)\s+(?:" + "|".join(d.lower() for d in WEEKDAYS) + r")"
        + r"|" + _MONTH + r"\s+\d{1,2}(?:st|nd|rd|th)?|\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?"
        + _MONTH + r")(?!\s*,?\s*\d{4})\b")
_UNTIL = re.compile(r"\bhow\s+(?:many\s+(?:more\s+)?(?:days|sleeps|weeks)|long)\b.{0,30}?\b"
                    r"(?:until|till|to|before)\s+(?:the\s+)?(?:my\s+[a-z' ]{1,30}?\s+on\s+)?"
                    + _DAY + r"(\s+(?:this|next)\s+year)?\s*[?.!]*\s*$")
#: "What time will it be in 45 minutes?", "How many minutes until 6 pm?": from now.
_FROM_NOW = re.compile(r"\bwhat\s+time\s+will\s+it\s+be\s+in\s+(\d{1,4}|an?|one|half\s+an)\s*"
                       r"(minutes?|mins?|hours?)\b")
_ANOTHER_DAY = re.compile(r"\b(?:tomorrow|yesterday|on\s+\w+day|monday|tuesday|wednesday|"
                          r"thursday|friday|saturday|sunday|next\s+week)\b")
_UNTIL_TIME = re.compile(r"\bhow\s+(?:many\s+(?:minutes|hours)|long)\b.{0,20}?\b(?:until|till|"
                         r"before)\s+(" + CLOCK + r")\b")
_WHICH_DATE = re.compile(r"\b(?:what(?:'s|\s+is)?\s+(?:the\s+)?(?:date|day)\s+"
                         r"(?:of\s+|is\s+|on\s+)?|which\s+(?:date|day)\s+is\s+|when\s+is\s+|what\s+day\s+(?:of\s+"
                         r"the\s+week\s+)?(?:is|does|will)\s+)(?:it\s+)?(?:on\s+)?" + _DAY
                         + r"(?:\s+(?:fall|land)\s+on)?(?:\s+(?:this|next)\s+year)?(?:\s+on)?"
                         r"\s*\??\s*$")
_BETWEEN = re.compile(r"\bhow\s+(?:many\s+(?:hours|minutes)|long|much\s+time)\b.{0,30}?\b"
                      r"(?:between|from)\s+(" + CLOCK + r")\s+(?:and|to|until|till|-)\s+("
                      + CLOCK + r")\b")
_BORN = re.compile(r"\bhow\s+old\b.{0,40}?\bborn\s+in\s+(\d{4})\b")


_YEAR_LEFT = re.compile(r"\bhow\s+many\s+(?:days|weeks)\b.{0,20}?\b(?:left|remain\w*)\s+"
                        r"(?:in|of)\s+(?:this|the)\s+year\b|\bhow\s+many\s+(?:days|weeks)\b.{0,20}?\b(?:until|"
                        r"till|to)\s+the\s+end\s+of\s+(?:this|the)\s+year\b")


def day_arguments(text: str) -> Arguments | None:
    """The clock call for a question about a named day, a time span or an age (`text` lower
    case, number words as digits), or None."""
    if _YEAR_LEFT.search(text):
        return {"operation": "diff", "date": "today", "to": "31 december"}
    next_year = " next year" if re.search(r"\bnext\s+year\b", text) else ""
    if found := _UNTIL.search(text):
        return {"operation": "diff", "date": "today", "to": found.group(1) + next_year}
    if found := _WHICH_DATE.search(text):
        return {"operation": "weekday", "date": found.group(1) + next_year}
    if (found := _BETWEEN.search(text)) and len(CLOCK_TIME.findall(text)) == 2:
        return {"operation": "time_diff", "time": found.group(1), "to_time": found.group(2)}
    # "in 3 hours in New York": the time there; "6pm tomorrow" is another day's.
    elsewhere = places_in(text[found.end():]) if (found := _FROM_NOW.search(text)) else []
    if found and len(elsewhere) <= 1:
        count = {"an": "1", "a": "1", "one": "1", "half an": "0.5"}.get(found.group(1),
                                                                     found.group(1))
        minutes = round(float(count) * (60 if found.group(2).startswith("h") else 1))
        shifted: Arguments = {"operation": "time", "time": "now", "minutes": minutes}
        if elsewhere and (zone := zone_for(elsewhere[0].group(0))):
            shifted["to_zone"] = zone
        return shifted
    if (found := _UNTIL_TIME.search(text)) and len(CLOCK_TIME.findall(text)) == 1 and \
            not _ANOTHER_DAY.search(text):
        return {"operation": "time_diff", "time": "now", "to_time": found.group(1)}
    if (found := _BORN.search(text)) and len(re.findall(r"\b\d{4}\b", text)) == 1:
        return {"operation": "age", "year": int(found.group(1))}
    return None
