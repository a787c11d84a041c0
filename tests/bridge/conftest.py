"""Fixtures for bridge tests: the local Bot API server, a running bridge, echo workers."""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import redis
from rq.registry import StartedJobRegistry

from hearth.bridge import TelegramBridge, serve
from hearth.edge_runtime import MemoryStore, Trace, chat_salt
from hearth.queue import (
    ReplyFinal,
    ReplyWriter,
    WorkerInfo,
    beat,
    clear_beat,
    mark_answered,
    rq_queue,
    worker_queue,
)
from hearth.settings import Settings
from tests.bridge.botapi import TOKEN, BotApiServer
from tests.conftest import free_port

OWNER = 1001
FRIEND = 1002
STRANGER = 6666


@pytest.fixture(autouse=True)
def _ptb_timedelta(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")


@pytest.fixture
async def botapi() -> AsyncIterator[BotApiServer]:
    """The local Bot API server."""
    async with BotApiServer() as server:
        yield server


def bridge_settings(home: Path, botapi: BotApiServer, **overrides: Any) -> Settings:
    """Settings for a bridge talking to the local Bot API."""
    values: dict[str, Any] = {
        "home": home, "telegram_bot_token": TOKEN, "telegram_api_url": botapi.url,
        "allowed_users": frozenset({OWNER, FRIEND}), "http_port": free_port(),
        "spec_secret": "test-spec-secret",
    }
    values.update(overrides)
    return Settings(**values)


class RunningBridge:
    """A bridge served in this event loop."""

    def __init__(self, settings: Settings, redis_url: str, **kwargs: Any) -> None:
        self.settings = settings
        self.redis_url = redis_url
        self.kwargs = kwargs
        self.bridge: TelegramBridge | None = None
        self.stop_event = asyncio.Event()
        self.task: asyncio.Task[None] | None = None

    @property
    def http(self) -> str:
        return f"http://127.0.0.1:{self.settings.http_port}"

    async def start(self) -> RunningBridge:
        self.stop_event = asyncio.Event()
        ready = asyncio.Event()

        def keep(bridge: TelegramBridge) -> None:
            self.bridge = bridge

        self.task = asyncio.create_task(serve(self.settings, self.redis_url,
                                              stop=self.stop_event, ready=ready,
                                              on_bridge=keep, **self.kwargs))
        waiter = asyncio.create_task(ready.wait())
        done, _ = await asyncio.wait({waiter, self.task}, timeout=30,
                                     return_when=asyncio.FIRST_COMPLETED)
        if self.task in done:
            self.task.result()
        assert waiter in done, "bridge did not start"
        return self

    async def stop(self) -> None:
        if self.task is not None:
            self.stop_event.set()
            await asyncio.wait_for(self.task, 30)
            self.task = None

    async def crash(self) -> None:
        """Cancel the in-process bridge (its `finally` runs: use `BridgeProcess` for crashes)."""
        if self.task is not None:
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.task
            self.task = None


@pytest.fixture
async def bridge_factory(home: Path, botapi: BotApiServer,
                         redis_url: str) -> AsyncIterator[Callable[..., RunningBridge]]:
    """`create(**settings_overrides)` -> RunningBridge (not started); all are stopped after."""
    made: list[RunningBridge] = []

    def create(serve_kwargs: dict[str, Any] | None = None, **overrides: Any) -> RunningBridge:
        running = RunningBridge(bridge_settings(home, botapi, **overrides), redis_url,
                                **(serve_kwargs or {}))
        made.append(running)
        return running

    yield create
    for running in made:
        await running.crash()


class BridgeProcess:
    """`hearth bridge` as a real process against the local Bot API; `kill` is SIGKILL."""

    def __init__(self, home: Path, botapi: BotApiServer, redis_url: str,
                 env: dict[str, str] | None = None) -> None:
        self.home, self.botapi, self.redis_url = home, botapi, redis_url
        self.port = free_port()
        self.env = {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "REDIS_URL": redis_url,
                    "HEARTH_HOME": str(home), "HEARTH_TELEGRAM_API_URL": botapi.url,
                    "HEARTH_ALLOWED_USERS": f"{OWNER},{FRIEND}",
                    "HEARTH_HTTP_PORT": str(self.port), "HEARTH_SPEC_SECRET": "test-spec-secret",
                    "PTB_TIMEDELTA": "true", **(env or {})}
        self.proc: subprocess.Popen[bytes] | None = None
        self.log = home / "bridge.log"

    @property
    def http(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self, timeout: float = 60) -> BridgeProcess:
        """Start it and wait until it polls Telegram."""
        polls = len([c for c in self.botapi.calls if c[0] == "getUpdates"])
        self.log = self.home / f"bridge-{uuid.uuid4().hex[:6]}.log"
        with open(self.log, "wb") as out:
            self.proc = subprocess.Popen([sys.executable, "-m", "hearth", "bridge"],
                                         env=self.env, stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while len([c for c in self.botapi.calls if c[0] == "getUpdates"]) <= polls:
            assert self.proc.poll() is None, f"bridge exited early:\n{self.output()}"
            assert time.monotonic() < deadline, f"bridge did not start:\n{self.output()}"
            await asyncio.sleep(0.05)
        return self

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def kill(self) -> None:
        """kill -9: no `finally`, no flush, nothing."""
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait(timeout=10)
            self.proc = None

    async def stop(self) -> None:
        """SIGTERM and wait (a clean stop)."""
        if self.proc is not None:
            self.proc.terminate()
            await asyncio.to_thread(self.proc.wait, 30)
            self.proc = None


@pytest.fixture
async def bridge_process(home: Path, botapi: BotApiServer,
                         redis_url: str) -> AsyncIterator[Callable[..., BridgeProcess]]:
    """`create(env=...)` -> BridgeProcess (not started); every one made is killed after."""
    made: list[BridgeProcess] = []

    def create(env: dict[str, str] | None = None) -> BridgeProcess:
        made.append(BridgeProcess(home, botapi, redis_url, env))
        return made[-1]

    yield create
    for process in made:
        process.kill()


# -- helpers for the bridge test files ------------------------------------------------------


class TimedCalls(list):  # type: ignore[type-arg]
    """`BotApiServer.calls` that also notes when each call arrived (time.monotonic)."""

    def __init__(self) -> None:
        super().__init__()
        self.times: list[float] = []

    def append(self, item: Any) -> None:
        self.times.append(time.monotonic())
        super().append(item)


@pytest.fixture(autouse=True)
def _timed_calls(botapi: BotApiServer) -> None:
    botapi.calls = TimedCalls()


def calls_of(botapi: BotApiServer, method: str,
             chat_id: int | None = None) -> list[tuple[float, dict[str, Any]]]:
    """(arrival time, params) of every call of `method` (to `chat_id`), oldest first."""
    calls = botapi.calls
    assert isinstance(calls, TimedCalls)
    return [(t, params) for t, (name, params) in zip(calls.times, calls, strict=True)
            if name == method and (chat_id is None or params.get("chat_id") == chat_id)]


def texts(botapi: BotApiServer, chat_id: int) -> list[str]:
    """The texts of the bot's messages in a chat, edits applied, oldest first."""
    return [m["text"] for m in botapi.sent_messages(chat_id)]


async def wait_texts(botapi: BotApiServer, chat_id: int, count: int, *,
                     timeout: float = 20, starting: str = "") -> list[str]:
    """Wait until the chat holds `count` whole bot messages that start with `starting`.

    A reply still streaming (its preview ends with " …") does not count yet.
    """
    def enough() -> list[str] | None:
        found = [t for t in texts(botapi, chat_id) if t.startswith(starting)]
        return found if len(found) >= count and not any(
            t.endswith(" …") for t in found) else None

    result: list[str] = await botapi.wait_for(enough, timeout=timeout)
    return result


async def wait_redis(predicate: Callable[[], Any], timeout: float = 10) -> Any:
    """Wait until `predicate()` (usually a Redis read) is truthy; return its value."""
    deadline = time.monotonic() + timeout
    while not (result := await asyncio.to_thread(predicate)):
        if time.monotonic() > deadline:
            raise TimeoutError(f"not met within {timeout} s")
        await asyncio.sleep(0.05)
    return result


async def metrics_of(running: RunningBridge) -> dict[str, float]:
    """The bridge's /metrics, parsed: sample name (with labels) -> value."""
    async with aiohttp.ClientSession() as session, session.get(
            f"{running.http}/metrics") as response:
        assert response.status == 200
        body = await response.text()
    samples: dict[str, float] = {}
    for line in body.splitlines():
        if line and not line.startswith("#"):
            name, value = line.rsplit(" ", 1)
            samples[name] = float(value)
    return samples


class HandWorker:
    """The test in the worker's place: a heartbeat, and replies written by hand.

    Chats get this worker as their home, so their messages wait on its queue
    (nobody takes them) and the test writes the reply streams itself.
    """

    def __init__(self, client: redis.Redis, worker_id: str = "hand") -> None:
        self.client = client
        self.worker_id = worker_id
        self._task: asyncio.Task[None] | None = None

    def beat(self) -> None:
        now = time.time()
        beat(self.client, WorkerInfo(worker_id=self.worker_id, host="test", pid=0,
                                     spec_id="spec-by-hand", model="by-hand", load=0,
                                     busy=False, started_at=now, last_seen=now))

    async def start(self) -> HandWorker:
        self.beat()

        async def keep_beating() -> None:
            while True:
                await asyncio.sleep(5)
                await asyncio.to_thread(self.beat)

        self._task = asyncio.create_task(keep_beating())
        return self

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        clear_beat(self.client, self.worker_id)

    async def message_ids(self, chat_id: int, count: int = 1, timeout: float = 10) -> list[str]:
        """The inbound message ids queued for a chat, oldest first, once `count` are."""
        def queued() -> list[str] | None:
            ids = [m.decode() for m in self.client.zrange(f"hearth:pending:{chat_id}", 0, -1)]
            return ids if len(ids) >= count else None

        result: list[str] = await wait_redis(queued, timeout)
        return result

    def writer(self, message_id: str, attempt: int = 1) -> ReplyWriter:
        return ReplyWriter(self.client, message_id, attempt)

    def answer(self, message_id: str, text: str, attempt: int = 1) -> None:
        """Write a whole reply at once (one final record), as a worker does."""
        self.writer(message_id, attempt).final(ReplyFinal(attempt=attempt, text=text))
        chat_id = message_id.split("-")[1] if message_id.startswith("tg-") else ""
        mark_answered(self.client, chat_id, message_id)


@pytest.fixture
async def hand_worker(rclient: redis.Redis) -> AsyncIterator[HandWorker]:
    worker = await HandWorker(rclient).start()
    yield worker
    await worker.stop()


def traces_of(home: Path, worker_id: str = "w1") -> dict[str, Trace]:
    """Every trace in a stopped worker's DuckDB file, by message id."""
    with MemoryStore(home / f"worker-{worker_id}.duckdb", chat_salt=chat_salt(home)) as memory:
        return {t.message_id: t for t in memory.traces.since(None)}


async def wait_idle(client: redis.Redis, worker_id: str = "w1", timeout: float = 20) -> None:
    """Wait until a worker's own queue is empty and it runs no job, twice in a row.

    Twice: RQ takes a job off the queue a moment before it enters the started
    registry, and a loaded machine widens that moment enough to look idle.
    """
    def idle() -> bool:
        queue = rq_queue(client, worker_queue(worker_id))
        return queue.count == 0 and StartedJobRegistry(queue=queue).count == 0

    def settled() -> bool:
        if not idle():
            return False
        time.sleep(0.25)
        return idle()

    await wait_redis(settled, timeout)
