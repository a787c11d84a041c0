"""A follow-up that corrects the last question's number is read as that question asked again."""

from __future__ import annotations

import pytest

from hearth.edge_runtime.routing._restated import restated_question


@pytest.mark.parametrize(("message", "previous", "restated"), [
    ("Sorry, I meant 4 bags. How much then?",
     "I need 3 bags of flour at 2.40 each. How much is that?",
     "I need 4 bags of flour at 2.40 each. How much is that?"),
    ("And for 10?", "A recipe for 4 people needs 300 g of pasta. How much for 6 people?",
     "A recipe for 4 people needs 300 g of pasta. How much for 10 people?"),
    ("Sorry, I meant 15 miles.", "How many km is 5 miles?", "How many km is 15 miles?"),
    ("What about 6 people?", "How much pasta do 4 people need?",
     "How much pasta do 6 people need?"),
    ("And 20 percent?", "What is 15 percent of 80?", "What is 20 percent of 80?"),
    ("And for 2026?", "Is 2024 a leap year?", "Is 2026 a leap year?"),
    # Another clock time for a question about one.
    ("And if I call her at 2 pm my time?",
     "My sister lives in Tokyo. When it's 9 am here in London, what time is it there?",
     "My sister lives in Tokyo. When it's 2 pm here in London, what time is it there?"),
    ("What about 10:30?", "What is 18:40 in 12-hour time?", "What is 10:30 in 12-hour time?"),
])
def test_the_last_question_is_asked_again_with_the_new_number(message: str, previous: str,
                                                              restated: str) -> None:
    assert restated_question(message, ["Hi!", previous]) == restated


@pytest.mark.parametrize(("message", "previous"), [
    # A statement, not a question: "make it 3 days" changes the reminder, it sets no new one.
    ("Make it 3 days", "Remind me in 2 days to call mum"),
    # Adding is a step of its own, not a correction.
    ("And 5 more apples?", "How many apples do I have if I have 3 apples?"),
    # Which of two numbers the 8 replaces is anyone's guess.
    ("What about 8?", "What is 12 times 8?"),
    # A pace is left to the model; so is a new time for a question with two times or none.
    ("And for 5 km?", "If I run 10 km at 5:30 per km, how long will it take?"),
    ("And at 5 pm?", "If I leave at 9 am and arrive at 1 pm, how long is the trip?"),
    ("And at 5 pm?", "What time is it in Tokyo?"),
    ("And if I call at 2 pm with 3 friends?",
     "When it's 9 am in London, what time is it in Tokyo?"),
    # More than a new time: another place, another day, another's time, another task.
    ("And 5 pm in New York?", "When it's 9 am in London, what time is it in Tokyo?"),
    ("What about 10 pm on Friday?", "When it's 9 am in London, what time is it in Tokyo?"),
    ("And if I call at 8 pm her time?", "When it's 9 am in London, what time is it in Tokyo?"),
    ("And what about 6 pm for the plumber?", "Can you remind me at 5 pm to call the dentist?"),
    # Two numbers it could replace: a guess (the birth year, the recipe's 4, the sugar).
    ("And in 2025?", "How old will I be in 2030 if I was born in 1990?"),
    ("And for 10?", "How much pasta do I need for 6 people if the recipe for 4 needs 300 g?"),
    ("Sorry, I meant 4 bags", "How much for 3 bags of flour and 2 bags of sugar at 1.20 a bag?"),
    # A fraction, or an order for someone else: no plain new number.
    ("I meant 3 and a half hours", "How many minutes are in 2 hours?"),
    ("and 2 for me?", "How much is 3 for the kids?"),
    # A word the question does not have: another question, not a correction.
    ("I meant 15 miles.", "How many km is 5 metres?"),
    # Long follow-ups and ones with their own question are their own messages.
    ("And for 10 people, and could you also tell me which pasta shape is best for a sauce?",
     "How much pasta for 6 people?"),
])
def test_anything_else_is_left_alone(message: str, previous: str) -> None:
    assert restated_question(message, [previous]) is None


def test_only_the_users_last_turn_is_asked_again() -> None:
    assert restated_question("And for 10?", []) is None
    assert restated_question("And for 10?", ["How much for 6 people?", "Thanks!"]) is None
