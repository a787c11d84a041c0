"""A memory search finds what the user told in other words: word forms and household synonyms."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from hearth.edge_runtime._index import terms
from hearth.edge_runtime._memory import MemoryStore
from hearth.edge_runtime._query_terms import widened, word_forms


@pytest.fixture
def store(tmp_path: Path) -> Iterator[MemoryStore]:
    opened = MemoryStore(tmp_path / "worker.duckdb", chat_salt="test-salt")
    yield opened
    opened.close()


@pytest.mark.parametrize(
    ("facts", "question", "found"),
    [
        (["The user's mother's birthday is on 14 March.",
          "The user's father's birthday is on 2 November."],
         "When's my dad's birthday?", "The user's father's birthday is on 2 November."),
        (["The user doesn't like coriander.", "The user is allergic to peanuts."],
         "The waiter asks about allergies. What do I tell him?",
         "The user is allergic to peanuts."),
        (["The user's dentist is Dr. Lindqvist.", "The user's GP is at the Elm Street practice."],
         "Who's my family doctor?", "The user's GP is at the Elm Street practice."),
        (["The user works as a radiographer.", "The user's partner drinks tea."],
         "What is my occupation?", "The user works as a radiographer."),
        (["The user's favourite film is Amélie.", "The user's favourite band is Radiohead."],
         "Which movie do I like most?", "The user's favourite film is Amélie."),
    ],
)
def test_search_finds_facts_told_in_other_words(store: MemoryStore, facts: list[str],
                                                question: str, found: str) -> None:
    for fact in facts:
        store.add_fact("chat", fact)
    hits = [hit.text for hit in store.search("chat", question, 3)]
    assert hits, f"nothing found for {question!r}"
    assert hits[0] == found


@pytest.mark.parametrize(
    ("facts", "question", "first"),
    [
        # The fact that says what was asked beats one that says something like it.
        (["The user's husband is called Tom.", "The user's dance partner is Leo."],
         "Who is my husband?", "The user's husband is called Tom."),
        (["The user's wife is a nurse.", "The user works as an accountant."],
         "What's my wife's job?", "The user's wife is a nurse."),
        (["The user's birthday is 4 May.", "The user was born in Leeds."],
         "When's my birthday?", "The user's birthday is 4 May."),
        (["Jackie's birthday is 9 June.", "Jack's birthday is 5 May."],
         "When is Jackie's birthday?", "Jackie's birthday is 9 June."),
        # "called" frames the question; the cat is what it asks about.
        (["The user has a tabby cat named Mochi.", "The user's neighbour has a dog called Rex."],
         "what's my cat called again? blanking on it lol", "The user has a tabby cat named Mochi."),
    ],
)
def test_the_questions_own_words_outrank_widened_ones(store: MemoryStore, facts: list[str],
                                                      question: str, first: str) -> None:
    for fact in facts:
        store.add_fact("chat", fact)
    assert store.search("chat", question, 3)[0].text == first


def test_a_question_with_no_word_in_common_still_finds_nothing(store: MemoryStore) -> None:
    store.add_fact("chat", "The user's sister Lena lives in Porto.")
    assert store.search("chat", "What is my car's colour?", 3) == []


def test_forms_change_the_ending_not_the_meaning() -> None:
    assert {"allergy", "allergic", "allergie"} <= word_forms("allergie")
    assert {"drive", "driving"} <= word_forms("drive")
    assert "officer" not in word_forms("office")  # an agent noun is another word
    assert word_forms("bed") == {"bed"}  # short words are not cut


def test_widened_adds_synonyms_only_within_their_group() -> None:
    wanted = widened(terms("where does my dad live"))
    assert wanted["dad"] == wanted["live"] == 1.0 and wanted["father"] == 0.5
    assert "mother" not in wanted and "brother" not in wanted
    assert list(wanted) == sorted(wanted)
    assert "course" not in widened(terms("when is my yoga class"))


def test_a_kind_word_finds_its_kinds_but_kinds_not_each_other() -> None:
    assert {"son", "daughter", "child"} <= set(widened(terms("how old is my kid")))
    daughter = set(widened(terms("what is my daughter called")))
    assert "son" not in daughter and "child" not in daughter
    wife = widened(terms("my wife's birthday"))
    assert "husband" not in wife and "partner" not in wife


def test_daughter_question_finds_the_daughter_not_the_son(store: MemoryStore) -> None:
    store.add_fact("chat", "The user has a son called Max.")
    store.add_fact("chat", "The user's daughter is called Zoe.")
    hits = store.search("chat", "What is my daughter called?", 3)
    assert hits[0].text == "The user's daughter is called Zoe."
