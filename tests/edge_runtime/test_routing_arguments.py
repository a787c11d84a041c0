"""Readers of offered functions' arguments: dates with times, choices, number lists, areas.

Each reads what the message states outright in the shape the schema asks for,
and reads nothing where the message could mean two things.
"""

from __future__ import annotations

from typing import Any

import pytest

from hearth.edge_runtime.routing import (
    corrected,
    date_arguments,
    mentioned_choices,
    number_lists,
    place_arguments,
    rank,
    read_arguments,
    ungrounded,
    without_other_areas,
    words,
)
from hearth.edge_runtime.routing._dates import find_times
from hearth.edge_runtime.routing._labelled import explicit_labels, labelled_arguments
from hearth.edge_runtime.routing._name_lists import name_lists
from hearth.edge_runtime.routing._persons import person_arguments
from hearth.edge_runtime.routing._shaped import shaped_arguments


def _moment(description: str, **extra: Any) -> dict[str, Any]:
    return {"required": ["when"], "properties": {
        "when": {"type": "string", "description": description}, **extra}}


@pytest.mark.parametrize(("description", "message", "expected"), [
    ("Pickup time in the format 'dd/mm/yyyy HH:MM'.",
     "Book a taxi on the 3rd of May 2025 at 7 in the evening.", "03/05/2025 19:00"),
    ("New start, ISO-8601, such as '2024-01-31T09:15:00Z'.",
     "Move the stand-up to March 4, 2025 at 10:30 AM UTC.", "2025-03-04T10:30:00Z"),
    ("Start in the form YYYY-MM-DD HH:MM:SS.", "Begin on 2025-02-01 at 9:05 pm.",
     "2025-02-01 21:05:00"),
    ("The date and time of the meeting in ISO 8601 format.", "Meet on 12 June 2025 at 3pm.",
     "2025-06-12T15:00:00"),
])
def test_a_date_and_time_argument_gets_both_in_its_layout(
        description: str, message: str, expected: str) -> None:
    assert date_arguments(_moment(description), message) == {"when": expected}


def test_a_date_and_time_needs_exactly_one_of_each() -> None:
    schema = _moment("Format 'dd/mm/yyyy HH:MM'.")
    assert date_arguments(schema, "Book it for the 3rd of May 2025.") == {}
    assert date_arguments(schema, "On 2025-05-03 at 9:00 or at 17:00.") == {}
    # "Today is ..." says when now is, not the day that is meant.
    assert date_arguments(schema, "Move it to next Friday at 4 pm. Today is 2025-05-03.") == {}


def test_the_required_one_of_two_date_and_time_arguments_gets_them() -> None:
    schema = _moment("Departure, 'dd/mm/yyyy HH:MM'.", back={
        "type": "string", "description": "Optional return, 'dd/mm/yyyy HH:MM'."})
    assert date_arguments(schema, "Fly out on 1 July 2025 at 8 in the morning.") == {
        "when": "01/07/2025 08:00"}


def test_times_of_day_in_words_and_capitals() -> None:
    assert find_times("at 5 in the afternoon") == [(17, 0)]
    assert find_times("at 5:30 in the evening, or 9 o'clock in the morning") == [(17, 30), (9, 0)]
    assert find_times("at 4:30 PM") == [(16, 30)]
    assert find_times("11 at night") == [(23, 0)]


ACTIONS = {"properties": {
    "action": {"type": "string", "enum": ["add", "delete", "update", "complete"]},
    "order": {"type": "string", "enum": ["ASC", "DESC"]},
    "zone": {"type": "string", "enum": ["UTC", "Asia/Tokyo", "America/New_York"]},
}}


@pytest.mark.parametrize(("message", "expected"), [
    ("Remove 'buy milk' from my list", {"action": "delete"}),
    ("Create an item called 'call the bank'", {"action": "add"}),
    ("I finished 'file taxes', mark it as completed", {"action": "complete"}),
    ("Delete the oldest one", {"action": "delete", "order": "ASC"}),
    ("Show them newest first, in New York time", {"order": "DESC",
                                                  "zone": "America/New_York"}),
    # A value named outright wins over words that mean another one.
    ("Update the item I created yesterday", {"action": "update"}),
    # Words that mean two values settle nothing.
    ("Remove the old one or create a new one", {}),
])
def test_choices_are_read_from_words_that_mean_them(
        message: str, expected: dict[str, str]) -> None:
    assert mentioned_choices(ACTIONS, message) == expected


NUMBERS = {"required": ["values"], "properties": {
    "values": {"type": "array", "items": {"type": "number"}}}}


@pytest.mark.parametrize(("message", "expected"), [
    ("What is the sum of 481 and 27?", [481, 27]),
    ("Put [9, -2, 14.5, 3] in order", [9, -2, 14.5, 3]),
    ("latitude 52.5200 and longitude -13.4050", [52.52, -13.405]),
    ("average of 1,200 and five", [1200, 5]),
])
def test_a_list_of_numbers_is_the_numbers_the_message_gives(
        message: str, expected: list[float]) -> None:
    assert number_lists(NUMBERS, message) == {"values": expected}


def test_a_list_of_numbers_is_left_alone_where_a_number_may_mean_something_else() -> None:
    assert number_lists(NUMBERS, "just 42") == {}
    with_limit = {"properties": {**NUMBERS["properties"], "limit": {"type": "integer"}}}
    assert number_lists(with_limit, "sum 3 and 4, at most 10 results") == {}
    # Written in brackets, the list is unmistakable.
    assert number_lists(with_limit, "sum [3, 4], at most 10 results") == {"values": [3, 4]}
    whole = {"properties": {"ids": {"type": "array", "items": {"type": "integer"}}}}
    assert number_lists(whole, "items 3 and 4.5") == {}


def test_an_area_labelled_as_another_kind_leaves_the_optional_argument() -> None:
    schema = {"required": ["service"], "properties": {
        "service": {"type": "string"}, "province_name": {"type": "string"},
        "district_name": {"type": "string"}}}
    message = "A cleaner in Chiang Mai Province, please"
    called = {"service": "cleaning", "province_name": "Chiang Mai",
              "district_name": "Chiang Mai"}
    assert without_other_areas(schema, message, called) == {
        "service": "cleaning", "province_name": "Chiang Mai"}
    # Named as a district too: both stay.
    both = "A cleaner in Chiang Mai District of Chiang Mai Province"
    assert without_other_areas(schema, both, called) == called


EXPORTS = {"name": "list_exports", "parameters": {
    "required": ["botId", "state"],
    "properties": {"botId": {"type": "string"}, "state": {"type": "string"}}}}


def test_a_value_the_message_writes_out_is_grounded() -> None:
    # Its words are the argument's own ("bot", "id"), yet the user wrote it.
    message = "List the exports of my bot 'my-bot-id' in New York"
    assert ungrounded(message, EXPORTS, {"botId": "my-bot-id", "state": "NY"}) == []
    # A state's initials need its name in the message; an id must be written as given.
    assert ungrounded("List the exports of my bot in New Jersey", EXPORTS,
                      {"botId": "my-bot-id", "state": "NY"}) == ["botId", "state"]


@pytest.mark.parametrize(("message", "best"), [
    ("What is the multiplication of 6 and 7?", "multiply"),
    ("Combine the words 'hot' and 'dog'", "concat_strings"),
    ("Arrange 5, 3 and 9 from smallest to largest", "sort_list"),
    ("What is 12 plus 30?", "sum_numbers"),
])
def test_words_that_ask_for_what_a_function_does_rank_it_first(message: str, best: str) -> None:
    functions = [{"name": n, "description": "", "parameters": {}}
                 for n in ("multiply", "concat_strings", "sort_list", "sum_numbers", "get_weather")]
    ranked = rank(message, functions)
    assert ranked[0][1] == best and ranked[0][0] >= 2.0 > ranked[1][0]


def test_arithmetic_words_without_numbers_do_not_make_a_function_fit() -> None:
    functions = [{"name": "sum_numbers", "description": "", "parameters": {}}]
    assert rank("Add a plus-one to the guest list", functions)[0][0] == 0


@pytest.mark.parametrize(("message", "expected"), [
    ("What's the weather in Lyon, France, in Celsius?", {"location": "Lyon, France"}),
    ("Hi, I'd like hotels in Santa Fe, NM please", {"location": "Santa Fe, NM"}),
    # Two pairs, or a city alone: the model's reading stays.
    ("Compare Rome, Italy with Nice, France", {}),
    ("What's the weather in Lyon?", {}),
])
def test_a_place_asked_for_as_city_and_country_is_read_as_written(
        message: str, expected: dict[str, str]) -> None:
    schema = {"required": ["location"], "properties": {"location": {
        "type": "string", "description": "The city, in the format 'City, Country', such as "
                                         "'Berlin, Germany' or 'Austin, TX'."}}}
    assert place_arguments(schema, message) == expected
    plain = {"properties": {"location": {"type": "string", "description": "Where."}}}
    assert place_arguments(plain, message) == {}


def test_what_a_reader_read_stays_where_unstated_optional_values_go() -> None:
    schema = {"required": ["bot"], "properties": {
        "bot": {"type": "string"},
        "order": {"type": "string", "enum": ["ASC", "DESC"]},
        "locale": {"type": "string"}}}
    message = "List the exports of bot 'B-7', newest first"
    given = {"bot": "B-7", "locale": "en_US"}
    # "newest first" is DESC although the message never writes DESC; the made-up
    # locale goes.
    assert corrected(schema, message, "list_exports", given, stated=True) == {
        "bot": "B-7", "order": "DESC"}
    assert corrected(schema, message, "list_exports", given, stated=False) == {
        "bot": "B-7", "locale": "en_US", "order": "DESC"}


@pytest.mark.parametrize(("message", "expected"), [
    ("Who lead Norway, Chile, and New Zealand now?", ["Norway", "Chile", "New Zealand"]),
    ("Send the note to Anna, Bob and Carl", ["Anna", "Bob", "Carl"]),
    ("Should I pick Lisbon or Porto for a weekend?", ["Lisbon", "Porto"]),
])
def test_a_list_of_names_is_the_names_the_message_lists(message: str, expected: list[str]) -> None:
    schema = {"properties": {"names": {"type": "array", "items": {"type": "string"}}}}
    assert name_lists(schema, message) == {"names": expected}


@pytest.mark.parametrize("message", [
    "Tell Anna, Bob and Carl",  # the first capital may be the sentence's
    "Hi, I am Karan and I live in Delhi",
    "Lisbon and Porto, or Madrid and Seville?",  # two lists
])
def test_names_that_may_not_be_a_list_are_left_to_the_model(message: str) -> None:
    schema = {"properties": {"names": {"type": "array", "items": {"type": "string"}}}}
    assert name_lists(schema, message) == {}


def test_one_value_fills_one_argument() -> None:
    schema = {"required": ["botId", "botVersion"], "properties": {
        "botId": {"type": "string"}, "botVersion": {"type": "string"},
        "localeId": {"type": "string"}}}
    # The message's only code-like token is the version, already read from its quotes:
    # no identifier argument (`localeId`) gets it too.
    message = "Export my bot 'sales-helper', version 'v2'"
    assert read_arguments(schema, message, "export_bot", {}) == {
        "botId": "sales-helper", "botVersion": "v2"}
    # An identifier that could fill two arguments stays in the required one.
    assert read_arguments(schema, "Export bot B12345 in its latest version", "export_bot",
                          {}) == {"botId": "B12345"}


def test_a_quoted_name_joined_by_hyphens_is_the_identifier() -> None:
    schema = {"required": ["identifier"], "properties": {"identifier": {"type": "string"}}}
    assert labelled_arguments(schema, "Move event 'Team-Sync-Weekly' to Friday", "move") == {
        "identifier": "Team-Sync-Weekly"}
    # Two such names: which one is meant is the model's call.
    assert labelled_arguments(schema, "Move 'team-sync' after 'all-hands'", "move") == {}


@pytest.mark.parametrize(("example", "message", "expected"), [
    ("'36.2522, -105.3437'", "A customer at 48.8566, 2.3522 pays $100", "48.8566, 2.3522"),
    ("'192.168.0.1'", "Ping 10.0.0.12 twice", "10.0.0.12"),
    ("'555-123-4567'", "Call 555-987-6543 about order 1000", "555-987-6543"),
])
def test_a_value_shaped_like_the_descriptions_example_is_read_as_written(
        example: str, message: str, expected: str) -> None:
    schema = {"properties": {"value": {"type": "string", "description": f"such as {example}"}}}
    assert shaped_arguments(schema, message) == {"value": expected}


def test_a_shape_the_message_writes_twice_or_not_at_all_is_left_alone() -> None:
    schema = {"properties": {"value": {
        "type": "string", "description": "Latitude, longitude, such as '36.25, -105.34'."}}}
    assert shaped_arguments(schema, "From 1.5, 2.5 to 3.5, 4.5") == {}
    assert shaped_arguments(schema, "Somewhere near 12 and 13") == {}
    # A one-number example says nothing about shape.
    single = {"properties": {"value": {"type": "string", "description": "such as '42'"}}}
    assert shaped_arguments(single, "Take 7") == {}


def test_names_are_not_read_beside_another_list() -> None:
    schema = {"properties": {"items": {"type": "array", "items": {"type": "string"}}}}
    message = ("The poster shows Emmet, Wyldstyle, and Batman. Items that may be copyrighted: "
               "red logo, yellow box, white text.")
    assert name_lists(schema, message) == {}
    assert name_lists(schema, "Books by J. K. Rowling and Stephen King") == {
        "items": ["J. K. Rowling", "Stephen King"]}


@pytest.mark.parametrize(("one", "other"), [
    ("movie", "movies"), ("city", "cities"), ("multiply", "multiplication"),
    ("multiply", "multiplied"), ("play", "playing"), ("study", "studies"),
])
def test_a_words_forms_meet(one: str, other: str) -> None:
    assert words(one) == words(other)


def test_a_city_and_country_pair_ends_with_its_sentence() -> None:
    schema = {"properties": {"location": {
        "type": "string", "description": "The place, as 'City, Country'."}}}
    assert place_arguments(schema, "Weather in Oaxaca, Mexico. Please use Celsius.") == {
        "location": "Oaxaca, Mexico"}
    assert place_arguments(schema, "Weather in St. Paul, MN.") == {"location": "St. Paul, MN"}


def test_a_value_after_its_arguments_name_and_a_separator() -> None:
    schema = {"required": ["action", "content"], "properties": {
        "action": {"type": "string", "enum": ["add", "delete"]},
        "content": {"type": "string"}}}
    assert explicit_labels(schema, "delete todo with content - buy bread") == {
        "content": "buy bread"}
    assert explicit_labels(schema, "Add one. Content: call the plumber. Thanks") == {
        "content": "call the plumber"}
    # A hyphenated word is no separator.
    assert explicit_labels(schema, "add the content-free item") == {}


def test_a_number_is_read_after_its_label_only() -> None:
    schema = {"required": ["flight_id", "ticket_number"], "properties": {
        "flight_id": {"type": "string"}, "ticket_number": {"type": "string"}}}
    message = "Status of flight 6E123? My ticket number is IND4567."
    assert labelled_arguments(schema, message, "flight_status") == {
        "flight_id": "6E123", "ticket_number": "IND4567"}
    phone = {"properties": {"phone_number": {"type": "string"}}}
    assert labelled_arguments(phone, "Text me about flight 6E123", "notify") == {}


@pytest.mark.parametrize(("message", "expected"), [
    ("Hi, I am Karan. Where is my flight?", {"passenger_name": "Karan"}),
    ("My name is Maria Lopez, book it", {"passenger_name": "Maria Lopez"}),
    ("I am trying to book a seat", {}),
    ("My name is Ana and this is Rui", {}),  # two people: the model's call
])
def test_the_name_the_user_introduces_fills_a_persons_name(
        message: str, expected: dict[str, str]) -> None:
    schema = {"properties": {"passenger_name": {"type": "string"},
                             "destination_name": {"type": "string"}}}
    assert person_arguments(schema, message) == expected


@pytest.mark.parametrize("message", [
    "What time is it in Tokyo when it is 9:30 in London?",
    "How many times did the Lakers win between 2000 and 2010?",
    "Add 2 cups of flour and 3 eggs to my shopping list",
    "Which generation of iPhone came out in 2020?",
    "Merge my two PDF files report.pdf and summary.pdf",
])
def test_words_near_a_functions_action_do_not_make_it_sure(message: str) -> None:
    functions = [{"name": n, "description": "", "parameters": {}}
                 for n in ("multiply", "sum_numbers", "concat_strings", "generate_password")]
    assert rank(message, functions)[0][0] < 2.0


@pytest.mark.parametrize(("message", "model"), [
    ("What's the weather like in Austin, Texas?", {"location": "Austin, TX"}),
    ("Weather in Mumbai, Maharashtra, India", {}),
    ("Weather in Boston, Chicago and Denver", {}),
    ("A ride from 1 Infinite Loop, Cupertino, CA", {}),
])
def test_no_city_pair_is_read_from_a_list_an_address_or_over_the_models_own(
        message: str, model: dict[str, str]) -> None:
    schema = {"properties": {"location": {"type": "string", "description":
                                          "As 'City, State (abbr)', such as 'Austin, TX'."}}}
    assert "location" not in place_arguments(schema, message, model)


def test_readers_stop_where_another_reading_is_likely() -> None:
    mail = {"properties": {"subject": {"type": "string"}, "body": {"type": "string"}}}
    assert explicit_labels(mail, "Mail them, subject: Lunch, body: See you at noon") == {
        "subject": "Lunch", "body": "See you at noon"}
    scores = {"properties": {"scores": {"type": "array", "items": {"type": "number"}}}}
    assert number_lists(scores, "the average of my 3 test scores: 85, 90 and 78") == {}
    stocks = {"properties": {"symbols": {"type": "array", "items": {"type": "string"}}}}
    assert name_lists(stocks, "prices of Apple and Microsoft", {"symbols": ["AAPL", "MSFT"]}) \
        == {}
    assert find_times("a table for 4 in the evening at 7:30 pm") == [(19, 30)]
    assert find_times("2 American Airlines tickets at 5 pm") == [(17, 0)]
    playlist = {"properties": {"name": {"type": "string"}}}
    assert person_arguments(playlist, "Hi, I'm John. Create a playlist called Chill") == {}
    times = {"properties": {"start_time": {"type": "string", "description": "e.g. '14:30'"}}}
    assert shaped_arguments(times, "from 2:30 pm") == {}
    assert mentioned_choices(ACTIONS, "New todo: finish the quarterly report") == {}
    assert date_arguments(_moment("ISO-8601, such as '2024-01-31T09:15:00Z'."),
                          "Move it to March 4, 2025 at 10:30 AM PST") == {}
    assert date_arguments(_moment("Format 'dd/mm/yyyy HH:MM'."),
                          "Today is my birthday: book June 12, 2025 at 7pm") == {
        "when": "12/06/2025 19:00"}


def test_a_room_is_named_without_the_messages_article() -> None:
    from hearth.edge_runtime.routing._readers import corrected

    blinds = {"type": "object", "required": ["room", "position"], "properties": {
        "room": {"type": "string", "description": "Room name, e.g. kitchen"},
        "position": {"type": "integer"}}}
    assert corrected(blinds, "Close the living room blinds halfway.", "set_blinds",
                     {"room": "the living room", "position": 50}, stated=True) == \
        {"room": "living room", "position": 50}
    # Only an argument named for a room: a title keeps its words.
    note = {"type": "object", "required": ["title"], "properties": {
        "title": {"type": "string", "description": "e.g. 'Living room paint'"}}}
    assert corrected(note, "Create a note called My Room Ideas", "create_note",
                     {"title": "My Room Ideas"}, stated=True) == {"title": "My Room Ideas"}
    # A city keeps its article: "The Hague" is its name.
    weather = {"type": "object", "required": ["city"], "properties": {"city": {"type": "string"}}}
    assert corrected(weather, "Weather in The Hague?", "get_weather", {"city": "The Hague"},
                     stated=True) == {"city": "The Hague"}
