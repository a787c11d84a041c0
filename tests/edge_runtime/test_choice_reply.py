"""A reply limited to the answers the message names (`edge_runtime._choice_reply`)."""

from __future__ import annotations

import json

import pytest

from hearth.edge_runtime._choice_reply import answer_choices, choice_schema, unquoted


@pytest.mark.parametrize("message", [
    "Is the Sun a star? Answer only yes or no.",
    "Is water wet? Yes or no only.",
    "Is water wet? Reply with yes or no.",
    "Is water wet? Answer with a yes/no.",
    "Is water wet? Answer with just 'yes' or 'no'.",
    "Is water wet? yes or no, nothing else",
    "Is water wet? Yes/no answer",
    "Answer yes or no: is 7 prime?",
])
def test_a_yes_or_no_only_question_allows_yes_and_no(message: str) -> None:
    assert answer_choices(message) == ["Yes", "No"]


@pytest.mark.parametrize(("message", "choices"), [
    ("Which is bigger, an elephant or a mouse? Answer with one word.", ["elephant", "mouse"]),
    ("Answer in one word: cats or dogs?", ["cats", "dogs"]),
    ("In one word, is it hot or cold?", ["hot", "cold"]),
    ("Answer in a word: the sun or the moon?", ["sun", "moon"]),
    ("Use a single word: left or right?", ["left", "right"]),
    ("Answer with one word: is it day or night?", ["day", "night"]),
    ("Which is heavier, iron or feathers? One-word answer please, iron or feathers?",
     ["iron", "feathers"]),
    ("In one word, which is better for a beginner, Python or JavaScript?",
     ["Python", "JavaScript"]),
])
def test_a_one_word_either_or_question_allows_its_two_alternatives(message: str,
                                                                   choices: list[str]) -> None:
    assert answer_choices(message) == choices


@pytest.mark.parametrize("message", [
    "Do you like tea or coffee?",  # no one-word limit: the reply may say more
    "Tea or coffee?",
    "Which is faster, a car or a bike?",
    "Should I answer yes or no to his proposal?",
    "Is it ok to say yes or no to a job offer by email?",
    "Is it more or less? Answer in one word: more or less?",
    "In a single word: sooner or later?",
    "In one word: red or red?",
    "In one word, what is the capital of France?",
    "Describe the weather in one word",
    "Write a story in one word or less?",
])
def test_a_message_that_leaves_the_reply_open_allows_anything(message: str) -> None:
    assert answer_choices(message) is None
    assert choice_schema(message) is None


def test_the_schema_is_one_string_among_the_answers() -> None:
    assert choice_schema("Is the Sun a star? Answer only yes or no.") == {
        "type": "string", "enum": ["Yes", "No"]}
    assert choice_schema("Answer in one word: cats or dogs?") == {
        "type": "string", "enum": ["cats", "dogs"]}


def test_the_answer_is_read_back_out_of_the_json_string() -> None:
    assert unquoted(json.dumps("Yes")) == "Yes"
    assert unquoted('"elephant"') == "elephant"
    # Anything that is no JSON string is returned as it came.
    assert unquoted("Yes") == "Yes"
    assert unquoted('"a') == '"a'
    assert unquoted("42") == "42"
    assert unquoted("null") == "null"
    assert unquoted('["Yes"]') == '["Yes"]'


def test_a_yes_or_no_question_that_ends_asking_for_yes_or_no_allows_those() -> None:
    assert answer_choices("Is the sky blue? Yes or no?") == ["Yes", "No"]
    assert answer_choices("Is 17 a prime number? yes or no.") == ["Yes", "No"]
    assert answer_choices("Answer true or false only: water boils at 50°C.") == ["True", "False"]
    assert answer_choices("Should I say yes or no?") is None
