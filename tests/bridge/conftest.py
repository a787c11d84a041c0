"""Fixtures for bridge tests: the local Bot API server, a running bridge, echo workers."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from hearth.bridge import TelegramBridge, serve
from hearth.settings import Settings
from tests.bridge.botapi import TOKEN, BotApiServer
from tests.conftest import free_port
from tests.workers import WorkerProc, make_worker

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
        """Cancel the bridge without a clean shutdown path."""
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


@pytest.fixture
def echo_worker(home: Path, redis_url: str) -> Iterator[Callable[..., WorkerProc]]:
    """`create(worker_id)`: an echo-engine worker process, killed afterwards."""
    made: list[WorkerProc] = []

    def create(worker_id: str = "w1", **kwargs: Any) -> WorkerProc:
        worker = make_worker(home, redis_url, worker_id, engine=kwargs.pop("engine", "echo"),
                             **kwargs)
        made.append(worker)
        return worker

    yield create
    for worker in made:
        if worker.proc is not None:
            worker.proc.kill()
            worker.proc.wait(timeout=10)
