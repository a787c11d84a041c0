"""The append-only journal in front of the worker's DuckDB file.

A turn's two messages and its trace go into one JSON line, written and
fdatasync'd before the turn counts as stored: one small sequential write
instead of a DuckDB transaction that updates indexes. A background thread
(`MemoryStore`) moves the lines into DuckDB in batches; a crash at any point
leaves each acknowledged line either in DuckDB or still in the journal, and
opening the store replays what is left (idempotently: by document id and,
for traces, by message id).

The journal is a series of segment files ``<db file>.journal.<n>``: a flush
seals the current segment (later lines go to the next one) and deletes it
once its lines are committed to DuckDB. A line cut short by a crash was never
acknowledged, so replay skips it.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb

from hearth.edge_runtime._db import StorageError, ensure_chat, rows
from hearth.edge_runtime._index import insert_docs
from hearth.edge_runtime._traces import insert_traces

log = logging.getLogger(__name__)

Entry = dict[str, Any]

#: Journals open in this process. DuckDB lets one process open a file twice,
#: but two journals of one file would replay (and delete) each other's lines.
_OPEN: set[Path] = set()
_OPEN_LOCK = threading.Lock()


class Journal:
    """Segments next to one DuckDB file; not thread-safe (the store holds its lock)."""

    def __init__(self, db_path: Path) -> None:
        self._key = db_path.resolve()
        with _OPEN_LOCK:
            if self._key in _OPEN:
                raise StorageError(f"{db_path} is already open in this process: use that "
                                   "MemoryStore, or close it first")
            _OPEN.add(self._key)
        self.dir = db_path.parent
        self.prefix = db_path.name + ".journal."
        self.sealed: list[Path] = []
        self._fd: int | None = None
        self._path: Path | None = None

    def segments(self) -> list[Path]:
        """The segment files on disk, oldest first."""
        found = [p for p in self.dir.glob(self.prefix + "*") if p.name[len(self.prefix):].isdigit()]
        return sorted(found, key=lambda p: int(p.name[len(self.prefix):]))

    def read(self) -> list[Entry]:
        """Every complete line of every segment on disk, oldest first."""
        entries: list[Entry] = []
        for path in self.segments():
            for n, line in enumerate(path.read_bytes().split(b"\n")):
                if not line:
                    continue
                try:
                    entries.append(json.loads(line))
                except ValueError:  # cut short by a crash before it was acknowledged
                    log.warning("skipping an incomplete journal line %d of %s", n + 1, path)
        return entries

    def start(self) -> None:
        """Begin a new segment after the ones on disk (which `replayed` then removes)."""
        existing = self.segments()
        number = int(existing[-1].name[len(self.prefix):]) + 1 if existing else 1
        self.sealed = existing
        self._open(number)

    def _open(self, number: int) -> None:
        self._path = self.dir / f"{self.prefix}{number:010d}"
        self._fd = os.open(self._path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        self._sync_dir()  # the new name itself must survive a power cut

    def _sync_dir(self) -> None:
        fd = os.open(self.dir, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

    def append(self, entry: Entry) -> None:
        """Write one line and wait until it is on disk."""
        if self._fd is None:
            raise RuntimeError("the journal is closed")
        data = json.dumps(entry, separators=(",", ":"), ensure_ascii=False).encode() + b"\n"
        os.write(self._fd, data)
        os.fdatasync(self._fd)

    def seal(self) -> list[Path]:
        """Close the current segment (new lines go to a new one); returns the sealed ones."""
        assert self._path is not None and self._fd is not None
        os.close(self._fd)
        self.sealed.append(self._path)
        self._open(int(self._path.name[len(self.prefix):]) + 1)
        return list(self.sealed)

    def remove(self, paths: list[Path]) -> None:
        """Delete sealed segments whose lines are committed to DuckDB."""
        for path in paths:
            path.unlink(missing_ok=True)
            self.sealed.remove(path)
        self._sync_dir()

    def close(self) -> None:
        """Close the current segment, deleting it when it is empty."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
            if self._path is not None and self._path.stat().st_size == 0:
                self._path.unlink()
        with _OPEN_LOCK:
            _OPEN.discard(self._key)


def apply(con: duckdb.DuckDBPyConnection, entries: list[Entry], *, replay: bool) -> None:
    """Write journal entries into the file, in one transaction the caller holds.

    An entry is ``{"chat": chat id, "docs": [[id, role, message id, text, ISO time]],
    "trace": Trace.model_dump(mode="json") or null}``. On `replay` documents
    whose ids the file already has are skipped: a crash came after their
    commit but before their segment was deleted.
    """
    by_chat: dict[str, list[list[Any]]] = {}
    for entry in entries:
        if entry["docs"]:  # a trace alone names no chat
            by_chat.setdefault(entry["chat"], []).extend(entry["docs"])
    all_ids = [d[0] for docs in by_chat.values() for d in docs]
    if all_ids:
        # Chat keys come from the same counter: start above every journaled id.
        con.execute("UPDATE meta SET value = greatest(value, ?) WHERE key = 'next_id'",
                    [max(all_ids) + 1])
    if replay and all_ids:
        marks = ", ".join("?" * len(all_ids))
        have = {i for (i,) in rows(con, f"SELECT doc_id FROM docs WHERE doc_id IN ({marks})",
                                   all_ids)}
        by_chat = {c: [d for d in docs if d[0] not in have] for c, docs in by_chat.items()}
    for chat_id, docs in by_chat.items():
        key = ensure_chat(con, chat_id)
        if docs:
            insert_docs(con, key, [(r, m, t, datetime.fromisoformat(a)) for _, r, m, t, a in docs],
                        ids=[d[0] for d in docs])
    insert_traces(con, [e["trace"] for e in entries if e.get("trace")])
