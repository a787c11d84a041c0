"""The worker's DuckDB memory, against real files: history, facts, search, moves, crashes."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from hearth.bench._memory_bench import retrieval_benchmark
from hearth.edge_runtime._db import StorageError
from hearth.edge_runtime._memory import MemoryStore, StoredMessage
from hearth.edge_runtime._traces import Trace
from hearth.errors import PayloadInvalid

T0 = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
Opener = Callable[..., MemoryStore]


@pytest.fixture
def open_store(tmp_path: Path) -> Iterator[Opener]:
    """Opens stores on files under tmp_path and closes them all at the end."""
    opened: list[MemoryStore] = []

    def _open(name: str = "worker-1.duckdb") -> MemoryStore:
        store = MemoryStore(tmp_path / name, chat_salt="test-salt")
        opened.append(store)
        return store

    yield _open
    for store in opened:
        store.close()


def add(store: MemoryStore, chat: str, n: int, *, start: int = 0, text: str = "message") -> None:
    for i in range(start, start + n):
        role = "user" if i % 2 == 0 else "assistant"
        store.add_message(chat, role, f"{text} {i}", message_id=f"m{i}", at=T0 + timedelta(hours=i))


def texts(messages: list[StoredMessage]) -> list[str]:
    return [m.text for m in messages]


def test_history_is_the_last_messages_oldest_first_until_reset(open_store: Opener) -> None:
    store = open_store()
    add(store, "chat-a", 5)
    assert texts(store.history("chat-a", 3)) == ["message 2", "message 3", "message 4"]
    assert [m.role for m in store.history("chat-a", 2)] == ["assistant", "user"]
    assert store.history("chat-a", 0) == [] and store.history("nobody", 5) == []
    assert store.history("chat-a", 1)[0].at == T0 + timedelta(hours=4)

    store.reset("chat-a")
    assert store.history("chat-a", 10) == []
    add(store, "chat-a", 1, start=5, text="after reset")
    assert texts(store.history("chat-a", 10)) == ["after reset 5"]
    # The reset clears the window, not long-term memory: old messages are still found.
    found = store.search("chat-a", "message", 10)
    assert [h.text for h in found] == [f"message {i}" for i in (4, 3, 2, 1, 0)]


def test_adding_a_message_again_changes_nothing(open_store: Opener) -> None:
    store = open_store()
    for _ in range(3):
        store.add_message("c", "user", "hello there", message_id="42", at=T0)
    store.add_message("c", "assistant", "hi!", message_id="42", at=T0)
    assert [(m.message_id, m.role) for m in store.history("c", 10)] == [
        ("42", "user"),
        ("42", "assistant"),
    ]
    again = [StoredMessage(message_id="42", role="user", text="hello there", at=T0)]
    fresh = [StoredMessage(message_id="43", role="user", text="new", at=T0)] * 2
    assert store.add_messages_bulk("c", again + fresh) == 1
    assert len(store.history("c", 10)) == 3
    # The same message id in another chat is another message.
    store.add_message("d", "user", "hello there", message_id="42", at=T0)
    assert len(store.history("d", 10)) == 1
    assert store.chat_ids() == ["c", "d"]


def test_facts_are_listed_and_deleted_per_chat(open_store: Opener) -> None:
    store = open_store()
    first = store.add_fact("c", "Birthday is on May 4")
    second = store.add_fact("c", "Allergic to peanuts")
    assert first != second
    assert [(f.id, f.text) for f in store.facts("c")] == [
        (first, "Birthday is on May 4"),
        (second, "Allergic to peanuts"),
    ]
    assert store.facts("other") == []
    assert not store.delete_fact("other", first)  # not that chat's fact
    assert not store.delete_fact("c", 10_000)
    assert store.delete_fact("c", first)
    assert not store.delete_fact("c", first)
    assert [f.text for f in store.facts("c")] == ["Allergic to peanuts"]
    assert store.search("c", "birthday", 5) == []


def test_facts_then_newer_messages_win_at_equal_relevance(open_store: Opener) -> None:
    store = open_store()
    text = "The spare key is under the blue flowerpot"
    store.add_fact("c", text)
    # Both messages are newer than the fact, so they have the larger recency boost.
    at = datetime.now(UTC) + timedelta(days=1)
    store.add_message("c", "user", text, message_id="new", at=at)
    store.add_message("c", "user", text, message_id="old", at=at - timedelta(days=60))
    hits = store.search("c", "where is the spare key?", 3)
    assert [(h.kind, h.message_id) for h in hits] == [
        ("fact", None),
        ("message", "new"),
        ("message", "old"),
    ]
    assert hits[0].score > hits[1].score > hits[2].score > 0
    assert hits[1].role == "user" and hits[0].role is None


def test_search_ranks_the_relevant_message_first_among_1000(open_store: Opener) -> None:
    store = open_store()
    rng = random.Random(3)
    words = ("sister", "live", "dentist", "train", "pizza", "weekend", "garden", "work", "city",
             "lisbon", "brother", "call", "tomorrow", "doctor", "visit", "house")  # fmt: skip
    distractors = [
        StoredMessage(
            message_id=f"d{i}",
            role="user" if i % 2 else "assistant",
            text=" ".join(rng.choices(words, k=8)) + (" alice" if i % 50 == 0 else ""),
            at=T0 + timedelta(minutes=i),
        )
        for i in range(1_000)
    ]
    store.add_messages_bulk("c", distractors[:500])
    needle = "My sister Alice lives in Porto and works as a dentist"
    store.add_message("c", "user", needle, message_id="needle", at=T0)
    store.add_messages_bulk("c", distractors[500:])

    hits = store.search("c", "Where does Alice, my sister, live?", 3)
    assert "needle" in [h.message_id for h in store.search("c", "alice", 30)]
    assert hits[0].message_id == "needle"
    assert len(hits) == 3
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    # Messages already in the prompt are left out, and the rest move up.
    query = "Where does Alice, my sister, live?"
    after = store.search("c", query, 3, exclude_message_ids=["needle"])
    assert [h.message_id for h in after][:2] == [h.message_id for h in hits][1:]
    assert store.search("c", "the and of is", 3) == []  # stopwords only
    assert store.search("nobody", "alice", 3) == []


def test_forget_deletes_everything_about_the_chat(open_store: Opener) -> None:
    store = open_store()
    for chat in ("secret-chat", "other-chat"):
        add(store, chat, 4, text=f"zebracode {chat}")
        store.add_fact(chat, f"fact about {chat} quokka")
        h = store.traces.chat_hash(chat)
        store.traces.record(Trace(message_id=f"{chat}-m0", chat_hash=h, spec_id="s", model="m"))
    store.reset("secret-chat")
    store.forget("secret-chat")

    assert store.chat_ids() == ["other-chat"]
    assert store.history("secret-chat", 10) == [] and store.facts("secret-chat") == []
    assert store.search("secret-chat", "zebracode quokka", 10) == []
    assert len(store.search("other-chat", "zebracode quokka", 10)) == 5
    assert [t.message_id for t in store.traces.since(None)] == ["other-chat-m0"]
    # Every table, every text column: nothing mentions the forgotten chat any more.
    secret_hash = store.traces.chat_hash("secret-chat")
    with store.db.read() as con:
        tables = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()]
        assert sorted(tables) == ["chats", "docs", "meta", "postings", "traces"]
        for table in tables:
            for row in con.execute(f"SELECT * FROM {table}").fetchall():
                cells = " ".join(str(c) for c in row)
                assert "secret" not in cells and secret_hash not in cells, (table, row)
        counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone() for t in tables}
    assert counts["docs"] == (5,) and counts["chats"] == (1,) and counts["traces"] == (1,)


def test_export_import_moves_a_chat_to_another_file(open_store: Opener) -> None:
    source, target = open_store("worker-a.duckdb"), open_store("worker-b.duckdb")
    add(source, "c", 6, text="trip to kyoto")
    source.reset("c")
    add(source, "c", 3, start=6, text="ramen in kyoto")
    source.add_fact("c", "Prefers window seats on trains to kyoto")
    data = source.export_chat("c")
    assert data["schema_version"] == 1 and json.loads(json.dumps(data)) == data

    add(target, "c", 2, text="stale memory that the import replaces")
    target.add_fact("c", "stale fact")
    target.import_chat(data)
    assert target.history("c", 50) == source.history("c", 50)
    assert len(target.history("c", 50)) == 3
    assert [(f.text, f.at) for f in target.facts("c")] == [
        (f.text, f.at) for f in source.facts("c")
    ]
    for query in ("kyoto", "ramen", "window seat", "trip"):
        got, want = target.search("c", query, 5), source.search("c", query, 5)
        assert [(h.kind, h.text, h.message_id) for h in got] == [
            (h.kind, h.text, h.message_id) for h in want
        ]
        assert [h.score for h in got] == pytest.approx([h.score for h in want])
    assert target.export_chat("c") == data
    assert target.search("c", "stale", 5) == []

    with pytest.raises(PayloadInvalid, match="messages"):
        target.import_chat({**data, "messages": [{"role": "robot"}]})
    with pytest.raises(PayloadInvalid, match="upgrade Hearth"):
        target.import_chat({**data, "schema_version": 99})
    assert target.export_chat("c") == data  # a refused import changes nothing


def test_eight_threads_at_once_lose_nothing(open_store: Opener) -> None:
    store = open_store()

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


def test_data_survives_close_and_reopen(open_store: Opener, tmp_path: Path) -> None:
    with MemoryStore(tmp_path / "w.duckdb", chat_salt="s") as store:
        add(store, "c", 3)
        fact = store.add_fact("c", "likes tea")
    with pytest.raises(StorageError, match="closed"):
        store.history("c", 3)
    again = open_store("w.duckdb")
    assert texts(again.history("c", 5)) == ["message 0", "message 1", "message 2"]
    assert again.facts("c")[0].id == fact
    assert again.add_fact("c", "likes coffee") > fact  # ids are never handed out twice
    assert again.db.schema_version == 1


def test_the_retrieval_benchmark_runs(tmp_path: Path) -> None:
    result = retrieval_benchmark(tmp_path / "bench.duckdb", n_messages=2_000, n_queries=20)
    assert result["messages"] == 2_000
    assert 0 < result["search_p50_ms"] <= result["search_p95_ms"] <= result["search_max_ms"]


def test_a_file_from_a_newer_hearth_is_refused(tmp_path: Path) -> None:
    MemoryStore(tmp_path / "w.duckdb", chat_salt="s").close()
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        con.execute("UPDATE meta SET value = 2 WHERE key = 'schema_version'")
    with pytest.raises(StorageError, match="schema version 2"):
        MemoryStore(tmp_path / "w.duckdb", chat_salt="s")


_WRITER = """
import sys
from concurrent.futures import ThreadPoolExecutor
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
