"""Readers of offered functions' arguments: region codes, song queries, "with content X",
date ranges; what they read replaces what the model wrote (`corrected`)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from hearth.edge_runtime.routing._dates import date_range, find_dates
from hearth.edge_runtime.routing._grounded import ungrounded
from hearth.edge_runtime.routing._labelled import explicit_labels, labelled_arguments
from hearth.edge_runtime.routing._readers import corrected
from hearth.edge_runtime.routing._region_codes import named_countries, region_codes
from hearth.edge_runtime.routing._songs import song_queries

TAX = {"type": "object", "required": ["amount", "state"], "properties": {
    "amount": {"type": "number", "description": "The purchase amount in dollars."},
    "state": {"type": "string", "description": "The U.S. state abbreviation, such as 'CA' for "
                                               "California or 'NY' for New York."}}}
WEATHER = {"type": "object", "required": ["city"], "properties": {
    "city": {"type": "string", "description": "The city name."},
    "country": {"type": "string", "description": "The country where the city is located, e.g. "
                                                 "'US'. Use ISO 3166-1 alpha-2 country codes."}}}
SPOTIFY = {"type": "object", "required": ["query"], "properties": {
    "query": {"type": "string", "description": "The search query, formatted as 'track:Song Name "
                                               "artist:Artist Name', or just 'Song Name' if the "
                                               "artist is unknown."},
    "volume": {"type": "integer", "description": "Volume, 0 to 100.", "default": 50}}}
TODO = {"type": "object", "required": ["type", "content"], "properties": {
    "type": {"type": "string", "enum": ["add", "delete"], "description": "The action."},
    "content": {"type": "string", "description": "The todo's text."}}}
FORECAST = {"type": "object", "required": ["location", "start_date", "end_date"], "properties": {
    "location": {"type": "string", "description": "The city."},
    "start_date": {"type": "string", "description": "Start, in the format 'YYYY-MM-DD'."},
    "end_date": {"type": "string", "description": "End, in the format 'YYYY-MM-DD'."}}}


def _function(name: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "description": "", "parameters": schema}


@pytest.mark.parametrize(("message", "code"), [
    ("I bought a laptop for $999 in California, how much tax?", "CA"),
    ("What's the sales tax on $20 in New York?", "NY"),
    ("Tax on a $50 purchase in West Virginia", "WV"),  # not Virginia
])
def test_a_state_argument_asking_for_an_abbreviation_gets_the_named_states_code(
        message: str, code: str) -> None:
    assert region_codes(TAX, message, {}) == {"state": code}
    # The model's "California" is replaced by its code; its own "CA" is not made up.
    assert corrected(TAX, message, "tax", {"amount": 1, "state": "California"},
                     stated=True)["state"] == "CA"
    assert "state" not in ungrounded(message, _function("tax", TAX), {"amount": 1,
                                                                      "state": code})


def test_a_code_the_model_wrote_stays_and_other_places_are_no_state() -> None:
    assert region_codes(TAX, "Tax on $10 in Boston? Heading there from Florida",
                        {"state": "MA"}) == {}
    assert region_codes(TAX, "How much tax do I pay on $10?", {"state": "tax"}) == {}
    assert region_codes(TAX, "Tax on $10 in Texas or in Ohio?", {}) == {}
    assert region_codes(TAX, "Tax on $10 in Kansas City", {}) == {}
    assert region_codes(TAX, "Tax on $10 in Washington, D.C.", {}) == {"state": "DC"}
    # A code nobody named is still made up, and a state's code is no country's.
    assert ungrounded("Tax on $10 please", _function("tax", TAX), {"amount": 10,
                                                                    "state": "CA"}) == ["state"]
    holidays = {**WEATHER, "required": ["country"]}
    assert ungrounded("Holidays in California", _function("holidays", holidays),
                      {"country": "CA"}) == ["country"]
    assert ungrounded("Holidays in Canada", _function("holidays", holidays),
                      {"country": "CA"}) == []


def test_a_description_that_wants_no_region_code_gets_none() -> None:
    named = {"properties": {"country": {"type": "string",
                                        "description": "Country name (not the code)."}}}
    dialing = {"properties": {"country_code": {
        "type": "string", "description": "The international dialing code, e.g. +44."}}}
    assert region_codes(named, "Population of France?", {}) == {}
    assert region_codes(dialing, "Call my mom in India", {}) == {}


@pytest.mark.parametrize(("message", "code"), [
    ("What's the weather for London in the UK?", "GB"),
    ("Weather in Lyon, France", "FR"),
    ("weather in Seoul, South Korea", "KR"),  # not "Korea" twice over
    ("Is it raining in Austin, USA?", "US"),
])
def test_a_country_code_argument_gets_the_iso_code_of_the_named_country(
        message: str, code: str) -> None:
    assert region_codes(WEATHER, message, {"city": "X"}) == {"country": code}
    # The model's "UK" is no ISO code: the code of the place it names.
    assert corrected(WEATHER, message, "weather", {"city": "X", "country": "UK"},
                     stated=True)["country"] == "GB"


def test_us_as_a_pronoun_and_places_named_after_countries_name_no_country() -> None:
    assert named_countries("Tell us the weather in Lyon") == set()
    assert named_countries("Tell US the weather") == {"US"}  # capitals: the country
    assert named_countries("CAN YOU TELL US THE WEATHER IN TORONTO") == set()
    assert named_countries("Weather in New Mexico") == set()
    assert named_countries("Weather in New South Wales") == set()


@pytest.mark.parametrize(("message", "query"), [
    ("Play the song 'Friends' by Marshmello", "track:Friends artist:Marshmello"),
    ("play wrecking ball by Miley Cyrus", "track:wrecking ball artist:Miley Cyrus"),
    ("I want to listen to 'Dil Nu' by Maninder Buttar. Can you find it on Spotify.",
     "track:Dil Nu artist:Maninder Buttar"),
    ("Can you search for the song 'Shape of You'?", "Shape of You"),
    ("Play 'Don't Stop Me Now' by Queen", "track:Don't Stop Me Now artist:Queen"),
    ("Play 'Let It Be' by the Beatles", "track:Let It Be artist:the Beatles"),
    ("I can't sleep, 'cause I'm tired. Play the song called Hello by Adele",
     "track:Hello artist:Adele"),
])
def test_a_song_query_is_written_in_the_form_the_description_shows(
        message: str, query: str) -> None:
    assert song_queries(SPOTIFY, message) == {"query": query}
    # The model's half of it ("Marshmello" alone, the song as its own artist) is replaced.
    assert corrected(SPOTIFY, message, "play", {"query": "Shape of You artist:Shape of You"},
                     stated=True)["query"] == query


def test_songs_are_read_only_for_a_query_asking_for_that_form() -> None:
    plain = {"type": "object", "properties": {"query": {"type": "string",
                                                        "description": "What to search."}}}
    assert song_queries(plain, "Play the song 'Friends' by Marshmello") == {}
    for not_a_song in ("play something by Queen please", "play it by ear",
                       "can you play some jazz by the fireplace", "Play me something by Queen",
                       "Don't play Hello by Adele", "play my workout playlist by the pool"):
        assert song_queries(SPOTIFY, not_a_song) == {}, not_a_song
    # No artist, and a description that does not allow the song alone: nothing read.
    strict = {"type": "object", "properties": {"query": {
        "type": "string", "description": "Formatted as 'track:Doxy artist:Miles Davis'."}}}
    assert song_queries(strict, "Can you search for the song 'Shape of You'?") == {}


@pytest.mark.parametrize(("message", "content"), [
    ("add todo with content go to sleep at 9 pm", "go to sleep at 9 pm"),
    ("I need to remove the task with the content 'ravi' from my todo list.", "ravi"),
    ("delete todo with content - go to gym", "go to gym"),
])
def test_a_value_after_with_and_its_argument_name_is_read(message: str, content: str) -> None:
    given = {"type": "add", "content": "todo with content go to sleep at 9"}
    assert labelled_arguments(TODO, message, "todo", given).get("content") is None
    assert explicit_labels(TODO, message) == {"content": content}
    assert corrected(TODO, message, "todo", given, stated=True)["content"] == content


def test_a_label_repairs_the_models_value_and_never_overrides_one_the_message_gives() -> None:
    # "with content from the meeting notes" is prose: the model's content stands.
    message = "Add a todo to finish the report with content from the meeting notes"
    assert corrected(TODO, message, "todo", {"type": "add", "content": "finish the report"},
                     stated=True)["content"] == "finish the report"
    note = {"type": "object", "properties": {"title": {"type": "string"},
                                             "content": {"type": "string"}}}
    # A label ends where the next one starts, and a title's full stop ends no sentence.
    assert explicit_labels(note, "Create a note with title Groceries and content milk",
                           {"title": "note"}, "note") == {"title": "Groceries"}
    assert explicit_labels(TODO, "add todo with content call Dr. Smith at 3", {},
                           "todo") == {"content": "call Dr. Smith at 3"}
    # Dates are their readers': "May 3rd, 2024" as the schema asks, not as labelled.
    event = {"type": "object", "properties": {
        "title": {"type": "string"},
        "date": {"type": "string", "description": "In the format 'YYYY-MM-DD'."}}}
    assert corrected(event, "title: Dentist, date: May 3rd, 2024", "event",
                     {"title": "Dentist", "date": "x"}, stated=True)["date"] == "2024-05-03"


def test_with_and_a_name_followed_by_a_function_word_is_no_label() -> None:
    assert explicit_labels(TODO, "a todo with content of my diary") == {}


def test_an_explicit_label_takes_its_value_from_the_argument_another_reader_gave_it() -> None:
    cms = {"type": "object", "required": ["kind", "Title"], "properties": {
        "kind": {"type": "string", "enum": ["NewsItem", "BlogPost"], "description": "Type."},
        "Title": {"type": "string", "description": "The title of the item."},
        "MetaTitle": {"type": "string", "description": "The meta title.", "default": None}}}
    message = "Add a 'NewsItem' with the title 'Julian is testing12'. Can you set this up?"
    got = corrected(cms, message, "create", {"kind": "NewsItem", "Title": "NewsItem",
                                             "MetaTitle": "Julian is testing12"}, stated=True)
    assert got == {"kind": "NewsItem", "Title": "Julian is testing12"}


@pytest.mark.parametrize(("message", "dates"), [
    ("from April 3rd to April 5th 2023", ["2023-04-03", "2023-04-05"]),
    ("between March 1 and March 5, 2024", ["2024-03-01", "2024-03-05"]),
    ("March 1-5, 2024", ["2024-03-01", "2024-03-05"]),
    ("on March 3rd 2024", ["2024-03-03"]),
    ("Book from Dec 30 to Jan 2, 2025", ["2024-12-30", "2025-01-02"]),
])
def test_a_range_names_its_year_once_for_both_ends(message: str, dates: list[str]) -> None:
    assert [d.isoformat() for d in find_dates(message)] == dates


def test_a_start_and_end_date_pair_gets_both_ends_of_the_range() -> None:
    message = "Weather in Paris, France from April 3rd to April 5th 2023, in Celsius?"
    given = {"location": "Paris, France", "start_date": "2023. For", "end_date": "2023"}
    got = corrected(FORECAST, message, "forecast", given, stated=True)
    assert (got["start_date"], got["end_date"]) == ("2023-04-03", "2023-04-05")
    # Two dates that are no range ("for May 3 ..., it expires June 1") fill no pair.
    stay = corrected(FORECAST, "Rome for May 3 2024, 2 nights. My passport expires June 1 "
                     "2024", "forecast", {"location": "Rome", "start_date": "2024-05-03",
                                          "end_date": "2024-05-05"}, stated=False)
    assert stay["end_date"] == "2024-05-05"
    # Two dates out of order are no range the pair can take.
    later_first = corrected(FORECAST, "on 2023-04-05 and 2023-04-03", "forecast",
                            {"location": "Paris", "start_date": "x", "end_date": "y"},
                            stated=False)
    assert (later_first["start_date"], later_first["end_date"]) == ("x", "y")


def test_a_copy_of_the_message_loses_the_end_mark_the_message_lacks() -> None:
    chat = {"type": "object", "required": ["user_message"], "properties": {
        "user_message": {"type": "string", "description": "What the user said."}}}
    got = corrected(chat, "Hey bunny, How are you doing", "chat",
                    {"user_message": "Hey bunny, How are you doing?"}, stated=True)
    assert got == {"user_message": "Hey bunny, How are you doing"}
    asked = corrected(chat, "Hey bunny, how are you doing?", "chat",
                      {"user_message": "Hey bunny, how are you doing?"}, stated=True)
    assert asked == {"user_message": "Hey bunny, how are you doing?"}


def test_a_slip_in_the_models_copy_of_the_message_is_repaired() -> None:
    order = {"type": "object", "required": ["food_item"], "properties": {
        "food_item": {"type": "string", "description": "The dish."},
        "modification_request": {"type": "string", "description": "The change."}}}
    message = ("I'd like to modify my order by making the dish called 'chicken dish' to a new "
               "spice level 'extra spicy', please.")
    assert corrected(order, message, "change_food", {"food_item": "chicken",
                                                     "modification_request": "extra spicy"},
                     stated=True) == {"food_item": "chicken dish",
                                      "modification_request": "extra spicy"}
    get = {"type": "object", "required": ["url"], "properties": {
        "url": {"type": "string", "description": "The URL to send the GET request to."}}}
    message = ("Summary of anomalies using the URL formatted as 'https://{ip}/api/v1/summary', "
               "where {ip} is the IP address '192.168.1.1'?")
    assert corrected(get, message, "requests_get", {"url": "https://{ip}/api/v1/summary"},
                     stated=True) == {"url": "https://192.168.1.1/api/v1/summary"}


def test_a_second_reviews_over_reads_stay_fixed() -> None:
    # A word is completed only to a name the message introduces as one ("called '...'").
    assert corrected({"type": "object", "properties": {"item": {"type": "string"},
                                                        "store": {"type": "string"}}},
                     "Buy milk at 'Milk Bar Downtown'", "shop",
                     {"item": "milk", "store": "Milk Bar Downtown"}, stated=True) == {
        "item": "milk", "store": "Milk Bar Downtown"}
    # A message template keeps its placeholders.
    sms = {"type": "object", "properties": {"text": {"type": "string"}}}
    template = "Hi, your order {order_id} is ready for pickup"
    assert corrected(sms, f"Save the SMS template '{template}'", "save", {"text": template},
                     stated=True) == {"text": template}
    # A "with" label in prose does not replace the model's own reading of it.
    lamp = {"type": "object", "properties": {"color": {"type": "string"},
                                             "title": {"type": "string"}}}
    assert corrected(lamp, "Turn on the lamp with color warm white at 50%", "lamp",
                     {"color": "warm white"}, stated=True) == {"color": "warm white"}
    assert explicit_labels(lamp, "Create it with a title like 'Q3 review'") == {
        "title": "Q3 review"}
    # Codes the table lacks, and values the description lists, stay.
    weather = {"properties": {"country": {"type": "string",
                                          "description": "ISO 3166-1 alpha-2 country code"}}}
    assert region_codes(weather, "I'm in Canada. Weather in Kingston, Jamaica?",
                        {"country": "JM"}) == {}
    assert region_codes(weather, "Belfast, Northern Ireland", {"country": "Northern Ireland"}
                        ) == {"country": "GB"}
    task = {"properties": {"state": {"type": "string",
                                     "description": "New state code: OPEN, IN_PROGRESS or DONE"}}}
    assert region_codes(task, "Mark the 'Book Florida trip' task as done",
                        {"state": "DONE"}) == {}
    # Two days joined by "and" are no range; a backwards range in one month is none either.
    assert date_range("Compare flight prices on June 3 and June 10, 2024") is None
    assert find_dates("Show events from May 10 to May 3, 2024") == [date(2024, 5, 3)]
    # Runs of spaces are read as one (they made the label patterns backtrack).
    assert explicit_labels(lamp, "with title   Minutes  of   the week") == {
        "title": "Minutes of the week"}
    assert explicit_labels(lamp, "title:   Weekly    sync") == {"title": "Weekly sync"}
