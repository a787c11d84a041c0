"""The agent loop: plain chat, or tool use with grammar-constrained calls.

In the tool loop the model first answers a JSON decision ("which tool, with
which arguments, or none") constrained by a JSON schema, so even a 135M model
emits a valid call. Tools run for real; the reply is then streamed with the
results in view. What counts as a tool call is what ran, never what the
model claims in its prose.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from hearth.edge_runtime._engine import Engine, Generation, Message
from hearth.edge_runtime._prompt import PromptParts, fit
from hearth.edge_runtime.tools import ToolBox, ToolContext
from hearth.errors import GrammarError
from hearth.specs import Spec

log = logging.getLogger(__name__)

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


#: One worked example per built-in tool: small models pick tools far more
#: reliably after seeing a call than after reading a description.
_EXAMPLES: dict[str, tuple[str, dict[str, Any]]] = {
    "calculator": ("How much is 15 + 27?", {"expression": "15+27"}),
    "clock": ("What day of the week is it?", {"operation": "now"}),
    "remember": ("Please remember that my car is blue.", {"fact": "The user's car is blue."}),
    "recall": ("What did I tell you about my car?", {"query": "car"}),
    "reminder": ("Remind me to call mum in 20 minutes.",
                 {"text": "call mum", "when": "in 20 minutes"}),
}
#: Messages that need no tool, shown first and last around the tool examples:
#: a small model leans towards copying the example it saw last.
_NO_TOOL = ("Hi! How are you?", "Write a short poem about the sea.")
#: Longest string argument a decision may produce; stops a runaway string.
MAX_ARGUMENT_CHARS = 300
#: Characters an arithmetic expression may use (the calculator's grammar).
_EXPRESSION_PATTERN = r"^[0-9a-z.,+\-*/%^()x× ÷]{1,200}$"
#: Operators and functions an expression may combine the message's numbers with.
_EXPRESSION_PARTS = (r"[-+*/%^() .]", "sqrt", "of")
#: Numbers a message may give in words ("12 squared" is 12^2).
_NUMBER_WORDS = {
    "zero": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
    "seven": "7", "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12",
    "twenty": "20", "thirty": "30", "fifty": "50", "hundred": "100", "thousand": "1000",
    "dozen": "12", "half": "2", "twice": "2", "double": "2", "triple": "3", "quarter": "4",
    "squared": "2", "cubed": "3", "percent": "100",
}


def _choice_messages(box: ToolBox, user: str, notes: tuple[str, ...]) -> list[Message]:
    """Stage 1: which tool (or none) serves the message."""
    lines = [f"- {s['function']['name']}: {s['function']['description']}" for s in box.schemas()]
    system = ("Pick the tool that answers the user's message, or none.\nTools:\n"
              + "\n".join(lines)
              + "\n- none: no tool needed (greetings, chit-chat, general knowledge, writing)."
              + "".join(f"\n{n}" for n in notes))
    shots: list[Message] = [{"role": "user", "content": _NO_TOOL[0]},
                            {"role": "assistant", "content": '{"tool": "none"}'}]
    for name in box.names:
        question = _EXAMPLES.get(name, (None, None))[0]
        if question:
            shots += [{"role": "user", "content": question},
                      {"role": "assistant", "content": json.dumps({"tool": name})}]
    shots += [{"role": "user", "content": _NO_TOOL[1]},
              {"role": "assistant", "content": '{"tool": "none"}'}]
    return [{"role": "system", "content": system}, *shots, {"role": "user", "content": user}]


def expression_pattern(user: str) -> str:
    """A regex for a calculator expression built only from the message's numbers.

    A 135M model copies the numbers of the worked example ("12*7+3") into
    any question; a grammar that only offers the numbers the user gave (in
    digits or words, "squared" giving a 2) makes
    that impossible. Without numbers in the message, any expression goes.
    """
    numbers = set(re.findall(r"\d+(?:\.\d+)?", user))
    numbers |= {n for w, n in _NUMBER_WORDS.items() if re.search(rf"\b{w}\b", user, re.I)}
    if not numbers:
        return _EXPRESSION_PATTERN
    # Longest first: an alternation tries its options in order. A dot goes in
    # brackets: llama.cpp's schema-to-grammar converter rejects an escaped one.
    options = [n.replace(".", "[.]") for n in sorted(numbers, key=lambda n: (-len(n), n))]
    return "^(" + "|".join([*options, *_EXPRESSION_PARTS]) + ")+$"


def _bounded(schema: dict[str, Any], tool: str, user: str = "") -> dict[str, Any]:
    """The tool's argument schema with every string bounded, for the grammar."""
    schema = json.loads(json.dumps(schema))
    for key, prop in schema.get("properties", {}).items():
        if isinstance(prop, dict) and prop.get("type") == "string" and "enum" not in prop:
            prop.setdefault("maxLength", MAX_ARGUMENT_CHARS)
            if tool == "calculator" and key == "expression":
                prop["pattern"] = expression_pattern(user)
    return schema


def _argument_messages(box: ToolBox, name: str, user: str) -> list[Message]:
    """Stage 2: the arguments for the chosen tool."""
    function = next(s["function"] for s in box.schemas() if s["function"]["name"] == name)
    system = (f"Fill in the arguments of the tool {name}: {function['description']}\n"
              f"Arguments schema: {json.dumps(function['parameters'])}\nAnswer with JSON only.")
    messages: list[Message] = [{"role": "system", "content": system}]
    if name in _EXAMPLES:
        question, arguments = _EXAMPLES[name]
        messages += [{"role": "user", "content": question},
                     {"role": "assistant", "content": json.dumps(arguments)}]
    return [*messages, {"role": "user", "content": user}]


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
        shown = _unmentioned_results(text, result.tool_calls)
        if shown:
            on_text(shown)
            text += shown
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
        """Decide and run tools, at most `max_turns` rounds; never the same call twice.

        Two grammar-constrained steps per round: first the tool's name (or
        none), then its arguments under the tool's own schema. A 135M model
        gets both right far more often than one combined JSON object.
        """
        sampling = self.spec.intelligence.sampling.model_copy(
            update={"temperature": 0.0, "max_tokens": 160})
        names = [*self.box.names, "none"]
        choice_schema = {"type": "object", "properties": {"tool": {"enum": names}},
                         "required": ["tool"]}
        notes: tuple[str, ...] = ()
        seen: set[str] = set()
        for _ in range(self.spec.agent.max_turns):
            if time.monotonic() > deadline:
                break
            gen = self.engine.generate(_choice_messages(self.box, parts.user, notes), sampling,
                                       json_schema=choice_schema, deadline=deadline)
            result.add(gen, 0.0, visible=False)
            name = _json_field(gen.text, "tool")
            if not name or name == "none" or name not in self.box.names:
                break
            if result.tool_calls and result.tool_calls[-1].name == name:
                break  # a small model re-picks the tool it just used; its result stands
            schema = next(s["function"]["parameters"] for s in self.box.schemas()
                          if s["function"]["name"] == name)
            try:
                gen = self.engine.generate(_argument_messages(self.box, name, parts.user),
                                           sampling, json_schema=_bounded(schema, name, parts.user),
                                           deadline=deadline)
            except GrammarError:
                log.exception("no grammar for the arguments of %s; answering without it", name)
                break
            result.add(gen, 0.0, visible=False)
            try:
                arguments = json.loads(gen.text)
            except ValueError:
                break  # cut by max_tokens or the deadline: answer without it
            key = json.dumps([name, arguments], sort_keys=True)
            if key in seen:
                break
            seen.add(key)
            outcome = self.box.call(name, arguments, ctx)
            result.tool_calls.append(ToolCall(name, arguments, outcome.ok, outcome.content))
            notes += (f"Already done: {name} returned {outcome.content}. Pick none if that "
                      "answers the message.",)
        if not result.tool_calls:
            return parts
        # Results ride in the user's own turn: a small model ignores a system
        # note but answers from text right next to the question.
        facts = "\n".join(f"- {c.name}: {c.result if c.ok else 'failed: ' + c.result}"
                          for c in result.tool_calls)
        return replace(parts, user=f"{parts.user}\n\n(Tool results:\n{facts}\n"
                       "Start your reply with the result.)")


def _unmentioned_results(reply: str, calls: list[ToolCall]) -> str:
    """Tool results the reply does not state, to show beneath it.

    A small model often garbles a number it was handed; the user should still
    see what the tool really returned.
    """
    missing = [c for c in calls if c.ok and c.result.strip() and c.result.strip() not in reply]
    return "".join(f"\n\n[{c.name}: {c.result.strip()}]" for c in missing)


def _json_field(text: str, key: str) -> str | None:
    try:
        data = json.loads(text)
    except ValueError:
        return None
    value = data.get(key) if isinstance(data, dict) else None
    return value if isinstance(value, str) else None
