"""A reply in JSON with the keys the message names, under a grammar (`_json_reply`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hearth.bench import Task
from hearth.bench._runner import score_tasks
from hearth.edge_runtime._engine import Generation
from hearth.edge_runtime._json_reply import reply_schema
from hearth.edge_runtime._json_values import with_read_values
from hearth.specs import default_spec
from tests.bench.test_runner import ScriptedEngine
from tests.edge_runtime.test_shape import shapes_off

TODO = ('Extract a to-do item as JSON with keys "task" and "priority" (low, medium or high): '
        '"It is really urgent that I file my taxes." Reply with only the JSON.')
MOOD = ('Classify the mood of this message as JSON with one key "sentiment" whose value is '
        '"positive" or "negative": "I loved the concert last night!" Reply with only the JSON.')
SUGAR = ('Give me JSON with keys "ingredient" and "grams" for: "Add 200 grams of sugar." '
         "Reply with only the JSON.")


def test_keys_and_their_choices_are_read_from_the_message() -> None:
    todo = reply_schema(TODO)
    assert todo is not None and todo["required"] == ["task", "priority"]
    assert todo["properties"]["priority"]["enum"] == ["low", "medium", "high"]
    assert todo["additionalProperties"] is False
    mood = reply_schema(MOOD)
    assert mood is not None and mood["properties"] == {
        "sentiment": {"type": "string", "enum": ["positive", "negative"]}}
    # With copy_spans a free value is a span of the quoted data, not of the instruction.
    sugar = reply_schema(SUGAR, copy_spans=True)
    assert sugar is not None
    spans = sugar["properties"]["ingredient"]["enum"]
    assert "sugar" in spans and "200" in spans and "JSON" not in spans and "keys" not in spans
    # No JSON asked for, or no keys named: no schema.
    assert reply_schema("What is JSON?") is None
    assert reply_schema("Give me the keys to the car") is None
    assert reply_schema("Turn this into JSON please: my name is Ann") is None


def _task(prompt: str, fields: dict[str, str]) -> Task:
    return Task.model_validate({"id": "t", "category": "extraction",
                                "turns": [{"role": "user", "content": prompt}],
                                "check": {"type": "json_fields", "fields": fields}})


class SchemaEngine(ScriptedEngine):
    """Records the schema each reply was generated under."""

    def __init__(self) -> None:
        super().__init__()
        self.schemas: list[dict[str, Any] | None] = []

    def generate(self, messages: Any, sampling: Any, **kwargs: Any) -> Generation:
        self.schemas.append(kwargs.get("json_schema"))
        return Generation('{"sentiment": "positive"}', "stop", prompt_tokens=10,
                          completion_tokens=3, first_token_s=0.0, total_s=0.0)


def test_the_reply_is_generated_under_the_schema_unless_shapes_are_off(home: Path) -> None:
    engine = SchemaEngine()
    (result,) = score_tasks(default_spec(), [_task(MOOD, {"sentiment": "positive"})],
                            home=home, engine=engine).results
    assert result.passed, result.reason
    assert engine.schemas[-1] == reply_schema(MOOD, copy_spans=True)
    off = shapes_off()
    engine = SchemaEngine()
    score_tasks(off, [_task(MOOD, {"sentiment": "positive"})], home=home, engine=engine)
    assert engine.schemas[-1] is None


def test_the_real_small_model_writes_the_object_asked_for(home: Path) -> None:
    tasks = [_task(SUGAR, {"ingredient": "sugar", "grams": "200"}),
             _task(MOOD, {"sentiment": "positive"})]
    report = score_tasks(default_spec(), tasks, home=home)
    for result in report.results:
        schema = reply_schema(result.prompt)
        assert schema is not None
        assert set(json.loads(result.reply)) == set(schema["properties"])
    assert all(r.passed for r in report.results), [(r.reply, r.reason) for r in report.results]


def _with_read(prompt: str, reply: dict[str, str]) -> dict[str, str]:
    result: dict[str, str] = json.loads(with_read_values(json.dumps(reply), prompt))
    return result


def test_how_often_is_read_for_a_frequency_key() -> None:
    label = ("From this prescription label give me a json {drug, dose, frequency}:\n"
             "AMOXICILLIN 500 mg capsules. Take one capsule three times daily for 7 days.")
    # SmolLM2's own reply: the number of days as the frequency.
    assert _with_read(label, {"drug": "AMOXICILLIN", "dose": "500 mg", "frequency": "7"}) == \
        {"drug": "AMOXICILLIN", "dose": "500 mg", "frequency": "three times daily"}
    plants = "JSON with keys task and frequency: 'Water the plants every 3 days.'"
    assert _with_read(plants, {"task": "Water the plants", "frequency": "3"})["frequency"] == \
        "every 3 days"
    # Two different schedules: the model's choice stays.
    two = "JSON with keys medicine and frequency: 'Ibuprofen twice a day, vitamin D weekly.'"
    assert _with_read(two, {"medicine": "Ibuprofen", "frequency": "twice a day"}) == \
        {"medicine": "Ibuprofen", "frequency": "twice a day"}


def test_a_key_for_listed_things_holds_every_thing_the_text_lists() -> None:
    pancakes = ("List the ingredients under the key items, as JSON please: \"For the pancakes "
                "you'll need 200 g flour, 2 eggs, 300 ml milk and a pinch of salt.\"")
    # SmolLM2's own reply stops at the third item.
    assert _with_read(pancakes, {"items": "200 g flour, 2 eggs, 300 ml milk"}) == \
        {"items": ["200 g flour", "2 eggs", "300 ml milk", "a pinch of salt"]}
    party = "JSON with keys names and date: 'We invited Anna, Ben and Carla to the party.'"
    assert _with_read(party, {"names": "Anna", "date": ""})["names"] == ["Anna", "Ben", "Carla"]
    # Clauses list no things, and a key for one thing stays the model's.
    hello = "JSON with keys names and city: 'Hello, my name is Bob, I live in Paris.'"
    assert _with_read(hello, {"names": "Bob", "city": "Paris"})["names"] == "Bob"
    one = "JSON with keys item and shop: 'I bought apples, pears and plums at Lidl.'"
    assert _with_read(one, {"item": "apples", "shop": "Lidl"})["item"] == "apples"


def test_values_whose_key_names_their_kind_are_read_from_the_text() -> None:
    trip = ('Convert to JSON with keys "from" and "to": "I need a train from Paris to Rome." '
            "Reply with only the JSON.")
    # SmolLM2's own reply: the whole sentence in the first key, a wrong span in the next.
    assert _with_read(trip, {"from": "I need a train from Paris to Rome", "to": "Paris"}) == \
        {"from": "Paris", "to": "Rome"}
    reminder = ('Extract a reminder as JSON with keys "task" and "day": "Remind me on Monday '
                'to water the plants." Reply with only the JSON.')
    assert _with_read(reminder, {"task": "Remind me", "day": "Remind me"}) == \
        {"task": "water the plants", "day": "Monday"}
    # The task after "that I" is read; "urgent" is the highest of (low, medium, high).
    assert _with_read(TODO, {"task": "It is really urgent that I file my",
                             "priority": "low"}) == {"task": "file my taxes", "priority": "high"}
    contact = ('Extract JSON with keys "email", "phone", "time" and "price": "Mail ann@x.org '
               'or call +44 20 7946 0958 before 5 pm, it costs $12.50."')
    assert _with_read(contact, {"email": "Mail", "phone": "call", "time": "5", "price": "12"}) \
        == {"email": "ann@x.org", "phone": "+44 20 7946 0958", "time": "5 pm",
            "price": "$12.50"}


def test_a_kind_the_text_writes_twice_or_never_keeps_the_models_value() -> None:
    two = ('Extract JSON with keys "day" and "to": "Monday or Friday, to Oslo or to Bergen."')
    assert _with_read(two, {"day": "Friday", "to": "Oslo"}) == {"day": "Friday", "to": "Oslo"}
    other = 'Extract JSON with keys "name" and "mood": "Ann is happy."'
    assert _with_read(other, {"name": "Ann", "mood": "happy"}) == {"name": "Ann", "mood": "happy"}
    # "I think that I am tired" asks for no task; prose is not a JSON object to fix.
    tired = 'Extract JSON with the key "task": "I think that I am tired."'
    assert _with_read(tired, {"task": "tired"}) == {"task": "tired"}
    # "to" after "want" is an infinitive; "may" in lower case no month; a span of years
    # no phone number; a task the model copied from inside the action stays its own.
    assert _with_read('Extract JSON with keys "from" and "to": "I want to leave from Paris."',
                      {"from": "x", "to": "y"}) == {"from": "Paris", "to": "y"}
    assert _with_read('Extract JSON with key "month": "The meeting may be moved."',
                      {"month": "x"}) == {"month": "x"}
    assert _with_read('Extract JSON with key "phone": "Anna worked here 2015 - 2023."',
                      {"phone": "x"}) == {"phone": "x"}
    heating = 'Extract JSON with the key "task": "Remind me to turn on the heating tonight."'
    assert _with_read(heating, {"task": "turn on the heating"}) == \
        {"task": "turn on the heating"}
    assert _with_read(heating, {"task": "Remind me"}) == {"task": "turn on the heating"}
    # A two-letter key's quotes do not hide the text.
    mail = ('Extract JSON with keys "to" and "subject" from: "Send an email to Bob about the '
            'meeting."')
    assert _with_read(mail, {"to": "x", "subject": "the meeting"}) == \
        {"to": "Bob", "subject": "the meeting"}
    assert with_read_values("Sure! Here it is.", TODO) == "Sure! Here it is."
    assert with_read_values('{"task": "x"}', "What is JSON?") == '{"task": "x"}'


def test_keys_are_read_however_people_list_them() -> None:
    from hearth.edge_runtime._json_reply import json_request

    def keys(message: str) -> list[str]:
        request = json_request(message)
        assert request is not None, message
        return list(request.keys)

    assert keys("Turn this into JSON with keys event, day and time: 'Dentist on Thursday "
                "at 10:15.'") == ["event", "day", "time"]
    assert keys("Extract name, age and job as JSON from: 'Paulo is 34 and a nurse.'") == \
        ["name", "age", "job"]
    assert keys("Turn this into JSON (item, price, store): I bought shoes for $89.99 at "
                "Decathlon.") == ["item", "price", "store"]
    assert keys("Keys: medicine, dose, times_per_day (number). Give me the JSON for "
                '"Take amoxicillin 500 mg three times a day"') == \
        ["medicine", "dose", "times_per_day"]
    # Prepositions are keys inside the list, not where they end it.
    assert keys("Extract JSON with keys amount, from and to from this instruction: 'Send 200 "
                "dollars from my savings to my checking account.'") == ["amount", "from", "to"]
    # One key, named where it goes: "under the key items".
    assert keys('List the ingredients under the key items, as JSON please: "200 g flour, 2 '
                'eggs, 300 ml milk and a pinch of salt."') == ["items"]
    # Templates, valid JSON or a sketch; a template to fill asks for JSON unnamed.
    assert keys('Fill in this JSON: {"name": "", "breed": ""} for "Pepper is a beagle."') == \
        ["name", "breed"]
    assert keys('I need {"restaurant": ..., "people": ...} filled in from this: table for 4 '
                "at Luigi's") == ["restaurant", "people"]
    assert keys('fill this template {"from": "", "to": ""} using: Train from Leeds to '
                "York.") == ["from", "to"]
    # Choices in brackets, split by commas, "or", "|" or "/".
    request = json_request("JSON format please. Fields: plant, light (low | medium | bright). "
                           "Info: my monstera needs bright light")
    assert request is not None and request.keys == {"plant": None,
                                                    "light": ["low", "medium", "bright"]}
    # Questions about JSON, and messages without a key list, ask for no object.
    for message in ("Explain JSON: objects, arrays and strings", "What are JSON keys used for?",
                    "What is JSON? Give me examples, please", "Is JSON with comments valid?"):
        assert json_request(message) is None, message


def test_the_data_is_what_the_message_quotes_or_gives_after_the_keys() -> None:
    from hearth.edge_runtime._json_reply import json_request

    def data(message: str) -> str:
        request = json_request(message)
        assert request is not None, message
        return request.data

    # Single quotes around text with apostrophes inside it.
    assert data("Extract JSON with the keys from, to and day: 'I'm taking the train from "
                "Leeds to York on Saturday.'") == \
        "I'm taking the train from Leeds to York on Saturday."
    assert data("Pull out rent and bedrooms as a JSON object from this listing: 2-bedroom "
                "flat in Kreuzberg, 980 euros a month") == \
        "2-bedroom flat in Kreuzberg, 980 euros a month"
    assert data("I lent Dev 40 quid for concert tickets. Put that in JSON: who, amount, "
                "reason.") == "I lent Dev 40 quid for concert tickets."
    # A clock time's colon is no lead-in.
    assert data('Extract JSON with keys "person" and "time": Meeting at 10:30 with Bob.') == \
        "Meeting at 10:30 with Bob."


def test_values_of_more_kinds_are_read_from_the_text() -> None:
    store = ("Return JSON with keys store, total, payment (cash or card): Paid 23.45 by card "
             "at Aldi.")
    assert _with_read(store, {"store": "Paid 23.45 by card at Aldi", "total": "23.45",
                              "payment": "cash"}) == \
        {"store": "Aldi", "total": "23.45", "payment": "card"}
    flight = ("Extract flight info in JSON format — airline, flight_number, arrival_city: KLM "
              "flight KL1234 departs Amsterdam 14:05 and lands in Oslo 16:00.")
    assert _with_read(flight, {"airline": "KLM", "flight_number": "14:05",
                               "arrival_city": "Oslo"})["flight_number"] == "KL1234"
    hotel = "JSON pls with hotel, nights, check_in: Booked 3 nights at the Seaview Lodge."
    assert _with_read(hotel, {"hotel": "Booked", "nights": "Booked 3", "check_in": ""}) == \
        {"hotel": "Seaview Lodge", "nights": "3", "check_in": ""}
    sender = ("Parse this into JSON with keys sender, topic: 'Hi, it's Gordon. The boiler "
              "technician will come by on Monday.'")
    assert _with_read(sender, {"sender": "Hi, it's Gordon.", "topic": "boiler"})["sender"] == \
        "Gordon"
