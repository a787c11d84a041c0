"""Replies that agree with their tools: short templates, and a check of the model's sentence.

A tool's answer is exact; a small model's sentence about it often is not
("1001 minus 457 equals 596"). Each built-in tool has a template that states
its result first (so a reader, or a check that takes the first number, meets
the answer before anything else), and `agrees` tells whether a sentence the
model wrote states that result and nothing that contradicts it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from hearth.edge_runtime.routing._conversions import converted
from hearth.edge_runtime.routing._math import words_to_digits
from hearth.edge_runtime.routing._notes import second_person, third_person, without_request
from hearth.edge_runtime.tools._calendar import WEEKDAYS

#: What a recall with nothing relevant says: honest, never a guess.
NOT_KNOWN = "I don't know that yet: you haven't told me. Tell me and I'll remember it."
_JUST_THE_NUMBER = re.compile(r"\b(just|only) (the|a) (number|answer|result)\b", re.I)
_NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?")


def _grouped(result: str) -> str:
    """7006652 as 7,006,652; anything that is not a plain number as it is."""
    if re.fullmatch(r"-?\d{5,}", result):
        return f"{int(result):,}"
    return result


def _calculator(data: Mapping[str, Any], user: str) -> str:
    result = str(data.get("result", ""))
    if _JUST_THE_NUMBER.search(user):
        return result
    expression = str(data.get("expression", "")).strip()
    # "Convert 5 miles to km": the unit said, and a long decimal as people read it.
    if (conversion := converted(words_to_digits(user))) and conversion[0] == expression:
        unit = conversion[1]
        shown = result
        if re.fullmatch(r"-?\d+\.\d{4,}", result):
            # Four significant figures: 8.04672 km as "about 8.047", 0.000001 kg as "about 1e-06".
            shown = f"about {float(result):.4g}"
        return f"{shown} {unit} ({expression})"
    return f"{_grouped(result)} ({expression})"


def _days_note(data: Mapping[str, Any]) -> str:
    """" (the next day)" where a converted time falls on another day than it started."""
    days = int(data.get("days") or 0)
    named = {1: "the next day", -1: "the day before"}
    return f" ({named.get(days, f'{days:+d} days')})" if days else ""


#: A span asked for in one unit: "how many minutes", "in hours".
_IN_UNITS = re.compile(r"\bhow\s+many\s+(minutes|hours)\b|\bin\s+(minutes|hours)\b", re.I)


def _asked_unit(user: str) -> str:
    """"minutes" or "hours" where a span is asked for in that unit, else ""."""
    found = _IN_UNITS.search(user)
    return (found.group(1) or found.group(2)).lower() if found else ""


def _clock(data: Mapping[str, Any], content: str, user: str) -> str:
    operation = data.get("operation")
    match operation:
        case "now":
            return f"It is {data['weekday']}, {data['date']}, {data['time']} ({data['timezone']})."
        case "add":
            return f"{data['result']} ({data['weekday']})."
        case "weekday":
            return f"{data['weekday']} ({data['date']})."
        case "diff" if re.search(r"\bweeks\b", user, re.I):
            weeks, days = divmod(abs(int(data["days"])), 7)
            extra = f" and {days} day{'s' * (days != 1)}" if days else ""
            ago = " ago" if int(data["days"]) < 0 else ""
            return (f"{weeks} week{'s' * (weeks != 1)}{extra}{ago} ({abs(int(data['days']))} "
                    f"days, from {data['date']} to {data['to']}).")
        case "diff":
            return f"{data['days']} days (from {data['date']} to {data['to']})."
        case "time" if data.get("place"):
            return f"{data['result']} in {data['place']}{_days_note(data)}."
        case "time":
            return f"{data['result']}."
        case "month_days":
            return f"{data['days']} days."
        case "time_diff" if (unit := _asked_unit(user)) in data:
            return f"{data[unit]:g} {unit} ({data['result']})."
        case "day_of_year" | "month_add" | "weekday_add" | "time_diff" | "age" | "count":
            return f"{data['result']}."
    return content  # leap_year and anything new: the tool's own sentence


def template(tool: str, data: Mapping[str, Any], content: str, user: str) -> str:
    """The reply a built-in tool's result makes on its own; `content` for other tools."""
    match tool:
        case "calculator":
            return _calculator(data, user)
        case "clock":
            return _clock(data, content, user)
        case "remember":
            return f"Got it, I'll remember that: {second_person(str(data.get('fact', '')))}"
        case "recall":
            facts = list(data.get("facts") or [])
            if not facts:
                return NOT_KNOWN
            # A fact may be the user's own message as stored ("My flight is at 18:30"); a
            # question about two things ("my favourite fruit and colour") gets the top two.
            two = re.search(r"\band\s+(?:my|our|his|her|what|where|when|who|which|how)\b|"
                            r"\?\s*and\b|\band\s+\w+\s*\?\s*$", str(data.get("query", "")),
                            re.IGNORECASE)
            shown = facts[:2] if two else facts[:1]
            return " ".join(second_person(third_person(without_request(f))) for f in shown)
        case "reminder":
            local = str(data.get("local", ""))[:16].replace("T", " at ")
            return f"OK, I'll remind you: {data.get('text', '')}, on {local}."
    return content


def _numbers(text: str) -> set[float]:
    found: set[float] = set()
    for match in _NUMBER.findall(text):
        try:
            found.add(float(match.replace(",", "")))
        except ValueError:
            continue
    return found


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-6 * max(1.0, abs(b)) or round(a, 2) == round(b, 2)


#: What a clock operation's answer is, as the reply must state it.
_CLOCK_KEYS = {"now": "weekday", "add": "result", "weekday": "weekday", "diff": "days",
               "time": "result", "month_days": "days", "day_of_year": "result",
               "month_add": "result", "weekday_add": "result", "time_diff": "result",
               "age": "years", "count": "count"}
#: Signs that the model repeated its prompt instead of answering, or talks about itself
#: ("You're right, I'll add it to the end."): a one-line answer says neither.
_SCAFFOLD = re.compile(r"tool results|start your reply|calculator:|clock:|\(from your memory|"
                       r"you'?re right|\bi'?ll add\b|\n\s*\S", re.I)
#: Longest sentence accepted about one tool result; longer ones ramble.
MAX_CHECKED_CHARS = 240


def agrees(tool: str, data: Mapping[str, Any], reply: str, user: str) -> bool:
    """Whether the model's `reply` states the tool's result and contradicts none of it.

    Also false for a reply that echoes its prompt or rambles, and where the user
    asked for just the number (the template gives exactly that).
    """
    if _SCAFFOLD.search(reply) or len(reply) > MAX_CHECKED_CHARS or _JUST_THE_NUMBER.search(user):
        return False
    if tool == "calculator":
        # A conversion's template names the unit; the model's sentence rounds and rambles.
        if (conversion := converted(words_to_digits(user))) and \
                conversion[0] == str(data.get("expression", "")).strip():
            return False
        try:
            result = float(str(data.get("result")))
        except ValueError:
            return False
        said = _numbers(reply) - _numbers(user) - _numbers(str(data.get("expression", "")))
        return any(_close(n, result) for n in _numbers(reply)) and all(
            _close(n, result) for n in said)
    if tool == "clock":
        if data.get("operation") == "time_diff" and _asked_unit(user):
            return False  # "in minutes": the template says 455 minutes; the model "7 hours"
        field = _CLOCK_KEYS.get(str(data.get("operation")))
        key = str(data.get(field, "")) if field else ""
        if not key or not re.search(rf"(?<![\w-]){re.escape(key)}(?![\w-])", reply, re.I):
            return False  # leap years and the like: only the template says them right
        weekday = str(data.get("weekday", ""))
        others = [d for d in WEEKDAYS if d != weekday and d.lower() not in user.lower()]
        # Times and dates the reply adds must be the tool's ("14:37" when it is 09:30 is not).
        known = " ".join(str(v) for v in data.values()) + " " + user
        stated = re.findall(r"\b\d{1,2}:\d{2}\b|\b\d{4}-\d{2}-\d{2}\b", reply)
        return not any(re.search(rf"\b{d}\b", reply, re.I) for d in others) and \
            all(s in known for s in stated)
    return False  # the other built-ins always answer with their template


#: The tool-results block of the prompt (`_agent.with_results`), as a model copies it back.
_ECHOED = re.compile(r"\(?\s*(the\s+)?tool results:?|start your reply with the result\.?\)?",
                     re.I)


def without_scaffold(reply: str, results: Mapping[str, str]) -> str:
    """`reply` without a copy of its prompt's tool-results block.

    A small model given "(Tool results: - f: Done. Start your reply with the
    result.)" may answer with exactly that; the user should see the result,
    never our instruction. `results` maps each tool called to its result.
    What is left when the copy is gone ("" when nothing) is returned.
    """
    if not _ECHOED.search(reply):
        return reply
    text = _ECHOED.sub(" ", reply)
    for name, result in results.items():
        text = re.sub(rf"-?\s*{re.escape(name)}:\s*{re.escape(result)}", " ", text)
    text = " ".join(text.split()).strip(" -:()")
    return text if re.search(r"\w", text) else ""

