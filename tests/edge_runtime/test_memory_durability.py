"""The worker's DuckDB memory under stress: threads, reopening, a killed writer, old code."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import duckdb
import pytest

from benchmarks.memory_bench import retrieval_benchmark
from hearth.edge_runtime._db import StorageError
from hearth.edge_runtime._memory import MemoryStore
from tests.edge_runtime.test_memory import T0, add, assert_index_matches_docs, texts


@pytest.fixture
def store(tmp_path: Path) -> Iterator[MemoryStore]:
    with MemoryStore(tmp_path / "worker-1.duckdb", chat_salt="s") as memory:
        yield memory


def test_eight_threads_at_once_lose_nothing(store: MemoryStore) -> None:
    def work(n: int) -> None:
        for i in range(25):
            store.add_message(f"chat-{n}", "user", f"note {i}", message_id=f"{n}-{i}", at=T0)
            store.add_message("shared", "user", f"shared {n} {i}", message_id=f"{n}-{i}", at=T0)
            store.search("shared", f"shared {n}", 3)
            store.history(f"chat-{n}", 5)
            if i % 10 == 0:
                store.add_fact(f"chat-{n}", f"fact {i}")

    with ThreadPoolExecutor(8) as pool:
        for done in [pool.submit(work, n) for n in range(8)]:
            done.result()  # re-raises what failed in the thread
    assert len(store.history("shared", 10_000)) == 200
    for n in range(8):
        assert len(store.history(f"chat-{n}", 10_000)) == 25
        assert len(store.facts(f"chat-{n}")) == 3
    assert_index_matches_docs(store)


def test_data_survives_reopen_unless_from_a_newer_hearth(tmp_path: Path) -> None:
    with MemoryStore(tmp_path / "w.duckdb", chat_salt="s") as store:
        add(store, "c", 3)
        fact = store.add_fact("c", "likes tea")
    with pytest.raises(StorageError, match="closed"):
        store.history("c", 3)
    with MemoryStore(tmp_path / "w.duckdb", chat_salt="s") as again:
        assert texts(again.history("c", 5)) == ["message 0", "message 1", "message 2"]
        assert again.facts("c")[0].id == fact
        assert again.add_fact("c", "likes coffee") > fact  # ids are never handed out twice
        assert again.db.schema_version == 1
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        con.execute("UPDATE meta SET value = 2 WHERE key = 'schema_version'")
    with pytest.raises(StorageError, match="schema version 2"):
        MemoryStore(tmp_path / "w.duckdb", chat_salt="s")


def test_the_retrieval_benchmark_runs(tmp_path: Path) -> None:
    result = retrieval_benchmark(tmp_path / "bench.duckdb", n_messages=2_000, n_queries=20)
    assert result["messages"] == 2_000
    assert 0 < result["search_p50_ms"] <= result["search_p95_ms"] <= result["search_max_ms"]


_WRITER = """
import sys
from datetime import UTC, datetime
from pathlib import Path
from hearth.edge_runtime._memory import MemoryStore
store = MemoryStore(Path(sys.argv[1]), chat_salt="s")
for i in range(100_000):
    store.add_message("c", "user", f"crash test line {i} " * 20, message_id=str(i),
                      at=datetime.now(UTC))
    print(i, flush=True)
"""


def test_a_killed_writer_leaves_every_committed_message(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    child = subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(path)], stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    committed = [int(child.stdout.readline()) for _ in range(300)]
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    child.stdout.close()

    with MemoryStore(path, chat_salt="s") as store:
        stored = {int(m.message_id) for m in store.history("c", 1_000_000)}
        assert set(committed) <= stored
        assert stored == set(range(len(stored)))  # no gaps, no half-written record
        hits = store.search("c", f"line {committed[-1]}", 1)
        assert hits and hits[0].message_id == str(committed[-1])
        store.add_message("c", "user", "still writable", message_id="after", at=T0)
        assert_index_matches_docs(store)
