"""Arguments of offered tools read from the message; optional ones it does not state left out.

The cases are what small models did with BFCL's search-part tasks
(`routing._stated`, `_url_arguments`, `_described`, `_labelled`).
"""

from __future__ import annotations

from typing import Any

import pytest

from hearth.edge_runtime.routing import stated_only, url_arguments

WEATHER = {"type": "object", "required": ["location"], "properties": {
    "location": {"type": "string"},
    "unit": {"type": "string", "enum": ["celsius", "fahrenheit"], "default": "fahrenheit"}}}
GET = {"type": "object", "required": ["url"], "properties": {
    "url": {"type": "string"},
    "params": {"type": "object", "properties": {"advisoryId": {"type": "string"},
                                                "ip": {"type": "string"},
                                                "limit": {"type": "integer"}}}}}
PROVIDERS = {"type": "object", "required": ["service_id"], "properties": {
    "service_id": {"type": "integer", "description": "1 for cleaning, 2 for ironing."},
    "district_name": {"type": "string"}, "rating": {"type": "number"},
    "available": {"type": "boolean"},
    "date": {"type": "string", "description": "Date, as 'YYYY-MM-DD'."}}}


@pytest.mark.parametrize(("message", "schema", "arguments", "kept"), [
    # An enum value nobody said: the function's default applies.
    ("Could you tell me the current weather conditions in Boston, MA?", WEATHER,
     {"location": "Boston, MA", "unit": "celsius"}, {"location": "Boston, MA"}),
    ("What's the weather in Boston in Fahrenheit?", WEATHER,
     {"location": "Boston, MA", "unit": "fahrenheit"},
     {"location": "Boston, MA", "unit": "fahrenheit"}),
    # Invented query parameters go, stated ones stay; a URL's words are no value.
    ("Get the advisory with the identifier 'dac' from 'https://api.example.com/recs'", GET,
     {"url": "https://api.example.com/recs", "params": {"advisoryId": "dac",
                                                        "ip": "192.168.1.100"}},
     {"url": "https://api.example.com/recs", "params": {"advisoryId": "dac"}}),
    ("retrieve data from 'https://api.example.com/v1/data' with a limit of 50 items?", GET,
     {"url": "https://api.example.com/v1/data", "params": {"query": "example", "limit": 50}},
     {"url": "https://api.example.com/v1/data", "params": {"limit": 50}}),
    # A made-up place goes, a number read from the description and a boolean stay,
    # and a date stays only when the message names one.
    ("Find someone who irons in Bangkok, rated 4.5 or more.", PROVIDERS,
     {"service_id": 2, "district_name": "Downtown", "rating": 4.5, "available": True,
      "date": "2024-01-01"},
     {"service_id": 2, "rating": 4.5, "available": True}),
    ("Find someone who irons in Khlong Sam Wa on the 3rd of May.", PROVIDERS,
     {"service_id": 2, "district_name": "Khlong Sam Wa", "date": "2024-05-03"},
     {"service_id": 2, "district_name": "Khlong Sam Wa", "date": "2024-05-03"}),
    # Another script: word tests say nothing, everything stays.
    ("上海的天气怎么样？用摄氏度。", WEATHER, {"location": "上海", "unit": "celsius"},
     {"location": "上海", "unit": "celsius"}),
])
def test_optional_values_stay_only_when_the_message_states_them(
        message: str, schema: dict[str, Any], arguments: dict[str, Any],
        kept: dict[str, Any]) -> None:
    assert stated_only(message, schema, arguments) == kept


def test_required_values_are_never_left_out() -> None:
    # Whether a required value was made up is `ungrounded`'s question (it asks).
    assert stated_only("What's the weather?", WEATHER, {"location": "Paris"}) == {
        "location": "Paris"}


@pytest.mark.parametrize(("message", "url"), [
    ("information on the device connector versions from "
     "https://example.com/device-connector-versions.json?",
     "https://example.com/device-connector-versions.json"),
    ("fetch 'https://api.example.com/v1/data' please.", "https://api.example.com/v1/data"),
])
def test_a_url_argument_is_the_messages_one_url(message: str, url: str) -> None:
    assert url_arguments(GET, message) == {"url": url}


def test_no_url_is_read_when_it_is_not_clear_which() -> None:
    two = "compare https://a.example.org/x with https://b.example.org/y"
    assert url_arguments(GET, two) == {}
    assert url_arguments(GET, "get the stats from the node with IP 192.120.45.67") == {}
    both = {"type": "object", "properties": {"url": {"type": "string"},
                                             "link": {"type": "string"}}}
    assert url_arguments(both, "open https://example.com") == {}


SERVICE = {"type": "object", "required": ["service_id"], "properties": {
    "service_id": {"type": "integer", "description": "The ID of a service type. For example, "
                   "'1' represents cleaning, '2' represents ironing, and '13' represents big "
                   "cleaning."},
    "province_id": {"type": "integer", "description": "For example, '1' corresponds to "
                    "Bangkok, '2' to Chiang Mai, and '3' to Chonburi."},
    "rating": {"type": "number", "description": "Minimum rating, 0 to 5."}}}


@pytest.mark.parametrize(("message", "codes"), [
    ("Help find a housekeeper who provides ironing services in Bangkok, with a review "
     "score of 4 stars or more", {"service_id": 2, "province_id": 1}),
    # The longest name whose words are all said wins; no name said, no code.
    ("I need a big cleaning in Chiang Mai", {"service_id": 13, "province_id": 2}),
    ("I need a cleaning", {"service_id": 1}),
    ("Find me someone nice", {}),
])
def test_a_code_is_read_from_the_name_its_description_gives(
        message: str, codes: dict[str, int]) -> None:
    from hearth.edge_runtime.routing import described_codes

    assert described_codes(SERVICE, message) == codes


COMMAND = {"type": "object", "required": ["command"],
           "properties": {"command": {"type": "string"}}}
SPECS = {"type": "object", "required": ["identifier"], "properties": {
    "identifier": {"type": "string"},
    "search_type": {"type": "string", "enum": ["MPN", "ItemNo", "SKU"]}}}

MOVIES = {"type": "object", "required": [], "properties": {
    "directed_by": {"type": "string"}, "genre": {"type": "string"},
    "cast": {"type": "string"}}}


@pytest.mark.parametrize(("message", "schema", "function", "read"), [
    ('is vs code running, using the command tasklist /FI "IMAGENAME eq Code.exe"', COMMAND,
     "cmd_controller_execute", {"command": 'tasklist /FI "IMAGENAME eq Code.exe"'}),
    ("open calculator with the command called start calc.", COMMAND, "cmd_controller_execute",
     {"command": "start calc"}),
    ("say hi using the echo command", COMMAND, "cmd_controller_execute", {}),
    # After its label, or the only code-like token (not the function's own words).
    ("retrieve the specifications for part with the MPN identifier 3pak7?", SPECS,
     "raptor_mpn_specs", {"identifier": "3pak7"}),
    ("what is the specs ACHD of type MPN. I want to see images.", SPECS, "raptor_mpn_specs",
     {"identifier": "ACHD"}),
    # Abbreviations and HTTP verbs are nobody's identifier.
    ("Send a GET to the API for the user ID", SPECS, "raptor_mpn_specs", {}),
    # A name after the phrase its argument is named after; none when no name follows.
    ("Could you suggest some Offbeat genre movies directed by Tim Burton with Johnny Depp?",
     MOVIES, "Movies_3_FindMovies", {"directed_by": "Tim Burton"}),
    ("Any films directed by Guillermo del Toro?", MOVIES, "Movies_3_FindMovies",
     {"directed_by": "Guillermo del Toro"}),
    ("a film directed by someone famous, with my favourite cast", MOVIES,
     "Movies_3_FindMovies", {}),
])
def test_labelled_values_are_read_as_written(message: str, schema: dict[str, Any],
                                             function: str, read: dict[str, str]) -> None:
    from hearth.edge_runtime.routing import labelled_arguments

    assert labelled_arguments(schema, message, function) == read


ORDER = {"type": "object", "required": ["order_id"], "properties": {
    "order_id": {"type": "string"}}}
CURRENCY = {"type": "object", "required": ["from_currency_code", "to_currency_code"],
            "properties": {"from_currency_code": {"type": "string"},
                           "to_currency_code": {"type": "string"}}}


@pytest.mark.parametrize(("message", "schema", "given"), [
    # Ordinals, clock times and currency codes are nobody's identifier.
    ("What's the status of order 48213? I ordered it on the 3rd", ORDER, {}),
    ("Where is my order? It was due at 5pm", ORDER, {}),
    ("how much is 100 dollars in EUR", CURRENCY, {}),
    # A value the model copied from the message stays.
    ("track order AB12 for me, it came from UPS", ORDER, {"order_id": "AB12"}),
    ("a comedy directed by Edgar Wright", MOVIES, {"directed_by": "Edgar Wright"}),
])
def test_labelled_readers_leave_other_values_alone(message: str, schema: dict[str, Any],
                                                   given: dict[str, Any]) -> None:
    from hearth.edge_runtime.routing import labelled_arguments

    read = labelled_arguments(schema, message, "track_order", given)
    # Nothing is read where the model gave nothing; a copied value is returned unchanged.
    assert read == {k: v for k, v in given.items() if k in read}
    assert read.keys() <= given.keys()


def test_readers_are_safe_on_hostile_input() -> None:
    from hearth.edge_runtime.routing import labelled_arguments, ungrounded

    # Long runs of spaces and dots (a cubic regex took minutes on the first).
    assert labelled_arguments(COMMAND, "the command x" + " " * 4000 + "y") == {
        "command": "x" + " " * 4000 + "y"}
    assert stated_only("a." * 2000 + "com", GET, {"url": "https://x.com", "params": {
        "q": "zz"}}) == {"url": "https://x.com", "params": {}}
    # A placeholder URL is no site the message names: asked for, not a crash.
    fetch = {"name": "requests_get", "parameters": {
        "type": "object", "required": ["url"], "properties": {"url": {"type": "string"}}}}
    assert ungrounded("list the users", fetch, {"url": "https://[your-domain]/api/users"}) == [
        "url"]
    # A boolean subschema ("anything") and lists of objects are walked safely.
    shopping = {"type": "object", "properties": {"items": {"type": "array", "items": {
        "type": "object", "required": ["name"], "properties": {"name": True}}}}}
    assert stated_only("add milk to the list", shopping,
                       {"items": [{"name": "milk", "color": "white"}]}) == {
        "items": [{"name": "milk"}]}
