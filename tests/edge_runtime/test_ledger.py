"""Running totals kept over the chat and amounts per period (`routing._ledger`,
`routing._word_problems`)."""

from __future__ import annotations

import pytest

from hearth.edge_runtime.routing._ledger import MAX_ENTRIES, running_total
from hearth.edge_runtime.routing._sums import word_problem

EUROS = ["I had 10 euros.", "I spent 4 euros on coffee."]


@pytest.mark.parametrize(("earlier", "message", "expression"), [
    (EUROS, "How much is left?", "10-4"),
    (["I had 10 euros.", "I spent 4 on coffee."], "How much do I have left?", "10-4"),
    (["I had 10 euros.", "I gave 4 euros to Tom."], "How much do I have now?", "10-4"),
    (["I earned 100 dollars.", "I paid 30 dollars rent."], "How much do I have now?", "100-30"),
    (["I have 20 dollars.", "I spent 5 dollars on lunch."], "How much money do I have left?",
     "20-5"),
    (["I have 20 apples.", "I ate 5 apples."], "How many apples are left?", "20-5"),
    (["I have 5 apples.", "I used 2 apples for a pie."], "How many apples are left?", "5-2"),
    # Spending after spending adds up: each entry is taken relative to the first.
    (["I spent 10 euros on lunch.", "Then I spent 5 on a taxi."],
     "How much did I spend in total?", "10+5"),
    (["I lost 2 kg in January.", "I lost 3 kg in February."], "How much did I lose in total?",
     "2+3"),
    # A clause with no verb of its own goes its previous clause's way.
    (["I had 10 euros and spent 4 and 3."], "How much is left?", "10-4-3"),
    (["I ran 5 km on Monday.", "I ran 7 km on Wednesday and 3 km on Friday."],
     "How far did I run altogether?", "5+7+3"),
    (["I walked 3 km at 9:30.", "I walked 2 km more."], "How far in total?", "3+2"),
    (["Morning: 20", "Afternoon: 15"], "What's the total?", "20+15"),
    (["We scored 3 points in the first half.", "We scored 2 points in the second."],
     "What's our score?", "3+2"),
    (["12 guests are coming.", "3 people cancelled."], "How many people are coming now?",
     "12-3"),
    (["I read 20 pages.", "I read 30 pages."], "How many pages did I read in total?", "20+30"),
    # The statement before the question, in the same message, is an entry too.
    (["I had 10 euros."], "I spent 4 euros. How much is left?", "10-4"),
])
def test_a_question_for_an_amount_totals_the_users_statements(earlier: list[str], message: str,
                                                              expression: str) -> None:
    assert running_total(earlier, message) == expression


@pytest.mark.parametrize(("earlier", "message"), [
    (["I was born in 1990 and moved here in 2010."], "How long have I lived here?"),
    (["I had 10 euros.", "I bought 3 apples."], "How much is left?"),  # two kinds of thing
    (["I have 3 cats and 2 dogs."], "How many pets?"),
    (["I have 2 brothers.", "I have 3 sisters."], "How many siblings?"),
    (["I have 20 apples.", "I ate 5."], "How much money do I have left?"),
    (["I have 20 apples.", "I ate 5 apples."], "How many pears are left?"),
    (["Morning: 20", "Afternoon: 15"], "How far is that?"),  # no noun, no total asked
    (["I had 10 euros."], "How much is left?"),  # one entry is no running total
    ([], "I had 10 euros. I spent 4 euros. How much is left?"),  # the word problems' case
    (["I had 10 euros.", "Did I spend 4 euros?"], "How much is left?"),  # questions state nothing
    (EUROS, "How much is 3 plus 4?"),  # numbers of its own
    (EUROS, "Thanks."),
    (EUROS, "How many days until Friday?"),
    (["My flight is at 9.", "I need 2 hours to get there."], "How long until I leave?"),
])
def test_a_question_the_ledger_cannot_answer_exactly_is_left_alone(earlier: list[str],
                                                                   message: str) -> None:
    assert running_total(earlier, message) is None


def test_a_ledger_longer_than_a_chat_is_left_alone() -> None:
    entries = ["I scored 1 point."] * MAX_ENTRIES
    assert running_total(entries, "What's my score?") == "+".join(["1"] * MAX_ENTRIES)
    assert running_total([*entries, "I scored 1 point."], "What's my score?") is None


@pytest.mark.parametrize(("text", "expression"), [
    ("My rent is 850 a month. How much is that for a whole year?", "850*12"),
    ("Rent is 850 a month. How much is that per year?", "850*12"),
    ("The gym costs 40 per month. How much for the year?", "40*12"),
    ("I save 50 a week. How much do I save in a year?", "50*52"),
    ("I drink 3 coffees a day. How many do I drink in a year?", "3*365"),
    ("I sleep 8 hours a day. How many hours in a week?", "8*7"),
    ("It rains 3 days a week. How many days of rain in a year?", "3*52"),
])
def test_an_amount_per_period_is_scaled_to_the_longer_period_asked(text: str,
                                                                   expression: str) -> None:
    assert word_problem(text) == expression


@pytest.mark.parametrize("text", [
    "My rent is 850 a month. How much is it?",  # no other period asked about
    "My rent is 850 a month. Is that a lot for a year?",  # no amount asked for
    "I pay 850 a month for 2 years. How much is that?",  # two numbers
    "I make 1000 a year. How much is that per month?",  # a shorter period: no factor
    "I spend 10 a day. How much in a month?",  # months have no fixed number of days
    "I work 8 hours a day. How much do I work each day?",
])
def test_a_per_period_question_without_one_exact_factor_is_left_alone(text: str) -> None:
    assert word_problem(text) is None
