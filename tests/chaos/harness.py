"""The pieces every chaos scenario uses: real processes, a tracker of what Telegram shows."""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import redis

from hearth.queue import EmbeddedRedis
from tests.bridge.botapi import BotApiServer
from tests.bridge.conftest import BridgeProcess, TimedCalls
from tests.conftest import free_port
from tests.workers import WorkerProc, make_worker

#: What a part sent again after a bridge restart starts with.
RESENT_MARK = "(sent again after a restart)"


@dataclass
class Row:
    """One line of the chaos table."""

    scenario: str
    messages: int
    lost: int = 0
    marked: int = 0
    unmarked: int = 0
    max_delay_s: float = 0.0
    #: Chats whose replies came in another order than their messages (a failure).
    reordered: int = 0
    notes: list[str] = field(default_factory=list)


class Tracker:
    """What was sent to the bot, and when each reply first showed up whole."""

    def __init__(self, botapi: BotApiServer) -> None:
        self.botapi = botapi
        self.pushed: dict[int, list[str]] = {}
        self.sent_at: dict[tuple[int, str], float] = {}
        self.seen_at: dict[tuple[int, str], float] = {}

    def push(self, chat: int, text: str) -> None:
        self.botapi.push_text(chat, chat, text)
        self.pushed.setdefault(chat, []).append(text)
        self.sent_at[(chat, text)] = time.monotonic()

    @staticmethod
    def _read(text: str) -> tuple[str | None, bool, bool]:
        """(the question a bot message answers, marked, still a preview)."""
        marked = text.startswith(RESENT_MARK)
        body = text.removeprefix(RESENT_MARK).lstrip("\n")
        preview = body.endswith(" …")
        body = body.removesuffix(" …")
        return (body.removeprefix("echo: ") if body.startswith("echo: ") else None,
                marked, preview)

    def scan(self) -> int:
        """Note replies seen for the first time; how many questions still wait."""
        now = time.monotonic()
        for chat in self.pushed:
            for message in self.botapi.sent_messages(chat):
                question, _, preview = self._read(message["text"])
                if question is not None and not preview:
                    self.seen_at.setdefault((chat, question), now)
        return len(self.sent_at) - len(self.seen_at)

    async def wait(self, idle_s: float, *, cap_s: float = 1800.0) -> None:
        """Wait until every reply is seen, or none came for `idle_s` (the rest are lost).

        Progress, not a fixed time, ends the wait: on a loaded machine the
        workers may still be draining a backlog long after the chaos stopped.
        """
        deadline = time.monotonic() + cap_s
        waiting, last_progress = self.scan(), time.monotonic()
        while waiting and time.monotonic() < deadline:
            await asyncio.sleep(0.25)
            now_waiting = self.scan()
            if now_waiting < waiting:
                waiting, last_progress = now_waiting, time.monotonic()
            elif time.monotonic() - last_progress > idle_s:
                break

    def row(self, scenario: str) -> Row:
        row = Row(scenario, messages=len(self.sent_at))
        for chat, questions in self.pushed.items():
            unmarked: dict[str, int] = {}
            marked: dict[str, int] = {}
            order: list[str] = []
            for message in self.botapi.sent_messages(chat):
                question, is_marked, preview = self._read(message["text"])
                if question is None:
                    continue
                counts = marked if is_marked else unmarked
                counts[question] = counts.get(question, 0) + 1
                if not is_marked and not preview:
                    order.append(question)
            for question in questions:
                plain, again = unmarked.get(question, 0), marked.get(question, 0)
                if (chat, question) not in self.seen_at:
                    row.lost += 1
                    if row.lost <= 3:
                        row.notes.append(f"lost: {question!r} in chat {chat}")
                row.unmarked += max(0, plain - 1)
                row.marked += again if plain else max(0, again - 1)
            expected = [q for q in questions if q in order]
            if [q for q in order if q in questions] != expected:
                row.reordered += 1
        delays = [self.seen_at[k] - self.sent_at[k] for k in self.seen_at if k in self.sent_at]
        row.max_delay_s = max(delays, default=0.0)
        return row


class Rig:
    """Valkey (AOF on disk), the local Bot API, a bridge process and echo worker processes."""

    def __init__(self, root: Path, chats: list[int], *, workers: int = 1,
                 word_delay_s: float = 0.0) -> None:
        self.root = root
        self.chats = chats
        self.home = root / "home"
        self.home.mkdir(parents=True, exist_ok=True)
        self.redis_port = free_port()
        self.redis = EmbeddedRedis(root / "redis", persist=True, port=self.redis_port)
        self.botapi = BotApiServer()
        self.worker_count = workers
        self.word_delay_s = word_delay_s
        self.workers: list[WorkerProc] = []
        self.bridge: BridgeProcess | None = None
        self.client: redis.Redis | None = None

    @contextlib.asynccontextmanager
    async def running(self, *, start_workers: bool = True) -> AsyncIterator[Rig]:
        self.redis.start()
        self.client = redis.Redis.from_url(self.redis.url)
        await self.botapi.start()
        self.botapi.calls = TimedCalls()
        env = {"HEARTH_ECHO_WORD_DELAY_S": str(self.word_delay_s), "HEARTH_LOG_LEVEL": "WARNING"}
        for i in range(self.worker_count):
            worker_home = self.home / f"w{i + 1}"
            worker_home.mkdir(exist_ok=True)
            self.workers.append(make_worker(worker_home, self.redis.url, f"w{i + 1}",
                                            engine="echo", extra_env=env))
        self.bridge = BridgeProcess(self.home, self.botapi, self.redis.url, env={
            "HEARTH_ALLOWED_USERS": ",".join(str(c) for c in self.chats),
            "HEARTH_MAX_PENDING_PER_CHAT": "1000", "HEARTH_LOG_LEVEL": "WARNING"})
        try:
            if start_workers:
                for worker in self.workers:
                    await asyncio.to_thread(worker.start, self.client)
            await self.bridge.start()
            yield self
        finally:
            if self.bridge is not None:
                self.bridge.kill()
            for worker in self.workers:
                if worker.proc is not None:
                    worker.proc.kill()
                    worker.proc.wait(timeout=10)
            await self.botapi.stop()
            self.client.close()
            self.redis.kill()

    async def restart_bridge(self) -> None:
        assert self.bridge is not None
        self.bridge.kill()
        await self.bridge.start()

    async def restart_worker(self, worker: WorkerProc) -> None:
        if worker.proc is not None:
            worker.kill()
        await asyncio.to_thread(worker.start, self.client)

    async def restart_redis(self, down_s: float) -> None:
        self.redis.kill()
        await asyncio.sleep(down_s)
        self.redis = EmbeddedRedis(self.root / "redis", persist=True, port=self.redis_port)
        await asyncio.to_thread(self.redis.start)


async def push_all(tracker: Tracker, chats: list[int], per_chat: int, rate_per_s: float,
                   tag: str) -> None:
    """Send `per_chat` messages in every chat, round-robin, at about `rate_per_s`."""
    for i in range(per_chat):
        for chat in chats:
            tracker.push(chat, f"{tag}{i}c{chat}")
            await asyncio.sleep(1.0 / rate_per_s)


async def at_random_times(count: int, within_s: float, action: object,
                          rng: random.Random) -> None:
    """Run `action()` (a coroutine function) `count` times at random points of `within_s`."""
    times = sorted(rng.uniform(0.5, within_s) for _ in range(count))
    began = time.monotonic()
    for at in times:
        await asyncio.sleep(max(0.0, began + at - time.monotonic()))
        await action()  # type: ignore[operator]
