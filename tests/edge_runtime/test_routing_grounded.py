"""A call goes ahead only when the message gives its required arguments (`routing._grounded`)."""

from __future__ import annotations

from typing import Any

import pytest

from hearth.edge_runtime.routing import asking_for, date_arguments, quoted_arguments, ungrounded

TRAIN = {"name": "Trains_1_GetTrainTickets", "description": "Reserve train tickets.",
         "parameters": {"type": "object",
                        "required": ["_from", "to", "date_of_journey", "number_of_adults"],
                        "properties": {
                            "_from": {"type": "string", "description": "Departure city."},
                            "to": {"type": "string", "description": "Arrival city."},
                            "date_of_journey": {"type": "string",
                                                "description": "Date, as 'MM/DD/YYYY'."},
                            "number_of_adults": {"type": "integer",
                                                 "description": "Adults travelling."}}}}
PAYMENT = {"name": "Payment_1_RequestPayment", "description": "Request a payment.",
           "parameters": {"type": "object", "required": ["receiver", "amount"],
                          "properties": {"receiver": {"type": "string"},
                                         "amount": {"type": "number"}}}}
FETCH = {"name": "requests_get", "description": "Send a GET request.",
         "parameters": {"type": "object", "required": ["url"],
                        "properties": {"url": {"type": "string"}}}}
CLEANER = {"name": "get_service_providers", "description": "Find service providers.",
           "parameters": {"type": "object", "required": ["service_id"],
                          "properties": {"service_id": {
                              "type": "integer",
                              "description": "1 for cleaning, 2 for ironing."}}}}


GREET = {"name": "greet_user", "description": "Greet a user by name.",
         "parameters": {"type": "object", "required": ["user_name"],
                        "properties": {"user_name": {"type": "string"}}}}
EVENTS = {"name": "Events_3_FindEvents", "description": "Find events in a city.",
          "parameters": {"type": "object", "required": ["event_type", "city"], "properties": {
              "event_type": {"type": "string", "enum": ["Music", "Theater"]},
              "city": {"type": "string", "description": "As 'City, State', e.g. 'New York, NY'."}}}}


@pytest.mark.parametrize(("message", "function", "arguments", "missing"), [
    # What a small model made of messages that give none of the arguments.
    ("I want to go for a short trip for which I need a Train. Can you search for one?", TRAIN,
     {"_from": "Can", "to": "Train", "date_of_journey": "Train", "number_of_adults": 3},
     ["_from", "to", "date_of_journey", "number_of_adults"]),
    # "one" is a number the message states.
    ("Can you search for the suitable one?", TRAIN,
     {"_from": "Can", "to": "Train", "date_of_journey": "Train", "number_of_adults": 1},
     ["_from", "to", "date_of_journey"]),
    ("I have a transaction, can you do it?", PAYMENT,
     {"receiver": "I have a transaction, can you do it", "amount": 10.5}, ["amount"]),
    ("I need details for interface with fabric Network4, node 5", FETCH,
     {"url": "fabric"}, ["url"]),
    # A URL of a site the message never names.
    ("In a circle of 64 people a ball is passed to every second one. Who holds it last?",
     FETCH, {"url": "https://api.open-meteo.com/v1/current.json"}, ["url"]),
    ("Fetch all.", {**FETCH, "parameters": {"type": "object", "required": ["name"],
                                            "properties": {"name": {"type": "string"}}}},
     {"name": "Fetch all"}, ["name"]),
    # A value the message never says: conjured from the description or out of nothing.
    ("what is your name?", GREET, {"user_name": "John"}, ["user_name"]),
    ("Any musical shows you can find for me?", EVENTS,
     {"event_type": "Music", "city": "New York, NY"}, ["city"]),
    # A required argument not given at all.
    ("Two adults from Berlin to Hamburg tomorrow, please.", TRAIN,
     {"_from": "Berlin", "to": "Hamburg", "number_of_adults": 2}, ["date_of_journey"]),
])
def test_made_up_values_are_found(message: str, function: dict[str, Any],
                                  arguments: dict[str, Any], missing: list[str]) -> None:
    assert ungrounded(message, function, arguments) == missing


@pytest.mark.parametrize(("message", "function", "arguments"), [
    ("Two adults from Berlin to Hamburg tomorrow, please.", TRAIN,
     # Rephrased and normalised values are the user's too.
     {"_from": "Berlin, DE", "to": "Hamburg", "date_of_journey": "03/17/2026",
      "number_of_adults": 2}),
    ("Send 25.50 to Anna for the pizza.", PAYMENT, {"receiver": "Anna", "amount": 25.5}),
    ("Get https://api.example.com/v1/data", FETCH, {"url": "https://api.example.com/v1/data"}),
    # A URL built on the site the message names (its IP, a word of its host).
    ("Get the interface statistics of node 12 at 192.120.45.67", FETCH,
     {"url": "https://192.120.45.67/api/node/12/interfaces"}),
    ("What does the example site say about versions?", FETCH,
     {"url": "https://api.example.com/versions"}),
    ("Find someone who does ironing.", CLEANER, {"service_id": 2}),
    # A value completed around the message's word; a name in other capitals.
    ("Any concerts in Paris this week?", EVENTS, {"event_type": "Music", "city": "Paris, FR"}),
    ("Hi, greet MCDONALD for me", GREET, {"user_name": "McDonald"}),
    ("Turn the kitchen lights on.", {**FETCH, "parameters": {
        "type": "object", "required": ["state"], "properties": {"state": {"type": "string"}}}},
     {"state": "on"}),  # read from the description
    ("我想从上海坐火车去北京，明天，两个人", TRAIN,  # another script: words say nothing here
     {"_from": "Shanghai", "to": "Beijing", "date_of_journey": "tomorrow",
      "number_of_adults": 2}),
])
def test_values_the_message_gives_pass(message: str, function: dict[str, Any],
                                       arguments: dict[str, Any]) -> None:
    assert ungrounded(message, function, arguments) == []


def test_the_question_names_what_is_missing() -> None:
    text = asking_for(["_from", "date_of_journey"], "Trains_1_GetTrainTickets")
    assert "from and date of journey" in text and text.endswith("?")


@pytest.mark.parametrize(("description", "message", "expected"), [
    ("Date of the flight, in the format DD/MM/YYYY.",
     "I need a flight from JFK on the 16th of March 2024, leaving around 14:00.",
     {"day": "16/03/2024"}),
    ("The date, formatted as 'YYYY-MM-DD'.", "Weather in Palo Alto for today April 25th 2023?",
     {"day": "2023-04-25"}),
    ("Format %m-%d-%Y.", "Book it for 2024-07-04.", {"day": "07-04-2024"}),
    # Two dates, or a date without a layout: left to the model.
    ("YYYY-MM-DD", "From March 3, 2024 to March 9, 2024.", {}),
    ("The day of the trip.", "On March 3, 2024.", {}),
])
def test_a_date_argument_is_read_in_the_layout_the_schema_asks(
        description: str, message: str, expected: dict[str, str]) -> None:
    schema = {"properties": {"day": {"type": "string", "description": description},
                             "city": {"type": "string"}}}
    assert date_arguments(schema, message) == expected


def test_a_time_argument_is_read_as_hh_mm() -> None:
    schema = {"properties": {
        "date": {"type": "string", "description": "The date, in the format DD/MM/YYYY."},
        "time": {"type": "string", "description": "Departure time, 24-hour format HH:MM."}}}
    message = "A flight from JFK on the 16th of March 2024, leaving around 2 pm."
    assert date_arguments(schema, message) == {"date": "16/03/2024", "time": "14:00"}
    # Two times: which one is meant is the model's call.
    assert date_arguments(schema, "Between 9:30 and 11:00 on 2024-03-16.") == {
        "date": "16/03/2024"}


@pytest.mark.parametrize("description", [
    "The departure time for the flight in 24-hour format, such as '18:45'.",
    "When it leaves, e.g. 07:30.",
])
def test_a_time_argument_is_known_by_its_example_or_24_hour_format(description: str) -> None:
    schema = {"properties": {"departure_time": {"type": "string", "description": description}}}
    message = "A flight from JFK on the 16th of March 2024 that leaves around 14:00?"
    assert date_arguments(schema, message) == {"departure_time": "14:00"}
    plain = {"properties": {"note": {"type": "string", "description": "Anything to add."}}}
    assert date_arguments(plain, message) == {}


ARTICLE = {"properties": {k: {"type": "string"} for k in (
    "Title", "Content", "MetaTitle", "MetaDescription", "UrlName")} | {
    "ContentItem": {"type": "string", "enum": ["news", "blog"]}}}


@pytest.mark.parametrize(("schema", "message", "expected"), [
    (ARTICLE, "Publish a news article titled 'Julian is Testing' with 'a detailed analysis of "
     "sleep' as content. Set the meta title to be 'Sleep and Work' and the url to "
     "'julian-testing'. Add 'How sleep affects work' as the meta description.",
     {"Title": "Julian is Testing", "Content": "a detailed analysis of sleep",
      "MetaTitle": "Sleep and Work", "UrlName": "julian-testing",
      "MetaDescription": "How sleep affects work"}),
    ({"properties": {"name": {"type": "string"}}},
     "Connect my Bluetooth speaker called \u201cJBL Flip 4\u201d.", {"name": "JBL Flip 4"}),
    # A quote whose nearest words do not name the argument is left to the model.
    ({"properties": {"command": {"type": "string"}}},
     'is vs code running, using the command tasklist /FI "IMAGENAME eq Code.exe"', {}),
    ({"properties": {"query": {"type": "string"}}},
     "I want to listen to 'Dil Nu' by Maninder Buttar. Don't stop.", {}),
])
def test_a_quoted_value_fills_the_argument_its_label_names(
        schema: dict[str, Any], message: str, expected: dict[str, str]) -> None:
    assert quoted_arguments(schema, message) == expected
