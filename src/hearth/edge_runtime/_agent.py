"""The agent loop: plain chat, or tool use with grammar-constrained calls.

In the tool loop the model first answers a JSON decision ("which tool, with
which arguments, or none") constrained by a JSON schema, so even a 135M model
emits a valid call. Tools run for real; the reply is then streamed with the
results in view. What counts as a tool call is what ran, never what the
model claims in its prose.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from hearth.edge_runtime._engine import Engine, Generation
from hearth.edge_runtime._prompt import PromptParts, fit
from hearth.edge_runtime.tools import ToolBox, ToolContext
from hearth.specs import Spec

#: Shown when a reply was cut by max_tokens, so it never ends mid-sentence silently.
TRUNCATED_NOTE = "\n\n[reply cut at the length limit; ask me to go on]"
#: Shown when the spec's job timeout ran out while answering.
TIMEOUT_NOTE = "\n\n[sorry, I ran out of time on this one]"


@dataclass(frozen=True)
class ToolCall:
    """A tool call that actually ran, and its outcome."""

    name: str
    arguments: dict[str, Any]
    ok: bool
    result: str

    def as_json(self) -> dict[str, Any]:
        """JSON-ready form for traces."""
        return {"name": self.name, "arguments": self.arguments, "ok": self.ok,
                "result": self.result}


@dataclass
class AgentResult:
    """The reply and everything the trace records about producing it."""

    text: str = ""
    status: str = "ok"  # ok | truncated | timeout
    tool_calls: list[ToolCall] = field(default_factory=list)
    prompt_tokens: int = 0
    completion_tokens: int = 0
    first_token_s: float | None = None
    trimmed: bool = False

    def add(self, gen: Generation, started: float, visible: bool) -> None:
        """Account for one model call."""
        self.prompt_tokens += gen.prompt_tokens
        self.completion_tokens += gen.completion_tokens
        if visible and self.first_token_s is None and gen.completion_tokens:
            self.first_token_s = started + gen.first_token_s


def _decision_schema(box: ToolBox) -> dict[str, Any]:
    options: list[dict[str, Any]] = [
        {"type": "object", "properties": {"tool": {"const": s["function"]["name"]},
                                          "arguments": s["function"]["parameters"]},
         "required": ["tool", "arguments"]}
        for s in box.schemas()
    ]
    options.append({"type": "object", "properties": {"tool": {"const": "none"}},
                    "required": ["tool"]})
    return {"anyOf": options}


def _tool_instructions(box: ToolBox) -> str:
    lines = [f"- {s['function']['name']}: {s['function']['description']} "
             f"Arguments: {json.dumps(s['function']['parameters'].get('properties', {}))}"
             for s in box.schemas()]
    return ("You can use these tools:\n" + "\n".join(lines) +
            '\nAnswer with JSON only: {"tool": NAME, "arguments": {...}} to use a tool, '
            'or {"tool": "none"} when no tool is needed or a tool already gave the answer.')


class Agent:
    """Runs one message through the spec's agent primitive."""

    def __init__(self, spec: Spec, engine: Engine, box: ToolBox) -> None:
        self.spec = spec
        self.engine = engine
        self.box = box

    def _fit(self, parts: PromptParts, result: AgentResult) -> PromptParts:
        parts, trimmed = fit(parts, self.engine.count_tokens, n_ctx=self.engine.n_ctx,
                             max_tokens=self.spec.intelligence.sampling.max_tokens)
        result.trimmed = result.trimmed or trimmed
        return parts

    def run(self, parts: PromptParts, ctx: ToolContext, *, on_text: Callable[[str], None],
            deadline: float) -> AgentResult:
        """Answer the message in `parts`, streaming the reply through `on_text`."""
        result = AgentResult()
        if self.spec.agent.kind == "tools" and self.box.names:
            parts = self._tool_loop(parts, ctx, result, deadline)
        parts = self._fit(parts, result)
        sampling = self.spec.intelligence.sampling
        started = time.monotonic()
        gen = self.engine.generate(parts.messages(), sampling, stop=self.spec.intelligence.stop,
                                   on_text=on_text, deadline=deadline)
        result.add(gen, 0.0, visible=True)
        if result.first_token_s is not None:
            result.first_token_s += started
        text = gen.text.strip()
        if gen.finish_reason == "length":
            result.status, note = "truncated", TRUNCATED_NOTE
        elif gen.finish_reason == "deadline":
            result.status, note = "timeout", TIMEOUT_NOTE
        else:
            note = ""
        if note:
            on_text(note)
        limit = self.spec.agent.max_reply_chars
        result.text = (text[:limit] + note) if text else note.strip() or "…"
        return result

    def _tool_loop(self, parts: PromptParts, ctx: ToolContext, result: AgentResult,
                   deadline: float) -> PromptParts:
        schema = _decision_schema(self.box)
        decide = replace(parts, system=f"{parts.system}\n\n{_tool_instructions(self.box)}")
        sampling = self.spec.intelligence.sampling.model_copy(
            update={"temperature": 0.0, "max_tokens": 128})
        for _ in range(self.spec.agent.max_turns):
            if time.monotonic() > deadline:
                break
            decide = self._fit(decide, result)
            gen = self.engine.generate(decide.messages(), sampling, json_schema=schema,
                                       deadline=deadline)
            result.add(gen, 0.0, visible=False)
            try:
                choice = json.loads(gen.text)
            except ValueError:
                break  # cut by max_tokens or the deadline: answer without tools
            name = choice.get("tool", "none") if isinstance(choice, dict) else "none"
            if name == "none":
                break
            arguments = choice.get("arguments") or {}
            outcome = self.box.call(name, arguments, ctx)
            call = ToolCall(name, arguments, outcome.ok, outcome.content)
            result.tool_calls.append(call)
            note = (f"Tool {name} returned: {outcome.content}" if outcome.ok
                    else f"Tool {name} failed: {outcome.content}")
            extra = (
                {"role": "assistant", "content": json.dumps({"tool": name,
                                                             "arguments": arguments})},
                {"role": "user", "content": note},
            )
            decide = replace(decide, extra=decide.extra + extra)
        if not result.tool_calls:
            return parts
        facts = "\n".join(
            f"{c.name}({json.dumps(c.arguments)}) -> {c.result if c.ok else 'error: ' + c.result}"
            for c in result.tool_calls)
        return replace(parts, system=f"{parts.system}\n\nTool results for the user's last "
                       f"message (use them in your answer):\n{facts}")
