"""Questions about another place's clock, read as clock-tool arguments.

"What time is it in Tokyo?" is the clock now in Asia/Tokyo, not in the
user's zone; "When it's 9 am here in London, what time is it in Tokyo?"
converts 9 am from London's zone to Tokyo's. The place attached to the
time ("9 am in London", "9 am London time", "9 am here") is where the time
is; the other place named (or "here") is where it is wanted. Questions that
state the difference themselves ("Tokyo is 9 hours ahead") keep their own
numbers (`_dates._clock_shift`).
"""

from __future__ import annotations

import re
from typing import Any

from hearth.edge_runtime.routing._math import CLOCK_TIME
from hearth.edge_runtime.tools._zones import places_in, zone_for

Arguments = dict[str, Any]

_NOW = re.compile(r"\bwhat\s+time\s+is\s+it\b|\bwhat(?:'s|\s+is)\s+the\s+(?:current\s+|local\s+)?"
                  r"time\b|\bcurrent\s+time\b|\blocal\s+time\b|\btime\s+(?:is\s+it\s+)?now\b|"
                  r"^\W*(?:the\s+)?(?:current\s+)?time\s+in\b")
_ASKED = re.compile(r"\bwhat\s+time\b|\bconvert\b|\bwhat(?:'s|\s+is)\s+(?:that|it)\b|"
                    r"\bwhat(?:'s|\s+is)\s+\d|\btime\s+(?:is\s+it|will\s+it\s+be)\b")
_LOCAL = re.compile(r"\b(?:here|my\s+time|our\s+time|local\s+time|for\s+me|where\s+i\s+am)\b")
_STATED_DIFFERENCE = re.compile(r"\bhours?\s+(?:ahead|behind|earlier|later|difference)\b|"
                                r"\butc\s*[+-]|\bgmt\s*[+-]")
_SEASON = re.compile(r"\b(?:in|during|over)\s+(?:the\s+)?(winter|spring|summer|autumn|fall)\b")


def _in_place(text: str, at: int, place: re.Match[str]) -> bool:
    """Whether `place` is the place of the time ending at `at`: "9 am (here) in London",
    "9 am London time", "3 pm EST"."""
    between = text[at:place.start()]
    return place.start() >= at and bool(
        re.fullmatch(r"\s*(?:here\s+)?(?:in|at)\s+(?:the\s+)?|\s*", between))


def _named_as_place(text: str, place: re.Match[str]) -> bool:
    """Whether the text names `place` as a place ("in Tokyo", "Tokyo time"), not as a person
    ("Sydney's flight")."""
    return bool(re.search(r"\b(?:in|to|for|from|at|of)\s+(?:the\s+)?$", text[:place.start()])) or \
        text[place.end():].lstrip().startswith("time")


def zone_arguments(text: str) -> Arguments | None:
    """The clock call for a question about another place's time (`text` lower case), or None."""
    if _STATED_DIFFERENCE.search(text):
        return None
    places = places_in(text)
    clock = CLOCK_TIME.search(text)
    if clock is None:
        if not (now := _NOW.search(text)):
            return None
        # "I'm in Paris. What time is it in London?": the place the question asks about.
        following = [p for p in places if p.start() >= now.end() and re.fullmatch(
            r"\s*(?:(?:right\s+)?now\s+)?(?:in|at|for)\s+(?:the\s+)?", text[now.end():p.start()])]
        asked = following or [p for p in places if _named_as_place(text, p)]
        if len(asked) == 1:
            return {"operation": "now", "zone": zone_for(asked[0].group(0))}
        return None
    if not _ASKED.search(text) or len(CLOCK_TIME.findall(text)) != 1:
        return None
    source = next((p for p in places if _in_place(text, clock.end(), p)), None)
    after = text[clock.end():]
    here = re.match(r"\s*(?:here|my\s+time|our\s+time|local\s+time)\b", after)
    source_zone = zone_for(source.group(0)) if source else None
    others = [p for p in places if p is not source and _named_as_place(text, p)
              and zone_for(p.group(0)) != source_zone]
    if source is not None and len(others) == 1:
        target: str | None = others[0].group(0)
    elif source is not None and not others and _LOCAL.search(text):
        target = None
    elif source is None and here and len(others) == 1:
        target = others[0].group(0)
    else:
        return None
    arguments: Arguments = {"operation": "time", "time": clock.group(1)}
    if source_zone is not None:
        arguments["zone"] = source_zone
    if target is not None:
        arguments["to_zone"] = zone_for(target)
    if season := _SEASON.search(text):
        arguments["season"] = "autumn" if season.group(1) == "fall" else season.group(1)
    return arguments
