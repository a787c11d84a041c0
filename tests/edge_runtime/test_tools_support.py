"""Small real implementations of the tools' plug points, shared by the tool tests.

`ListMemory` and `RecordingScheduler` implement our own `FactMemory` and
`ReminderScheduler` protocols in memory; they stand in for DuckDB and RQ,
which the tools never see.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from hearth.edge_runtime.tools import FactMemory, ReminderScheduler, ToolContext

#: Saturday 2025-03-29 21:00 in Berlin (CET), the evening before the DST change.
NOW = datetime(2025, 3, 29, 20, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Fact:
    id: int
    text: str
    kind: str = "fact"
    role: str | None = None


@dataclass(frozen=True)
class Said:
    role: str
    text: str


@dataclass
class ListMemory:
    """Facts and messages per chat in lists; search ranks facts by shared lowercase words."""

    facts: dict[str, list[Fact]] = field(default_factory=dict)
    searches: list[tuple[str, str, int]] = field(default_factory=list)
    messages: dict[str, list[Said]] = field(default_factory=dict)

    def say(self, chat_id: str, role: str, text: str) -> None:
        self.messages.setdefault(chat_id, []).append(Said(role, text))

    def history(self, chat_id: str, limit: int) -> list[Said]:
        return self.messages.get(chat_id, [])[-limit:]

    def add_fact(self, chat_id: str, text: str) -> int:
        facts = self.facts.setdefault(chat_id, [])
        fact = Fact(sum(len(v) for v in self.facts.values()) + 1, text)
        facts.append(fact)
        return fact.id

    def search(self, chat_id: str, query: str, k: int) -> list[Fact]:
        self.searches.append((chat_id, query, k))
        words = set(query.lower().split())
        facts = self.facts.get(chat_id, [])
        scored = [(len(words & set(f.text.lower().split())), f) for f in facts]
        return [f for score, f in sorted(scored, key=lambda p: -p[0]) if score][:k]


@dataclass
class RecordingScheduler:
    """Keeps what was scheduled, in order."""

    scheduled: list[tuple[str, datetime, str]] = field(default_factory=list)

    def schedule(self, chat_id: str, at: datetime, text: str) -> str:
        self.scheduled.append((chat_id, at, text))
        return f"reminder-{len(self.scheduled)}"


def make_ctx(
    *,
    now: datetime = NOW,
    timezone: str = "Europe/Berlin",
    memory: FactMemory | None = None,
    scheduler: ReminderScheduler | None = None,
    allowed_hosts: tuple[str, ...] = (),
    chat_id: str = "chat-1",
) -> ToolContext:
    """A context for chat-1 whose clock is stopped at `now`."""
    clock: Callable[[], datetime] = lambda: now  # noqa: E731
    return ToolContext(
        chat_id=chat_id,
        user_id="user-1",
        timezone=timezone,
        now=clock,
        memory=memory if memory is not None else ListMemory(),
        scheduler=scheduler if scheduler is not None else RecordingScheduler(),
        allowed_hosts=allowed_hosts,
    )


def test_support_implements_the_protocols() -> None:
    memory, scheduler = ListMemory(), RecordingScheduler()
    ctx = make_ctx(memory=memory, scheduler=scheduler)
    assert ctx.memory.add_fact("c", "the cat is called Miso") == 1
    assert [f.text for f in ctx.memory.search("c", "cat name", 5)] == ["the cat is called Miso"]
    assert ctx.scheduler.schedule("c", NOW, "x") == "reminder-1"
    assert ctx.now() == NOW
