"""Traces: one row per handled message, in the worker's DuckDB file.

The spec search job reads them (`since`), scrubs the texts and learns from the
failures. The raw chat id is never written here: `chat_hash` is an HMAC-SHA256
of it keyed with a per-install salt, so traces of one chat can be grouped (and
forgotten) without naming the chat.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any, Literal

import duckdb
from pydantic import BaseModel, ConfigDict, Field

from hearth.edge_runtime._db import Database, from_db_time, rows, to_db_time

Feedback = Literal["up", "down", "bad"]
TraceStatus = Literal["ok", "error", "timeout", "truncated"]

_COLUMNS = (
    "message_id", "chat_hash", "spec_id", "model", "queue_wait_ms", "first_token_ms",
    "total_ms", "prompt_tokens", "completion_tokens", "tokens_per_s", "tool_calls", "error",
    "status", "category", "user_text", "reply_text", "created_at", "feedback",
)  # fmt: skip


def chat_hash(chat_id: str, salt: str) -> str:
    """The hex HMAC-SHA256 of `chat_id` keyed with the install's `salt`."""
    return hmac.new(salt.encode(), chat_id.encode(), hashlib.sha256).hexdigest()


class ToolCall(BaseModel):
    """One tool call that actually ran during a reply, and what it returned."""

    model_config = ConfigDict(frozen=True)

    name: str
    arguments: dict[str, Any] = Field(default_factory=dict)
    result: str = ""
    ok: bool = True


class Trace(BaseModel):
    """What happened while handling one message; times in milliseconds."""

    model_config = ConfigDict(frozen=True)

    message_id: str
    chat_hash: str = Field(description="chat_hash(chat_id, salt), never the raw chat id")
    spec_id: str
    model: str
    queue_wait_ms: float | None = None
    first_token_ms: float | None = None
    total_ms: float | None = None
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    tokens_per_s: float | None = None
    tool_calls: tuple[ToolCall, ...] = ()
    error: str | None = None
    status: TraceStatus = "ok"
    category: str | None = Field(None, description="benchmark category, for bench runs")
    user_text: str | None = Field(None, description="kept locally; the search job scrubs it")
    reply_text: str | None = None
    created_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    feedback: Feedback | None = None


def insert_traces(con: duckdb.DuckDBPyConnection, traces: Sequence[dict[str, Any]]) -> None:
    """Store traces given as `Trace.model_dump(mode="json")`, replacing those of the same
    message ids (a retried job); the last of one message id wins. Call in a transaction."""
    latest = {t["message_id"]: t for t in traces}
    if not latest:
        return
    rows_in = []
    for values in latest.values():
        row = dict(values)
        row["tool_calls"] = json.dumps(row["tool_calls"])
        row["created_at"] = to_db_time(datetime.fromisoformat(row["created_at"]))
        rows_in.append([row[c] for c in _COLUMNS])
    ids = list(latest)
    con.execute("DELETE FROM traces WHERE list_contains(?, message_id)", [ids])
    marks = "(" + ", ".join("?" * len(_COLUMNS)) + ")"
    con.execute(f"INSERT INTO traces VALUES {', '.join([marks] * len(rows_in))}",
                [v for r in rows_in for v in r])


class TraceStore:
    """Traces in a shared `Database` (usually `MemoryStore.db`).

    A `MemoryStore` passes `writer` (its journal: `record` then returns once the
    trace is journaled) and `before_read` (moves journaled traces into the file,
    so that reads and updates see them).
    """

    def __init__(self, db: Database, *, chat_salt: str,
                 writer: Callable[[dict[str, Any]], None] | None = None,
                 before_read: Callable[[], None] | None = None) -> None:
        self.db = db
        self._salt = chat_salt
        self._writer = writer
        self._before_read = before_read or (lambda: None)

    def chat_hash(self, chat_id: str) -> str:
        """The `Trace.chat_hash` of a chat on this install."""
        return chat_hash(chat_id, self._salt)

    def record(self, trace: Trace) -> None:
        """Store `trace`; a trace for the same message id (a retried job) is replaced."""
        values = trace.model_dump(mode="json")
        if self._writer is not None:
            self._writer(values)
            return
        with self.db.transaction() as con:
            insert_traces(con, [values])

    def set_feedback(self, message_id: str, feedback: Feedback | None) -> bool:
        """Attach the user's feedback to a trace; False when no trace has that id."""
        self._before_read()
        with self.db.transaction() as con:
            found = rows(
                con,
                "UPDATE traces SET feedback = ? WHERE message_id = ? RETURNING 1",
                [feedback, message_id],
            )
        return bool(found)

    def get(self, message_id: str) -> Trace | None:
        """The trace of one message, or None."""
        self._before_read()
        with self.db.read() as con:
            found = rows(
                con,
                f"SELECT {', '.join(_COLUMNS)} FROM traces WHERE message_id = ?",
                [message_id],
            )
        return _trace(found[0]) if found else None

    def since(self, t: datetime | None) -> list[Trace]:
        """Traces created at or after `t` (all when None), oldest first."""
        sql = f"SELECT {', '.join(_COLUMNS)} FROM traces"
        params: list[Any] = []
        if t is not None:
            sql += " WHERE created_at >= ?"
            params.append(to_db_time(t))
        self._before_read()
        with self.db.read() as con:
            found = rows(con, sql + " ORDER BY created_at, message_id", params)
        return [_trace(r) for r in found]

    def delete_older_than(self, t: datetime) -> int:
        """Delete traces created before `t` (retention); returns how many went."""
        self._before_read()
        with self.db.transaction() as con:
            gone = rows(con, "DELETE FROM traces WHERE created_at < ? RETURNING 1", [to_db_time(t)])
        return len(gone)


def _trace(row: tuple[Any, ...]) -> Trace:
    values = dict(zip(_COLUMNS, row, strict=True))
    values["tool_calls"] = json.loads(values["tool_calls"])
    values["created_at"] = from_db_time(values["created_at"])
    return Trace.model_validate(values)
