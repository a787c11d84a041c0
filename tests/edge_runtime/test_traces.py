"""Traces in the worker's DuckDB file: record, feedback, reading since a time, retention."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from hearth.edge_runtime._memory import MemoryStore
from hearth.edge_runtime._traces import ToolCall, Trace, TraceStore, chat_hash

T0 = datetime(2025, 5, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[MemoryStore]:
    with MemoryStore(tmp_path / "worker-1.duckdb", chat_salt="install-salt") as memory:
        yield memory


def make(traces: TraceStore, message_id: str, *, chat: str = "12345", **fields: object) -> Trace:
    values: dict[str, object] = {
        "message_id": message_id,
        "chat_hash": traces.chat_hash(chat),
        "spec_id": "spec-1",
        "model": "smollm2-360m",
        "created_at": T0,
        **fields,
    }
    return Trace.model_validate(values)


def test_a_trace_comes_back_as_recorded(store: MemoryStore) -> None:
    trace = make(
        store.traces,
        "tg:1",
        queue_wait_ms=3.5,
        first_token_ms=120.0,
        total_ms=900.25,
        prompt_tokens=210,
        completion_tokens=40,
        tokens_per_s=51.2,
        tool_calls=[
            ToolCall(name="calculator", arguments={"expression": "1234*5678"}, result="7006652"),
            ToolCall(name="clock", arguments={}, result="no such zone", ok=False),
        ],
        status="truncated",
        category="arithmetic",
        user_text="what is 1234*5678?",
        reply_text="7006652",
    )
    store.traces.record(trace)
    assert store.traces.get("tg:1") == trace
    assert store.traces.since(None) == [trace]
    assert store.traces.get("nope") is None
    failed = make(store.traces, "tg:2", status="error", error="ModelLoadError: no file")
    store.traces.record(failed)
    assert store.traces.get("tg:2") == failed


def test_a_retried_job_replaces_its_trace(store: MemoryStore) -> None:
    store.traces.record(make(store.traces, "tg:1", status="error", error="killed"))
    store.traces.record(make(store.traces, "tg:1", status="ok", reply_text="done"))
    [only] = store.traces.since(None)
    assert (only.status, only.error, only.reply_text) == ("ok", None, "done")


def test_feedback_lands_on_the_message_it_is_about(store: MemoryStore) -> None:
    store.traces.record(make(store.traces, "tg:1"))
    store.traces.record(make(store.traces, "tg:2"))
    assert store.traces.set_feedback("tg:1", "down")
    assert store.traces.set_feedback("tg:2", "bad")
    assert store.traces.set_feedback("tg:2", "up")  # the user changed their mind
    assert not store.traces.set_feedback("tg:unknown", "up")
    feedback = {t.message_id: t.feedback for t in store.traces.since(None)}
    assert feedback == {"tg:1": "down", "tg:2": "up"}


def test_since_and_retention(store: MemoryStore) -> None:
    for day in range(5):
        store.traces.record(make(store.traces, f"d{day}", created_at=T0 + timedelta(days=day)))
    assert [t.message_id for t in store.traces.since(T0 + timedelta(days=3))] == ["d3", "d4"]
    # Times in another zone mean the same instant.
    berlin = (T0 + timedelta(days=3)).astimezone(timezone(timedelta(hours=2)))
    assert [t.message_id for t in store.traces.since(berlin)] == ["d3", "d4"]
    assert store.traces.since(None)[0].created_at == T0
    assert store.traces.delete_older_than(T0 + timedelta(days=2)) == 2
    assert [t.message_id for t in store.traces.since(None)] == ["d2", "d3", "d4"]
    assert store.traces.delete_older_than(T0) == 0


def test_chats_are_named_by_a_salted_hash_only(store: MemoryStore, tmp_path: Path) -> None:
    assert chat_hash("12345", "install-salt") == store.traces.chat_hash("12345")
    assert chat_hash("12345", "other-salt") != store.traces.chat_hash("12345")
    assert store.traces.chat_hash("12345") != store.traces.chat_hash("12346")
    store.traces.record(make(store.traces, "m1", chat="98765432"))
    with store.db.read() as con:
        cells = " ".join(str(c) for c in con.execute("SELECT * FROM traces").fetchall())
    assert "98765432" not in cells


def test_forgetting_a_chat_deletes_its_traces_only(store: MemoryStore) -> None:
    store.traces.record(make(store.traces, "a1", chat="chat-a"))
    store.traces.record(make(store.traces, "a2", chat="chat-a"))
    store.traces.record(make(store.traces, "b1", chat="chat-b"))
    store.forget("chat-a")
    assert [t.message_id for t in store.traces.since(None)] == ["b1"]


def test_traces_persist_across_reopen(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    with MemoryStore(path, chat_salt="s") as memory:
        memory.traces.record(make(memory.traces, "tg:9", total_ms=12.0))
    with MemoryStore(path, chat_salt="s") as memory:
        assert memory.traces.get("tg:9") == make(memory.traces, "tg:9", total_ms=12.0)
        assert memory.traces.set_feedback("tg:9", "up")
