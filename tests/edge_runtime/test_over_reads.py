"""Ordinary messages the exact helpers must leave alone (found by probing them with messages
a user would write; each was read wrongly once)."""

from __future__ import annotations

import pytest

from hearth.edge_runtime import _json_kinds as kinds
from hearth.edge_runtime._choice_reply import answer_choices
from hearth.edge_runtime._corrections import corrected, correction
from hearth.edge_runtime._json_reply import json_request
from hearth.edge_runtime._json_values import with_read_values
from hearth.edge_runtime._shape import asked_shape, shaped, standing_shape
from hearth.edge_runtime._standing import rule_reply, standing
from hearth.edge_runtime._summary import extractive_summary
from hearth.edge_runtime._text_tasks import text_answer
from hearth.edge_runtime.routing._ledger import running_total
from hearth.edge_runtime.routing._refers import refers_back
from hearth.edge_runtime.tools._lists import asked_list, list_items


@pytest.mark.parametrize("message", [
    "Print page 5", "Write chapter 3.", "Say Psalm 23.", "Say something 5 times faster",
    "Can you count to 10 in French?", "Count to 10 by twos", "Count to 20 in steps of 5",
    "My toddler can count to 20 now!", "I'll count to 10 and you hide", "Count to 0",
    "The first letter of each sentence should be capitalised.", "How many letters are in that?",
    "Say it backwards", "Write it 3 times", "Print hello 3 times in Python",
    "Sort alphabetically in Excel: what's the shortcut, and how do I do it?",
    "List US states alphabetically: start with A.", "Sort descending: 1,000, 200, 30",
    "Rank these alphabetically, then tell me which is best: Python, Rust, and Go.",
    "Convert this to lowercase please: THE END. Also explain why.",
])
def test_no_exact_answer_for_what_is_no_small_task(message: str) -> None:
    assert text_answer(message) is None


@pytest.mark.parametrize("message", [
    "Write a one-word answer: red, green, or blue?", "Is there a single word for a group of "
    "crows or ravens?", "My boss wants a yes or no answer by Friday, how should I phrase it?",
    "Yes or no answer: is Pluto a planet? Please explain in two sentences.",
    "In one word, how would you describe rock or jazz?",
])
def test_no_forced_choice_where_the_message_allows_more(message: str) -> None:
    assert answer_choices(message) is None


def test_chit_chat_and_other_things_are_no_corrections() -> None:
    assert correction(["I'll meet Sarah at 5pm."], "Oh no, it's raining at 6pm here") is None
    assert correction(["Call Sue on Thursday."],
                      "Actually I think it's going to rain on Tuesday.") is None
    assert correction(["The party is on Saturday."],
                      "No, it's fine, Sunday works for me too.") is None
    assert correction(["Order 2 pizzas."], "Wait, it's for 6 people.") is None
    assert correction(["My son Leo is 7."], "Actually it's his friend Max who's 8.") is None
    # A correction changes the statement it corrects, not everything said before it.
    assert corrected([("user", "I have 4 kids."), ("user", "Order 4 pizzas."),
                      ("user", "Oops, that's too many, make it 3.")])[0] == \
        ("user", "I have 4 kids.")


def test_questions_about_json_or_code_ask_for_no_object() -> None:
    for message in ("My JSON file has keys name, age and city. Why does json.load fail?",
                    "Quick question: how do I parse JSON with keys id and name in Go?",
                    "Write a Python function that returns JSON with keys status and data",
                    "Make a JSON list of fruits: apple, banana and cherry",
                    "Give me the pros and cons of JSON: speed, size, readability",
                    'Complete the dict so it has all weekdays: {"mon": 1, "tue": 2}'):
        assert json_request(message) is None, message
    request = json_request("Return JSON with keys name and email and phone for: Ann")
    assert request is not None and list(request.keys) == ["name", "email", "phone"]


def test_negated_choices_and_codes_are_not_read() -> None:
    mood = 'Classify as JSON with key "sentiment" (positive or negative): "Not positive at all."'
    assert with_read_values('{"sentiment": "negative"}', mood) == '{"sentiment": "negative"}'
    calm = 'JSON with keys priority (low, medium or high): "Not an emergency, the tap drips."'
    assert with_read_values('{"priority": "low"}', calm) == '{"priority": "low"}'
    assert kinds.code("See you at 3PM") is None
    assert kinds.person("Tom and Anna are coming") is None
    assert kinds.business("I bought a TV from my friend Dave.") is None
    assert kinds.labelled("gate", "Flight BA217 boards at gate 22.") == "22"


def test_standing_shapes_need_an_instruction_that_always_holds() -> None:
    reply = "Rome was founded in 753 BC."
    for said in ("Whenever I ask about the weather, answer in one word.",
                 "Never reply in capital letters, please.",
                 "From now on, I'll write in lowercase because my shift key is broken."):
        assert shaped(reply, "Tell me about Rome.",
                      standing_shape("Tell me about Rome.", standing([("user", said)]))) == reply
    undone = standing([("user", "Keep all your answers to a single word, please."),
                       ("user", "From now on, answer normally again please.")])
    assert shaped(reply, "Tell me about Rome.", standing_shape("Tell me about Rome.", undone)) \
        == reply
    assert asked_shape("How do I respond to one word texts from my teenager?").max_words is None
    assert asked_shape("How do I make a numbered list in Google Docs?").bullets is None
    assert asked_shape("Don't end your replies with 'Cheers'.").ending is None
    assert asked_shape("End every reply with 'Let's go!'").ending == "Let's go!"
    assert rule_reply([("user", "When I say thanks, reply 'you're welcome'.")], "thanks") == \
        "you're welcome"


def test_general_questions_are_not_questions_about_what_was_said() -> None:
    assert not refers_back("How do I jump start a car battery?", ["My car battery died."])
    assert not refers_back("Is Tom Hanks still acting?", ["My friend Tom is a doctor."])
    assert not refers_back("What foods lower blood pressure?",
                           ["My mum has high blood pressure."])
    assert not refers_back("Who wrote the Harry Potter books?", ["I love Harry Potter books."])
    assert not refers_back("How long do I bake a chocolate cake?",
                           ["I'm baking a chocolate cake."])


def test_totals_need_steps_of_the_users_and_a_question_about_now() -> None:
    assert running_total(["I have 100 dollars.", "The shoes cost 60 dollars."],
                         "How much money do I have left?") is None
    assert running_total(["I need 3 eggs for the cake.", "I have 2 eggs."],
                         "How many eggs do I need to buy?") is None
    assert running_total(["We scored 3 goals.", "They scored 2."], "What's the score?") is None
    assert running_total(["I lost 2 kg this week.", "I weigh 80 kg now."],
                         "How much did I weigh before?") is None


def test_list_talk_is_no_list() -> None:
    assert asked_list("What's the current list price of a Tesla?") is None
    assert asked_list("What's the best list app?") is None
    assert list_items(["Shopping: I went to Tesco and it was packed."], "shopping") is None


def test_a_summary_is_cut_at_clauses_or_not_at_all() -> None:
    assert extractive_summary("Summarize in one sentence under 5 words: 'The bakery on Main "
                              "Street is closing on Friday after 30 years.'") is None
    assert extractive_summary("How do I write a one sentence summary for my CV? Here's my "
                              "experience: 10 years in sales and 3 in marketing.") is None


def test_second_round_helpers_leave_ordinary_messages_alone() -> None:
    from hearth.edge_runtime._number_tasks import number_answer

    for message in ("What is 3 more than 4?", "Why is 2 prime?", "Is 91 prime? Explain why.",
                    "Is 17 prime? Answer true or false."):
        assert number_answer(message) is None, message
    for message in ("List the numbers from 1 to 30 that are prime.", "Count down to 10",
                    "Write the numbers from 1 to 10 as words", "Repeat this in French: hi there",
                    "Repeat after me: I love pizza. Then translate it into French.",
                    "Can you spell it letter by letter?", "How many vowels are in English?"):
        assert text_answer(message) is None, message
    for said in ("Don't call me Captain, it's weird.", "My kids call me Mom.",
                 "Tell John to call me Tuesday."):
        assert shaped("Sure.", said, standing_shape(said, standing([("user", said)]))) == "Sure."
    # The latest name asked for wins.
    named = standing([("user", "From now on, call me Captain."),
                      ("user", "Actually, from now on call me Sam.")])
    assert shaped("Hello.", "hi", standing_shape("hi", named)) == "Sam, Hello."
    assert asked_shape("Do you always end your replies with 'Hope this helps'?").ending is None
    assert answer_choices("Answer true or false to each of these: 1) Sun is a star 2) Moon is "
                          "a planet") is None
    assert answer_choices("My crush texted me: 'Do you want to go out? Yes or no.'") is None
    assert list_items(["Add eggs, milk and bread to my shopping list.", "Don't remove eggs.",
                       "Should I remove eggs?"], "shopping") == ["eggs", "milk", "bread"]
    assert running_total(["We scored 10 points."],
                         "And then, they scored 3 points. What's our total now?") is None
