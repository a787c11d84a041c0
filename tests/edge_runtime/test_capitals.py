"""Capitals from the shipped table: the plain question only, noted where one city is not all."""

from __future__ import annotations

import pytest

from hearth.edge_runtime._capitals import _capitals, capital_answer


def test_the_table_knows_every_country_once() -> None:
    countries = {c.country for c in _capitals().values()}
    assert len(countries) >= 240  # 193 UN members and then some, the US states
    assert all(c.city and not c.city.endswith(" ") for c in _capitals().values())


@pytest.mark.parametrize(("message", "reply"), [
    ("What is the capital of Australia?", "The capital of Australia is Canberra."),
    ("whats the capital of canada", "The capital of Canada is Ottawa."),
    ("Capital of Peru?", "The capital of Peru is Lima."),
    ("Which city is the capital of Japan?", "The capital of Japan is Tokyo."),
    ("What is the capital of the UK?", "The capital of the United Kingdom is London."),
    ("What's the capital of the USA?", "The capital of the United States is Washington, D.C."),
    ("What is the capital of Texas?", "The capital of Texas is Austin."),
    ("What is the capital of France? Answer with one word.", "Paris"),
    # More than one city: the note says which does what.
    ("What's the capital of Bolivia?",
     "Sucre is the constitutional capital; the government sits in La Paz."),
    ("What is the capital of Georgia?", "Tbilisi is the capital of the country Georgia; the "
     "capital of the US state of Georgia is Atlanta."),
])
def test_a_plain_question_gets_the_tables_answer(message: str, reply: str) -> None:
    assert capital_answer(message) == reply


@pytest.mark.parametrize("message", [
    "What is the capital city of the largest country in the world by area?",  # not a name
    "What is the capital of France and how many people live there?",          # more asked
    "The capital of France is lovely in spring.",                             # no question
    "What is the capital of Atlantis?",                                       # not in the table
    "What's the capital gains tax on shares?",                                # another capital
])
def test_anything_else_is_left_to_the_model(message: str) -> None:
    assert capital_answer(message) is None
