"""Replies that agree with their tools, the route classifier, and the history guard."""

from __future__ import annotations

import pytest

from hearth.edge_runtime._agent import repeats_history, without_own_turns
from hearth.edge_runtime._prompt import PromptParts
from hearth.edge_runtime.routing import NOT_KNOWN, agrees, match, template, without_scaffold
from hearth.specs import Route, Spec, default_spec

#: Everyday messages with an action verb that ask for words, not an action.
NOT_ACTIONS = (
    "Call me Bob from now on.", "Send me a short poem about cats.", "Let's play a game.",
    "What is the order of operations?", "Message received, thanks.", "Book club ideas?",
    "Text to speech options?", "How do I send an email in Python?",
    "Write a python script to send emails", "Should I send a text to my ex?",
    "What's the best way to send money abroad?", "Fix the grammar: i want send money to my sis",
    "What should I wear in cold weather?", "Write a poem about the weather",
    "How do weather forecasts work?", "I love rainy weather", "Good morning! Nice weather.",
    "Book about cats?", "Pay attention to the grammar please", "Call themes in Hamlet?",
    "Message usage limits on Telegram?", "Order these numbers from smallest to largest: 5, 3",
    "Order the following words alphabetically", "Call this function with x=3",
    "Could you send the list again?", "Can you send that in Spanish?", "Would you buy a Tesla?",
    "Pay me a compliment", "Order me a list of the best movies", "Book Recommendations please",
    "Email I wrote to HR, can you proofread it?", "Order 66 meaning?", "Call Of Duty or Fortnite?",
    "Can you check my email for grammar mistakes?", "Check my email draft: Dear John",
    "Switch careers on a whim at 40?", "Turn left on Main street",
    "Big news today: I passed my exam!", "The traffic today was awful",
    "What is a weather forecast?", "Get me a synonym for happy",
)


def _routes(spec: Spec, text: str) -> list[str]:
    """The route a message surely takes, or the routes tied for it."""
    found = match(spec.agent.routes, text)
    return [found.sure.name] if found.sure else [r.name for r in found.tied]


def _route(spec: Spec, text: str) -> str | None:
    found = match(spec.agent.routes, text)
    return found.sure.name if found.sure else None


def test_the_default_routes_send_everyday_messages_to_their_tools() -> None:
    spec = default_spec()
    assert _route(spec, "What is 1234 times 5678?") == "arithmetic"
    assert _route(spec, "Remember that my sister Lena lives in Porto.") == "remember"
    assert _route(spec, "Where does my sister live?") == "recall"
    assert _route(spec, "What day is it today?") == "dates_times"
    assert _route(spec, "Remind me to call mum in 2 minutes.") == "reminder"
    assert _route(spec, "Hi! What can you do?") is None  # chat, the fallback
    # The time of the user's own things is a personal fact, not the clock's.
    assert _route(spec, "What time is my flight?") == "recall"
    assert _route(spec, "Which day is my dentist appointment?") == "recall"
    assert "dates_times" in _routes(spec, "What time is it in my city?")


def test_quoted_text_is_data_not_the_request() -> None:
    spec = default_spec()
    # A pasted reminder to turn into JSON sets no reminder; a quote to translate
    # is not a date question.
    assert _route(spec, 'Turn this into JSON with the key "task": "Remind me to call the '
                        'plumber." Reply with only the JSON.') is None
    assert _route(spec, "Translate 'see you on Monday' into German, please.") is None
    # The request around a quote still counts, typographic quotes too; apostrophes
    # are not quotes.
    assert _route(spec, "Remind me to 'call mum' in 2 minutes.") == "reminder"
    assert _route(spec, "Remind me to “call mum” in 2 minutes.") == "reminder"
    assert _route(spec, "Remind me, it's mum's birthday, in 2 minutes.") == "reminder"
    # A message that is little more than a quote keeps it, and so does a quoted value.
    assert _route(spec, 'What is "12*7"?') == "arithmetic"
    assert _route(spec, 'Is "17 * 23" bigger than 400?') == "arithmetic"
    assert _route(spec, 'What is the result of "(3+4)*2" please?') == "arithmetic"
    # A phone number is not a subtraction: that quote is data.
    assert _route(spec, 'Extract the contact as JSON with keys "name" and "phone": "Add '
                        'Maria Lopez, her number is 555-0142." Reply with only the JSON.') is None


def test_actions_no_tool_does_are_declined_not_claimed() -> None:
    from hearth.bench import builtin_tasks
    from hearth.bench._checks import evaluate
    from hearth.edge_runtime.routing._decline import declined

    spec = default_spec()
    for text in ("Order me a pizza.", "Send an email to my boss saying I'm sick today.",
                 "Could you please pay my electricity bill?", "Text Sarah that I'm late.",
                 "What's the weather like right now in Chicago?", "Unlock my front door.",
                 "Can you call the restaurant?", "Book me a flight to Rome.",
                 "Turn off the kitchen lights.", "Please transfer 100 euros to Tom.",
                 "Can you send a text to Mum tomorrow?", "Check my bank balance.",
                 "Read me the latest headlines.", "Show me today's news.",
                 "What is the price of gold right now?", "Give me the live scores.",
                 "What's the weather like tomorrow?", "Will it rain today?",
                 "Is it going to be sunny tomorrow?"):
        assert _route(spec, text) == "cannot", text
    assert declined("Will it rain today?", []).startswith(
        "Sorry, I can't look up the weather or other live information")
    # Live words make it live; "today's date" is still the clock's.
    for text in ("What is the price of a stamp?", "What is the latest version of Python?",
                 "What are scores in tennis?", "What is a live score?",
                 "Show me how to build a real-time traffic map in Python",
                 "Tell me some breaking news jokes",
                 "What's the passing score for the driving test now?"):
        assert "cannot" not in _routes(spec, text), text
    for text in ("What is today's date?", "What was yesterday's date?",
                 "What's today's full date?", "What is today's month?"):
        assert _route(spec, text) == "dates_times", text
    # Asking for words, a name, a game or a reminder is not an action in the world.
    for text in NOT_ACTIONS:
        assert "cannot" not in _routes(spec, text), text
    assert _route(spec, "Remind me to call mum in 2 minutes.") == "reminder"
    reply = declined("Pay my electricity bill.", [t.name for t in spec.tools.enabled])
    assert reply.startswith("Sorry, I can't reach your bank or make payments")
    assert "do exact calculations" in reply and "set reminders" in reply
    # It passes the refusal check of the built-in tasks (and claims nothing).
    refusal = next(t for t in builtin_tasks() if t.category == "refusal")
    assert evaluate(refusal.check, reply).passed
    # The first action the request names, not one inside a quote or a later clause.
    assert declined("Reserve a table, I'll pay on arrival.", []).startswith(
        "Sorry, I can't make bookings")
    assert declined('Check my messages for one that says "pay now"', []).startswith(
        "Sorry, I can't look into your accounts")
    assert declined("Order me a pizza.", []) == (
        "Sorry, I can't buy or order things from here: no tool of mine does that. "
        "I can answer questions.")
    with pytest.raises(ValueError, match="uses no model"):
        Route(name="cannot", path="decline", model="smollm2-135m-instruct")


def test_a_route_may_only_name_a_tool_the_spec_lists() -> None:
    spec = default_spec()
    data = spec.model_dump()
    data["agent"]["routes"] = [{"name": "weather", "path": "tool", "tool": "get_weather"}]
    try:
        Spec.model_validate(data)
    except ValueError as exc:
        assert "get_weather" in str(exc) and "tools.tools" in str(exc)
    else:
        raise AssertionError("a route to an unlisted tool was accepted")


def test_a_route_needs_its_target() -> None:
    for bad in ({"name": "x", "path": "tool"}, {"name": "x", "path": "model"},
                {"name": "x", "path": "chat", "tool": "clock"},
                {"name": "x", "path": "chat", "patterns": ["("]}):
        try:
            Route.model_validate(bad)
        except ValueError:
            continue
        raise AssertionError(f"accepted {bad}")


def test_a_sentence_that_states_the_result_agrees() -> None:
    data = {"expression": "48*12", "result": "576"}
    assert agrees("calculator", data, "48 times 12 equals 576.", "What is 48 times 12?")
    assert agrees("calculator", data, "That's 576.", "What is 48 times 12?")


def test_a_sentence_with_another_number_contradicts_the_calculator() -> None:
    data = {"expression": "1001-457", "result": "544"}
    assert not agrees("calculator", data, "1001 minus 457 equals 596.", "What is 1001 minus 457?")
    assert not agrees("calculator", data, "It is a long calculation.", "What is 1001 minus 457?")


def test_a_sentence_with_another_weekday_contradicts_the_clock() -> None:
    data = {"operation": "weekday", "date": "2024-03-15", "weekday": "Friday"}
    assert agrees("clock", data, "2024-03-15 was a Friday.", "What day was 2024-03-15?")
    assert not agrees("clock", data, "It was a Friday, or maybe a Monday.", "What day?")


def test_templates_state_the_result_first() -> None:
    calc = template("calculator", {"expression": "1234*5678", "result": "7006652"}, "",
                    "What is 1234 times 5678?")
    assert calc.startswith("7,006,652")
    assert template("calculator", {"expression": "7+5", "result": "12"}, "",
                    "What is 7 + 5? Answer with just the number.") == "12"
    diff = template("clock", {"operation": "diff", "date": "2024-01-01", "to": "2024-03-01",
                              "days": 60}, "", "")
    assert diff.startswith("60 days")
    assert template("recall", {"facts": ["The user's dog is called Biscuit."]}, "", "") == \
        "Your dog is called Biscuit."
    assert template("recall", {"facts": []}, "", "") == NOT_KNOWN


def test_a_reply_that_copies_an_earlier_turn_is_caught() -> None:
    said = "That's a great story. I'll make sure to remember it."
    parts = PromptParts(system="", history=(("user", "hi"), ("assistant", said)),
                        user="What day is it?")
    assert repeats_history(said, parts)
    assert repeats_history(said + " Anything else?", parts)
    assert not repeats_history("It is Thursday.", parts)
    assert without_own_turns(parts).history == (("user", "hi"),)
    # A worked example copied without its "Hi!" is still a copy.
    shown = PromptParts(system="", few_shot=(("Hi! What can you do?", "Hi! I'm Hearth, your "
                                              "assistant on your own computer. I can answer "
                                              "questions."),), user="Is it raining in Oslo?")
    assert repeats_history("I'm Hearth, your assistant on your own computer. I can help.", shown)
    assert not repeats_history("Hi! It is raining in Oslo today, 7 degrees.", shown)
    # "Yes" answers; it is no greeting to strip.
    told = PromptParts(system="", history=(("user", "Capital of France?"),
                                           ("assistant", "The capital of France is Paris.")),
                       user="Are you sure?")
    assert not repeats_history("Yes, the capital of France is Paris.", told)


def test_an_enum_value_the_message_names_is_the_argument() -> None:
    from hearth.edge_runtime.routing import mentioned_choices

    schema = {"properties": {"unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
                             "mode": {"type": "string", "enum": ["AIR_DRY", "COOL"]},
                             "city": {"type": "string"}}}
    assert mentioned_choices(schema, "Weather in Naples in Fahrenheit?") == {"unit": "fahrenheit"}
    assert mentioned_choices(schema, "switch to air dry mode") == {"mode": "AIR_DRY"}
    assert mentioned_choices(schema, "celsius or fahrenheit, I don't mind") == {}


def test_a_copied_tool_results_block_is_cut_out_of_the_reply() -> None:
    results = {"language_translator_translate": "Done."}
    echoed = ("The tool results: - language_translator_translate: Done. "
              "Start your reply with the result.")
    assert without_scaffold(echoed, results) == ""
    kept = "Bonjour means hello. (Tool results: - language_translator_translate: Done. " \
           "Start your reply with the result.)"
    assert without_scaffold(kept, results) == "Bonjour means hello."
    plain = "Your order is placed.\nIt arrives at noon."
    assert without_scaffold(plain, results) == plain


def test_a_checked_reply_that_talks_about_itself_is_not_taken() -> None:
    from hearth.edge_runtime.routing._replies import agrees

    data = {"result": "175", "expression": "(350/2)"}
    assert agrees("calculator", data, "Half of 350 is 175.", "What's half of 350?")
    assert not agrees("calculator", data, "You're right, I'll add it to the end.\nThe answer "
                      "is: 175", "What's half of 350?")


def test_a_checked_clock_reply_adds_no_time_or_date_of_its_own() -> None:
    from hearth.edge_runtime.routing._replies import agrees

    now = {"operation": "now", "weekday": "Monday", "date": "2025-06-02", "time": "09:30",
           "timezone": "UTC", "iso": "2025-06-02T09:30:00+00:00"}
    assert agrees("clock", now, "Today is Monday, 2025-06-02.", "What's the date today?")
    assert not agrees("clock", now, "The date today is Monday 2025-06-02 14:37 in UTC.",
                      "What's the date today?")
