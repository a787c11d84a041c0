"""Fixtures for the edge worker tests: worker processes that clean up after themselves."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.workers import WorkerProc, make_worker


@pytest.fixture
def worker_factory(home: Path, redis_url: str) -> Iterator[Callable[..., WorkerProc]]:
    """Yields `create(worker_id, **kw)`; every worker made is stopped afterwards."""
    made: list[WorkerProc] = []

    def create(worker_id: str = "w1", **kwargs: Any) -> WorkerProc:
        worker = make_worker(kwargs.pop("home", home), redis_url, worker_id, **kwargs)
        made.append(worker)
        return worker

    yield create
    for worker in made:
        if worker.proc is not None:
            worker.proc.kill()
            worker.proc.wait(timeout=10)
