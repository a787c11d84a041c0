"""The worker's own cost per turn (issue 14): everything but the model.

A real `EdgeRuntime` with the echo engine (instant replies), a real DuckDB file
(`bench_fill`: `chat_messages` in the chat, `file_messages` in the file) and a
private Redis answers `turns` messages of one chat through `handle_chat`, one
after the other. Each memory step is timed where the runtime calls it (load
the history, retrieve, store both turns, write the trace); "own work" is their
sum per turn, the issue's measure. Reported beside it: the whole `handle_chat`
(Redis bookkeeping and the agent included) as ms/turn and turns/s, and the
background flushes of the journal into DuckDB (off the turn's path, but
sharing the cores).
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import redis

from benchmarks.bench_fill import CHAT, filled, vocabulary
from benchmarks.memory_bench import _percentile
from hearth.edge_runtime import EchoEngine, EdgeRuntime
from hearth.queue import EmbeddedRedis, Inbound
from hearth.specs import default_spec

#: The steps of a turn's memory work, in the order the runtime does them; "store"
#: is both turns, their indexing and the trace (one journal write).
STEPS = ("history", "retrieve", "store")
T = TypeVar("T")


def _timed(into: list[float], call: Callable[..., T]) -> Callable[..., T]:
    def wrapper(*args: Any, **kwargs: Any) -> T:
        began = time.perf_counter()
        try:
            return call(*args, **kwargs)
        finally:
            into.append((time.perf_counter() - began) * 1000)
    return wrapper


def _texts(n: int) -> list[str]:
    vocab = vocabulary()
    # Common and rare words mixed, as a user's message would be.
    return [f"what about the {vocab[i % 60]} and {vocab[(7 * i) % len(vocab)]} "
            f"near {vocab[(13 * i + 5) % len(vocab)]}" for i in range(n)]


def turn_benchmark(*, chat_messages: int = 100_000, file_messages: int = 1_000_000,
                   turns: int = 400, warmup: int = 20) -> dict[str, Any]:
    """Time `turns` turns after `warmup` untimed ones; numbers in ms unless named otherwise."""
    with tempfile.TemporaryDirectory(prefix="hearth-bench-turn-") as tmp:
        home = Path(tmp) / "home"
        fill_s = filled(home / "worker-bench.duckdb", chat_messages=chat_messages,
                        file_messages=file_messages)
        with EmbeddedRedis(Path(tmp) / "redis", persist=False) as server:
            client = redis.Redis.from_url(server.url)
            began = time.perf_counter()
            runtime = EdgeRuntime(worker_id="bench", home=home, client=client,
                                  spec=default_spec(), engine_factory=EchoEngine)
            open_ms = (time.perf_counter() - began) * 1000
            try:
                numbers = _run(runtime, turns, warmup)
            finally:
                runtime.close()
            client.close()
        numbers["file_mb"] = (home / "worker-bench.duckdb").stat().st_size / 1e6
    numbers.update(fill_s=fill_s, open_ms=open_ms, chat_messages=chat_messages,
                   file_messages=file_messages)
    return numbers


def _run(runtime: EdgeRuntime, turns: int, warmup: int) -> dict[str, Any]:
    memory = runtime.memory
    steps: dict[str, list[float]] = {s: [] for s in STEPS}
    memory.history = _timed(steps["history"], memory.history)  # type: ignore[method-assign]
    memory.search = _timed(steps["retrieve"], memory.search)  # type: ignore[method-assign]
    memory.add_messages_bulk = _timed(  # type: ignore[method-assign]
        steps["store"], memory.add_messages_bulk)
    flushes: list[float] = []
    memory.flush = _timed(flushes, memory.flush)  # type: ignore[method-assign]
    totals: list[float] = []
    texts = _texts(warmup + turns)
    began = first_turn_ms = 0.0
    for i, text in enumerate(texts):
        if i == warmup:
            for values in [*steps.values(), flushes]:
                values.clear()
            began = time.perf_counter()
        message = Inbound(message_id=f"turn-{i}", chat_id=CHAT, user_id="u", text=text,
                          channel="bench")
        start = time.perf_counter()
        status = runtime.handle_chat(message)
        totals.append((time.perf_counter() - start) * 1000)
        if i == 0:  # loads the chat's index from the file
            first_turn_ms = totals[0]
        if status != "ok":
            raise RuntimeError(f"turn {i} ended {status!r}, not 'ok'")
    wall_s = time.perf_counter() - began
    totals = sorted(totals[warmup:])
    own = sorted(sum(v) for v in zip(*(steps[s] for s in STEPS), strict=True))
    result: dict[str, Any] = {
        "turns": turns, "turns_per_s": turns / wall_s, "first_turn_ms": first_turn_ms,
        "own_p50_ms": statistics.median(own), "own_p99_ms": _percentile(own, 0.99),
        "turn_p50_ms": statistics.median(totals), "turn_p99_ms": _percentile(totals, 0.99),
    }
    # The batches moved into DuckDB in the background meanwhile (not in the turn).
    result["flushes"] = len(flushes)
    result["flush_p50_ms"] = statistics.median(flushes) if flushes else 0.0
    result["flush_ms_per_turn"] = sum(flushes) / turns
    for name in STEPS:
        values = sorted(steps[name])
        result[f"{name}_p50_ms"] = statistics.median(values)
        result[f"{name}_p95_ms"] = _percentile(values, 0.95)
        result[f"{name}_p99_ms"] = _percentile(values, 0.99)
    return result
