"""Readers for what a model copies badly: addresses, named areas, yes/no switches, repeats."""

from __future__ import annotations

from typing import Any

import pytest

from hearth.edge_runtime.routing import flag_arguments, place_arguments, without_repeats

RIDE = {
    "type": "object",
    "required": ["loc"],
    "properties": {
        "loc": {
            "type": "string",
            "description": "The starting location for the ride, in the "
            "format of 'Street Address, City, State (abbr), Country'.",
        },
        "start_time": {"type": "string", "description": "When to start"},
        "type": {"type": "string", "enum": ["plus", "comfort"]},
    },
}
TRIP = {
    "type": "object",
    "properties": {"origin": {"type": "string"}, "destination": {"type": "string"}},
}
AREAS = {
    "type": "object",
    "properties": {
        "province": {"type": "string"},
        "district_name": {"type": "string"},
        "sub_district_name": {"type": "string"},
        "city_name": {"type": "string"},
    },
}


@pytest.mark.parametrize(
    ("message", "given", "read"),
    [
        # The model's piece of the address, or the address less its country, is replaced.
        (
            "I need a 'Plus' type Uber from 221B Baker Street, Berkeley, CA, USA, and I can wait",
            {"loc": "Street"},
            {"loc": "221B Baker Street, Berkeley, CA, USA"},
        ),
        (
            "A ride from 2020 Addison Street, Berkeley, CA, USA please",
            {"loc": "2020 Addison Street, Berkeley, CA"},
            {"loc": "2020 Addison Street, Berkeley, CA, USA"},
        ),
        # A mangled copy is replaced by the message's own words.
        (
            "pick me up at 221B Baker Street, Berkeley",
            {"loc": "221 Baker Street, Berkeley"},
            {"loc": "221B Baker Street, Berkeley"},
        ),
        (
            "Ship it to 350 5th Ave, New York, NY 10118 today",
            {},
            {"loc": "350 5th Ave, New York, NY 10118"},
        ),
        # A value the model copied as written that is not a piece of the address stays.
        ("from 12 Elm Road, near the Old Mill Inn", {"loc": "the Old Mill Inn"}, {}),
        # No address: nothing is read ("5 Street" is no street; a time is no place).
        ("It's 5 Street away, start at 5 pm", {}, {}),
        ("order 3 Big Macs", {}, {}),
    ],
)
def test_addresses_are_read_as_written(
    message: str, given: dict[str, Any], read: dict[str, str]
) -> None:
    assert place_arguments(RIDE, message, given) == read


def test_two_addresses_go_to_the_ends_of_the_trip() -> None:
    message = (
        "Drive me from 10 Downing St, London to 1600 Pennsylvania Avenue NW, Washington, DC 20500."
    )
    assert place_arguments(TRIP, message) == {
        "origin": "10 Downing St, London",
        "destination": "1600 Pennsylvania Avenue NW, Washington, DC 20500",
    }
    # Which is which unknown: neither is guessed.
    assert place_arguments(RIDE, "compare 1 Main Street and 2 Oak Road") == {}


@pytest.mark.parametrize(
    ("message", "read"),
    [
        (
            "ironing services in Bangkok, Khlong Sam Wa District, Sai Kong Subdistrict, 4.5 stars",
            {"district_name": "Khlong Sam Wa", "sub_district_name": "Sai Kong"},
        ),
        ("cleaners in Chatuchak district", {"district_name": "Chatuchak"}),
        ("a maid in the Bang Rak Sub-district", {"sub_district_name": "Bang Rak"}),
        # A city's name includes the word: "Quezon City" is not read as "Quezon".
        ("cleaners in Quezon City", {}),
        # Two districts named: which one is unclear.
        ("Chatuchak District or Bang Rak District", {}),
    ],
)
def test_areas_named_with_their_kind_give_the_name(message: str, read: dict[str, str]) -> None:
    assert place_arguments(AREAS, message) == read


SPECS = {
    "type": "object",
    "required": ["identifier"],
    "properties": {
        "identifier": {"type": "string"},
        "include_images": {"type": "boolean", "default": False},
        "show_lyrics": {"type": "boolean"},
        "images": {"type": "boolean"},
        "include_data": {"type": "boolean"},
    },
}


@pytest.mark.parametrize(
    ("message", "read"),
    [
        ("what is the specs ACHD of type MPN. I want to see images.", {"include_images": True}),
        ("the song Dil Nu, with its lyrics", {"show_lyrics": True}),
        (
            "specs of ACHD without images, and don't show the lyrics",
            {"include_images": False, "show_lyrics": False},
        ),
        # Nothing named: the model's value (or the default) stands; "data" is in any request.
        ("specs of ACHD and all its data", {}),
        # Asked for and refused in one breath: unclear, left alone.
        ("images? no images", {}),
    ],
)
def test_switches_follow_what_the_message_names(message: str, read: dict[str, bool]) -> None:
    assert flag_arguments(SPECS, message) == read


MOVIES = {
    "type": "object",
    "required": [],
    "properties": {
        "directed_by": {"type": "string"},
        "cast": {"type": "string"},
        "genre": {"type": "string"},
    },
}


def test_a_read_value_is_not_repeated_in_optional_arguments() -> None:
    given = {
        "directed_by": "Alexander Mackendrick",
        "cast": "Alexander Mackendrick",
        "genre": "Thriller",
    }
    assert without_repeats(MOVIES, given, read={"directed_by"}) == {
        "directed_by": "Alexander Mackendrick",
        "genre": "Thriller",
    }
    # A required argument owns its value too; two values read by readers both stay.
    flight = {"required": ["origin"], "properties": {"origin": {}, "via": {}}}
    assert without_repeats(flight, {"origin": "Paris", "via": "paris"}) == {"origin": "Paris"}
    assert without_repeats(
        MOVIES, {"directed_by": "X", "cast": "X"}, read={"directed_by", "cast"}
    ) == {"directed_by": "X", "cast": "X"}
    # Nothing read and nothing required: which one is meant is unknown, both stay.
    assert without_repeats(MOVIES, {"directed_by": "X", "cast": "X"}) == {
        "directed_by": "X",
        "cast": "X",
    }


def test_place_and_switch_readers_finish_on_hostile_input() -> None:
    # Long runs a backtracking pattern would take minutes on; each must end at once.
    assert place_arguments(RIDE, "1 " + "Aa " * 3000 + "Street" + ", Bb" * 3000) == {}
    assert place_arguments(RIDE, "1 Baker Street" + ",  " * 5000 + "x") == {"loc": "1 Baker Street"}
    assert place_arguments(AREAS, "Aa " * 5000 + "District") == {"district_name": "Aa Aa Aa Aa Aa"}
    assert flag_arguments(SPECS, "no " * 5000 + "images") == {"include_images": False}


def test_an_area_labelled_with_its_kind_beats_the_models_pick() -> None:
    message = "ironing in Bangkok, Khlong Sam Wa District, Sai Kong Subdistrict"
    given = {"district_name": "Sai Kong Subdistrict",
             "sub_district_name": "Bangkok, Khlong Sam Wa District"}
    assert place_arguments(AREAS, message, given) == {
        "district_name": "Khlong Sam Wa", "sub_district_name": "Sai Kong"}


RATED = {"type": "object", "required": ["service_id"], "properties": {
    "service_id": {"type": "integer"}, "rating": {"type": "number"},
    "province_id": {"type": "integer"}}}


@pytest.mark.parametrize(("message", "read"), [
    ("a housekeeper with a review score of 4.5 stars or more", {"rating": 4.5}),
    ("cleaners with a review score of 4 stars or more", {"rating": 4.0}),
    ("hotels rated at least 3.5 in Bangkok", {"rating": 3.5}),
    # No rating, or two of them: nothing is read.
    ("ironing in Bangkok for 2 hours", {}),
    ("4 stars or 5 stars?", {}),
])
def test_a_stated_rating_fills_the_rating_argument(message: str, read: dict[str, float]) -> None:
    from hearth.edge_runtime.routing import rating_arguments

    assert rating_arguments(RATED, message) == read


def test_an_optional_value_repeating_a_required_one_in_another_form_is_dropped() -> None:
    from hearth.edge_runtime.routing._repeated import without_repeats

    flight = {"required": ["departure_location", "departure_time"]}
    assert without_repeats(flight, {"departure_location": "New York, NY",
                                    "departure_time": "20/06/2022 17:00",
                                    "return_time": "20/6/2022 17:00"}) == \
        {"departure_location": "New York, NY", "departure_time": "20/06/2022 17:00"}
    alerts = {"required": ["sensorSerial"]}
    assert without_repeats(alerts, {"sensorSerial": "Q3CC-CRT3-SZ2G", "perPage": 10,
                                    "networkId": ["Q3CC-CRT3-SZ2G"]}) == \
        {"sensorSerial": "Q3CC-CRT3-SZ2G", "perPage": 10}
    # Another value, or a list of several, is the model's own reading and stays.
    assert without_repeats({"required": ["a"]}, {"a": "x", "b": ["x", "y"], "c": "20/7"}) == \
        {"a": "x", "b": ["x", "y"], "c": "20/7"}
    # Zeros after a decimal point count: 1.05 is no repeat of 1.5; long runs are fine.
    assert without_repeats({"required": ["amount"]}, {"amount": "1.5", "fee": "1.05"}) == \
        {"amount": "1.5", "fee": "1.05"}
    long = "A" + "0" * 5000 + "1"
    assert without_repeats({"required": ["to"]}, {"to": "x", "from": long}) == \
        {"to": "x", "from": long}
