"""Instructions given earlier hold for later turns (`edge_runtime._standing`)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from hearth.bench import Task
from hearth.bench._runner import score_tasks
from hearth.edge_runtime._prompt import base_parts
from hearth.edge_runtime._standing import rule_reply, standing
from hearth.specs import default_spec
from tests.bench.test_runner import ScriptedEngine
from tests.edge_runtime.test_shape import shapes_off

GAME = [("user", "Let's play a game: whenever I say ping, you reply pong."),
        ("assistant", "Okay, I'm ready!")]


@pytest.mark.parametrize(("history", "message", "answer"), [
    (GAME, "ping", "pong"),
    (GAME, "Ping!", "pong"),
    (GAME, "pong", None),
    (GAME, "ping me later", None),
    ([("user", 'When I say "marco" you say "polo"'), ("assistant", "ok")], "marco", "polo"),
    ([("user", "If I write stop, reply with OK, stopping now."), ("assistant", "ok")], "stop",
     "OK, stopping now"),
    # The latest rule for a trigger wins; the assistant cannot set rules.
    ([*GAME, ("user", "Now whenever I say ping, say PONG!"), ("assistant", "ok")], "ping",
     "PONG"),
    ([("assistant", "Whenever I say ping, you reply pong."), ("user", "sure")], "ping", None),
])
def test_a_rule_with_a_set_answer_gives_it(history: list[tuple[str, str]], message: str,
                                           answer: str | None) -> None:
    assert rule_reply(history, message) == answer


def test_standing_instructions_are_found_in_the_users_turns() -> None:
    history = [("user", "Hi. Please answer in French from now on."), ("assistant", "D'accord."),
               ("user", "I always use my bike. What is 2+2?"), ("assistant", "4"),
               ("user", "Always call me Sam."), ("assistant", "Sure, Sam.")]
    assert standing(history) == ["Please answer in French from now on.", "Always call me Sam."]
    assert standing([("user", "What is the capital of Peru?")]) == []


def test_a_standing_instruction_sits_beside_the_new_message() -> None:
    history = [("user", "Please answer in French from now on."), ("assistant", "D'accord.")]
    parts = base_parts(default_spec(), user="What colour is grass?", history=history,
                       recalled=[], now_local=datetime(2026, 1, 1))
    last = parts.messages()[-1]["content"]
    assert last.startswith("What colour is grass?")
    assert "(Earlier you were asked: Please answer in French from now on.)" in last
    off = shapes_off()
    parts = base_parts(off, user="What colour is grass?", history=history, recalled=[],
                       now_local=datetime(2026, 1, 1))
    assert parts.messages()[-1]["content"] == "What colour is grass?"


def test_the_agent_answers_a_trigger_as_the_rule_says(home: Path) -> None:
    task = Task.model_validate({
        "id": "t", "category": "multi_turn",
        "turns": [{"role": r, "content": t} for r, t in GAME] + [
            {"role": "user", "content": "ping"}],
        "check": {"type": "contains", "value": "pong", "mode": "word"}})
    engine = ScriptedEngine(reply=lambda user: "I'm ready!")
    (result,) = score_tasks(default_spec(), [task], home=home, engine=engine).results
    assert result.passed and result.reply == "pong", result.reply
    off = shapes_off()
    (result,) = score_tasks(off, [task], home=home, engine=engine).results
    assert not result.passed


@pytest.mark.parametrize(("reply", "said"), [
    ("I'm visiting Japan.", "You are visiting Japan."),
    ("My flight is at 18:30 on Friday.", "Your flight is at 18:30 on Friday."),
    ("Sure. My daughter's name is Zoe.", "Sure. Your daughter's name is Zoe."),
    # What the assistant says of itself, and sentences not about the user's turns, stay.
    ("I'm Hearth, I can help with that.", "I'm Hearth, I can help with that."),
    ("My name is Hearth.", "My name is Hearth."),
    ("I love April in Kyoto.", "I love April in Kyoto."),
])
def test_the_users_facts_are_said_back_to_them(reply: str, said: str) -> None:
    from hearth.edge_runtime._voice import said_back

    history = [("user", "I'm planning a trip to Japan in April."), ("assistant", "Nice!"),
               ("user", "My flight is at 18:30 on Friday. My daughter's name is Zoe."),
               ("assistant", "Noted.")]
    assert said_back(reply, history) == said


def test_a_recalled_message_of_the_user_is_said_back_to_them() -> None:
    from hearth.edge_runtime.routing import template

    assert template("recall", {"facts": ["My flight is at 18:30 on Friday."]}, "",
                    "What time is my flight?") == "Your flight is at 18:30 on Friday."
    assert template("recall", {"facts": ["The user's father is called George."]}, "",
                    "Who is my father?") == "Your father is called George."


def test_a_quoted_answer_ends_at_its_quote_and_more_phrasings_stand() -> None:
    game = [("user", "Let's play a game: whenever I say 'ping', you reply 'pong' and nothing "
                     "else.")]
    assert rule_reply(game, "ping") == "pong"
    held = [("user", "Keep all your answers to a single word, please."),
            ("user", "Please end every reply with the word 'Cheers!'"),
            ("user", "Whenever you reply, end your message with '— H'. Got it?"),
            ("user", "What is the time?")]
    assert standing(held) == ["Keep all your answers to a single word, please.",
                              "Please end every reply with the word 'Cheers!'",
                              "Whenever you reply, end your message with '— H'."]
