"""A one-sentence summary cut from the text itself (`edge_runtime._summary`)."""

from __future__ import annotations

import pytest

from hearth.edge_runtime._summary import DEFAULT_WORDS, extractive_summary

BAKERY = '"The bakery on Main Street is closing on Friday after 30 years."'


@pytest.mark.parametrize(("message", "summary"), [
    # A greeting is no sentence that says something; the first one that does is the summary.
    ('Summarize in one sentence of at most 12 words: "Hey! The team meeting moved to Thursday '
     'at 3pm. Please bring your reports."', "The team meeting moved to Thursday at 3pm."),
    # A lead-in such as "Just a heads up," is cut from the sentence.
    ('Summarize this in one sentence: "Just a heads up, the office will be closed on Monday for '
     'maintenance. Work from home."', "The office will be closed on Monday for maintenance."),
    # The text may follow a colon instead of quotes.
    ("Give me a one sentence summary: The office will be closed on Monday for maintenance, so "
     "please work from home.", "The office will be closed on Monday for maintenance."),
    ("TL;DR in one sentence: 'Our flight to Rome was delayed by four hours, so we missed the "
     "connection.'", "Our flight to Rome was delayed by four hours."),
    (f"Summarize in one sentence: {BAKERY}",
     "The bakery on Main Street is closing on Friday after 30 years."),
])
def test_the_summary_is_the_first_sentence_that_says_something(message: str,
                                                                summary: str) -> None:
    assert extractive_summary(message) == summary


PLUMBER = ("The plumber is coming on Tuesday at 10am to fix the sink, so please leave the back "
           "door unlocked for him.")
REMEMBER = "Please remember that the plumber comes on Tuesday, because the sink is leaking again."


def test_a_sentence_over_the_limit_is_cut_to_the_clause_with_the_particulars() -> None:
    assert len(PLUMBER.split()) > DEFAULT_WORDS
    assert extractive_summary(f'Summarize in one sentence: "{PLUMBER}"') == \
        "The plumber is coming on Tuesday at 10am to fix the sink."
    # "under 10 words" allows nine at most.
    assert extractive_summary(f'Summarize in one sentence under 10 words: "{REMEMBER}"') == \
        "Please remember that the plumber comes on Tuesday."


@pytest.mark.parametrize("message", [
    "Summarize the plot of Hamlet in one sentence.",  # no text to cut from
    'Summarize in one sentence: "Hi."',
    'Summarize this: "The office will be closed on Monday for maintenance. Work from home."',
    "What is a one sentence summary?",
    f"Summarize in one sentence in fewer than 1 words: {BAKERY}",
    f"Translate into one sentence of French: {BAKERY}",
])
def test_no_summary_is_cut_where_none_is_asked_for_or_there_is_no_text(message: str) -> None:
    assert extractive_summary(message) is None
