"""The worker's DuckDB file: one connection, one lock, the schema and its migrations.

Memory (`_memory.py`) and traces (`_traces.py`) live in the same file and share
one `Database`. DuckDB connections are not safe to use from several threads at
once, so every use goes through `Database.read()` or `Database.transaction()`,
which hold the lock. Writes run in transactions: with DuckDB's write-ahead log,
a crash leaves either the whole transaction or none of it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

import duckdb

from hearth.errors import HearthError

#: Version of the tables below; bump it and add a migration when they change.
SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key VARCHAR NOT NULL, value BIGINT NOT NULL);
-- n_docs, n_terms and newest are the chat's ranking statistics, kept up to date
-- by every write so that a search does not have to count them.
CREATE TABLE IF NOT EXISTS chats (
    chat_key BIGINT NOT NULL, chat_id VARCHAR NOT NULL, window_start BIGINT NOT NULL,
    n_docs BIGINT NOT NULL, n_terms BIGINT NOT NULL, newest TIMESTAMP
);
-- Messages and facts are both documents of a chat: one id space, one index.
CREATE TABLE IF NOT EXISTS docs (
    doc_id BIGINT PRIMARY KEY, chat_key BIGINT NOT NULL, is_fact BOOLEAN NOT NULL,
    role VARCHAR, message_id VARCHAR, body VARCHAR NOT NULL, ts TIMESTAMP NOT NULL,
    n_terms INTEGER NOT NULL
);
-- The inverted index: one row per (document, distinct term); the document's
-- length, kind and time are copied in so that ranking reads this table alone.
CREATE TABLE IF NOT EXISTS postings (
    chat_key BIGINT NOT NULL, term VARCHAR NOT NULL, doc_id BIGINT NOT NULL,
    tf INTEGER NOT NULL, doc_len INTEGER NOT NULL, is_fact BOOLEAN NOT NULL,
    ts TIMESTAMP NOT NULL
);
-- How many documents of a chat have each term: the "df" of BM25's idf.
CREATE TABLE IF NOT EXISTS terms (
    chat_key BIGINT NOT NULL, term VARCHAR NOT NULL, df BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS traces (
    message_id VARCHAR NOT NULL, chat_hash VARCHAR NOT NULL, spec_id VARCHAR NOT NULL,
    model VARCHAR NOT NULL, queue_wait_ms DOUBLE, first_token_ms DOUBLE, total_ms DOUBLE,
    prompt_tokens INTEGER, completion_tokens INTEGER, tokens_per_s DOUBLE,
    tool_calls VARCHAR NOT NULL, error VARCHAR, status VARCHAR NOT NULL, category VARCHAR,
    user_text VARCHAR, reply_text VARCHAR, created_at TIMESTAMP NOT NULL, feedback VARCHAR
);
"""

#: Cap on DuckDB's buffer cache; the worker's memory budget is the model plus ~300 MB.
MEMORY_LIMIT = "256MB"

#: SQL that takes a file from version N (the key) to N + 1; applied in order on open.
_MIGRATIONS: dict[int, str] = {}


class StorageError(HearthError):
    """The worker's DuckDB file cannot be opened or has an unknown layout."""


def to_db_time(at: datetime) -> datetime:
    """A naive UTC datetime for a TIMESTAMP column; a naive input is taken as UTC."""
    if at.tzinfo is None:
        return at
    return at.astimezone(UTC).replace(tzinfo=None)


def from_db_time(at: datetime) -> datetime:
    """The timezone-aware UTC datetime for a value read from a TIMESTAMP column."""
    return at.replace(tzinfo=UTC)


class Database:
    """One DuckDB file, one connection, one lock; closes on `close()` or `with` exit."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._writer_lock = threading.Lock()
        self._writer: duckdb.DuckDBPyConnection | None = None
        try:
            self._con: duckdb.DuckDBPyConnection | None = duckdb.connect(
                str(self.path), config={"memory_limit": MEMORY_LIMIT}
            )
        except duckdb.Error as e:
            raise StorageError(
                f"cannot open {self.path}: {e}. Another process may hold it: each worker "
                "needs its own file (set a distinct HEARTH_WORKER_ID)"
            ) from e
        try:
            self._prepare()
        except BaseException:
            self._con.close()
            raise

    def _prepare(self) -> None:
        with self.transaction() as tx:
            tx.execute(_SCHEMA)
            row = tx.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            if row is None:
                tx.execute("INSERT INTO meta VALUES ('schema_version', ?)", [SCHEMA_VERSION])
                tx.execute("INSERT INTO meta VALUES ('next_id', 1)")
                return
            version = int(row[0])
            if version > SCHEMA_VERSION:
                raise StorageError(
                    f"{self.path} has schema version {version} but this Hearth knows only "
                    f"up to {SCHEMA_VERSION}: upgrade Hearth or point the worker at another file"
                )
            for old in range(version, SCHEMA_VERSION):
                tx.execute(_MIGRATIONS[old])
            tx.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [SCHEMA_VERSION])

    @property
    def schema_version(self) -> int:
        """The layout version recorded in the file's `meta` table."""
        with self.read() as con:
            row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        assert row is not None
        return int(row[0])

    @property
    def closed(self) -> bool:
        """Whether `close` was called."""
        return self._con is None

    def _connection(self) -> duckdb.DuckDBPyConnection:
        if self._con is None:
            raise StorageError(f"{self.path} is closed: open a new store to use it again")
        return self._con

    @contextmanager
    def read(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """Hold the lock and lend the connection for reads."""
        with self._lock:
            yield self._connection()

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """Hold the lock and run the block in one transaction; roll back on error."""
        with self._lock, _committed(self._connection()) as con:
            yield con

    @contextmanager
    def background_transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A transaction on a second connection to the file, with its own lock.

        The journal's flusher writes here, so that reads on the main connection
        do not wait for a batch (DuckDB isolates them: they see it once committed).
        """
        with self._writer_lock:
            if self._writer is None:
                self._writer = self._connection().cursor()
            with _committed(self._writer) as con:
                yield con

    def close(self) -> None:
        """Checkpoint and close the file; later calls raise `StorageError`."""
        with self._writer_lock, self._lock:
            if self._writer is not None:
                self._writer.close()
                self._writer = None
            if self._con is not None:
                self._con.close()
                self._con = None

    def __enter__(self) -> Database:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def rows(con: duckdb.DuckDBPyConnection, sql: str, params: Any = None) -> list[tuple[Any, ...]]:
    """Run `sql` and fetch every row (a typed shorthand)."""
    result: list[tuple[Any, ...]] = con.execute(sql, params).fetchall()
    return result


def take_ids(con: duckdb.DuckDBPyConnection, count: int) -> int:
    """Reserve `count` consecutive ids, never handed out again; returns the first.

    Documents and chats draw from this one counter. Call inside a transaction.
    """
    row = con.execute(
        "UPDATE meta SET value = value + ? WHERE key = 'next_id' RETURNING value", [count]
    ).fetchone()
    assert row is not None
    return int(row[0]) - count


def find_chat(con: duckdb.DuckDBPyConnection, chat_id: str) -> int | None:
    """The internal key of a chat, or None when this file has nothing of it."""
    found = rows(con, "SELECT chat_key FROM chats WHERE chat_id = ?", [chat_id])
    return int(found[0][0]) if found else None


def ensure_chat(con: duckdb.DuckDBPyConnection, chat_id: str) -> int:
    """The internal key of a chat, adding the chat when it is new."""
    key = find_chat(con, chat_id)
    if key is None:
        key = take_ids(con, 1)
        con.execute("INSERT INTO chats VALUES (?, ?, 0, 0, 0, NULL)", [key, chat_id])
    return key


def refresh_chat_stats(con: duckdb.DuckDBPyConnection, key: int) -> None:
    """Recount a chat's ranking statistics after its documents changed."""
    con.execute(
        "UPDATE chats SET n_docs = s.n, n_terms = s.t, newest = s.newest FROM ("
        "  SELECT count(*) AS n, coalesce(sum(n_terms), 0) AS t, max(ts) AS newest"
        "  FROM docs WHERE chat_key = $key"
        ") AS s WHERE chat_key = $key",
        {"key": key},
    )


def delete_chat(con: duckdb.DuckDBPyConnection, chat_id: str) -> None:
    """Delete a chat's row, documents and index (not its traces)."""
    key = find_chat(con, chat_id)
    if key is not None:
        for table in ("terms", "postings", "docs", "chats"):
            con.execute(f"DELETE FROM {table} WHERE chat_key = ?", [key])


@contextmanager
def _committed(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """Run the block in one transaction on `con`: committed, or rolled back on error."""
    con.begin()
    try:
        yield con
    except BaseException:
        con.rollback()
        raise
    con.commit()
