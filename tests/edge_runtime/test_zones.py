"""Another place's clock: place names as zones, the clock tool across zones, and the reader."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from hearth.edge_runtime.routing._dates import clock_arguments
from hearth.edge_runtime.routing._replies import template
from hearth.edge_runtime.tools import ToolBox, ToolResult
from hearth.edge_runtime.tools._zones import zone_for
from hearth.specs import Tool, Tools
from tests.edge_runtime.test_tools_support import make_ctx

BOX = ToolBox.from_spec(Tools(tools=(Tool(name="clock", enabled=True),)))
JUNE = datetime(2025, 6, 2, 9, 30, tzinfo=UTC)


def clock(now: datetime = JUNE, **arguments: Any) -> ToolResult:
    return BOX.call("clock", arguments, make_ctx(now=now, timezone="Europe/London"))


@pytest.mark.parametrize(("name", "zone"), [
    ("Tokyo", "Asia/Tokyo"), ("new york", "America/New_York"), ("Japan", "Asia/Tokyo"),
    ("Sao Paulo", "America/Sao_Paulo"), ("Beijing", "Asia/Shanghai"),
    ("Europe/Paris", "Europe/Paris"), ("UTC", "UTC"),
])
def test_places_have_zones(name: str, zone: str) -> None:
    assert zone_for(name) == zone


@pytest.mark.parametrize("name", ["Christmas", "Casey", "Victoria", "here", "Nowhere", "USA"])
def test_words_people_and_countries_with_several_zones_have_none(name: str) -> None:
    assert zone_for(name) is None


def test_now_in_another_place() -> None:
    tokyo = clock(operation="now", zone="Tokyo")
    assert tokyo.data["time"] == "18:30" and tokyo.data["timezone"] == "Asia/Tokyo"
    assert template("clock", tokyo.data, tokyo.content, "") == \
        "It is Monday, 2025-06-02, 18:30 (Asia/Tokyo)."


def test_a_time_converted_on_the_day_asked() -> None:
    # London is on summer time in June (8 hours behind Tokyo), on GMT in winter (9 hours).
    june = clock(operation="time", time="9 am", zone="London", to_zone="Tokyo")
    assert june.data["result"] == "17:00"
    winter = clock(operation="time", time="2 pm", zone="London", to_zone="Tokyo",
                   season="winter")
    assert winter.data["result"] == "23:00"
    assert template("clock", winter.data, winter.content, "") == "23:00 in Tokyo."
    # The user's own zone where one side is left out; the day changes where the clock does.
    late = clock(operation="time", time="22:00", to_zone="Tokyo")
    assert late.data["result"] == "06:00" and late.data["days"] == 1
    assert template("clock", late.data, late.content, "") == "06:00 in Tokyo (the next day)."
    home = clock(operation="time", time="5 pm", zone="Tokyo")
    assert home.data["result"] == "09:00" and home.data["place"] == "London"


def test_seasons_south_of_the_equator_and_zone_names_in_any_case() -> None:
    # Summer in Sydney is January: 11 hours ahead of London, not 9.
    sydney = clock(operation="time", time="9 am", zone="Sydney", to_zone="London",
                   season="summer")
    assert sydney.data["result"] == "22:00" and sydney.data["days"] == -1
    same = clock(operation="time", time="9 am", zone="asia/tokyo", to_zone="Here")
    assert same.ok and same.data["result"] == "01:00"


def test_an_unknown_place_is_refused_with_what_to_give() -> None:
    atlantis = clock(operation="now", zone="Atlantis")
    assert not atlantis.ok
    assert "no time zone is known for 'Atlantis'" in atlantis.content
    assert "'Asia/Tokyo'" in atlantis.content
    monsoon = clock(operation="time", time="9 am", zone="Tokyo", season="monsoon")
    assert not monsoon.ok and "season" in monsoon.content


@pytest.mark.parametrize(("question", "arguments"), [
    ("What time is it in Tokyo?", {"operation": "now", "zone": "Asia/Tokyo"}),
    ("What's the time in New York right now?", {"operation": "now", "zone": "America/New_York"}),
    ("When it's 9 am in London, what time is it in Tokyo?",
     {"operation": "time", "time": "9 am", "zone": "Europe/London", "to_zone": "Asia/Tokyo"}),
    ("My sister lives in Tokyo. When it's 9 am here in London in winter, what time is it "
     "there?", {"operation": "time", "time": "9 am", "zone": "Europe/London",
                "to_zone": "Asia/Tokyo", "season": "winter"}),
    ("I have a call at 5 pm Tokyo time. What time is that here?",
     {"operation": "time", "time": "5 pm", "zone": "Asia/Tokyo"}),
    ("When it's 8 am here, what time is it in Sydney?",
     {"operation": "time", "time": "8 am", "to_zone": "Australia/Sydney"}),
    ("What time is it?", {"operation": "now"}),
    ("Tokyo time now?", {"operation": "now", "zone": "Asia/Tokyo"}),
    ("What time is it in LA?", {"operation": "now", "zone": "America/Los_Angeles"}),
    ("What time is it in Samoa?", {"operation": "now", "zone": "Pacific/Apia"}),
    ("I'm in Paris. What time is it in London?", {"operation": "now", "zone": "Europe/London"}),
    ("What time is 3 pm EST in London?",
     {"operation": "time", "time": "3 pm", "zone": "America/New_York",
      "to_zone": "Europe/London"}),
    # A person called Sydney is no place: "here" is where the time is wanted.
    ("Sydney's flight lands at 6 pm London time, what time is that here?",
     {"operation": "time", "time": "6 pm", "zone": "Europe/London"}),
    # A difference the user states is the user's: added as said.
    ("Tokyo is 9 hours ahead of London. If I call at 2 pm London time, what time is it in "
     "Tokyo?", {"operation": "time", "time": "2 pm", "minutes": 540}),
])
def test_questions_about_another_places_clock(question: str,
                                              arguments: dict[str, Any]) -> None:
    assert clock_arguments(question) == arguments


def test_a_place_that_is_no_clock_question_is_left_alone() -> None:
    assert clock_arguments("Remind me at 5 pm to call Paris") is None
