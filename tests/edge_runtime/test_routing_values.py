"""Readers of numeric and named values: percents, ranges, signs, proper names.

Each corrects the model's value only where the message states the value one
way; elsewhere the model's value stands.
"""

from __future__ import annotations

from typing import Any

import pytest

from hearth.edge_runtime.routing import corrected, rank, ungrounded
from hearth.edge_runtime.routing._percent import percent_arguments
from hearth.edge_runtime.routing._proper import proper_names, without_request_words
from hearth.edge_runtime.routing._ranges import range_arguments, signed
from hearth.edge_runtime.routing._relevance import contradicts
from hearth.edge_runtime.routing._us_cities import city_state_arguments, us_cities

S: dict[str, Any] = {"type": "string"}
INT: dict[str, Any] = {"type": "integer"}
NUM: dict[str, Any] = {"type": "number"}


def _schema(required: list[str] | None = None, **properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "properties": properties, "required": required or []}


@pytest.mark.parametrize(("prop", "message", "given", "expected"), [
    # The description asks for a decimal: 5% is 0.05, whatever number the model copied.
    ({"type": "number", "description": "The annual interest rate in decimal form."},
     "Invest $1000 at an annual interest rate of 5% for 2 years.", 5, 0.05),
    ({"type": "number", "description": "Example, 5% is 0.05."},
     "A $5000 investment for 10 years at an annual interest rate of 5%", 10, 0.05),
    # A rate whose description says nothing is a fraction, as finance functions take it.
    ({"type": "number", "description": "The annual interest rate."},
     "Principal of $5000 at 3% for 5 years", 3, 0.03),
    # A percentage stays one, and a model's 0.05 goes back to 5.
    ({"type": "number", "description": "The yearly yield as a percentage."},
     "A fund with a 5% yearly yield", 0.05, 5),
])
def test_a_percent_takes_the_form_the_argument_asks_for(
        prop: dict[str, Any], message: str, given: float, expected: float) -> None:
    schema = _schema(rate=prop, years=INT)
    assert percent_arguments(schema, message, {"rate": given, "years": 2}) == {"rate": expected}


def test_percents_in_a_list_and_what_is_no_rate() -> None:
    lists = _schema(trait_contributions={"type": "array", "items": NUM})
    assert percent_arguments(lists, "Trait A gives 40% and trait B 60%.",
                             {"trait_contributions": [40, 60]}) == {
        "trait_contributions": [0.4, 0.6]}
    # An integer, or a float not named or described as a rate, is left alone.
    assert percent_arguments(_schema(amount=NUM, count=INT), "5% of 200 apples",
                             {"amount": 5, "count": 5}) == {}
    # Two percents and a model value that is neither: which is meant is unclear.
    assert percent_arguments(_schema(rate=NUM), "between 3% and 4%", {"rate": 7}) == {}


@pytest.mark.parametrize(("properties", "message", "given", "expected"), [
    # The model's own numbers, swapped, signless or one twice: the range sets them right.
    ({"from_year": INT, "to_year": INT}, "Law cases about fraud from 2010 to 2015.",
     {"from_year": 2015, "to_year": 2010}, {"from_year": 2010, "to_year": 2015}),
    ({"start_x": NUM, "end_x": NUM}, "the area from x = -2 to x = 3 under y = x^3",
     {"start_x": 2, "end_x": 3}, {"start_x": -2, "end_x": 3}),
    ({"min_price": NUM, "max_price": NUM}, "Laptops from $500 to $1,000",
     {"min_price": 1000, "max_price": 1000}, {"min_price": 500, "max_price": 1000}),
    ({"start_year": INT, "end_year": INT}, "Champions in 1990-1995", {"start_year": 1995},
     {"start_year": 1990, "end_year": 1995}),
    # Numbers the model did not put in the pair are about something else.
    ({"min_price": NUM, "max_price": NUM}, "A hotel in Rome from 12 to 16 March, under 150 euros",
     {"max_price": 150}, {}),
    ({"min_price": NUM, "max_price": NUM}, "between 20 and 30 minutes", {}, {}),
    # Two ranges, or no pair of ends among the arguments: nothing is read.
    ({"from_year": INT, "to_year": INT}, "from 2010 to 2012 or from 2014 to 2015",
     {"from_year": 2010}, {}),
    ({"year": INT, "count": INT}, "from 2010 to 2015", {"year": 2010}, {}),
    # First and last name are no range.
    ({"first_name": INT, "last_name": INT}, "from 1 to 2", {"first_name": 2}, {}),
])
def test_a_range_sets_its_two_ends(properties: dict[str, Any], message: str,
                                   given: dict[str, Any], expected: dict[str, Any]) -> None:
    assert range_arguments(_schema(**properties), message, given) == expected


def test_a_sign_the_model_dropped_comes_back_only_where_the_message_has_no_unsigned_value() -> None:
    schema = _schema(x=NUM, y=NUM)
    assert signed(schema, "the point at x -2.5 and y 3", {"x": 2.5, "y": 3}) == {"x": -2.5}
    assert signed(schema, "from -5 to 5", {"x": 5, "y": 5}) == {}
    # A subtraction, and a list's dashes, are no signs.
    assert signed(schema, "What is 10 -3?", {"x": 10, "y": 3}) == {}
    assert signed(schema, "-2 eggs\n-3 cups flour", {"x": 2, "y": 3}) == {}


def test_a_clipped_name_is_made_whole_and_a_kind_named_argument_gets_its_name() -> None:
    schema = _schema(["museum_name"], museum_name=S)
    message = "Find the opening hours of the Metropolitan Museum of Art."
    assert proper_names(schema, message, {"museum_name": "Museum of Art"}) == {
        "museum_name": "Metropolitan Museum of Art"}
    # The sentence's first word is no part of a name.
    assert proper_names(_schema(city=S), "Weather Paris", {"city": "Paris"}) == {}
    league = _schema(["team_name", "league"], team_name=S, league=S)
    assert corrected(league, "The next 6 games of Manchester United in Premier League.", "f",
                     {"team_name": "Manchester United", "league": "Manchester United"},
                     stated=True) == {"team_name": "Manchester United",
                                      "league": "Premier League"}


def test_a_request_word_is_no_optional_value() -> None:
    schema = _schema(["player"], player=S, match_format=S)
    assert without_request_words(schema, "Find the average of Virat Kohli",
                                 {"player": "Find", "match_format": "Find"}) == {"player": "Find"}
    # Not where the message uses the word as a value too.
    assert without_request_words(schema, "Check that I pay by check", {"match_format": "check"}) \
        == {"match_format": "check"}


@pytest.mark.parametrize(("message", "function", "expected"), [
    ("What's the lowest score in the Flappy Bird game?", "game_tracker_high_score", True),
    ("What is the external rate of return of these cash flows?",
     "calculate_internal_rate_of_return", True),
    # The function's own side named too, no other side named, or one not beside a
    # word of the name (the name's own result may be a loss): it may fit.
    ("I bought at $50 and sold at $42. What is my loss?", "calculate_profit", False),
    ("Where can I buy a high chair cheapest?", "find_lowest_price", False),
    ("Calculate the volume of the sphere with radius 3 units.", "calculate_park_area", False),
    ("What is the highest score in Flappy Bird?", "game_tracker_high_score", False),
    ("Find the area and volume of a cube", "cube_area", False),
    ("The top 5 lowest rated movies", "get_top_movies", False),
    ("The mean of 3, 4 and 5", "calculate_average", False),
])
def test_a_message_asking_for_the_other_side_contradicts_a_function(
        message: str, function: str, expected: bool) -> None:
    assert contradicts(message, function) is expected
    if expected:
        assert rank(message, [{"name": function, "description": ""}]) == [(-1.0, function)]


def test_a_sibling_named_for_the_asked_side_contradicts_the_other() -> None:
    offered = [{"name": "get_max", "description": ""}, {"name": "get_min", "description": ""}]
    ranked = dict((name, score) for score, name in rank("The smallest of 3, 9 and 4?", offered))
    assert ranked["get_max"] == -1.0 and ranked["get_min"] >= 0


def test_a_signed_or_percent_value_is_grounded_as_the_message_writes_it() -> None:
    function = {"name": "grow", "parameters": _schema(["start", "rate"], start=NUM, rate=NUM)}
    message = "Start at -2 and grow at 5% a year"
    assert ungrounded(message, function, {"start": -2, "rate": 0.05}) == []
    assert ungrounded(message, function, {"start": -3, "rate": 0.05}) == ["start"]


def test_a_one_letter_value_is_grounded_only_as_a_capital_written_alone() -> None:
    function = {"name": "scale", "parameters": _schema(["key"], key=S)}
    assert ungrounded("Generate a major C scale at 80 BPM", function, {"key": "C"}) == []
    assert ungrounded("Generate a major scale at 80 BPM", function, {"key": "C"}) == ["key"]
    assert ungrounded("I want a scale", function, {"key": "I"}) == ["key"]
    assert ungrounded("Buy stock 'A' now", function, {"key": "A"}) == []
    assert ungrounded("Differentiate 3x^2 + 2 for x", function, {"key": "x"}) == []


CITY_STATE = _schema(["city"], city={
    "type": "string",
    "description": "The city, in the format of 'City, State', such as 'Berkeley, CA'."})


@pytest.mark.parametrize(("message", "given", "expected"), [
    ("I need a therapist for my family in berkeley.", "berkeley", "Berkeley, CA"),
    ("Can you find me a salon in Fremont?", "Fremont", "Fremont, CA"),
    ("A psychologist in Novato CA.", "Novato CA", "Novato, CA"),
    ("Houses in Austin, Texas", "Austin, Texas", "Austin, TX"),
    ("Get the weather of nyc", "nyc", "New York, NY"),
    ("Find a Unisex Salon in San Jose", "San Jose", "San Jose, CA"),
    ("Can you find a barber in Fremont, OK?", "Fremont", "Fremont, CA"),
    # A name of several cities, a city outside the US, two cities: nothing is read.
    ("Weather in Springfield", "Springfield", None),
    # A place in a city, or named like one, is no city; an empty value is not filled.
    ("Find brunch places in Lincoln Park", "Lincoln Park", None),
    ("Find pizza in Washington Square", "Washington", None),
    ("Book a table at Jackson Street Bar", "", None),
    ("A hotel in Paris", "Paris", None),
    ("Movies in Los Angeles or San Diego", "Los Angeles", None),
])
def test_a_us_city_takes_its_state_where_the_argument_asks_for_it(
        message: str, given: str, expected: str | None) -> None:
    read = city_state_arguments(CITY_STATE, message, {"city": given})
    assert read == ({"city": expected} if expected else {})
    if expected:
        function = {"name": "find_salon", "parameters": CITY_STATE}
        assert ungrounded(message, function, read) == []


def test_a_city_is_left_alone_where_the_argument_asks_for_no_state() -> None:
    plain = _schema(["city"], city={"type": "string", "description": "The city name."})
    assert city_state_arguments(plain, "A salon in Fremont", {"city": "Fremont"}) == {}
    assert us_cities()["Portland"] == "OR"


@pytest.mark.parametrize(("description", "message", "given", "expected"), [
    ("Annual interest rate in %", "A loan at 6.5% for 30 years", 6.5, 6.5),
    ("e.g. 5 for 5%", "A loan at 6.5% for 30 years", 6.5, 6.5),
    ("As a percentage between 0 and 100", "A loan at 6.5% for 30 years", 6.5, 6.5),
    ("As a percentage, up to two decimal places", "A loan at 6.5% for 30 years", 6.5, 6.5),
    ("Tip, e.g. 0.15 for 15%", "An 18% tip on $64", 64, 0.18),
])
def test_the_description_says_percent_or_fraction(description: str, message: str,
                                                  given: float, expected: float) -> None:
    schema = _schema(rate={"type": "number", "description": description})
    assert percent_arguments(schema, message, {"rate": given}) == {"rate": expected}


def test_a_silent_description_converts_only_the_percent_the_model_copied() -> None:
    share = _schema(share_price={"type": "number", "description": "Price per share"})
    assert percent_arguments(share, "At $190 a share, up 2% today", {"share_price": 190}) == {}
    crop = _schema(crop_yield={"type": "number", "description": "Bushels per acre"})
    assert percent_arguments(crop, "180 bushels, and 10% is lost", {"crop_yield": 180}) == {}
    # "3,5%" is a European 3.5, not 5; a number too big for a float is no rate.
    rate = _schema(rate={"type": "number", "description": "As a decimal."})
    assert percent_arguments(rate, "at 3,5% a year", {"rate": 5}) == {}
    assert percent_arguments(rate, "at 5% a year", {"rate": 10**400}) == {"rate": 0.05}


def test_names_are_not_glued_across_possessives_or_other_values() -> None:
    teams = _schema(["team_a", "team_b"], team_a=S, team_b=S)
    assert proper_names(teams, "The score of the Lakers Celtics game?",
                        {"team_a": "Lakers", "team_b": "Celtics"}) == {}
    song = _schema(["song"], song=S)
    assert proper_names(song, "Play Taylor Swift's Shake It Off", {"song": "Shake It Off"}) == {}
    station = _schema(["station"], station=S)
    assert proper_names(station, "The next train from Grand Central to Union Station",
                        {"station": "Grand Central"}) == {}


def test_a_number_too_big_for_a_float_is_not_grounded_and_does_not_crash() -> None:
    function = {"name": "grow", "parameters": _schema(["start"], start=NUM)}
    assert ungrounded("Start at 5", function, {"start": 10**400}) == ["start"]
    assert corrected(_schema(["start"], start=NUM), "Start at 5", "grow", {"start": 10**400},
                     stated=True) == {"start": 10**400}


def test_a_list_whose_description_sums_to_one_takes_fractions() -> None:
    schema = _schema(weights={"type": "array", "items": NUM,
                              "description": "Percentage contributions, which must sum to 1."})
    assert percent_arguments(schema, "A gives 40% and B 60%.", {"weights": [40, 60]}) == {
        "weights": [0.4, 0.6]}


def test_an_example_of_a_percent_as_its_fraction_says_fraction_in_any_language() -> None:
    schema = _schema(enganche={"type": "number", "description":
                               "El porcentaje de enganche. Ejemplo: 0.1 para un enganche del 10%."})
    message = "Un crédito de auto de 1,000,000 de pesos a 12 meses, con un enganche del 20%."
    assert percent_arguments(schema, message, {"enganche": 0.2}) == {"enganche": 0.2}
    assert percent_arguments(schema, message, {"enganche": 20}) == {"enganche": 0.2}


def test_both_ends_of_from_a_to_b_go_to_their_string_pair_in_order() -> None:
    from hearth.edge_runtime.routing._ends import end_pairs

    zones = {"properties": {"time": {"type": "string"}, "from_timezone": {"type": "string"},
                            "to_timezone": {"type": "string"}}}
    # Swapped by the model; each end without its kind's words ("time zone").
    assert end_pairs(zones, "Convert 9am from Tokyo time zone to Paris time zone.",
                     {"from_timezone": "Paris", "to_timezone": "Tokyo"}) == \
        {"from_timezone": "Tokyo", "to_timezone": "Paris"}
    money = {"properties": {"source_currency": {"type": "string"},
                            "target_currency": {"type": "string"}}}
    # The whole "A to B" copied into the first argument.
    assert end_pairs(money, "What is the rate from Swiss Francs to Euros?",
                     {"source_currency": "Swiss Francs to Euros", "target_currency": "Euros"}) \
        == {"source_currency": "Swiss Francs", "target_currency": "Euros"}
    # Values that name neither end, numbers, and two ranges are left to the model.
    trip = {"properties": {"origin": {"type": "string"}, "destination": {"type": "string"}}}
    assert end_pairs(trip, "A train from Paris to Rome.", {"origin": "Oslo"}) == {}
    assert end_pairs(trip, "From 10 to 20 people.", {"origin": "10"}) == {}
    assert end_pairs(trip, "From Paris to Rome, then from Rome to Oslo.", {"origin": "Rome"}) \
        == {}
    # Both ends must be the model's already; a place keeps its kind word.
    assert end_pairs(trip, "A flight from Oslo to Paris next Friday",
                     {"origin": "Oslo", "destination": "Paris"}) == \
        {"origin": "Oslo", "destination": "Paris"}
    assert end_pairs(trip, "Translate this from my boss to English",
                     {"origin": "Spanish", "destination": "English"}) == {}
    cities = {"properties": {"from_city": S, "to_city": S}}
    assert end_pairs(cities, "A bus from Mexico City to Quebec City",
                     {"from_city": "Quebec City", "to_city": "Mexico City"}) == \
        {"from_city": "Mexico City", "to_city": "Quebec City"}


def test_a_value_running_on_into_another_arguments_value_is_cut() -> None:
    from hearth.edge_runtime.routing._repeated import without_other_tails

    assert without_other_tails({"hotel_name": "Ritz Hotel in Madrid", "location": "Madrid"}) \
        == {"hotel_name": "Ritz Hotel", "location": "Madrid"}
    assert without_other_tails({"address": "5 Elm Road, with lot number 778812",
                                "lot": "778812"})["address"] == "5 Elm Road"
    # A comma pair and a whole request keep their words.
    assert without_other_tails({"location": "Paris, France", "country": "France"}) == \
        {"location": "Paris, France", "country": "France"}
    assert without_other_tails({"query": "cafes in Lisbon", "city": "Lisbon"})["query"] == \
        "cafes in Lisbon"
    # A title keeps its words, and only a place argument's value is a tail.
    assert without_other_tails({"movie": "Sleepless in Seattle", "city": "Seattle"})["movie"] \
        == "Sleepless in Seattle"
    assert without_other_tails({"dish": "chicken with rice", "ingredient": "rice"})["dish"] \
        == "chicken with rice"


def test_a_unit_argument_takes_the_unit_the_message_writes() -> None:
    from hearth.edge_runtime.routing._units import unit_arguments

    area = _schema(["side"], side=NUM, unit=S)
    assert unit_arguments(area, "The area of a square with sides of 7 feet?") == {"unit": "feet"}
    speed = _schema(["distance"], distance=NUM, time=NUM, to_unit=S)
    assert unit_arguments(speed, "Speed in mph of a car that drove 100 km in 2 hours?") == \
        {"to_unit": "mph"}
    # Two units, none written, or listed choices: not this reader's to settle.
    assert unit_arguments(area, "7 feet or 2 meters?") == {}
    assert unit_arguments(area, "The area of a square with sides of 7?") == {}
    assert unit_arguments(_schema(unit={"type": "string", "enum": ["ft", "m"]}), "7 feet") == {}
    # Read values survive the optional-value rule.
    assert corrected(area, "The area of a square with sides of 7 feet?", "area",
                     {"side": 7}, stated=True) == {"side": 7, "unit": "feet"}


def test_an_optional_value_is_the_one_quoted_example_the_message_says() -> None:
    from hearth.edge_runtime.routing._examples import example_arguments

    cases = _schema(["company"], company=S, case_type={
        "type": "string", "description": "Type of the case, e.g., 'IPR', 'Patent', "
        "'Commercial', etc. Default is 'all'."})
    assert example_arguments(cases, "Find patent cases of Acme in 2010", {}) == \
        {"case_type": "Patent"}
    # Not negated, not opening a sentence, a short code only as written ("us" is no 'US').
    assert example_arguments(cases, "Find Acme's cases, no patent ones", {}) == {}
    assert example_arguments(cases, "Commercial, I mean. Cases of Acme", {}) == {}
    news = _schema(["topic"], topic=S, country={
        "type": "string", "description": "Country code, e.g. 'US', 'GB', 'IN'."})
    assert example_arguments(news, "Get us the headlines about AI in education", {}) == {}
    assert example_arguments(news, "Headlines about AI in the US", {}) == {"country": "US"}
    # Two examples said, none, or only the default: left to the model.
    assert example_arguments(cases, "Patent or commercial cases of Acme", {}) == {}
    assert example_arguments(cases, "All cases of Acme", {}) == {}
    # A word of the arguments' names is the thing itself ("my bot" beside botId).
    bots = _schema(["botId"], botId=S, filterName={
        "type": "string", "description": "Possible values are 'Bot', 'BotLocale'."})
    assert example_arguments(bots, "Exports for my bot 'b-1'", {}) == {}
    # Units of the argument's kind only: "3 days in Celsius" for a temperature unit.
    from hearth.edge_runtime.routing._units import unit_arguments

    weather = _schema(["city"], city=S, temp_unit=S)
    assert unit_arguments(weather, "Average temperature in Oslo for the next 3 days in Celsius") \
        == {"temp_unit": "Celsius"}
    assert unit_arguments(_schema(unit=S), "a mass of 45 kg and a volume of 15 m³") == {}
    # A description's own units, as it spells them; its kind rules out "3 days".
    forecast = _schema(["city"], city=S, days=INT, unit={
        "type": "string", "description": "Temperature unit, 'celsius' or 'fahrenheit'"})
    assert unit_arguments(forecast, "Weather in Oslo for the next 3 days") == {}
    assert unit_arguments(forecast, "Weather in Oslo for 3 days in Fahrenheit") == \
        {"unit": "fahrenheit"}
    # A default is no list of the units taken.
    circle = _schema(["radius"], radius=INT, unit={
        "type": "string", "description": "The unit of the radius. Default is 'cm'."})
    assert unit_arguments(circle, "A circle with a radius of 4 inches") == {"unit": "inches"}
    system = _schema(units={"type": "string", "description": "'metric' or 'imperial'"})
    assert unit_arguments(system, "Weather in Boston in Fahrenheit") == {}
