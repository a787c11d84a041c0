"""Traces to lessons: selection, scrubbing on the worker, the cursor, the preview text."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from hearth.edge_runtime import MemoryStore, Trace, chat_salt
from hearth.edge_runtime._traces import ToolCall
from hearth.errors import HearthError, PayloadInvalid
from hearth.search._lessons import (
    Lesson,
    LessonCursor,
    LessonToolCall,
    collect_lessons,
    gather_local,
    lessons_from_json,
    preview_command,
    render_preview,
    scrubbed_lessons_job,
)
from hearth.search._session import Outcome
from hearth.settings import Settings

T0 = datetime(2025, 5, 1, 12, 0, tzinfo=UTC)
SALT = "install-salt"
ALL = ("feedback", "error", "tool_failure", "timeout", "bench_failure")
CHAT = "4242"


@pytest.fixture
def memory(tmp_path: Path) -> Iterator[MemoryStore]:
    with MemoryStore(tmp_path / "worker-w1.duckdb", chat_salt=SALT) as store:
        yield store


def trace(store: MemoryStore, message_id: str, *, chat: str = CHAT, **fields: Any) -> Trace:
    values: dict[str, Any] = {
        "message_id": message_id, "chat_hash": store.traces.chat_hash(chat), "spec_id": "s",
        "model": "smollm2", "created_at": T0, "user_text": f"question {message_id}",
        "reply_text": f"answer {message_id}", **fields}
    return Trace.model_validate(values)


def record_mix(store: MemoryStore) -> None:
    for t in [
        trace(store, "ok"),
        trace(store, "liked", feedback="up"),
        trace(store, "down", feedback="down", created_at=T0 + timedelta(minutes=1)),
        trace(store, "bad", feedback="bad", created_at=T0 + timedelta(minutes=2)),
        trace(store, "err", status="error", error="ModelLoadError: gguf missing",
              created_at=T0 + timedelta(minutes=3)),
        trace(store, "slow", status="timeout", total_ms=120_000,
              created_at=T0 + timedelta(minutes=4)),
        trace(store, "tool", created_at=T0 + timedelta(minutes=5), tool_calls=[
            ToolCall(name="clock", arguments={}, result="12:00"),
            ToolCall(name="calculator", arguments={"expression": "1/0"},
                     result="division by zero", ok=False)]),
        trace(store, "old", feedback="bad", created_at=T0 - timedelta(days=2)),
        trace(store, "benchrun", status="error", error="x", category="arithmetic"),
    ]:
        store.traces.record(t)


def lessons_of(store: MemoryStore, eligible: tuple[str, ...] = ALL,
               since: datetime | None = T0, **kw: Any) -> list[Lesson]:
    return collect_lessons(store.traces.since(None), since=since, eligible=eligible,
                           facts_by_chat={}, salt=SALT, **kw)


def test_eligible_traces_become_lessons_of_the_right_kind(memory: MemoryStore) -> None:
    record_mix(memory)
    found = {lesson.user_text.removeprefix("question "): lesson for lesson in lessons_of(memory)}
    assert set(found) == {"down", "bad", "err", "slow", "tool"}
    assert (found["down"].kind, found["down"].category) == ("feedback", "chat")
    assert "marked the reply bad" in found["bad"].reason
    assert (found["err"].kind, found["err"].category) == ("error", "error:ModelLoadError")
    assert (found["slow"].kind, found["slow"].reason) == ("timeout", "timed out after 120 s")
    tool = found["tool"]
    assert (tool.kind, tool.category) == ("tool_failure", "tool:calculator")
    assert [c.ok for c in tool.tool_calls] == [True, False]
    assert "division by zero" in tool.reason
    # Newest first.
    assert lessons_of(memory)[0].user_text == "question tool"


def test_only_the_spec_s_eligible_kinds_are_taken(memory: MemoryStore) -> None:
    record_mix(memory)
    assert {x.kind for x in lessons_of(memory, eligible=("error", "timeout"))} == {
        "error", "timeout"}
    assert lessons_of(memory, eligible=()) == []


def test_since_limit_and_chat_hash(memory: MemoryStore) -> None:
    record_mix(memory)
    everything = lessons_of(memory, since=None)
    assert "question old" in {x.user_text for x in everything}
    assert len(lessons_of(memory, limit=2)) == 2
    lesson = everything[0]
    assert lesson.chat is not None and lesson.chat not in (CHAT, memory.traces.chat_hash(CHAT))
    assert lesson.ref.startswith("trace:") and "tool" not in lesson.ref


def test_bench_failures_skip_the_gate_and_passes() -> None:
    outcomes = [
        Outcome("t-search", "arithmetic", "What is 6*7?", "41", False, "expected 42"),
        Outcome("t-gate", "arithmetic", "What is 2+2?", "5", False, "expected 4"),
        Outcome("t-pass", "factual", "Capital of France?", "Paris", True),
    ]
    lessons = collect_lessons((), outcomes, since=None, eligible=ALL, facts_by_chat={},
                              salt=SALT, gate_ids={"t-gate"})
    assert [(x.kind, x.category, x.ref, x.reason) for x in lessons] == [
        ("bench_failure", "arithmetic", "bench:t-search", "expected 42")]
    assert collect_lessons((), outcomes, since=None, eligible=("error",), facts_by_chat={},
                           salt=SALT) == []


def test_lessons_are_scrubbed_with_the_chat_s_own_facts(memory: MemoryStore) -> None:
    memory.add_fact(CHAT, "My dog is called Biscuit")
    memory.add_fact("other", "My cat is called Whiskers")
    memory.traces.record(trace(
        memory, "m1", feedback="bad",
        user_text="Text Biscuit's vet at +49 30 1234567 or vet@example.org, Whiskers too",
        reply_text="Paying with 4111 1111 1111 1111 via https://pay.example.com/?token=abc123",
        tool_calls=[ToolCall(name="remember", ok=False, result="Biscuit not saved",
                             arguments={"fact": "Biscuit eats at 5551234567"})]))
    rows = scrubbed_lessons_job(memory, since=None, eligible=ALL, salt=SALT)
    wire = json.dumps(rows)
    for secret in ("Biscuit", "+49 30 1234567", "vet@example.org", "4111", "abc123",
                   "5551234567", CHAT):
        assert secret not in wire
    assert "Whiskers" in wire  # another chat's facts do not apply to this one
    (lesson,) = lessons_from_json([rows])
    assert lesson.tool_calls[0].arguments == {"fact": "[MEMORY] eats at [PHONE]"}
    assert lesson.user_text.startswith("Text [MEMORY] vet at [PHONE] or [EMAIL]")


def test_lessons_from_workers_are_validated() -> None:
    with pytest.raises(PayloadInvalid, match="same Hearth version"):
        lessons_from_json([[{"kind": "gossip"}]])


def test_cursor_remembers_the_last_session(tmp_path: Path) -> None:
    cursor = LessonCursor.in_home(tmp_path)
    assert cursor.load() is None
    cursor.save(T0)
    assert LessonCursor.in_home(tmp_path).load() == T0
    cursor.path.write_text("{not json")
    with pytest.raises(HearthError, match="delete it"):
        cursor.load()


def test_render_preview_is_the_exact_lessons_text() -> None:
    lessons = [
        Lesson(kind="tool_failure", category="tool:calculator", user_text="what is 1/0",
               reply="oops", reason="tool calculator failed: division by zero", ref="trace:ab",
               tool_calls=(LessonToolCall(name="calculator", arguments={"expression": "1/0"},
                                          result="division by zero", ok=False),)),
        Lesson(kind="bench_failure", category="arithmetic", user_text="6*7?", reply="41",
               reason="expected 42", ref="bench:t1"),
    ]
    assert render_preview(lessons).split("\n\n")[1:] == [
        "Lesson 1 | tool_failure | category tool:calculator | trace:ab\n"
        "User: what is 1/0\nAssistant: oops\nTool calls:\n"
        '  - calculator({"expression": "1/0"}) -> FAILED: division by zero\n'
        "Why it failed: tool calculator failed: division by zero",
        "Lesson 2 | bench_failure | category arithmetic | bench:t1\n"
        "User: 6*7?\nAssistant: 41\nWhy it failed: expected 42",
    ]
    assert render_preview([]).startswith("No failures")


def test_preview_command_reads_the_workers_under_home(settings: Settings) -> None:
    home = settings.home
    with MemoryStore(home / "worker-w1.duckdb", chat_salt=chat_salt(home)) as store:
        store.add_fact(CHAT, "I am allergic to hazelnuts")
        store.traces.record(trace(store, "m1", feedback="down",
                                  user_text="Any hazelnuts in this cake?"))
    bench = [Outcome("t1", "arithmetic", "6*7?", "41", False, "expected 42")]
    text = preview_command(settings, bench_failures=bench)
    assert "hazelnuts" not in text
    assert "Lesson 1 | bench_failure" in text and "Lesson 2 | feedback" in text
    assert text == render_preview([
        *collect_lessons((), bench, since=None, eligible=ALL, facts_by_chat={},
                         salt=chat_salt(home)),
        *gather_local(home, since=None, eligible=ALL, salt=chat_salt(home))])
    LessonCursor.in_home(home).save(datetime.now(UTC))
    assert "Lesson 2" not in preview_command(settings, bench_failures=bench)
