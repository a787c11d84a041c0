"""A question about something the user said earlier, by the words they share
(`routing._refers`)."""

from __future__ import annotations

import pytest

from hearth.edge_runtime.routing._refers import MAX_TURNS, refers_back

KIDS = "My kids are Tom, who is 9, and Ella, who is 6"
CABIN = "The Wi-Fi password at the cabin is maple42"
DENTIST = "The dentist is on Tuesday"


@pytest.mark.parametrize(("question", "earlier"), [
    ("How old is Ella?", [KIDS]),  # a name the user wrote
    ("What did Ella say?", ["My kids are Tom and Ella"]),
    ("I've forgotten the cabin Wi-Fi password, what was it?", [CABIN]),  # two shared words
    ("Where is the password?", [CABIN]),  # all it asks about, with "the"
    ("When is the dentist?", [DENTIST]),
    ("When is the dentist again?", [DENTIST]),
    ("When is the appointment?", ["My dentist appointment is on Tuesday"]),
    ("What is my allergy?", ["I have a peanut allergy"]),  # the user's own
    ("What colour is my car?", ["My car is a red Toyota"]),
    ("When is his birthday again?", ["My brother Mark's birthday is 3 May"]),
    ("ok thanks, but first, when is Mark's birthday?", ["My brother Mark's birthday is 3 May"]),
    # An unrelated later turn does not hide the earlier one.
    ("How old is Ella?", [KIDS, "I like jazz", "The weather is nice"]),
])
def test_a_question_about_an_earlier_statement_refers_back(question: str,
                                                           earlier: list[str]) -> None:
    assert refers_back(question, earlier) is True


@pytest.mark.parametrize(("question", "earlier"), [
    ("What is love?", ["I love pizza"]),
    ("What is the capital of Italy?", ["I went to Italy last year and loved the capital"]),
    ("What's the best museum in Paris?", ["I'm going to Paris next week"]),
    ("How tall is Mount Everest?", ["I'm planning to climb Everest next year"]),
    ("Is the capital of Italy Rome?", ["I went to Italy"]),
    ("How do I make pizza dough?", ["I love pizza"]),
    ("What should I cook for dinner?", ["I had pasta for dinner yesterday"]),
    ("What's the weather like?", ["I love sunny weather"]),
    ("What is the meaning of life?", ["My life is great"]),
    ("What is the speed of light?", ["I love the light in the morning"]),
    ("What does a dentist do?", [DENTIST]),
    ("How old is Ella", [KIDS]),  # no question
    ("How old is Ella?", []),
    # A question of the user's states nothing to refer back to.
    ("How old is Ella?", ["How old is Ella?"]),
    ("What time does the cabin checkout start?", ["What time is the cabin checkout?"]),
])
def test_a_question_about_the_world_does_not_refer_back(question: str,
                                                        earlier: list[str]) -> None:
    assert refers_back(question, earlier) is False


def test_only_the_latest_turns_are_searched() -> None:
    filler = [f"I like song number {n}" for n in range(MAX_TURNS)]
    assert refers_back("How old is Ella?", [KIDS, *filler[1:]]) is True
    assert refers_back("How old is Ella?", [KIDS, *filler]) is False
