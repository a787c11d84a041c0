"""Scoring tasks through the edge runtime: the real model on tasks with known outcomes,
and a scripted engine where only the plumbing (memory, history, tools, report) is under test.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from hearth.bench import Task, ToolCallRecord, builtin_tasks, load_tasks
from hearth.bench._runner import STUB_RESULT, BenchReport, score_tasks, task_toolbox
from hearth.edge_runtime import Generation
from hearth.errors import ModelNotFound
from hearth.specs import BUILTIN_TOOLS, Sampling, Spec, apply, default_spec, parse_edits

#: Not "What is the capital of France?": the capitals table answers that without the model.
CAPITAL_QUESTION = "Tell me the capital of France in one short sentence."

LIGHT = {"type": "function", "function": {
    "name": "set_light", "description": "Switch a room's lights.",
    "parameters": {"type": "object", "properties": {"room": {"type": "string"},
                                                    "state": {"type": "string"}},
                   "required": ["room", "state"]}}}
TOOLS = [{"op": "set_field", "path": "agent.kind", "value": "tools"}]


def plain_spec() -> Spec:
    """The default spec as plain chat without routes: these tests are about the runner's
    plumbing (prompts, history, offered functions), which routing would hide."""
    return apply(default_spec(), parse_edits([
        {"op": "set_field", "path": "agent.kind", "value": "chat"},
        {"op": "set_field", "path": "agent.routes", "value": []},
        {"op": "set_field", "path": "agent.few_shot", "value": []},
        *({"op": "disable_tool", "name": name} for name in BUILTIN_TOOLS)]))


class ScriptedEngine:
    """A stand-in model for plumbing tests: scripted answers, every prompt recorded.

    `reply` maps the last user message to the reply; in the tool loop it picks
    `tool` (or none) and fills in `arguments`.
    """

    model_name = "scripted"
    n_ctx = 2048

    def __init__(self, reply: Callable[[str], str] = lambda user: "I do not know.",
                 tool: str | None = None, arguments: dict[str, Any] | None = None,
                 fail: bool = False) -> None:
        self.reply, self.tool, self.arguments, self.fail = reply, tool, arguments or {}, fail
        self.prompts: list[list[dict[str, str]]] = []

    def count_tokens(self, text: str) -> int:
        return len(text.split()) + 1

    def generate(self, messages: Sequence[dict[str, str]], sampling: Sampling, *,
                 stop: Sequence[str] = (), json_schema: dict[str, Any] | None = None,
                 on_text: Callable[[str], None] | None = None,
                 deadline: float | None = None) -> Generation:
        if self.fail:
            raise RuntimeError("llama_decode returned -1")
        if json_schema is None:
            self.prompts.append(list(messages))
            text = self.reply(messages[-1]["content"])
        elif {"tool", "choice"} & set(json_schema.get("properties", {})):
            key = "choice" if "choice" in json_schema["properties"] else "tool"
            text = json.dumps({key: self.tool or "none"})
        else:
            text = json.dumps(self.arguments)
        return Generation(text, "stop", prompt_tokens=10, completion_tokens=3,
                          first_token_s=0.0, total_s=0.0)


def task(**fields: Any) -> Task:
    data = {"id": "t1", "category": "factual",
            "turns": [{"role": "user", "content": CAPITAL_QUESTION}],
            "check": {"type": "contains", "value": "Paris"}, **fields}
    return Task.model_validate(data)


def run(spec: Spec, tasks: list[Task], engine: ScriptedEngine, home: Path,
        **kwargs: Any) -> BenchReport:
    return score_tasks(spec, tasks, home=home, engine=engine, **kwargs)


# -- the real model ------------------------------------------------------------------


@pytest.mark.model
def test_the_real_model_passes_an_easy_task_and_fails_an_impossible_one(home: Path) -> None:
    tasks = load_tasks([
        json.dumps({"id": "capital", "category": "factual",
                    "turns": [{"role": "user", "content": CAPITAL_QUESTION}],
                    "check": {"type": "contains", "value": "Paris"}}),
        json.dumps({"id": "impossible", "category": "factual",
                    "turns": [{"role": "user", "content": CAPITAL_QUESTION}],
                    "check": {"type": "contains", "value": "qzxv-no-model-says-this"}}),
        json.dumps({"id": "pet", "category": "recall",
                    "turns": [{"role": "user", "content": "What is my dog's name?"}],
                    "memory": ["The user's dog is called Biscuit."],
                    "check": {"type": "not_contains", "value": "qzxv-no-model-says-this"}}),
    ])
    seen: list[tuple[int, int, str]] = []
    report = score_tasks(plain_spec(), tasks, home=home,
                         progress=lambda done, total, r: seen.append((done, total, r.task_id)))
    capital, impossible, pet = report.results
    assert capital.passed and "paris" in capital.reply.lower(), capital
    assert not impossible.passed and "qzxv-no-model-says-this" in impossible.reason
    assert pet.passed and pet.status == "ok"
    assert all(r.prompt_tokens > 0 and r.completion_tokens > 0 and r.ms > 0
               for r in report.results)
    assert report.pass_rates == {"factual": 0.5, "recall": 1.0}
    assert report.overall == pytest.approx(2 / 3)
    assert seen == [(1, 3, "capital"), (2, 3, "impossible"), (3, 3, "pet")]


# -- plumbing, with a scripted engine ------------------------------------------------------


def test_memory_facts_are_recalled_and_earlier_turns_are_history(home: Path) -> None:
    engine = ScriptedEngine(reply=lambda user: "Biscuit" if "Biscuit" in user else "no idea")
    recall = task(id="pet", category="recall", memory=["The user's dog is called Biscuit."],
                  turns=[{"role": "user", "content": "What is my dog's name?"}],
                  check={"type": "contains", "value": "Biscuit"})
    chat = task(id="chat", category="multi_turn", turns=[
        {"role": "user", "content": "My name is Priya."},
        {"role": "assistant", "content": "Nice to meet you!"},
        {"role": "user", "content": "What's my name?"}],
        check={"type": "contains", "value": "Priya"})
    report = run(plain_spec(), [recall, chat], engine, home)
    assert [r.passed for r in report.results] == [True, False]
    first, second = engine.prompts
    assert "Biscuit" in first[-1]["content"]  # recalled next to the question
    assert first[0]["role"] == "system" and len(first) == 2
    roles = [(m["role"], m["content"]) for m in second[1:]]
    assert roles[:2] == [("user", "My name is Priya."), ("assistant", "Nice to meet you!")]
    assert roles[2][1].startswith("What's my name?")
    assert all("Biscuit" not in m["content"] for m in second)  # a fresh chat per task


def test_the_history_window_of_the_spec_applies(home: Path) -> None:
    spec = apply(plain_spec(), parse_edits(
        [{"op": "set_field", "path": "tools.memory.history_window", "value": 0},
         {"op": "set_field", "path": "tools.memory.retrieval", "value": "none"}]))
    engine = ScriptedEngine()
    chat = task(turns=[{"role": "user", "content": "My name is Priya."},
                       {"role": "assistant", "content": "Hi!"},
                       {"role": "user", "content": "What's my name?"}])
    run(spec, [chat], engine, home)
    assert [m["role"] for m in engine.prompts[0]] == ["system", "user"]


def test_offered_functions_are_stubbed_and_recorded_for_a_tool_agent(home: Path) -> None:
    check = {"type": "tool_call", "name": "set_light",
             "arguments": {"room": ["kitchen"], "state": ["on"]}}
    light = task(id="light", category="tool_use", tools=[LIGHT], check=check,
                 turns=[{"role": "user", "content": "Turn on the kitchen lights."}])
    engine = ScriptedEngine(tool="set_light", arguments={"room": "kitchen", "state": "on"})
    report = run(apply(plain_spec(), parse_edits(TOOLS)), [light], engine, home)
    (result,) = report.results
    assert result.passed, result.reason
    assert result.tool_calls == (ToolCallRecord("set_light", {"room": "kitchen",
                                                              "state": "on"}),)
    assert STUB_RESULT in engine.prompts[0][-1]["content"]  # the result reached the model
    # A chat agent is not offered the function: no call, a failed task.
    chat_report = run(plain_spec(), [light], ScriptedEngine(tool="set_light"), home)
    assert not chat_report.results[0].passed
    assert chat_report.results[0].tool_calls == ()


def test_a_reply_that_copies_the_tool_results_block_shows_the_result_not_the_prompt(
        home: Path) -> None:
    light = task(id="light", category="tool_use", tools=[LIGHT],
                 check={"type": "contains", "value": "set_light"},
                 turns=[{"role": "user", "content": "Turn on the kitchen lights."}])
    # The model answers with the tail of its own prompt: the results block.
    engine = ScriptedEngine(reply=lambda user: user[user.index("(Tool results"):],
                            tool="set_light", arguments={"room": "kitchen", "state": "on"})
    (result,) = run(apply(plain_spec(), parse_edits(TOOLS)), [light], engine, home).results
    assert "(Tool results" in engine.prompts[0][-1]["content"]
    assert result.reply == f"set_light: {STUB_RESULT}", result.reply


def test_the_specs_own_tools_run_for_real(home: Path) -> None:
    spec = apply(plain_spec(), parse_edits([*TOOLS, {"op": "enable_tool",
                                                       "name": "calculator"}]))
    offered = {"type": "function", "function": {"name": "calculator", "description": "x",
                                                "parameters": {"type": "object"}}}
    sum_task = task(id="sum", category="tool_use", tools=[offered],
                    turns=[{"role": "user", "content": "What is 6 times 7?"}],
                    check={"type": "all", "checks": [
                        {"type": "tool_call", "name": "calculator",
                         "arguments": {"expression": ["6*7"]}},
                        {"type": "contains", "value": "42"}]})
    assert task_toolbox(spec, sum_task).names == ("calculator",)
    engine = ScriptedEngine(tool="calculator", arguments={"expression": "6*7"},
                            reply=lambda user: "The answer is here.")
    (result,) = run(spec, [sum_task], engine, home).results
    assert "calculator: 42" in engine.prompts[0][-1]["content"]
    assert result.passed, result.reason  # a reply without the result is the template
    assert "42" in result.reply


def test_a_failing_engine_fails_the_task_not_the_run(home: Path) -> None:
    report = run(plain_spec(), [task(), task(id="t2")], ScriptedEngine(fail=True), home)
    assert [r.status for r in report.results] == ["error", "error"]
    assert not any(r.passed for r in report.results)
    assert "llama_decode" in report.results[0].reason


def test_the_report_adds_up(home: Path) -> None:
    tasks = [task(id="a"), task(id="b", check={"type": "contains", "value": "Rome"}),
             task(id="c", category="arithmetic", check={"type": "number", "value": 5})]
    engine = ScriptedEngine(reply=lambda user: "Paris, 4")
    report = run(plain_spec(), tasks, engine, home)
    assert report.pass_rates == {"arithmetic": 0.0, "factual": 0.5}
    assert report.passed == 1 and report.overall == pytest.approx(1 / 3)
    assert report.prompt_tokens == 30 and report.completion_tokens == 9
    data = report.as_json()
    assert data["categories"]["factual"] == {"passed": 1, "total": 2, "rate": 0.5}
    assert [r["task_id"] for r in data["results"]] == ["a", "b", "c"]
    assert data["spec_id"] == plain_spec().id and data["cached"] == 0
    json.dumps(data)
    lines = report.text().splitlines()
    assert lines[2].split() == ["arithmetic", "0", "1", "0.0%"]
    assert lines[-2].split() == ["overall", "1", "3", "33.3%"]


def test_an_engine_for_another_model_is_not_reused(home: Path) -> None:
    engine = ScriptedEngine()
    engine.key = ("another-model", "{}", None)  # type: ignore[attr-defined]
    spec = apply(plain_spec(), parse_edits([{"op": "set_model", "model": "missing.gguf"}]))
    with pytest.raises(ModelNotFound, match=r"missing\.gguf"):  # it loads the spec's own
        run(spec, [task()], engine, home)


def test_the_builtin_tasks_run_end_to_end_on_the_scripted_engine(home: Path) -> None:
    # Shapes off: a rule the user set ("whenever I say ping ...") answers without the loop.
    spec = apply(plain_spec(), parse_edits(
        [*TOOLS, {"op": "enable_tool", "name": "clock"}, {"op": "enable_tool", "name": "recall"},
         {"op": "set_field", "path": "agent.shape_replies", "value": False}]))
    tasks = builtin_tasks()
    report = run(spec, tasks, ScriptedEngine(tool="recall", arguments={"query": "x"}), home)
    assert len(report.results) == len(tasks)
    assert {r.status for r in report.results} == {"ok"}
    assert all(r.tool_calls for r in report.results)
