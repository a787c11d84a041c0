"""Small questions about the message's own numbers, answered exactly (`_number_tasks`), and
the text tasks added beside them."""

from __future__ import annotations

import pytest

from hearth.edge_runtime._number_tasks import number_answer
from hearth.edge_runtime._shape import shaped, standing_shape
from hearth.edge_runtime._standing import standing
from hearth.edge_runtime._text_tasks import text_answer
from hearth.edge_runtime.routing._ledger import running_total
from hearth.edge_runtime.tools._lists import asked_list, list_items


@pytest.mark.parametrize(("message", "answer"), [
    ("Which is bigger, 0.5 or 0.45? Reply with only the bigger number.", "0.5"),
    ("Which is smaller: 12 or 7?", "7"),
    ("Is 17 a prime number? yes or no.", "Yes"),
    ("Is 21 prime?", "No"),
    ("Is 7 greater than 10?", "No"),
    ("Is 3.5 less than 4?", "Yes"),
])
def test_comparisons_of_the_messages_numbers_are_exact(message: str, answer: str) -> None:
    assert number_answer(message) == answer


@pytest.mark.parametrize("message", [
    "Which is better, 5 or 6?", "Which is bigger, 5 or 5?", "Is 12345678901 prime?",
    "What is 12 or 13?", "Is the number of days in a week prime?",
])
def test_other_questions_about_numbers_are_left_alone(message: str) -> None:
    assert number_answer(message) is None


def test_more_small_tasks_are_done_exactly() -> None:
    assert text_answer("Write the numbers from 10 down to 1, separated by single spaces.") == \
        "10 9 8 7 6 5 4 3 2 1"
    assert text_answer("count the vowels in 'banana'. just the number") == "3"
    assert text_answer("How many consonants are in 'banana'?") == "3"
    assert text_answer("spell necessary letter by letter with a dash between each letter") == \
        "n-e-c-e-s-s-a-r-y"
    assert text_answer("Repeat after me exactly, nothing else: The quick fox naps at noon.") == \
        "The quick fox naps at noon."
    assert text_answer("Sort these from smallest to biggest: 42, 7, 19, 3, 88.") == \
        "3, 7, 19, 42, 88"


def test_a_name_to_be_called_and_a_requested_sign_off_stand() -> None:
    held = standing([("user", "From now on please address me as Captain in every reply."),
                     ("user", "can you end every message with '- Hearth' from now on?")])
    assert shaped("The capital of Italy is Rome.", "What is the capital of Italy?",
                  standing_shape("What is the capital of Italy?", held)) == \
        "Captain, the capital of Italy is Rome. - Hearth"
    # No room for the name where the reply is just the number.
    assert shaped("7", "Reply with just the number of days in a week.",
                  standing_shape("Reply with just the number of days in a week.", held)) == \
        "7 - Hearth"


def test_lists_and_totals_said_in_short_pieces() -> None:
    said = ["start a shopping list for me: milk, eggs, bread", "add bananas",
            "oh and take eggs off, still have some"]
    assert list_items(said, asked_list("read me the list now, just the items") or "") == \
        ["milk", "bread", "bananas"]
    assert list_items(["todo for today: call plumber, pay rent"], asked_list(
        "what's on my todo list?") or "") == ["call plumber", "pay rent"]
    assert running_total(["trying to track my spending today. lunch was 12.50",
                          "+ a coffee, 4.75", "and groceries 23 on the way home"],
                         "what's the total for today?") == "12.50+4.75+23"

