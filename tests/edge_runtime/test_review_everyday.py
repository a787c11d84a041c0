"""Wrong reads a review found in the everyday rules, each kept from coming back."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from hearth.edge_runtime._json_kinds import listed
from hearth.edge_runtime._small_talk import small_talk
from hearth.edge_runtime.routing import match
from hearth.edge_runtime.routing._dates import clock_arguments
from hearth.edge_runtime.routing._math import explicit_expression
from hearth.edge_runtime.routing._notes import remember_arguments, reminder_arguments
from hearth.edge_runtime.tools import ToolBox, parse_when
from hearth.edge_runtime.tools._lists import changed_list
from hearth.specs import Tool, Tools, default_spec
from tests.edge_runtime.test_tools_support import make_ctx


def _route(text: str) -> str | None:
    found = match(default_spec().agent.routes, text)
    return found.sure.name if found.sure else None


@pytest.mark.parametrize("message", [
    "I'm tired, set a timer for 20 minutes", "I am low on milk, add it to my shopping list",
    "I'm afraid that's wrong", "I'm down to my last 20 euros", "My boss is a joke",
    "Is this a joke?", "tell me a joke about cats", "I hurt myself playing football, what now?",
    "Suicide Squad cast", "my plants want to die",
])
def test_small_talk_leaves_ordinary_messages_alone(message: str) -> None:
    assert small_talk(message, [], ()) is None


@pytest.mark.parametrize("message", [
    "i wanna die", "I don't want to live anymore", "I want to take my own life",
    "I am better off dead", "I want to kill my self", "I have been cutting myself",
])
def test_more_ways_of_saying_it_get_help(message: str) -> None:
    reply = small_talk(message, [], ())
    assert reply is not None and "116 123" in reply


def test_curly_apostrophes_and_no_apostrophe_are_feelings_too() -> None:
    for message in ("I’m sad", "Im sad", "I've been really stressed lately"):
        assert small_talk(message, [], ()) is not None, message


def test_a_day_and_a_bare_hour_from_1_to_6_is_the_afternoon() -> None:
    now = datetime(2025, 6, 2, 9, 30, tzinfo=UTC)
    assert parse_when("tomorrow 3", now, "UTC") == datetime(2025, 6, 3, 15, 0, tzinfo=UTC)
    assert parse_when("tomorrow 8", now, "UTC") == datetime(2025, 6, 3, 8, 0, tzinfo=UTC)
    # A repeating reminder is none the tool can set: no one-off with "every" in its text.
    assert reminder_arguments("Remind me every Friday at 9 to put the bins out") is None


@pytest.mark.parametrize(("question", "expression"), [
    ("Convert 1,500 miles to km", "1500*1609.344/1000"),
    ("convert -10 degrees celsius to fahrenheit", "(-10)*9/5+32"),
    ("What is 1/2 cup in ml?", "(1/2)*0.2365882365/0.001"),
    ("How much interest will I earn on 1000 at 5% for 3 years?", "1000*(1+5/100)**3-1000"),
    ("It's 25 degrees in Celsius here, what is that in Fahrenheit?", None),
    ("1000 at 5% interest compounded monthly for 3 years", None),
])
def test_amounts_are_read_as_written(question: str, expression: str | None) -> None:
    assert explicit_expression(question) == expression


@pytest.mark.parametrize("message", [
    "I lost 3 kg in a month, is that healthy?", "I walked 5 miles to the shop and back",
    "I owe 20 pounds to my brother", "What is 100 pounds in euros?",
    "What's the interest rate on a 30 year mortgage?", "Convert this recipe to 4 servings",
    "I'm 6 feet 2 inches tall, what size bike do I need?",
])
def test_chat_about_amounts_is_no_calculation(message: str) -> None:
    assert _route(message) != "arithmetic"


def test_no_request_to_remember_is_stored() -> None:
    for message in ("I can't remember that", "haha I remember that",
                    "We went to Paris last year, I'll always remember that"):
        assert remember_arguments(message) is None, message
        assert _route(message) != "remember", message


def test_clock_questions_a_review_found_wrong() -> None:
    assert clock_arguments("When is Easter next year?") == \
        {"operation": "weekday", "date": "easter next year"}
    assert clock_arguments("How many days before Christmas should I post cards?") is None
    assert clock_arguments("How long until 6pm tomorrow?") is None
    box = ToolBox.from_spec(Tools(tools=(Tool(name="clock", enabled=True),)))
    ctx = make_ctx(now=datetime(2025, 3, 10, 9, 30, tzinfo=UTC), timezone="Europe/London")
    later = box.call("clock", clock_arguments("What time will it be in 3 hours in New York?")
                     or {}, ctx)
    assert later.data["result"] == "08:30"
    easter = box.call("clock", {"operation": "weekday", "date": "easter next year"}, ctx)
    assert easter.data["date"] == "2026-04-05"
    from hearth.edge_runtime.routing._replies import template
    since = box.call("clock", {"operation": "diff", "date": "today", "to": "2025-01-01"}, ctx)
    assert template("clock", since.data, since.content, "How many weeks since 1 January?") \
        .startswith("9 weeks and 5 days ago")


def test_lists_weather_and_long_enumerations() -> None:
    assert changed_list("Write a shopping list for a BBQ", []) is None
    assert _route("Is it going to be sunny on Saturday?") == "cannot"
    # An item never starts with a space: the enumeration stays linear on long lists.
    assert listed("a, " * 34) is None
    assert listed(", ".join(f"item{n}" for n in range(20)) + ".") == [f"item{n}" for n in range(20)]
