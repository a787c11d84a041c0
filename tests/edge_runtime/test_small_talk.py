"""Fixed, honest replies: what Hearth does, a kind word, help in a crisis, clean jokes."""

from __future__ import annotations

import pytest

from hearth.edge_runtime._small_talk import JOKES, small_talk

ALL = ("calculator", "clock", "remember", "recall", "reminder")


def test_what_hearth_does_follows_the_enabled_tools() -> None:
    full = small_talk("Hi! What can you do?", [], ALL)
    assert full is not None and "unit conversions" in full and "reminders and timers" in full
    bare = small_talk("What can you do?", [], ())
    assert bare is not None and "calculations" not in bare and "reminders" not in bare
    assert "can't browse the internet" in bare
    for text in ("Who are you?", "What's your name?", "help"):
        assert small_talk(text, [], ALL) == full


@pytest.mark.parametrize("message", [
    "I want to kill myself", "I've been thinking about suicide", "I keep hurting myself",
])
def test_words_of_self_harm_get_where_to_find_help(message: str) -> None:
    reply = small_talk(message, [], ALL)
    assert reply is not None and "116 123" in reply and "988" in reply


def test_a_feeling_gets_a_kind_word_not_a_brush_off() -> None:
    reply = small_talk("I'm feeling sad today.", [], ALL)
    assert reply is not None and reply.startswith("I'm sorry you're feeling sad.")
    assert small_talk("I feel so lonely", [], ALL) is not None
    # A question or another subject is the model's.
    for text in ("I'm tired of this job, what should I do?", "I am sad that the shop is closed?",
                 "What can you do about my lights?", "I'm happy today"):
        assert small_talk(text, [], ALL) is None, text


def test_jokes_are_clean_and_change_each_time() -> None:
    first = small_talk("Tell me a joke.", [], ALL)
    second = small_talk("Tell me another joke", ["Tell me a joke."], ALL)
    assert first == JOKES[0] and second == JOKES[1]
