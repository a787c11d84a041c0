"""The agent: plain chat, routed tools, or a tool loop where the model picks.

* `chat`: the model answers.
* `tools` with `agent.routes`: the message is classified (patterns first, the
  model only where they are unsure), a routed built-in tool gets arguments read
  from the message (the model fills them in only when none can be read), and
  the reply states the tool's result: the model's sentence when it agrees
  with the tool, a short template otherwise (`edge_runtime.routing`).
* `tools` without routes: the model picks tools in grammar-constrained steps.

What counts as a tool call is what ran, never what the model claims in prose.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from hearth.edge_runtime._capitals import capital_answer
from hearth.edge_runtime._choice_reply import choice_schema, unquoted
from hearth.edge_runtime._engine import Engine, Generation, Message
from hearth.edge_runtime._json_reply import reply_schema
from hearth.edge_runtime._json_values import with_read_values
from hearth.edge_runtime._prompt import PromptParts, fit
from hearth.edge_runtime._shape import shaped, standing_shape
from hearth.edge_runtime._small_talk import small_talk
from hearth.edge_runtime._standing import rule_reply
from hearth.edge_runtime._summary import extractive_summary
from hearth.edge_runtime._text_tasks import text_answer
from hearth.edge_runtime._tool_prompts import argument_messages, bounded, choice_messages
from hearth.edge_runtime._voice import said_back
from hearth.edge_runtime.routing import (
    agrees,
    corrected,
    template,
    ungrounded,
    without_scaffold,
)
from hearth.edge_runtime.tools import BUILTIN_DEFINITIONS, ToolBox, ToolContext
from hearth.errors import GrammarError
from hearth.specs import Spec

log = logging.getLogger(__name__)

#: Shown when a reply was cut by max_tokens, so it never ends mid-sentence silently.
TRUNCATED_NOTE = "\n\n[reply cut at the length limit; ask me to go on]"
#: Shown when the spec's job timeout ran out while answering.
TIMEOUT_NOTE = "\n\n[sorry, I ran out of time on this one]"
#: Built-in tools whose result a reply is checked against (see `routing.agrees`).
CHECKED_TOOLS = ("calculator", "clock")
#: The route traces record for a reply done exactly by `_text_tasks`.
TEXT_ROUTE = "text"

EngineFor = Callable[[str], Engine]
"""Returns the loaded engine of a catalog model, for routes that name one."""


@dataclass(frozen=True)
class ToolCall:
    """A tool call that actually ran, and its outcome."""

    name: str
    arguments: dict[str, Any]
    ok: bool
    result: str
    data: Mapping[str, Any] = field(default_factory=dict)
    route: str | None = None

    def as_json(self) -> dict[str, Any]:
        """JSON-ready form for traces."""
        return {"name": self.name, "arguments": self.arguments, "ok": self.ok,
                "result": self.result, "route": self.route}


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
    route: str | None = None
    templated: bool = False
    model: str | None = None
    """The catalog model that wrote the visible reply, when a route chose another."""

    def add(self, gen: Generation, started: float, visible: bool) -> None:
        """Account for one model call."""
        self.prompt_tokens += gen.prompt_tokens
        self.completion_tokens += gen.completion_tokens
        if visible and self.first_token_s is None and gen.completion_tokens:
            self.first_token_s = started + gen.first_token_s


_GREETING = re.compile(r"^(?:(?:hi|hello|hey|there)\s+)+")


def _normal(text: str) -> str:
    """Lower case, words only, without an opening "Hi!": a copy may drop it."""
    return _GREETING.sub("", " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split()))


def repeats_history(reply: str, parts: PromptParts) -> bool:
    """Whether `reply` says again what an earlier assistant turn said.

    A small model that sees its own last reply in the history (or a worked
    example) tends to copy it whatever the new question: the console once
    answered three different questions with one sentence.
    """
    said = _normal(reply)
    if len(said) < 12:
        return False
    earlier_turns = [t for r, t in parts.history if r == "assistant"]
    # An example whose question is this one may be copied: that is what it is for.
    asked = set(_normal(parts.user).split())
    earlier_turns += [a for u, a in parts.few_shot
                      if len(asked & set(_normal(u).split())) < 0.6 * max(1, len(asked))]
    for text in earlier_turns:
        earlier = _normal(text)
        if said == earlier or (len(earlier) >= 12 and (said.startswith(earlier[:40])
                                                       or earlier.startswith(said[:40]))):
            return True
    return False


def without_own_turns(parts: PromptParts) -> PromptParts:
    """The parts without the assistant's earlier turns: neither its history nor the examples."""
    return replace(parts, few_shot=(),
                   history=tuple((r, t) for r, t in parts.history if r == "user"))


class Agent:
    """Runs one message through the spec's agent primitive."""

    def __init__(self, spec: Spec, engine: Engine, box: ToolBox,
                 engines: EngineFor | None = None) -> None:
        self.spec = spec
        self.engine = engine
        self.box = box
        self.engines = engines

    def engine_for(self, model: str | None) -> Engine:
        """The engine that runs `model` (a route's), or the spec's own."""
        if not model or model == self.spec.intelligence.model or self.engines is None:
            return self.engine
        return self.engines(model)

    def fit(self, parts: PromptParts, result: AgentResult,
            engine: Engine | None = None) -> PromptParts:
        """`parts` trimmed to the context window of `engine`."""
        engine = engine or self.engine
        parts, trimmed = fit(parts, engine.count_tokens, n_ctx=engine.n_ctx,
                             max_tokens=self.spec.intelligence.sampling.max_tokens)
        result.trimmed = result.trimmed or trimmed
        return parts

    def run(self, parts: PromptParts, ctx: ToolContext, *, on_text: Callable[[str], None],
            deadline: float) -> AgentResult:
        """Answer the message in `parts`, streaming the reply through `on_text`."""
        result = AgentResult()
        # "Whenever I say ping, you reply pong": the user set this answer.
        if self.spec.agent.shape_replies and (said := rule_reply(parts.history, parts.user)):
            on_text(said)
            return self.finish(said, "stop", result, on_text)
        # "What can you do?", "I'm feeling sad", "Tell me a joke": honest fixed replies.
        if self.spec.agent.shape_replies and (talk := small_talk(
                parts.user, [t for r, t in parts.history if r == "user"],
                (t.name for t in self.spec.tools.enabled))):
            result.route = TEXT_ROUTE
            on_text(talk)
            return self.finish(talk, "stop", result, on_text)
        # "Count from 3 to 8", "Spell 'star' backwards", "the capital of Peru": done exactly,
        # not by the model; a summary, by a model too small to write one, cut from the text.
        if self.spec.agent.shape_replies and (done := text_answer(parts.user) or
                                              capital_answer(parts.user) or (
                extractive_summary(parts.user) if self.spec.agent.copy_spans else None)):
            result.route = TEXT_ROUTE
            on_text(done)
            return self.finish(done, "stop", result, on_text)
        if self.spec.agent.kind == "tools" and self.spec.agent.routes:
            from hearth.edge_runtime._routed import run_routed

            return run_routed(self, parts, ctx, result, on_text=on_text, deadline=deadline)
        if self.spec.agent.kind == "tools" and self.box.names:
            parts = self.tool_loop(parts, ctx, result, deadline)
            parts = with_results(parts, result.tool_calls)
        return self.reply(parts, result, on_text=on_text, deadline=deadline)

    def generate(self, messages: list[Message], result: AgentResult, *, engine: Engine,
                 on_text: Callable[[str], None] | None, deadline: float,
                 max_tokens: int | None = None,
                 json_schema: dict[str, Any] | None = None) -> Generation:
        """One visible model call, accounted in `result`."""
        started = time.monotonic()
        sampling = self.spec.intelligence.sampling
        if max_tokens is not None and max_tokens < sampling.max_tokens:
            sampling = sampling.model_copy(update={"max_tokens": max_tokens})
        gen = engine.generate(messages, sampling,
                              stop=self.spec.intelligence.stop, on_text=on_text,
                              deadline=deadline, json_schema=json_schema)
        result.add(gen, started, visible=True)
        result.model = engine.model_name
        return gen

    def reply(self, parts: PromptParts, result: AgentResult, *, on_text: Callable[[str], None],
              deadline: float, model: str | None = None) -> AgentResult:
        """The model's reply, streamed; checked against the tools that ran.

        A reply that copies an earlier turn of the assistant's is written
        again without those turns; one that contradicts a checked tool's
        result is replaced by the tool's template; a copy of the prompt's
        tool-results block is cut out (the results themselves are said when
        nothing else is left). Each replacement is the final text (the bridge
        shows the final text over the streamed one).
        """
        engine = self.engine_for(model)
        parts = self.fit(parts, result, engine)
        # "Extract JSON with keys ...": the object is written under its schema.
        schema = reply_schema(parts.user, copy_spans=self.spec.agent.copy_spans) \
            if self.spec.agent.shape_replies else None
        # "Answer only yes or no": the reply is one of the answers the message allows.
        choices = choice_schema(parts.user) \
            if self.spec.agent.shape_replies and schema is None else None
        schema = schema or choices
        try:
            gen = self.generate(parts.messages(), result, engine=engine, on_text=on_text,
                                deadline=deadline, json_schema=schema)
        except GrammarError:
            log.exception("no grammar for the JSON reply asked for; answering without it")
            schema = choices = None
            gen = self.generate(parts.messages(), result, engine=engine, on_text=on_text,
                                deadline=deadline)
        text = gen.text.strip()
        if gen.finish_reason == "stop" and repeats_history(text, parts):
            gen = self.generate(without_own_turns(parts).messages(), result, engine=engine,
                                on_text=None, deadline=deadline, json_schema=schema)
            text = gen.text.strip()
        if choices is not None:
            text = unquoted(text)
        elif schema is not None:
            text = with_read_values(text, parts.user)
        if self.spec.agent.shape_replies:
            text = said_back(text, parts.history)
        checked = [c for c in result.tool_calls if c.ok and c.name in CHECKED_TOOLS]
        if checked and not agrees(checked[-1].name, checked[-1].data, text, parts.user):
            call = checked[-1]
            text, result.templated = template(call.name, call.data, call.result,
                                              parts.user), True
        elif result.tool_calls:
            said = {c.name: c.result if c.ok else "failed: " + c.result
                    for c in result.tool_calls}
            cut = without_scaffold(text, said)
            if cut != text:
                text = cut or "\n".join(f"{name}: {value}" for name, value in said.items())
        return self.finish(text, gen.finish_reason, result, on_text, asked=parts.user,
                           standing=parts.standing)

    def finish(self, text: str, finish_reason: str, result: AgentResult,
               on_text: Callable[[str], None], *, asked: str | None = None,
               standing: Sequence[str] = ()) -> AgentResult:
        """Set the final text, with a note when the reply was cut short.

        With `asked` (the message an answer is for), the text takes the shape
        the message asks for (`_shape`), when the spec's `shape_replies` is on.
        """
        if asked is not None and self.spec.agent.shape_replies:
            text = shaped(text, asked, standing_shape(asked, standing))
        if finish_reason == "length" and not result.templated:
            result.status, note = "truncated", TRUNCATED_NOTE
        elif finish_reason == "deadline":
            result.status, note = "timeout", TIMEOUT_NOTE
        else:
            note = ""
        if note:
            on_text(note)
        limit = self.spec.agent.max_reply_chars
        result.text = (text[:limit] + note) if text else note.strip() or "…"
        return result

    def choose(self, messages: list[Message], options: list[str], result: AgentResult,
               deadline: float) -> str | None:
        """A grammar-constrained pick of one of `options` by the model."""
        schema = {"type": "object", "properties": {"choice": {"enum": options}},
                  "required": ["choice"]}
        gen = self.engine.generate(messages, self._decision_sampling(), json_schema=schema,
                                   deadline=deadline)
        result.add(gen, 0.0, visible=False)
        choice = _json_field(gen.text, "choice")
        return choice if choice in options else None

    def _decision_sampling(self) -> Any:
        return self.spec.intelligence.sampling.model_copy(
            update={"temperature": 0.0, "max_tokens": 160})

    def fill_arguments(self, name: str, user: str, result: AgentResult,
                       deadline: float, today: date | None = None) -> dict[str, Any] | None:
        """The model's arguments for tool `name`, under the tool's own schema.

        `today` is the user's date: "tomorrow" in the message is read from it.
        """
        schema = self.box.function(name)["parameters"]
        try:
            gen = self.engine.generate(argument_messages(self.box, name, user),
                                       self._decision_sampling(),
                                       json_schema=bounded(
                                           schema, name, user,
                                           copy_spans=self.spec.agent.copy_spans
                                           and name not in BUILTIN_DEFINITIONS),
                                       deadline=deadline)
        except GrammarError:
            log.exception("no grammar for the arguments of %s; answering without it", name)
            return None
        result.add(gen, 0.0, visible=False)
        try:
            given = json.loads(gen.text)
        except ValueError:
            return None  # cut by max_tokens or the deadline
        if not isinstance(given, dict):
            return None
        # What the message states outright beats the model's reading of it; optional
        # values it never states are the model's, not the user's.
        return corrected(schema, user, name, given, stated=self.spec.agent.grounded_calls
                         and name not in BUILTIN_DEFINITIONS, today=today)

    def made_up(self, name: str, user: str, arguments: Mapping[str, Any]) -> list[str]:
        """Required arguments of offered tool `name` that the message does not give.

        Empty for built-in tools (their readers and grammars see to it) and when
        the spec's `grounded_calls` is off.
        """
        if not self.spec.agent.grounded_calls or name in BUILTIN_DEFINITIONS:
            return []
        return ungrounded(user, self.box.function(name), arguments)

    def call(self, name: str, arguments: dict[str, Any], ctx: ToolContext,
             result: AgentResult, route: str | None = None) -> ToolCall:
        """Run tool `name` and record the call in `result`."""
        outcome = self.box.call(name, arguments, ctx)
        call = ToolCall(name, arguments, outcome.ok, outcome.content, dict(outcome.data or {}),
                        route)
        result.tool_calls.append(call)
        return call

    def tool_loop(self, parts: PromptParts, ctx: ToolContext, result: AgentResult,
                  deadline: float) -> PromptParts:
        """Decide and run tools, at most `max_turns` rounds; never the same call twice.

        Two grammar-constrained steps per round: first the tool's name (or
        none), then its arguments under the tool's own schema. A 135M model
        gets both right far more often than one combined JSON object.
        """
        names = [*self.box.names, "none"]
        notes: tuple[str, ...] = ()
        seen: set[str] = set()
        for _ in range(self.spec.agent.max_turns):
            if time.monotonic() > deadline:
                break
            name = self.choose(_as_choice(choice_messages(self.box, parts.user, notes)), names,
                               result, deadline)
            if not name or name == "none":
                break
            if result.tool_calls and result.tool_calls[-1].name == name:
                break  # a small model re-picks the tool it just used; its result stands
            arguments = self.fill_arguments(name, parts.user, result, deadline,
                                            ctx.today())
            if arguments is None or self.made_up(name, parts.user, arguments):
                break
            key = json.dumps([name, arguments], sort_keys=True)
            if key in seen:
                break
            seen.add(key)
            call = self.call(name, arguments, ctx, result)
            notes += (f"Already done: {name} returned {call.result}. Pick none if that "
                      "answers the message.",)
        return parts


def with_results(parts: PromptParts, calls: list[ToolCall]) -> PromptParts:
    """`parts` with the tool results beside the question.

    Results ride in the user's own turn: a small model ignores a system note
    but answers from text right next to the question.
    """
    if not calls:
        return parts
    facts = "\n".join(f"- {c.name}: {c.result if c.ok else 'failed: ' + c.result}"
                      for c in calls)
    return replace(parts, user=f"{parts.user}\n\n(Tool results:\n{facts}\n"
                   "Start your reply with the result.)")


def _as_choice(messages: list[Message]) -> list[Message]:
    """Tool-choice prompts whose worked answers use the `choice` key of `Agent.choose`."""
    return [{**m, "content": m["content"].replace('{"tool": ', '{"choice": ')}
            if m["role"] == "assistant" else m for m in messages]


def _json_field(text: str, key: str) -> str | None:
    try:
        data = json.loads(text)
    except ValueError:
        return None
    value = data.get(key) if isinstance(data, dict) else None
    return value if isinstance(value, str) else None
