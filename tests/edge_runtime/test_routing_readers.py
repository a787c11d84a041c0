"""The deterministic readers: arithmetic, dates, notes, and the fit of offered functions."""

from __future__ import annotations

import pytest

from hearth.edge_runtime.routing._dates import clock_arguments, find_dates
from hearth.edge_runtime.routing._math import explicit_expression
from hearth.edge_runtime.routing._notes import (
    asks_personal_fact,
    remember_arguments,
    reminder_arguments,
    second_person,
    third_person,
)
from hearth.edge_runtime.routing._relevance import rank
from hearth.edge_runtime.tools import evaluate


@pytest.mark.parametrize(("text", "value"), [
    ("What is 1234 times 5678?", 7006652),
    ("what's 9 x 8", 72),
    ("What is 144 divided by 12?", 12),
    ("How much is 15% of 2340?", 351),
    ("What is 15 percent of 80?", 12),
    ("What is 2 to the power of 10?", 1024),
    ("What is the square root of 81?", 9),
    ("What is 12 squared?", 144),
    ("Divide 7385 by 5.", 1477),
    ("Subtract 457 from 1001", 544),
    ("Whats 1,234 + 10?", 1244),
    ("what is the average of 2, 4 and 9", 5),
    ("How many minutes are in 3.5 hours?", 210),
    ("How many hours are there in one week?", 168),
    ("How many seconds in 3 minutes", 180),
    ("What is -8 + 3?", -5),
])
def test_arithmetic_in_words_becomes_the_right_expression(text: str, value: float) -> None:
    expression = explicit_expression(text)
    assert expression is not None
    assert evaluate(expression) == value


@pytest.mark.parametrize("text", [
    "Four friends split a bill of 96 dollars equally.",  # a word problem: the model sets it up
    "Meet me on 2024-03-05",  # a date is not a subtraction
    "Call me at 10:30",
    "Set a timer for 10 minutes",
])
def test_no_expression_where_none_is_spelled_out(text: str) -> None:
    assert explicit_expression(text) is None


@pytest.mark.parametrize(("text", "expected"), [
    ("What day of the week was 2024-03-15?", {"operation": "weekday", "date": "2024-03-15"}),
    ("What weekday was July 20, 1969?", {"operation": "weekday", "date": "1969-07-20"}),
    ("How many days from 1 March 2024 to 15 March 2024?",
     {"operation": "diff", "date": "2024-03-01", "to": "2024-03-15"}),
    ("What date is 10 days before 2024-03-05?",
     {"operation": "add", "date": "2024-03-05", "days": -10}),
    ("what's the date 3 weeks after 2025-01-01",
     {"operation": "add", "date": "2025-01-01", "days": 21}),
    ("Is 2100 a leap year?", {"operation": "leap_year", "year": 2100}),
    ("How many days are in February 2024?",
     {"operation": "month_days", "month": "february", "year": 2024}),
    ("What is the 100th day of 2023?", {"operation": "day_of_year", "year": 2023, "day": 100}),
    ("Which month comes after September?",
     {"operation": "month_add", "month": "september", "months": 1}),
    ("If today is Friday, what day is it in three days?",
     {"operation": "weekday_add", "weekday": "friday", "days": 3}),
    ("A film starts at 21:40 and lasts 2 hours and 5 minutes. When does it end?",
     {"operation": "time", "time": "21:40", "minutes": 125}),
    ("Convert 7:45 pm to 24-hour time", {"operation": "time", "time": "7:45 pm"}),
    ("What is 18:40 in 12-hour time?",
     {"operation": "time", "time": "18:40", "clock": "12-hour"}),
    ("What's 00:15 in 12 hour format?",
     {"operation": "time", "time": "00:15", "clock": "12-hour"}),
    ("Is 13:00 am or pm?", {"operation": "time", "time": "13:00", "clock": "12-hour"}),
    ("What month comes 8 months after November?",
     {"operation": "month_add", "month": "november", "months": 8}),
    ("What month and year is 18 months after September 2025?",
     {"operation": "month_add", "month": "september", "months": 18, "year": 2025}),
    ("Which month is three months before February?",
     {"operation": "month_add", "month": "february", "months": -3}),
    ("It is 09:00 at UTC+1. What time is it at UTC-5?",
     {"operation": "time", "time": "09:00", "hours": -6}),
    ("What day is it today?", {"operation": "now"}),
    ("What day will it be in 2 weeks?", {"operation": "add", "date": "today", "days": 14}),
])
def test_date_questions_become_clock_calls(text: str, expected: dict[str, object]) -> None:
    assert clock_arguments(text) == expected


def test_a_question_about_months_in_general_is_left_to_the_model() -> None:
    assert clock_arguments("Which month of the year has the fewest days?") is None


def test_dates_in_words_and_digits_are_found_in_order() -> None:
    found = find_dates("from March 3, 2024 until 2024-04-01 or 5th May 2024")
    assert [d.isoformat() for d in found] == ["2024-03-03", "2024-04-01", "2024-05-05"]


def test_facts_are_stored_in_the_third_person_and_quoted_in_the_second() -> None:
    arguments = remember_arguments("Remember that my sister Lena lives in Porto.")
    assert arguments == {"fact": "The user's sister Lena lives in Porto."}
    assert second_person("The user's sister Lena lives in Porto.") == \
        "Your sister Lena lives in Porto."
    assert second_person("The user takes the 7:15 train.") == "You take the 7:15 train."
    assert third_person("I'm allergic to peanuts") == "The user is allergic to peanuts."


def test_a_fact_said_before_the_request_to_remember_it() -> None:
    from hearth.edge_runtime.routing._notes import without_request

    assert remember_arguments("I'm allergic to penicillin, please remember that.") == \
        {"fact": "The user is allergic to penicillin."}
    assert remember_arguments("My locker code is 4412. Remember that!") == \
        {"fact": "The user's locker code is 4412."}
    assert remember_arguments("Can you remember that?") is None
    # A recalled message is told back without the request around it.
    assert without_request("Remember my wifi password is bluefish42.") == \
        "My wifi password is bluefish42."
    assert without_request("My sister lives in Porto.") == "My sister lives in Porto."


def test_a_question_is_not_something_to_remember() -> None:
    assert remember_arguments("Do you remember my sister's name?") is None


@pytest.mark.parametrize(("text", "expected"), [
    ("Remind me to call mum in 2 minutes.", {"text": "call mum", "when": "in 2 minutes"}),
    ("remind me in ten minutes to take the pizza out",
     {"text": "take the pizza out", "when": "in 10 minutes"}),
    ("Remind me to water the plants at 18:30", {"text": "water the plants", "when": "18:30"}),
    ("Remind me tomorrow at 8 to take out the bins.",
     {"text": "take out the bins", "when": "tomorrow 8"}),
    # A timer rings as a reminder.
    ("Set a timer for 10 minutes.", {"text": "Timer: 10 minutes are up", "when": "in 10 minutes"}),
    ("start a 5 minute timer", {"text": "Timer: 5 minutes are up", "when": "in 5 minutes"}),
    ("Can you set a timer for an hour?", {"text": "Timer: 1 hour is up", "when": "in 1 hour"}),
    ("Remind me in half an hour to stretch.", {"text": "stretch", "when": "in 30 minutes"}),
])
def test_reminders_read_what_and_when(text: str, expected: dict[str, str]) -> None:
    assert reminder_arguments(text) == expected


def test_personal_questions_are_told_from_requests_for_ideas() -> None:
    assert asks_personal_fact("Where does my sister live?")
    assert asks_personal_fact("What is my dog's name?")
    assert not asks_personal_fact("What's a good name for my dog?")
    assert not asks_personal_fact("What is the capital of Peru?")


def test_offered_functions_are_ranked_by_the_words_they_share_with_the_message() -> None:
    functions = [
        {"name": "set_light", "description": "Turn a room's lights on or off",
         "parameters": {"properties": {"room": {"type": "string"}}}},
        {"name": "get_weather", "description": "Current weather for a city",
         "parameters": {"properties": {"city": {"type": "string"}}}},
    ]
    assert rank("Turn on the kitchen lights", functions)[0][1] == "set_light"
    assert rank("Is it going to rain? What's the weather in Oslo?", functions)[0][1] == \
        "get_weather"
    assert all(score == 0 for score, _ in rank("What is the capital of Peru?", functions))
    # Rain and umbrellas ask for the weather without the word.
    assert rank("Is it going to rain in Dublin today?", functions)[0] == (2.0, "get_weather")
    assert rank("Do I need an umbrella in Oslo?", functions)[0] == (2.0, "get_weather")


def test_a_generic_verb_alone_does_not_make_a_function_fit() -> None:
    from hearth.edge_runtime.routing import SURE_SCORE

    find_bus = [{"name": "Buses_3_FindBus", "description": "Find a bus itinerary",
                 "parameters": {"properties": {"from_city": {"type": "string"}}}}]
    # "find" is in the name, but the message wants a show, not a bus: not sure, the model asks.
    [(unsure, _)] = rank("Any musical shows you can find for me?", find_bus)
    assert 0 < unsure < SURE_SCORE
    [(sure, _)] = rank("Find me a bus to Fresno", find_bus)
    assert sure >= SURE_SCORE


@pytest.mark.parametrize(("text", "value"), [
    ("I had 50 pounds and spent 12.40. How much do I have left?", 37.6),
    ("Three of us split a 75 euro dinner equally. How much does each one pay?", 25),
    ("The jacket costs 80 dollars and is 30% off. What do I pay?", 56),
    ("What's a 20% tip on 45 dollars?", 9),
    ("Coffee is 3.20 each and I buy 5. How much in total?", 16),
    ("A soup needs 300 ml of stock for 2 people. How much for 5 people?", 750),
    ("Pencils come in packs of 12. How many packs do I need for 30 pencils?", 3),
    ("Tom has 5 marbles and gets 3 more. How many marbles does he have?", 8),
    ("There were 20 people and another 15 came. How many people are there now?", 35),
    ("We had 10 chairs, now 2 fewer. How many chairs do we have?", 8),
    ("A recipe for 4 people needs 300 g of pasta. How much for 10 people?", 750),
    ("I need 4 bags of flour at 2.40 each. How much is that?", 9.6),
    ("I bought 2 sandwiches at 6.75 each and a juice for 3.20, and paid with a 20 pound note. "
     "How much change should I get?", 3.3),
    ("I paid with a $50 bill for 3 coffees at $4.20 each. What change do I get back?", 37.4),
    ("The bill is 64 dollars. We add a 20% tip and split the total equally between 3 people. "
     "How much does each of us pay?", 25.6),
    ("Dinner was 90 euros plus 10% service, split 4 ways. How much each?", 24.75),
    # A rate applied to the one other amount, in either of its units.
    ("My car uses about 6 litres per 100 km. I'm driving 350 km to my parents' this "
     "weekend. How much fuel will I need?", 21),
    ("Apples cost 3 euros per kg. How much for 2.5 kg?", 7.5),
    ("I type 60 words per minute. How long will 900 words take?", 15),
    ("Petrol is 1.80 a litre. How much do 40 litres cost?", 72),
    ("Split 120 euros between 4 people.", 30),
    ("I spent 45 on groceries and 30 on petrol. How much in total?", 75),
    ("I spent 12 on lunch, 8.50 on coffee and 30 on a book. How much did I spend altogether?",
     50.5),
    ("If I save 50 a week, how much do I have after a year?", 2600),
    ("Round 3.14159 to two decimal places.", 3.14),
    ("Round 7.6 to the nearest whole number", 8),
    ("What is 3/4 as a percentage?", 75),
    ("What percentage is 30 of 120?", 25),
    ("How much is 1000 euros at 5% interest after 3 years?", 1157.625),
    ("I put 500 in savings at 2% simple interest for 4 years. How much will I have?", 540),
])
def test_everyday_word_problems_are_set_up(text: str, value: float) -> None:
    expression = explicit_expression(text)
    assert expression is not None
    assert evaluate(expression) == pytest.approx(value)


def test_a_twelve_hour_duration_or_an_ambiguous_time_is_no_conversion() -> None:
    for text in ("I have a 12-hour shift starting at 7:00. When does it end?",
                 "My 12-hour fast started at 20:00. When can I eat?",
                 "Is 7:30 am or pm?"):
        arguments = clock_arguments(text)
        assert arguments is None or "clock" not in arguments, text


def test_a_word_problem_without_a_known_shape_is_left_to_the_model() -> None:
    assert explicit_expression("Tom is 3 years older than Ann, who is 30. How old is Tom?") \
        is None
    # "2 more than Sam" compares; it adds nothing. More spent, eaten or gone is no gain.
    for text in ("I have 5 books, 2 more than Sam. How many does Sam have?",
                 "I had 10 dollars and spent 3 more. How much do I have?",
                 "A bus had 30 passengers. At the stop, 5 more got off. How many are on it?",
                 "There were 10 people. 3 more left. How many are there now?",
                 # A number that is no item's price: another problem than change.
                 "I bought 2 shirts at 15 each for my 3 kids and paid with 50. Change?",
                 # A rate with two other amounts, or one in a unit the rate does not name.
                 "My car uses 6 l per 100 km. I drove 350 km and 200 km. How much fuel?",
                 "I drive 50 km per day. How far do I drive in 3 weeks?",
                 "Coffee costs 4 dollars a cup. I drink 3 cups a day. How much per week?",
                 "Electricity costs 30 cents per kWh. How much is 450 kWh in euros?"):
        assert explicit_expression(text) is None, text


def test_a_follow_up_builds_on_the_numbers_said_before() -> None:
    from hearth.edge_runtime.routing._math import with_context

    follow_up = "I buy 4 more. How many apples do I have now?"
    text = with_context(follow_up, ["Hello!", "I have 3 apples."])
    assert evaluate(explicit_expression(text) or "") == 7
    # A message with its own arithmetic, or earlier turns without numbers, stay as they are.
    assert with_context("What is 6 times 7?", ["I have 3 apples."]) == "What is 6 times 7?"
    assert with_context(follow_up, ["I like apples."]) == follow_up
    # A question was answered already, and a clock time is no quantity.
    assert with_context("How about 30 percent?", ["What's 20% of 50?"]) == \
        "How about 30 percent?"
    assert with_context(follow_up, ["Remind me at 5pm to call mum"]) == follow_up


def test_a_message_in_another_script_is_left_to_the_model() -> None:
    from hearth.edge_runtime.routing._relevance import readable

    assert readable("Turn on the kitchen lights")
    assert not readable("我想知道上海目前的天气状况")


def test_that_means_the_last_answer() -> None:
    from hearth.edge_runtime.routing._math import with_previous

    text = with_previous("Now multiply that by 2.", "15 (3*5)")
    assert evaluate(explicit_expression(text) or "") == 30
    assert with_previous("What is 2+2?", "15") == "What is 2+2?"
    # A question that sets itself up asks about its own "that": a bill, not the last answer.
    asked = "I need 4 bags of flour at 2.40 each. How much is that?"
    assert with_previous(asked, "3 × 2.40 = 7.20, so 7.20 in total.") == asked
    # "this weekend" and "that car" point at no number.
    trip = "I'm driving 350 km this weekend. How much fuel will I need?"
    assert with_previous(trip, "Got it: 6 L/100 km.") == trip
    assert with_previous("Add 5 to it", "15") == "Add 5 to 15"


def test_string_arguments_may_be_copied_from_the_message_only() -> None:
    from hearth.edge_runtime._tool_prompts import bounded

    schema = {"type": "object", "properties": {"city": {"type": "string"},
                                               "unit": {"type": "string", "enum": ["c", "f"]}}}
    copied = bounded(schema, "get_weather", "What's the weather in Oslo today?", copy_spans=True)
    assert "Oslo" in copied["properties"]["city"]["enum"]
    assert "./en-us" not in copied["properties"]["city"]["enum"]
    assert copied["properties"]["unit"]["enum"] == ["c", "f"]
    free = bounded(schema, "get_weather", "What's the weather in Oslo today?")
    assert "enum" not in free["properties"]["city"]
    # Another argument's choice is not a free value: "off" is the state, never the room.
    light = {"type": "object", "properties": {"room": {"type": "string"},
                                              "state": {"type": "string", "enum": ["on", "off"]}}}
    rooms = bounded(light, "set_light", "Now turn it off again.", copy_spans=True)
    assert "off" not in rooms["properties"]["room"]["enum"]
    assert "off again" in rooms["properties"]["room"]["enum"]
    # A longer list names things a free argument may hold: "USD" stays on offer.
    money = {"type": "object", "properties": {
        "from_currency": {"type": "string"},
        "to_currency": {"type": "string", "enum": ["USD", "EUR", "GBP", "JPY"]}}}
    assert "USD" in bounded(money, "convert", "Convert 100 USD to EUR",
                            copy_spans=True)["properties"]["from_currency"]["enum"]
