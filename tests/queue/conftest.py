"""Fixtures for the queue tests: an asyncio client, echo-engine workers that clean up."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import redis.asyncio as aioredis

from tests.workers import WorkerProc, make_worker


@pytest.fixture
def echo_worker(home: Path, redis_url: str) -> Iterator[Callable[..., WorkerProc]]:
    """`create(worker_id)`: an echo-engine `hearth worker` (not started); killed afterwards."""
    made: list[WorkerProc] = []

    def create(worker_id: str = "w1", **kwargs: Any) -> WorkerProc:
        worker = make_worker(home, redis_url, worker_id, engine="echo", **kwargs)
        made.append(worker)
        return worker

    yield create
    for worker in made:
        if worker.proc is not None:
            worker.proc.kill()
            worker.proc.wait(timeout=10)


@pytest.fixture
async def aclient(redis_url: str) -> AsyncIterator[aioredis.Redis]:
    """An asyncio client of the test server."""
    client = aioredis.Redis.from_url(redis_url)
    yield client
    await client.aclose()
