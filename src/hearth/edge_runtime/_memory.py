"""Conversation memory of the chats a worker is home to: history, facts, retrieval.

Messages and long-term facts are documents of a chat, indexed for keyword
search as they are written (`_index.py`). `reset` only moves the start of the
history window, so retrieval still finds older messages; `forget` deletes
everything stored about the chat, traces included. `export_chat` and
`import_chat` move a chat's memory to another worker.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Literal

import duckdb
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from hearth.edge_runtime._db import (
    SCHEMA_VERSION,
    Database,
    StorageError,
    delete_chat,
    ensure_chat,
    find_chat,
    from_db_time,
    rows,
    take_ids,
    to_db_time,
)
from hearth.edge_runtime._index import delete_doc, insert_docs
from hearth.edge_runtime._journal import Entry, Journal, apply
from hearth.edge_runtime._recall import ChatIndex
from hearth.edge_runtime._traces import Trace, TraceStore
from hearth.errors import PayloadInvalid

Role = Literal["user", "assistant"]

#: The journal moves into DuckDB once this many turns wait...
FLUSH_BATCH = 128
#: ...or when nothing was written for this long.
FLUSH_IDLE_S = 0.2

log = logging.getLogger(__name__)


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class StoredMessage(_Frozen):
    """One message of a chat's history."""

    message_id: str
    role: Role
    text: str
    at: datetime


class Fact(_Frozen):
    """A long-term fact about a chat; `id` is local to this worker's file."""

    id: int
    text: str
    at: datetime


class Hit(_Frozen):
    """A retrieved message or fact; `score` compares hits of one search only."""

    kind: Literal["message", "fact"]
    text: str
    score: float
    at: datetime
    role: Role | None = None
    message_id: str | None = None


class ExportedMessage(StoredMessage):
    """A message in an export; `in_window` when it came after the chat's last reset."""

    in_window: bool = True


class ExportedFact(_Frozen):
    """A fact in an export (without its id: the importing file numbers its own)."""

    text: str
    at: datetime


class ChatExport(_Frozen):
    """What `export_chat` writes and `import_chat` reads."""

    schema_version: int = Field(SCHEMA_VERSION, ge=1)
    chat_id: str
    messages: list[ExportedMessage] = []
    facts: list[ExportedFact] = []


class MemoryStore:
    """The memory of every chat on one worker, in one DuckDB file; thread-safe.

    `chat_salt` keys the hash that names chats in traces; `traces` shares the
    file, connection and lock. Writes of messages, facts and traces go to the
    journal (`_journal.py`) and return once it is on disk; a background thread
    moves them into DuckDB in batches. Reads of history and search use the
    chat's in-memory index (`_recall.py`), which has every write at once; the
    rarer operations first move the whole journal into the file.
    """

    def __init__(self, path: Path, *, chat_salt: str, flush_batch: int = FLUSH_BATCH,
                 flush_idle_s: float = FLUSH_IDLE_S) -> None:
        self.db = Database(path)
        self._flush_batch, self._flush_idle_s = flush_batch, flush_idle_s
        self.traces = TraceStore(self.db, chat_salt=chat_salt, writer=self._journal_trace,
                                 before_read=self.flush)
        # Lock order: _flush_lock, then _lock, then the Database's locks.
        self._lock = threading.RLock()
        self._flush_lock = threading.RLock()
        self._chats: dict[str, ChatIndex] = {}
        self._pending: list[Entry] = []
        self._last_write = time.monotonic()
        try:
            self._journal = Journal(self.db.path)
        except BaseException:
            self.db.close()
            raise
        try:
            entries = self._journal.read()
            self._journal.start()
            if entries:
                with self.db.transaction() as con:
                    apply(con, entries, replay=True)
            self._journal.remove(list(self._journal.sealed))
            self._next_id = self._meta_next_id()
        except BaseException:
            self._journal.close()
            self.db.close()
            raise
        self._closing = threading.Event()
        self._wake = threading.Event()
        self._flusher = threading.Thread(target=self._flush_loop, name="memory-flush",
                                         daemon=True)
        self._flusher.start()

    # -- the journal ------------------------------------------------------------

    def _meta_next_id(self) -> int:
        with self.db.read() as con:
            return int(rows(con, "SELECT value FROM meta WHERE key = 'next_id'")[0][0])

    def _chat(self, chat_id: str) -> ChatIndex:
        """The chat's in-memory index, loaded from the file on first use. Hold `_lock`."""
        if self.db.closed:
            raise StorageError(f"{self.db.path} is closed: open a new store to use it again")
        index = self._chats.get(chat_id)
        if index is None:
            with self.db.read() as con:
                index = self._chats[chat_id] = ChatIndex.load(con, chat_id)
        return index

    def _write(self, chat_id: str, docs: Sequence[tuple[str | None, str | None, str, datetime]],
               trace: dict[str, Any] | None = None) -> list[int]:
        """Journal documents (and a trace) of a chat; returns the new documents' ids."""
        with self._lock:
            index = self._chat(chat_id)
            seen: set[tuple[str, str]] = set()
            fresh = []
            for role, message_id, text, at in docs:
                if role is not None and message_id is not None:
                    key = (message_id, role)
                    if key in seen or index.knows(*key):
                        continue  # stored before: adds are idempotent per id and role
                    seen.add(key)
                fresh.append((role, message_id, text, to_db_time(at)))
            if not fresh and trace is None:
                return []
            ids = list(range(self._next_id, self._next_id + len(fresh)))
            entry: Entry = {"chat": chat_id, "trace": trace, "docs": [
                [i, r, m, t, a.isoformat()] for i, (r, m, t, a) in zip(ids, fresh, strict=True)]}
            self._journal.append(entry)  # on disk from here: the write is acknowledged
            self._next_id += len(fresh)
            for i, (role, message_id, text, at) in zip(ids, fresh, strict=True):
                index.add((i, role is None, role, message_id, text, at))
            self._pending.append(entry)
            self._last_write = time.monotonic()
            if len(self._pending) >= self._flush_batch:
                self._wake.set()
            return ids

    def _journal_trace(self, trace: dict[str, Any]) -> None:
        with self._lock:
            entry: Entry = {"chat": None, "docs": [], "trace": trace}
            self._journal.append(entry)
            self._pending.append(entry)
            self._last_write = time.monotonic()

    def flush(self) -> None:
        """Move everything journaled so far into the DuckDB file."""
        with self._flush_lock:
            with self._lock:
                entries = list(self._pending)
                if not entries:
                    return
                sealed = self._journal.seal()
            with self.db.background_transaction() as con:
                apply(con, entries, replay=False)
            with self._lock:
                del self._pending[: len(entries)]
                self._journal.remove(sealed)

    def _flush_loop(self) -> None:
        while not self._closing.is_set():
            self._wake.wait(self._flush_idle_s)
            self._wake.clear()
            idle = time.monotonic() - self._last_write >= self._flush_idle_s
            if self._pending and (idle or len(self._pending) >= self._flush_batch):
                try:
                    self.flush()
                except Exception:  # kept in the journal; the next round tries again
                    log.exception("moving the journal into %s failed", self.db.path)
                    self._closing.wait(1.0)

    @contextmanager
    def _exclusive(self) -> Iterator[None]:
        """Hold every lock, with the journal moved into the file (for the rare operations)."""
        with self._flush_lock, self._lock:
            self.flush()
            yield

    # -- the store --------------------------------------------------------------

    def add_message(
        self, chat_id: str, role: Role, text: str, *, message_id: str, at: datetime
    ) -> None:
        """Append a message; the same (message id, role) again changes nothing."""
        message = StoredMessage(message_id=message_id, role=role, text=text, at=at)
        self.add_messages_bulk(chat_id, [message])

    def add_messages_bulk(self, chat_id: str, messages: Iterable[StoredMessage],
                          trace: Trace | None = None) -> int:
        """Append many messages (and the turn's trace) at once; returns how many were new."""
        docs = [(m.role, m.message_id, m.text, m.at) for m in messages]
        values = trace.model_dump(mode="json") if trace is not None else None
        return len(self._write(chat_id, docs, values))

    def history(self, chat_id: str, limit: int) -> list[StoredMessage]:
        """The last `limit` messages since the chat's last reset, oldest first."""
        with self._lock:
            found = self._chat(chat_id).history(limit)
        if found is None:  # longer than what is kept in memory: from the file
            with self._exclusive(), self.db.read() as con:
                chat = rows(
                    con, "SELECT chat_key, window_start FROM chats WHERE chat_id = ?", [chat_id]
                )
                # Constants, not a join, so that DuckDB reads the doc ids alone.
                ids = rows(
                    con,
                    "SELECT doc_id FROM docs WHERE chat_key = ? AND doc_id >= ? AND NOT is_fact "
                    "ORDER BY doc_id DESC LIMIT ?",
                    [*chat[0], max(limit, 0)] if chat else [None, None, 0],
                )
                found = sorted(_docs_by_id(con, [i for (i,) in ids]))
        return [
            StoredMessage(message_id=m, role=r, text=t, at=from_db_time(a))
            for _, _, r, m, t, a in found
        ]

    def add_fact(self, chat_id: str, text: str) -> int:
        """Remember a fact about the chat; returns its id."""
        return self._write(chat_id, [(None, None, text, datetime.now(UTC))])[0]

    def facts(self, chat_id: str) -> list[Fact]:
        """The chat's facts, oldest first."""
        with self._exclusive(), self.db.read() as con:
            found = rows(
                con,
                "SELECT doc_id, body, ts FROM docs JOIN chats USING (chat_key) "
                "WHERE chat_id = ? AND is_fact ORDER BY doc_id",
                [chat_id],
            )
        return [Fact(id=i, text=t, at=from_db_time(a)) for i, t, a in found]

    def delete_fact(self, chat_id: str, fact_id: int) -> bool:
        """Delete one fact of the chat; False when the chat has no fact with that id."""
        with self._exclusive(), self.db.transaction() as con:
            key = find_chat(con, chat_id)
            found = rows(
                con,
                "SELECT 1 FROM docs WHERE chat_key = ? AND doc_id = ? AND is_fact",
                [key, fact_id],
            )
            if key is not None and found:
                delete_doc(con, key, fact_id)
                if chat_id in self._chats:
                    self._chats[chat_id].remove(fact_id)
        return bool(found)

    def search(
        self, chat_id: str, query: str, k: int, *, exclude_message_ids: Sequence[str] = ()
    ) -> list[Hit]:
        """The `k` facts and messages (of any age, resets too) that best match `query`.

        `exclude_message_ids` leaves out messages already in the prompt.
        """
        excluded = set(exclude_message_ids)
        with self._lock:
            index = self._chat(chat_id)
            scores = index.rank(query, k + len(excluded))
            if not scores:
                return []
            found = index.rows(list(scores))
        found.sort(key=lambda d: (scores[d[0]], d[0]), reverse=True)
        hits = [
            Hit(
                kind="fact" if f else "message",
                role=r,
                message_id=m,
                text=t,
                score=scores[i],
                at=from_db_time(a),
            )
            for i, f, r, m, t, a in found
            if m is None or m not in excluded
        ]
        return hits[:k]

    def reset(self, chat_id: str) -> None:
        """Start a new history window: `history` shows nothing added before now."""
        with self._exclusive(), self.db.transaction() as con:
            con.execute("UPDATE chats SET window_start = ? WHERE chat_id = ?",
                        [self._next_id, chat_id])
            if chat_id in self._chats and find_chat(con, chat_id) is not None:
                self._chats[chat_id].window_start = self._next_id

    def forget(self, chat_id: str) -> None:
        """Delete everything stored about the chat: messages, facts, index, traces."""
        with self._exclusive(), self.db.transaction() as con:
            delete_chat(con, chat_id)
            con.execute("DELETE FROM traces WHERE chat_hash = ?", [self.traces.chat_hash(chat_id)])
            self._chats.pop(chat_id, None)

    def chat_ids(self) -> list[str]:
        """Every chat with memory in this file, in order of arrival."""
        with self._exclusive(), self.db.read() as con:
            return [r[0] for r in rows(con, "SELECT chat_id FROM chats ORDER BY chat_key")]

    def export_chat(self, chat_id: str) -> dict[str, Any]:
        """The chat's memory as JSON-ready data for `import_chat` on another worker."""
        with self._exclusive(), self.db.read() as con:
            found = rows(
                con,
                "SELECT is_fact, message_id, role, body, ts, doc_id >= window_start FROM docs "
                "JOIN chats USING (chat_key) WHERE chat_id = ? ORDER BY doc_id",
                [chat_id],
            )
        export = ChatExport(
            chat_id=chat_id,
            messages=[
                ExportedMessage(message_id=m, role=r, text=t, at=from_db_time(a), in_window=w)
                for f, m, r, t, a, w in found
                if not f
            ],
            facts=[ExportedFact(text=t, at=from_db_time(a)) for f, _, _, t, a, _ in found if f],
        )
        return export.model_dump(mode="json")

    def import_chat(self, data: dict[str, Any]) -> None:
        """Load an `export_chat` result, replacing whatever this file had of that chat."""
        try:
            export = ChatExport.model_validate(data)
        except ValidationError as e:
            raise PayloadInvalid(f"chat export does not validate: {e}") from e
        if export.schema_version > SCHEMA_VERSION:
            raise PayloadInvalid(
                f"chat export has schema version {export.schema_version}, this worker reads "
                f"up to {SCHEMA_VERSION}: upgrade Hearth on this worker first"
            )
        with self._exclusive():
            with self.db.transaction() as con:
                delete_chat(con, export.chat_id)
                key = ensure_chat(con, export.chat_id)
                _insert_messages(con, key, [m for m in export.messages if not m.in_window])
                start = take_ids(con, 0)
                con.execute("UPDATE chats SET window_start = ? WHERE chat_key = ?", [start, key])
                _insert_messages(con, key, [m for m in export.messages if m.in_window])
                if export.facts:
                    insert_docs(con, key, [(None, None, f.text, f.at) for f in export.facts])
            self._chats.pop(export.chat_id, None)
            self._next_id = self._meta_next_id()

    def close(self) -> None:
        """Move the journal into the file and close it."""
        if self.db.closed:
            return
        self._closing.set()
        self._wake.set()
        self._flusher.join()
        with self._flush_lock, self._lock:
            try:
                self.flush()
            finally:  # what did not reach the file stays in the journal for the next open
                self._journal.close()
                self.db.close()

    def __enter__(self) -> MemoryStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _docs_by_id(con: duckdb.DuckDBPyConnection, ids: list[int]) -> list[tuple[Any, ...]]:
    """(doc_id, is_fact, role, message_id, body, ts) of the documents with these ids."""
    if not ids:
        return []
    # A query of its own, with the ids as constants, so that DuckDB looks them up in the
    # primary key index instead of scanning (and decompressing) every text of the chat.
    marks = ", ".join("?" * len(ids))
    sql = f"SELECT doc_id, is_fact, role, message_id, body, ts FROM docs WHERE doc_id IN ({marks})"
    return rows(con, sql, ids)


def _insert_messages(
    con: duckdb.DuckDBPyConnection, chat_key: int, messages: Iterable[StoredMessage]
) -> int:
    """Insert the messages not stored yet (by message id and role); returns how many."""
    new: dict[tuple[str, str], StoredMessage] = {}
    for m in messages:
        new.setdefault((m.message_id, m.role), m)
    if not new:
        return 0
    sql = "SELECT message_id, role FROM docs WHERE chat_key = ? AND list_contains(?, message_id)"
    for known in rows(con, sql, [chat_key, list({i for i, _ in new})]):
        new.pop(known, None)
    if new:
        insert_docs(con, chat_key, [(m.role, m.message_id, m.text, m.at) for m in new.values()])
    return len(new)
