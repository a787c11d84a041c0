"""Offered functions are called only with arguments the message gives; else the reply asks.

The plumbing (which path asks, which calls, the spec switch) runs with the
runner's scripted engine; the last test runs the real model.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from hearth.bench import Task, ToolCallRecord
from hearth.bench._runner import score_tasks
from hearth.specs import apply, default_spec, parse_edits
from tests.bench.test_runner import LIGHT, TOOLS, ScriptedEngine, plain_spec

TRAIN = {"type": "function", "function": {
    "name": "Trains_1_GetTrainTickets", "description": "Reserve tickets for a train journey.",
    "parameters": {"type": "object", "required": ["_from", "to", "date_of_journey"],
                   "properties": {
                       "_from": {"type": "string", "description": "Departure city."},
                       "to": {"type": "string", "description": "Arrival city."},
                       "date_of_journey": {"type": "string",
                                           "description": "Date, as 'MM/DD/YYYY'."}}}}}
VAGUE = "I want to go for a short trip for which I need a train. Can you search for it?"
MADE_UP = {"_from": "Can", "to": "train", "date_of_journey": "trip"}
NO_CALL = {"type": "no_tool_call"}


def task(prompt: str, tools: list[dict[str, Any]], check: dict[str, Any]) -> Task:
    return Task.model_validate({"id": "t", "category": "tool_use", "tools": tools,
                                "turns": [{"role": "user", "content": prompt}],
                                "check": check})


def test_the_routed_agent_asks_instead_of_calling_with_made_up_values(home: Path) -> None:
    engine = ScriptedEngine(tool="Trains_1_GetTrainTickets", arguments=MADE_UP)
    (result,) = score_tasks(default_spec(), [task(VAGUE, [TRAIN], NO_CALL)], home=home,
                            engine=engine).results
    assert result.passed and result.tool_calls == (), result
    assert "from, to and date of journey" in result.reply and result.reply.endswith("?")


def test_the_tool_loop_does_not_call_with_made_up_values(home: Path) -> None:
    engine = ScriptedEngine(tool="Trains_1_GetTrainTickets", arguments=MADE_UP,
                            reply=lambda user: "Where would you like to go?")
    spec = apply(plain_spec(), parse_edits(TOOLS))
    (result,) = score_tasks(spec, [task(VAGUE, [TRAIN], NO_CALL)], home=home,
                            engine=engine).results
    assert result.passed and result.tool_calls == (), result


def test_values_the_message_gives_are_called_and_the_switch_turns_the_check_off(
        home: Path) -> None:
    given = {"_from": "Berlin", "to": "Hamburg", "date_of_journey": "05/14/2027"}
    called = {"type": "tool_call", "name": "Trains_1_GetTrainTickets",
              "arguments": {k: [v] for k, v in given.items()}}
    ok = task("Get me a train from Berlin to Hamburg on 05/14/2027.", [TRAIN], called)
    engine = ScriptedEngine(tool="Trains_1_GetTrainTickets", arguments=given)
    (result,) = score_tasks(default_spec(), [ok], home=home, engine=engine).results
    assert result.passed, result.reason
    off = apply(default_spec(), parse_edits(
        [{"op": "set_field", "path": "agent.grounded_calls", "value": False}]))
    engine = ScriptedEngine(tool="Trains_1_GetTrainTickets", arguments=MADE_UP)
    (result,) = score_tasks(off, [task(VAGUE, [TRAIN], NO_CALL)], home=home,
                            engine=engine).results
    assert result.tool_calls == (ToolCallRecord("Trains_1_GetTrainTickets", MADE_UP),)


@pytest.mark.model
def test_the_real_model_asks_for_a_vague_request_and_calls_for_a_clear_one(home: Path) -> None:
    light_call = {"type": "tool_call", "name": "set_light",
                  "arguments": {"room": ["kitchen"], "state": ["on"]}}
    vague, clear = score_tasks(default_spec(), [
        task(VAGUE, [TRAIN], NO_CALL),
        task("Turn on the kitchen lights.", [LIGHT], light_call)], home=home).results
    assert vague.passed and vague.tool_calls == (), vague
    assert "?" in vague.reply
    assert clear.passed, clear


WEATHER = {"type": "function", "function": {
    "name": "get_current_weather", "description": "Current weather for a place.",
    "parameters": {"type": "object", "required": ["location"], "properties": {
        "location": {"type": "string"},
        "unit": {"type": "string", "enum": ["celsius", "fahrenheit"],
                 "default": "fahrenheit"}}}}}


def test_an_optional_value_the_message_does_not_state_is_left_out(home: Path) -> None:
    invented = {"location": "Boston, MA", "unit": "celsius"}
    check = {"type": "tool_call", "name": "get_current_weather",
             "arguments": {"location": ["Boston, MA"], "unit": ["", "fahrenheit"]}}
    weather = task("What's the weather in Boston, MA?", [WEATHER], check)
    engine = ScriptedEngine(tool="get_current_weather", arguments=invented)
    (result,) = score_tasks(default_spec(), [weather], home=home, engine=engine).results
    assert result.passed, result.reason
    assert result.tool_calls == (ToolCallRecord("get_current_weather",
                                                {"location": "Boston, MA"}),)
    off = apply(default_spec(), parse_edits(
        [{"op": "set_field", "path": "agent.grounded_calls", "value": False}]))
    engine = ScriptedEngine(tool="get_current_weather", arguments=invented)
    (result,) = score_tasks(off, [weather], home=home, engine=engine).results
    assert result.tool_calls == (ToolCallRecord("get_current_weather", invented),)


def test_a_labelled_command_is_called_as_written_instead_of_refused(home: Path) -> None:
    shell = {"type": "function", "function": {
        "name": "cmd_controller_execute", "description": "Run a system command.",
        "parameters": {"type": "object", "required": ["command"],
                       "properties": {"command": {"type": "string"}}}}}
    command = "start https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    check = {"type": "tool_call", "name": "cmd_controller_execute",
             "arguments": {"command": [command]}}
    ask = task(f"open youtube and play rickroll using the command {command}", [shell], check)
    # The model keeps one generic word of the command, which alone would be refused.
    engine = ScriptedEngine(tool="cmd_controller_execute", arguments={"command": "start"})
    (result,) = score_tasks(default_spec(), [ask], home=home, engine=engine).results
    assert result.passed, result.reason


def test_a_message_that_gives_a_command_picks_the_function_that_runs_commands(
        home: Path) -> None:
    shell = {"type": "function", "function": {
        "name": "cmd_controller_execute", "description": "Execute a command on Windows.",
        "parameters": {"type": "object", "required": ["command"],
                       "properties": {"command": {"type": "string"}}}}}
    command = 'tasklist /FI "IMAGENAME eq Code.exe"'
    check = {"type": "tool_call", "name": "cmd_controller_execute",
             "arguments": {"command": [command]}}
    ask = task(f"is vs code running, using the command {command}", [shell, WEATHER], check)
    # The model would pick no function: the words share little with the description.
    engine = ScriptedEngine(tool=None, arguments={"command": "tasklist"})
    (result,) = score_tasks(default_spec(), [ask], home=home, engine=engine).results
    assert result.passed, result.reason
    # Without a command given, the same words leave the choice to the model (none).
    vague = task("is vs code running?", [shell, WEATHER], {"type": "no_tool_call"})
    (result,) = score_tasks(default_spec(), [vague], home=home, engine=engine).results
    assert result.passed and result.tool_calls == (), result
