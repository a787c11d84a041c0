"""Small tasks on the message's own words, answered exactly (`edge_runtime._text_tasks`)."""

from __future__ import annotations

import pytest

from hearth.edge_runtime._text_tasks import MAX_ITEMS, text_answer


@pytest.mark.parametrize(("message", "answer"), [
    ("Count from 3 to 8 with a dash between each number", "3-4-5-6-7-8"),
    ("Count to 5", "1, 2, 3, 4, 5"),
    ("Count up to 4", "1, 2, 3, 4"),
    ("Count from 0 to 5", "0, 1, 2, 3, 4, 5"),
    ("Count from -3 to 2", "-3, -2, -1, 0, 1, 2"),
    ("Count from 1 to 10, one number per line.", "1\n2\n3\n4\n5\n6\n7\n8\n9\n10"),
    ("Count from 1 to 5 separated by spaces", "1 2 3 4 5"),
    ("Count from 1 to 5 separated by commas and spaces", "1, 2, 3, 4, 5"),
    ("Count from 10 to 7", "10, 9, 8, 7"),
    ("Countdown from 5 to 1", "5, 4, 3, 2, 1"),
    ("Count down from 5 to 1 with slashes", "5/4/3/2/1"),
])
def test_a_count_is_written_out_with_the_separator_asked_for(message: str, answer: str) -> None:
    assert text_answer(message) == answer


def test_a_count_longer_than_a_chat_reply_or_going_the_wrong_way_is_left_to_the_model() -> None:
    assert text_answer(f"Count from 1 to {MAX_ITEMS}") == ", ".join(
        str(n) for n in range(1, MAX_ITEMS + 1))
    assert text_answer(f"Count from 1 to {MAX_ITEMS + 1}") is None
    assert text_answer("Count from 1 to 500") is None
    assert text_answer("Count down from 1 to 5") is None


@pytest.mark.parametrize(("message", "answer"), [
    ("Repeat 'yes' 4 times", "yes yes yes yes"),
    ("Repeat 'yes' four times", "yes yes yes yes"),
    ("Repeat 'yes' 4 times.", "yes yes yes yes"),
    ("Repeat the word hello three times", "hello hello hello"),
    ("Say goodbye 2 times", "goodbye goodbye"),
    ("Say hi twice", "hi hi"),
    ("Write 'ok' 3 times separated by commas", "ok, ok, ok"),
    ("Repeat 'go' 3 times, one per line", "go\ngo\ngo"),
    ("Print 'x' 5 times with a dash", "x-x-x-x-x"),
    ("Repeat 'a' 3 times separated by semicolons", "a; a; a"),
])
def test_a_word_is_repeated_the_number_of_times_asked(message: str, answer: str) -> None:
    assert text_answer(message) == answer


@pytest.mark.parametrize(("message", "answer"), [
    ("Spell 'star' backwards", "rats"),
    ("Spell star backwards", "rats"),
    ("Reverse the word 'hello'", "olleh"),
    ("Reverse 'hello'", "olleh"),
    ("Write hello in reverse", "olleh"),
    ("What is the first letter of 'banana'?", "b"),
    ("What is the last letter of banana?", "a"),
    ("What's the last letter of the word cat?", "t"),
    ("How many letters are in 'banana'?", "6"),
    ("How many letters are there in the word strawberry?", "10"),
    ("How many letters in 'well-known'?", "9"),  # the hyphen is no letter
])
def test_letters_of_a_named_word_are_read_exactly(message: str, answer: str) -> None:
    assert text_answer(message) == answer


@pytest.mark.parametrize(("message", "answer"), [
    ("Sort these words alphabetically: zebra, lion, cat", "cat, lion, zebra"),
    ("Order alphabetically: banana, apple, cherry.", "apple, banana, cherry"),
    ("Alphabetize: zebra lion cat dog.", "cat, dog, lion, zebra"),
    ("Sort these words alphabetically: Zebra, apple, Mango", "apple, Mango, Zebra"),
    ("Sort alphabetically, one per line: pear, apple and fig", "apple\nfig\npear"),
    ("List these Z to A: apple, banana, cherry", "cherry, banana, apple"),
    ("Sort in reverse alphabetical order: apple, cherry, banana", "cherry, banana, apple"),
    # Numbers sort by value, not as text.
    ("Sort from smallest to largest: 5, 3, 10, 1", "1, 3, 5, 10"),
    ("Sort from largest to smallest: 5, 3, 10, 1", "10, 5, 3, 1"),
    ("Reverse the order of this list: a, b, c", "c, b, a"),
    ("Reverse the order: one, two, three", "three, two, one"),
])
def test_a_listed_set_of_items_is_sorted_or_reversed(message: str, answer: str) -> None:
    assert text_answer(message) == answer


@pytest.mark.parametrize(("message", "answer"), [
    ("Write 'good morning team' in uppercase", "GOOD MORNING TEAM"),
    ("Type 'Hi There' in lower case", "hi there"),
    ("Write 'Hello' in lowercase", "hello"),
    ("Write 'no' in block capitals", "NO"),
    ("Convert to lowercase: HELLO THERE", "hello there"),
    ("Change to uppercase: good night", "GOOD NIGHT"),
    ("Write hello in capital letters", "HELLO"),
])
def test_a_quoted_phrase_is_put_in_the_case_asked(message: str, answer: str) -> None:
    assert text_answer(message) == answer


@pytest.mark.parametrize("message", [
    "What is the first letter of the alphabet?",
    "what's the first letter of my name?",
    "How many letters are in the alphabet?",
    "How many letters are in your name?",
    "How many letters are in a word?",
    "Spell my name backwards",
    "Spell that backwards",
    "Can you count to three?",
    "Count to ten",
    "Count by twos to 10",
    "Repeat after me 3 times",
    "Repeat the question 3 times",
    "Repeat that 3 times",
    "Repeat 'yes' 0 times",
    f"Repeat 'yes' {MAX_ITEMS + 1} times",
    "Write 5 sentences about cats",
    "Write a loop that prints hello 5 times",
    "Put these in the order: a, b, c",  # "the order" alone says nothing of which
    "Sort from smallest to largest: elephant, mouse, dog",  # sizes of things
    "Rank these in order of importance: health, money, love",
    "Sort by date: march, january",
    "Write your name in capitals",
    "Write me a poem in lowercase",
    "Write a story in all caps",
    "Say that in capital letters",
    "What is 2+2?",
])
def test_requests_that_are_no_exact_text_task_are_left_to_the_model(message: str) -> None:
    assert text_answer(message) is None
