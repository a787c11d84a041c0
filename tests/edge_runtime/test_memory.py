"""The worker's DuckDB memory, against real files: history, facts, search, moves, crashes."""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

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


def assert_index_matches_docs(store: MemoryStore) -> None:
    """Term counts and chat statistics agree with the documents and postings."""
    with store.db.read() as con:
        assert con.execute(
            "SELECT count(*) FROM terms t FULL JOIN (SELECT chat_key, term, count(*) AS n "
            "FROM postings GROUP BY ALL) p USING (chat_key, term) WHERE t.df IS DISTINCT FROM p.n"
        ).fetchone() == (0,)
        assert con.execute(
            "SELECT count(*) FROM chats c LEFT JOIN (SELECT chat_key, count(*) AS n, sum(n_terms) "
            "AS t FROM docs GROUP BY ALL) USING (chat_key) WHERE (n_docs, n_terms) != (n, t)"
        ).fetchone() == (0,)


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
    assert_index_matches_docs(store)


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
        assert sorted(tables) == ["chats", "docs", "meta", "postings", "terms", "traces"]
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
    assert [f.model_dump(exclude={"id"}) for f in target.facts("c")] == [
        f.model_dump(exclude={"id"}) for f in source.facts("c")
    ]
    for query in ("kyoto", "ramen", "window seat", "trip"):
        got, want = target.search("c", query, 5), source.search("c", query, 5)
        assert [(h.kind, h.text, h.message_id) for h in got] == [
            (h.kind, h.text, h.message_id) for h in want
        ]
        assert [h.score for h in got] == pytest.approx([h.score for h in want])
    assert target.export_chat("c") == data
    assert target.search("c", "stale", 5) == []
    assert_index_matches_docs(target)

    with pytest.raises(PayloadInvalid, match="messages"):
        target.import_chat({**data, "messages": [{"role": "robot"}]})
    with pytest.raises(PayloadInvalid, match="upgrade Hearth"):
        target.import_chat({**data, "schema_version": 99})
    assert target.export_chat("c") == data  # a refused import changes nothing
