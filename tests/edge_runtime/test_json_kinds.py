"""Names, businesses, codes, ratings and counts read from a text (`edge_runtime._json_kinds`)."""

from __future__ import annotations

import pytest

from hearth.edge_runtime._json_kinds import business, code, counted, person, rating


@pytest.mark.parametrize(("text", "name"), [
    ("Hi, it's Gordon", "Gordon"),
    ("Hi, it's Gordon. Call me back.", "Gordon"),
    ("Hi, it's Gordon from Acme", "Gordon"),  # a name after "from" is a business, not a person
    ("I flew to Paris with Anna", "Anna"),  # a place after "to" is no person
    ("Please call me on Monday, thanks, Sarah", "Sarah"),
    ("Dear team, the meeting is on Monday. Thanks, Priya", "Priya"),
    ("Best regards, Mary Jane Watson", "Mary Jane Watson"),
    ("I'm meeting Ms Patel at noon", "Ms Patel"),
])
def test_a_person_is_the_one_name_not_at_a_sentence_start(text: str, name: str) -> None:
    assert person(text) == name


@pytest.mark.parametrize("text", [
    "I flew to Paris", "We met in London", "nothing here", "Gordon here, call me",
    "I met Tom, then Sarah",  # two people: which one is meant is unclear
])
def test_no_person_is_read_where_the_text_names_none_or_several(text: str) -> None:
    assert person(text) is None


@pytest.mark.parametrize(("text", "name"), [
    ("Paid 23.45 by card at Aldi", "Aldi"),
    ("Booked a room at the Hilton for 3 nights", "Hilton"),
    ("Ordered from Amazon", "Amazon"),
    ("Hi, it's Gordon from Acme", "Acme"),
    ("Flight with KLM to Oslo", "KLM"),
    ("Lunch at IKEA", "IKEA"),
    ("Paid at Tesco with my VISA", "Tesco"),  # a name after "at" before a word in capitals
])
def test_a_business_is_named_after_at_from_or_with_or_in_capitals(text: str, name: str) -> None:
    assert business(text) == name


@pytest.mark.parametrize("text", [
    "I went to the shop", "I paid", "I paid 5 dollars",
    "Bought shoes at Nike and socks at Adidas", "Bought from NASA and IBM",
    "Flying with KLM and SAS",
])
def test_no_business_is_read_where_the_text_names_none_or_several(text: str) -> None:
    assert business(text) is None


@pytest.mark.parametrize(("text", "value"), [
    ("My flight is KL1234", "KL1234"),
    ("Tracking #A7731 arrives Monday", "A7731"),
    ("Room B12", "B12"),
])
def test_a_code_is_the_one_token_of_capitals_and_digits(text: str, value: str) -> None:
    assert code(text) == value


@pytest.mark.parametrize("text", [
    "Flights KL1234 and KL5678", "Gate B12 flight KL12", "Room 12", "Call me at 555-1234",
    "my code is ab12", "Reference: ABC", "Order 12345",
])
def test_no_code_is_read_without_exactly_one_token_of_letters_and_digits(text: str) -> None:
    assert code(text) is None


@pytest.mark.parametrize(("text", "value"), [
    ("1 star, terrible", "1"), ("I'd give it 9 out of 10", "9"), ("4.5 stars!", "4.5"),
    ("8/10 would buy again", "8"), ("10 out of 10", "10"), ("Rated 4/5", "4"),
])
def test_a_rating_is_the_number_of_stars_or_points(text: str, value: str) -> None:
    assert rating(text) == value


def test_no_rating_is_read_from_none_or_from_two() -> None:
    assert rating("It was great") is None
    assert rating("3 stars for food, 5 stars for service") is None
    assert rating("Score: 7 out of 10 and 8 out of 10") is None


@pytest.mark.parametrize(("key", "text", "value"), [
    ("nights", "Book 3 nights at the Hilton", "3"),
    ("nights", "Two nights please", "2"),
    ("nights", "I stayed 3 nights, yes 3 nights", "3"),  # one value written twice
    ("number_of_nights", "one night only", "1"),
    ("bedrooms", "A 2-bedroom flat", "2"),
    ("times_per_day", "Take it three times a day", "3"),
    ("times_per_day", "Take 2 pills three times a day", "3"),
    ("guests", "A table for 4 guests", "4"),
    ("number_of_guests", "We are 5 guests", "5"),
    ("adults", "2 adults and 3 children", "2"),
    ("children", "2 adults and 3 children", "3"),
    ("rooms", "2 double rooms", "2"),  # one word may stand between number and thing
    ("pages", "a 300 page book", "300"),
    ("days", "10 days from 3 May", "10"),
])
def test_a_count_is_the_number_written_before_the_thing_the_key_names(key: str, text: str,
                                                                      value: str) -> None:
    assert counted(key, text) == value


@pytest.mark.parametrize(("key", "text"), [
    ("nights", "3 nights in May and 2 nights in June"),
    ("nights", "Stay for a week"),
    ("nights", "3 of the nights"),
    ("doses", "Take twice daily"),
])
def test_no_count_is_read_without_exactly_one_number_before_the_thing(key: str,
                                                                      text: str) -> None:
    assert counted(key, text) is None
