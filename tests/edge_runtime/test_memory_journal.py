"""The memory journal: acknowledged writes survive SIGKILL, replay, reads before the flush."""

from __future__ import annotations

import math
import os
import random
import signal
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from hearth.edge_runtime._db import StorageError
from hearth.edge_runtime._index import rank
from hearth.edge_runtime._memory import MemoryStore, StoredMessage
from hearth.edge_runtime._traces import Trace
from tests.edge_runtime.test_memory import T0, assert_index_matches_docs, texts

#: Never flushes on its own: what the store holds is in the journal only.
HOLD = {"flush_batch": 10**9, "flush_idle_s": 3600.0}


def _in_file(store: MemoryStore, sql: str) -> int:
    with store.db.read() as con:
        row = con.execute(sql).fetchone()
    assert row is not None
    return int(row[0])


def _turn(store: MemoryStore, i: int, chat: str = "c") -> None:
    trace = Trace(message_id=f"m{i}", chat_hash=store.traces.chat_hash(chat), spec_id="s",
                  model="echo", user_text=f"question {i}", created_at=T0)
    store.add_messages_bulk(chat, [
        StoredMessage(message_id=f"m{i}", role="user", text=f"question {i} about pizza",
                      at=T0 + timedelta(minutes=i)),
        StoredMessage(message_id=f"m{i}", role="assistant", text=f"answer {i}",
                      at=T0 + timedelta(minutes=i))], trace)


def test_reads_see_journaled_turns_before_they_reach_the_file(tmp_path: Path) -> None:
    with MemoryStore(tmp_path / "w.duckdb", chat_salt="s", **HOLD) as store:
        for i in range(5):
            _turn(store, i)
        assert _in_file(store, "SELECT count(*) FROM docs") == 0  # all still in the journal
        assert texts(store.history("c", 2)) == ["question 4 about pizza", "answer 4"]
        hits = store.search("c", "question 3", 1)
        assert [h.message_id for h in hits] == ["m3"]
        fact = store.add_fact("c", "likes pizza with pineapple")
        assert store.search("c", "pineapple", 1)[0].text == "likes pizza with pineapple"
        _turn(store, 4)  # a retried job: stored once
        # A rare operation moves the journal into the file first.
        assert [f.id for f in store.facts("c")] == [fact]
        assert _in_file(store, "SELECT count(*) FROM docs") == 11
        assert store.traces.get("m2") is not None
        assert list(tmp_path.glob("w.duckdb.journal.*")) != []  # the new, empty segment
        assert_index_matches_docs(store)
    assert list(tmp_path.glob("w.duckdb.journal.*")) == []  # closed: all in the file


_WRITER = """
import sys
from pathlib import Path
from hearth.edge_runtime._memory import MemoryStore
from tests.edge_runtime.test_memory_journal import HOLD, _turn
hold = sys.argv[2] == "hold"
store = MemoryStore(Path(sys.argv[1]), chat_salt="s", **(HOLD if hold else {}))
for i in range(100_000):
    _turn(store, i)
    print(i, flush=True)
"""


@pytest.mark.parametrize("mode", ["hold", "flushing"])
def test_a_killed_worker_loses_no_acknowledged_turn(tmp_path: Path, mode: str) -> None:
    """Killed while writing the journal (and, flushing, while batches move into the file)."""
    path = tmp_path / "w.duckdb"
    child = subprocess.Popen([sys.executable, "-c", _WRITER, str(path), mode],
                             stdout=subprocess.PIPE, text=True,
                             env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    assert child.stdout is not None
    acknowledged = [int(child.stdout.readline()) for _ in range(random.randint(300, 600))]
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    child.stdout.close()
    if mode == "hold":
        assert list(tmp_path.glob("w.duckdb.journal.*"))  # the turns were in the journal only

    with MemoryStore(path, chat_salt="s", **HOLD) as store:  # replays the journal
        # The replayed segments are gone; only the new, current one is left.
        assert len(list(tmp_path.glob("w.duckdb.journal.*"))) == 1
        stored = _in_file(store, "SELECT count(*) FROM docs WHERE role = 'user'")
        assert stored >= len(acknowledged)  # replayed into the file, not just the journal
        history = store.history("c", 10**6)
        ids = {int(m.message_id[1:]) for m in history}
        assert set(acknowledged) <= ids and ids == set(range(len(ids)))  # no gaps
        assert len(history) == 2 * len(ids)  # both turns of each, never one twice
        assert store.traces.get(f"m{acknowledged[-1]}") is not None
        assert store.search("c", f"question {acknowledged[-1]}", 1)[0].message_id == (
            f"m{acknowledged[-1]}")
        _turn(store, 10**6)
        store.flush()
        assert_index_matches_docs(store)


def test_an_incomplete_last_line_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    with MemoryStore(path, chat_salt="s", **HOLD) as store:
        _turn(store, 0)
        segment = store._journal.segments()[-1]
        lines = segment.read_bytes()
        # Kill the process by hand: no close, so the journal stays as it is.
        store._closing.set()
        store._journal.close()  # keeps the segment: it has a line
        store.db.close()
    segment.write_bytes(lines + b'{"chat": "c", "docs": [[99, "us')
    with MemoryStore(path, chat_salt="s") as store:
        assert texts(store.history("c", 10)) == ["question 0 about pizza", "answer 0"]


def test_in_memory_ranking_is_the_sql_ranking(tmp_path: Path) -> None:
    rng = random.Random(3)
    words = ["pizza", "train", "garden", "rome", "dentist", "piano", "snow", "tea", "lamp"]
    with MemoryStore(tmp_path / "w.duckdb", chat_salt="s", **HOLD) as store:
        store.add_messages_bulk("c", [
            StoredMessage(message_id=f"m{i}", role="user", text=" ".join(rng.choices(words, k=5)),
                          at=T0 + timedelta(days=i)) for i in range(300)])
        for i in range(5):
            store.add_fact("c", f"{words[i]} {words[i + 1]}")
        queries = [" ".join(rng.choices(words, k=2)) for _ in range(20)]
        in_memory = [{h.text: round(h.score, 9) for h in store.search("c", q, 5)} for q in queries]
        store.flush()
        with store.db.read() as con:
            for q, found in zip(queries, in_memory, strict=True):
                expected = rank(con, "c", q, 5)
                assert sorted(round(s, 9) for s in expected.values()) == sorted(found.values())


def test_the_turn_and_growth_benchmarks_run(tmp_path: Path) -> None:
    from benchmarks.perf_suite import growth_benchmarks

    [result] = growth_benchmarks(sizes=(200, 2_000), turns=20, out=tmp_path)
    points = result.details["points"]
    assert [p["file_messages"] for p in points] == [200, 2_000]
    assert all(0 < p["own_p50_ms"] <= p["own_p99_ms"] and p["turns_per_s"] > 0 for p in points)
    assert result.goal == pytest.approx(math.log(2_000) / math.log(200))
    assert "| 2,000 (200) |" in (tmp_path / "growth.md").read_text()
    assert (tmp_path / "growth.png").read_bytes().startswith(b"\x89PNG")


def test_a_file_opens_once_per_process(tmp_path: Path) -> None:
    with MemoryStore(tmp_path / "w.duckdb", chat_salt="s") as store:
        _turn(store, 0)
        with pytest.raises(StorageError, match="already open in this process"):
            MemoryStore(tmp_path / "w.duckdb", chat_salt="s")
        assert len(store.history("c", 5)) == 2  # the first store is unharmed
    with MemoryStore(tmp_path / "w.duckdb", chat_salt="s") as again:
        assert len(again.history("c", 5)) == 2
