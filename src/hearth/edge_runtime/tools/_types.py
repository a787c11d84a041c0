"""What every tool sees and returns: the call context, the result, the definition.

The context carries the plug points a tool needs (long-term memory, the
reminder scheduler) as `Protocol`s, so the tools never import the DuckDB
memory or RQ and tests can pass small real implementations.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo


class RecalledFact(Protocol):
    """One item found by `FactMemory.search`; only its text is shown to the model."""

    @property
    def text(self) -> str:
        """The remembered text."""
        ...

    @property
    def kind(self) -> str:
        """"fact" for something remembered on purpose, "message" for a past message."""
        ...

    @property
    def role(self) -> str | None:
        """Who wrote a past message ("user" or "assistant"); None for a fact."""
        ...


class SaidMessage(Protocol):
    """One message of a chat's history, as `FactMemory.history` returns it."""

    @property
    def role(self) -> str:
        """"user" or "assistant"."""
        ...

    @property
    def text(self) -> str:
        """What was said."""
        ...


class FactMemory(Protocol):
    """Long-term facts of a chat (implemented by the worker's DuckDB memory)."""

    def history(self, chat_id: str, limit: int) -> Sequence[SaidMessage]:
        """The chat's last `limit` messages, oldest first."""
        ...

    def add_fact(self, chat_id: str, text: str) -> int:
        """Store `text` for `chat_id` and return the new fact's id."""
        ...

    def search(self, chat_id: str, query: str, k: int) -> Sequence[RecalledFact]:
        """The at most `k` facts of `chat_id` most relevant to `query`, best first."""
        ...


class ReminderScheduler(Protocol):
    """Schedules a message back to a chat (implemented over RQ's scheduling)."""

    def schedule(self, chat_id: str, at: datetime, text: str) -> str:
        """Deliver `text` to `chat_id` at `at` (aware, UTC); return the reminder's id."""
        ...


@dataclass(frozen=True)
class ToolContext:
    """Who is asking, when, and what the tools may touch for this one message."""

    chat_id: str
    user_id: str
    timezone: str
    """IANA time zone name of the user, e.g. Europe/Berlin."""
    now: Callable[[], datetime]
    """Returns the current time, timezone-aware (UTC)."""
    memory: FactMemory
    scheduler: ReminderScheduler
    allowed_hosts: tuple[str, ...] = ()
    """Hosts (or host:port) that user HTTP tools may reach: `tools.allowed_hosts`."""

    def today(self) -> date:
        """The user's date now, in their time zone."""
        return self.now().astimezone(ZoneInfo(self.timezone)).date()


@dataclass(frozen=True)
class ToolResult:
    """The outcome of one tool call.

    `content` is what the model sees; `data` is structured detail for traces.
    """

    ok: bool
    content: str
    data: dict[str, Any] = field(default_factory=dict)


ToolFunction = Callable[[dict[str, Any], ToolContext], ToolResult]
"""A tool's implementation: validated arguments and the context in, a result out."""


@dataclass(frozen=True)
class ToolDefinition:
    """A callable tool: its name, what the model is told about it, and its code."""

    name: str
    description: str
    parameters: Mapping[str, Any]
    """OpenAI-style JSON schema of the arguments (an object schema)."""
    run: ToolFunction

    def schema(self) -> dict[str, Any]:
        """The OpenAI function schema the model is shown."""
        return {
            "type": "function",
            "function": {
                "name": self.name,
                "description": self.description,
                "parameters": dict(self.parameters),
            },
        }
