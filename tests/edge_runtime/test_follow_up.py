"""A follow-up that points back ("Now switch it off") is read with the turn before it."""

from __future__ import annotations

from pathlib import Path

import pytest

from hearth.bench import Task
from hearth.bench._runner import score_tasks
from hearth.edge_runtime.routing._follow_up import follow_up_context
from hearth.specs import default_spec

LIGHT = {"type": "function", "function": {
    "name": "set_light", "description": "Switch a room's lights on or off.",
    "parameters": {"type": "object", "properties": {
        "room": {"type": "string", "description": "Room name, e.g. kitchen"},
        "state": {"type": "string", "enum": ["on", "off"]}},
        "required": ["room", "state"]}}}


def test_only_a_message_that_refers_back_is_joined_to_the_turn_before() -> None:
    earlier = ["Switch on the lights in the study."]
    assert follow_up_context("Now switch them off again.", earlier) == \
        "Switch on the lights in the study. Now switch them off again."
    assert follow_up_context("Switch off the hall lights.", earlier) is None
    assert follow_up_context("Now switch them off.", []) is None
    # A question before is not the request being followed up.
    assert follow_up_context("Do it again.", ["What is 2+2?"]) is None
    # Only a request that opens with an action refers back: thanks, feelings and
    # questions with "again" or "instead" are no repeat of the last action.
    for text in ("Thanks again!", "Hi again", "My back hurts again.",
                 "Should I have tea instead?", "Can you say that again?",
                 "Is it going to rain?"):
        assert follow_up_context(text, earlier) is None, text
    assert follow_up_context("Play Bohemian Rhapsody instead.", earlier) is not None


@pytest.mark.model
def test_the_real_model_takes_the_room_from_the_turn_before(home: Path) -> None:
    task = Task.model_validate({
        "id": "follow-up", "category": "tool_use", "tools": [LIGHT],
        "turns": [{"role": "user", "content": "Turn on the kitchen light."},
                  {"role": "assistant", "content": "Done, the kitchen light is on."},
                  {"role": "user", "content": "Switch it off again, please."}],
        "check": {"type": "tool_call", "name": "set_light",
                  "arguments": {"room": ["kitchen"], "state": ["off"]}}})
    (result,) = score_tasks(default_spec(), [task], home=home).results
    # Read alone, the follow-up gave SmolLM2 no room but its own words ("off again");
    # read with the turn before, the model also copies its "on": the message's "off" wins.
    assert result.passed, (result.reason, result.tool_calls)
