"""Numbers written out in words, exactly: a 135M model answers "123" for "47 in words"."""

from __future__ import annotations

import pytest

from hearth.edge_runtime._number_words import in_words
from hearth.edge_runtime._text_tasks import text_answer


@pytest.mark.parametrize(("number", "words"), [
    (0, "zero"), (7, "seven"), (13, "thirteen"), (40, "forty"), (47, "forty-seven"),
    (105, "one hundred and five"), (1000, "one thousand"), (1005, "one thousand and five"),
    (1205, "one thousand two hundred and five"), (21000, "twenty-one thousand"),
    (1_000_000, "one million"), (-12, "minus twelve"),
    (2_000_000_019, "two billion and nineteen"),
])
def test_numbers_in_words(number: int, words: str) -> None:
    assert in_words(number) == words


@pytest.mark.parametrize(("message", "reply"), [
    ("Write the number 47 in English words, nothing else.", "Forty-seven"),
    ("Spell out 1,205", "One thousand two hundred and five"),
    ("How do you say 90 in words?", "Ninety"),
    ("What is 13 in words?", "Thirteen"),
    ("Write 21000 as words", "Twenty-one thousand"),
])
def test_a_request_for_words_is_answered_exactly(message: str, reply: str) -> None:
    assert text_answer(message) == reply


@pytest.mark.parametrize("message", [
    "Write 2024 in French words",         # another language: the model's
    "Write 7 in words and explain why",   # more asked than the words
    "Write 3.5 in words",                 # a fraction is not written here
    "Spell 12 backwards",                 # not words at all
    "Write 10000000000000000 in words",   # past the trillions
    "I wrote 47 words today",             # no request
    "Spell 5 words that rhyme with cat",  # a count of something else
    "Spell out 3 reasons to exercise",
    "Spell out 7 pm",                     # a time, not a number
])
def test_other_requests_are_left_to_the_model(message: str) -> None:
    assert text_answer(message) is None
