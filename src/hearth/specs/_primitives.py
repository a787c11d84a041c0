"""The five primitives of a spec: intelligence, engine, agent, tools, learning.

After OpenJarvis, five primitives (after OpenJarvis): intelligence, engine, agent, tools (with
memory settings) and learning. Every number is bounded and unknown fields are
refused, so a typo in a hand-written spec or a teacher's edit fails loudly.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

#: The built-in tools the edge runtime implements itself.
BUILTIN_TOOLS = ("calculator", "clock", "recall", "remember", "reminder")

_TOOL_NAME = re.compile(r"^[a-z][a-z0-9_]{0,63}$")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", validate_default=True)


class Sampling(_Frozen):
    """How tokens are drawn. Defaults suit a small instruction-tuned model."""

    temperature: float = Field(0.2, ge=0.0, le=2.0)
    top_p: float = Field(0.9, ge=0.0, le=1.0)
    top_k: int = Field(40, ge=0, le=1000)
    min_p: float = Field(0.05, ge=0.0, le=1.0)
    repeat_penalty: float = Field(1.1, ge=0.5, le=2.0)
    max_tokens: int = Field(256, ge=1, le=8192)
    seed: int = Field(42, ge=-1, le=2**31 - 1, description="-1 draws a random seed")


class Intelligence(_Frozen):
    """Which model thinks, and how it samples."""

    model: str = Field(
        min_length=1,
        max_length=4096,
        description="A model catalog name (`hearth models list`) or a GGUF path",
    )
    chat_template: str | None = Field(
        None,
        max_length=20_000,
        description="Jinja chat template; needed for models whose file carries none",
    )
    stop: tuple[Annotated[str, Field(min_length=1, max_length=64)], ...] = Field(
        (), max_length=8
    )
    sampling: Sampling = Sampling()


class EngineSettings(_Frozen):
    """llama.cpp runtime settings: changing any of these reloads the model."""

    n_ctx: int = Field(2048, ge=256, le=131_072)
    n_threads: int | None = Field(None, ge=1, le=512, description="None: physical cores")
    n_batch: int = Field(512, ge=1, le=8192)
    n_gpu_layers: int | None = Field(
        None, ge=-1, le=1000,
        description="None: every layer when llama.cpp can use a GPU, else 0; -1: every layer")
    flash_attn: bool = False
    kv_cache_type: Literal["f16", "q8_0", "q4_0"] = "f16"
    use_mmap: bool = True
    use_mlock: bool = False


def _regex(value: str, what: str = "") -> str:
    """`value` when it compiles as a regular expression; a ValueError naming it otherwise."""
    try:
        re.compile(value)
    except re.error as exc:
        raise ValueError(f"{what}{value!r} is not a regular expression: {exc}") from None
    return value


class FewShot(_Frozen):
    """One example exchange shown to the model before the conversation.

    With `when`, only to messages that pattern matches: an example of one kind
    of answer (a JSON object) teaches a small model to answer everything that
    way when every message sees it.
    """

    user: str = Field(min_length=1, max_length=4000)
    assistant: str = Field(min_length=1, max_length=4000)
    when: str = Field("", max_length=2000, description="a regular expression (matched "
                      "case-insensitively): the example is shown only to messages it "
                      "matches; empty: to every message")

    @field_validator("when")
    @classmethod
    def _compiles(cls, value: str) -> str:
        return _regex(value)

    def shown_for(self, message: str) -> bool:
        """Whether this example is shown before `message`."""
        return not self.when or re.search(self.when, message, re.IGNORECASE) is not None


#: A route's tool value meaning "the enabled tools no other route names" (user
#: HTTP tools, functions a task offers): the agent picks among them.
ANY_TOOL = "*"


class Route(_Frozen):
    """One query class and the path that serves it: a tool, a catalog model, chat, or
    a fixed sentence declining what no tool can do (`routing._decline`).

    `patterns` are case-insensitive regular expressions over the message: the
    cheap, deterministic first step of classification. A message that several
    classes match, or none while tools no route names are offered, goes to a
    grammar-constrained choice by the model among the classes' `description`s.
    """

    name: str = Field(min_length=1, max_length=64)
    path: Literal["tool", "model", "chat", "decline"]
    tool: str | None = Field(None, max_length=64, description="path=tool: a tool name or *")
    model: str | None = Field(None, max_length=4096,
                              description="a catalog model that answers this class")
    patterns: tuple[Annotated[str, Field(min_length=1, max_length=500)], ...] = Field(
        (), max_length=32)
    description: str = Field("", max_length=500)
    reply: Literal["checked", "template", "model"] = Field(
        "checked", description="checked: the model's sentence, rebuilt from a template "
        "when it contradicts the tool; template: always the template; model: as written")

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not _TOOL_NAME.match(value):
            raise ValueError("must be lower_snake_case: a letter, then letters, digits or _")
        return value

    @field_validator("patterns")
    @classmethod
    def _compiles(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(_regex(pattern, "pattern ") for pattern in value)

    @model_validator(mode="after")
    def _path_target(self) -> Route:
        if self.path == "tool" and not self.tool:
            raise ValueError(f"route {self.name!r} has path 'tool' but names no tool")
        if self.path == "model" and not self.model:
            raise ValueError(f"route {self.name!r} has path 'model' but names no model")
        if self.path == "decline" and self.model:
            raise ValueError(f"route {self.name!r} declines with a fixed sentence, so it "
                             "uses no model; drop the model or set path to 'model'")
        if self.path != "tool" and self.tool:
            raise ValueError(f"route {self.name!r} names tool {self.tool!r} but its path is "
                             f"{self.path!r}; set path to 'tool' or drop the tool")
        return self


class Agent(_Frozen):
    """What the assistant is told, and which loop runs it.

    With `kind="tools"` and `routes`, each message is classified into a route
    first; with `kind="tools"` and no routes, the model picks tools on its own.
    """

    kind: Literal["chat", "tools"] = "chat"
    routes: tuple[Route, ...] = Field((), max_length=32)
    copy_spans: bool = Field(
        False, description="arguments of non-built-in tools come from the message: strings "
        "are spans of its words, numbers its numbers, and optional arguments it does not name "
        "are left out; for small models that otherwise invent them")
    grounded_calls: bool = Field(
        True, description="a non-built-in tool is called only when the message gives its "
        "required arguments (words of the message, numbers it states, a date it names), "
        "otherwise the reply asks for what is missing; optional arguments the message does "
        "not state are left out, so the function's defaults apply")
    shape_replies: bool = Field(
        True, description="a reply takes the shape the message asks for (\"in capital "
        "letters\", \"a single number\", \"no more than five words\", \"reply with just "
        "the translation\", a bulleted list): what is around the answer goes; instructions "
        "given earlier for later turns (\"from now on\", \"whenever I say X, reply Y\") "
        "are repeated beside each new message, and a rule's set answer is the reply")
    system_prompt: str = Field("", max_length=20_000)
    few_shot: tuple[FewShot, ...] = Field((), max_length=32)
    max_turns: int = Field(4, ge=1, le=16, description="tool-loop rounds per message")
    max_reply_chars: int = Field(4000, ge=1, le=100_000)
    job_timeout_s: int = Field(120, ge=1, le=3600)
    timezone: str = "UTC"

    @field_validator("routes")
    @classmethod
    def _unique_routes(cls, value: tuple[Route, ...]) -> tuple[Route, ...]:
        names = [r.name for r in value]
        if dupes := sorted({n for n in names if names.count(n) > 1}):
            raise ValueError(f"route names must be unique; repeated: {', '.join(dupes)}")
        return value

    def route(self, name: str) -> Route | None:
        """The route called `name`, or None."""
        return next((r for r in self.routes if r.name == name), None)

    @field_validator("timezone")
    @classmethod
    def _tz(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("must be an IANA time zone name such as Europe/Berlin") from None
        return value


class HttpEndpoint(_Frozen):
    """Where a user-defined tool POSTs its JSON arguments."""

    url: str = Field(pattern=r"^https?://", max_length=2048)
    timeout_s: float = Field(5.0, gt=0.0, le=60.0)


class Tool(_Frozen):
    """A tool the agent may call: a built-in, or a function schema bound to HTTP."""

    name: str = Field(min_length=1, max_length=64)
    enabled: bool = False
    description: str = Field("", max_length=2000)
    parameters: dict[str, Any] | None = Field(
        None, description="OpenAI-style JSON schema of the arguments (user tools)"
    )
    endpoint: HttpEndpoint | None = None

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not _TOOL_NAME.match(value):
            raise ValueError("must be lower_snake_case: a letter, then letters, digits or _")
        return value

    @model_validator(mode="after")
    def _builtin_or_http(self) -> Tool:
        if self.name not in BUILTIN_TOOLS and self.endpoint is None:
            raise ValueError(
                f"tool {self.name!r} is not built in ({', '.join(BUILTIN_TOOLS)}); "
                "give it an endpoint and parameters"
            )
        if self.endpoint is not None and self.parameters is None:
            raise ValueError(f"tool {self.name!r} has an endpoint but no parameters schema")
        return self


class Memory(_Frozen):
    """What the worker remembers of a chat, and what it puts back in the prompt."""

    history_window: int = Field(12, ge=0, le=500, description="recent messages in the prompt")
    retrieval: Literal["none", "keyword"] = "keyword"
    retrieval_k: int = Field(3, ge=0, le=50)
    remember: Literal["none", "explicit"] = "explicit"


class Tools(_Frozen):
    """Tools and memory: the spec's list is the whole truth of what may run."""

    tools: tuple[Tool, ...] = Field((), max_length=64)
    allowed_hosts: tuple[str, ...] = Field((), max_length=64)
    memory: Memory = Memory()

    @field_validator("tools")
    @classmethod
    def _unique(cls, value: tuple[Tool, ...]) -> tuple[Tool, ...]:
        names = [t.name for t in value]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"tool names must be unique; repeated: {', '.join(dupes)}")
        return value

    def get(self, name: str) -> Tool | None:
        """The tool called `name`, or None."""
        return next((t for t in self.tools if t.name == name), None)

    @property
    def enabled(self) -> tuple[Tool, ...]:
        """The tools the agent may call."""
        return tuple(t for t in self.tools if t.enabled)


Eligibility = Literal["feedback", "error", "tool_failure", "timeout", "bench_failure"]


class Learning(_Frozen):
    """How the nightly search may change this spec."""

    epsilon: float = Field(0.01, ge=0.0, le=1.0)
    gate_subsample: int = Field(120, ge=1, le=10_000)
    budget_usd: float = Field(1.0, ge=0.0, le=1000.0)
    budget_tokens: int = Field(200_000, ge=0, le=100_000_000)
    max_sessions: int = Field(10, ge=1, le=1000)
    stagnation_k: int = Field(5, ge=1, le=100)
    autonomy: Literal["auto", "review", "manual"] = "review"
    eligible: tuple[Eligibility, ...] = (
        "feedback",
        "error",
        "tool_failure",
        "timeout",
        "bench_failure",
    )
    max_system_prompt_chars: int = Field(2000, ge=1, le=20_000)
    max_few_shot: int = Field(8, ge=0, le=32)
    max_tool_description_chars: int = Field(400, ge=1, le=2000)
