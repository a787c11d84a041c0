"""Home-directory migration: a newer Hearth reads the DuckDB files an older one wrote.

`HEARTH_HOME` holds two kinds of DuckDB file, each with its own layout version:

* ``specs.duckdb`` (the spec store): version in ``meta`` under ``schema_version``;
  current `hearth.specs.STORE_SCHEMA_VERSION`;
* ``worker-<id>.duckdb`` (one worker's memory and traces): version in ``meta``
  under ``schema_version``; current ``hearth.edge_runtime._db.SCHEMA_VERSION``.

`migrate_home` looks at every file; when any is older than this Hearth, it first
copies those files (with their write-ahead logs) to
``HEARTH_HOME/backups/<UTC timestamp>/``, then upgrades each in place, one
version step per transaction, so a failure leaves the file at a known version.
A file newer than this Hearth is refused (upgrade Hearth), and a file another
process holds open (a running worker) is left alone and reported: that process
migrated it when it started, or will when it restarts on the new version.

Version 0 is the development layout from before files carried a version:

* specs: no ``meta`` table; ``spec_versions`` without ``gate_scores`` and
  ``status`` (review mode came later); ``activations`` without ``rolled_back``.
* worker: ``meta`` held only ``next_id``; ``chats`` without the ranking
  statistics (``n_docs``, ``n_terms``, ``newest``); ``postings`` with only
  ``(chat_key, term, doc_id, tf)``; no ``terms`` table (document frequencies
  were counted per search); ``traces`` without ``feedback``.

Adding a version: bump the store's constant, add ``STEPS[kind][old] = function``
taking that file from ``old`` to ``old + 1``, and a test that writes ``old``.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

import duckdb

from hearth.edge_runtime._db import SCHEMA_VERSION as WORKER_SCHEMA_VERSION
from hearth.errors import HearthError
from hearth.specs import STORE_SCHEMA_VERSION

Kind = Literal["specs", "worker"]
Step = Callable[[duckdb.DuckDBPyConnection], None]

#: The layout version this Hearth reads and writes, per kind of file.
CURRENT: dict[Kind, int] = {"specs": STORE_SCHEMA_VERSION, "worker": WORKER_SCHEMA_VERSION}
#: Folder under HEARTH_HOME where files are copied before a migration.
BACKUPS = "backups"

log = logging.getLogger(__name__)


class MigrationError(HearthError):
    """A home file cannot be read by this Hearth, or its migration failed."""


def _specs_0_to_1(con: duckdb.DuckDBPyConnection) -> None:
    # The store inserts rows by position, so the new columns must sit where
    # version 1 has them: rebuild the table instead of appending columns.
    con.execute("""
        CREATE TABLE spec_versions_v1 (
            id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, body VARCHAR NOT NULL,
            parent_id VARCHAR, edits VARCHAR NOT NULL, gate_scores VARCHAR,
            note VARCHAR NOT NULL DEFAULT '', status VARCHAR NOT NULL DEFAULT 'saved',
            created_at TIMESTAMPTZ NOT NULL);
        INSERT INTO spec_versions_v1
            SELECT id, name, body, parent_id, edits, NULL, note, 'saved', created_at
            FROM spec_versions;
        DROP TABLE spec_versions;
        ALTER TABLE spec_versions_v1 RENAME TO spec_versions;
        ALTER TABLE activations ADD COLUMN rolled_back BOOLEAN NOT NULL DEFAULT FALSE;
        CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL);
        INSERT INTO meta VALUES ('schema_version', '1');
    """)


def _worker_0_to_1(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("""
        ALTER TABLE chats ADD COLUMN n_docs BIGINT NOT NULL DEFAULT 0;
        ALTER TABLE chats ADD COLUMN n_terms BIGINT NOT NULL DEFAULT 0;
        ALTER TABLE chats ADD COLUMN newest TIMESTAMP;
        UPDATE chats SET n_docs = s.n, n_terms = s.t, newest = s.newest FROM (
            SELECT chat_key, count(*) AS n, coalesce(sum(n_terms), 0) AS t, max(ts) AS newest
            FROM docs GROUP BY chat_key) AS s
        WHERE chats.chat_key = s.chat_key;
        ALTER TABLE postings ADD COLUMN doc_len INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE postings ADD COLUMN is_fact BOOLEAN NOT NULL DEFAULT FALSE;
        ALTER TABLE postings ADD COLUMN ts TIMESTAMP NOT NULL DEFAULT TIMESTAMP '1970-01-01';
        UPDATE postings SET doc_len = d.n_terms, is_fact = d.is_fact, ts = d.ts
            FROM docs AS d WHERE d.doc_id = postings.doc_id;
        CREATE TABLE terms (chat_key BIGINT NOT NULL, term VARCHAR NOT NULL, df BIGINT NOT NULL);
        INSERT INTO terms SELECT chat_key, term, count(*) FROM postings GROUP BY chat_key, term;
        ALTER TABLE traces ADD COLUMN feedback VARCHAR;
        INSERT INTO meta VALUES ('schema_version', 1);
    """)


#: Migration steps per kind: STEPS[kind][n] takes a file from version n to n + 1.
STEPS: dict[Kind, dict[int, Step]] = {
    "specs": {0: _specs_0_to_1},
    "worker": {0: _worker_0_to_1},
}


@dataclass(frozen=True)
class FileState:
    """One DuckDB file of a home and its layout version."""

    path: Path
    kind: Kind
    #: None when the file could not be opened (`in_use` tells why).
    version: int | None
    in_use: bool = False
    holder: str = ""

    @property
    def current(self) -> int:
        """The version this Hearth uses for this kind of file."""
        return CURRENT[self.kind]

    @property
    def needs_migration(self) -> bool:
        """True when the file is readable and older than this Hearth."""
        return self.version is not None and self.version < self.current


@dataclass
class MigrationReport:
    """What `migrate_home` did."""

    backup: Path | None = None
    migrated: list[FileState] = field(default_factory=list)
    skipped_in_use: list[FileState] = field(default_factory=list)


def home_files(home: Path) -> list[tuple[Path, Kind]]:
    """The spec store and every worker file directly under `home` (not backups)."""
    found: list[tuple[Path, Kind]] = []
    if (home / "specs.duckdb").is_file():
        found.append((home / "specs.duckdb", "specs"))
    found += [(p, "worker") for p in sorted(home.glob("worker-*.duckdb")) if p.is_file()]
    return found


def _tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}


def file_version(con: duckdb.DuckDBPyConnection, kind: Kind) -> int:
    """The layout version of an open file; an empty file counts as current."""
    tables = _tables(con)
    if "meta" in tables:
        row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        if row is not None:
            return int(row[0])
    marker = "spec_versions" if kind == "specs" else "docs"
    return 0 if marker in tables else CURRENT[kind]


def lock_holder(error: duckdb.Error) -> str | None:
    """The "program (PID n)" DuckDB names when another process holds a file, else None."""
    text = str(error)
    if "lock" not in text.lower():
        return None
    _, _, after = text.partition("Conflicting lock is held in ")
    return after.split(". See also")[0].strip() or "another process"


def inspect_file(path: Path, kind: Kind) -> FileState:
    """Open `path` read-only and read its version; a locked file is `in_use`."""
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as exc:
        holder = lock_holder(exc)
        if holder is None:
            raise MigrationError(f"cannot open {path}: {exc}; restore it from "
                                 f"{path.parent / BACKUPS} or move it away") from None
        return FileState(path, kind, None, in_use=True, holder=holder)
    try:
        return FileState(path, kind, file_version(con, kind))
    finally:
        con.close()


def inspect_home(home: Path) -> list[FileState]:
    """The state of every DuckDB file of `home`."""
    return [inspect_file(path, kind) for path, kind in home_files(home)]


def _backup_dir(home: Path, now: datetime) -> Path:
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    target, n = home / BACKUPS / stamp, 1
    while target.exists():
        n += 1
        target = home / BACKUPS / f"{stamp}-{n}"
    return target


def backup_files(home: Path, paths: list[Path], *, now: datetime | None = None) -> Path:
    """Copy `paths` into a new ``backups/<timestamp>/``, with their ``.wal`` files and
    the turn journal segments a worker had not yet moved into DuckDB."""
    target = _backup_dir(home, now or datetime.now(UTC))
    target.mkdir(parents=True, mode=0o700)
    for path in paths:
        journal = sorted(path.parent.glob(path.name + ".journal*"))
        for part in (path, path.with_name(path.name + ".wal"), *journal):
            if part.exists():
                shutil.copy2(part, target / part.name)
    return target


def migrate_file(path: Path, kind: Kind) -> int:
    """Upgrade one file in place to the current version; returns the version it had."""
    con = duckdb.connect(str(path))
    try:
        start = version = file_version(con, kind)
        while version < CURRENT[kind]:
            step = STEPS[kind].get(version)
            if step is None:
                raise MigrationError(f"{path}: no migration from {kind} layout version "
                                     f"{version}; upgrade through an intermediate Hearth")
            con.begin()
            try:
                step(con)
                after = file_version(con, kind)
                if after != version + 1:
                    raise MigrationError(f"{path}: step from version {version} left "
                                         f"version {after}")
            except BaseException:
                con.rollback()
                raise
            con.commit()
            version += 1
        con.execute("CHECKPOINT")
        return start
    except duckdb.Error as exc:
        raise MigrationError(f"migrating {path} failed: {exc}; the file is unchanged at "
                             "its last completed version and a copy is in "
                             f"{path.parent / BACKUPS}") from None
    finally:
        con.close()


def migrate_home(home: Path, *, now: datetime | None = None) -> MigrationReport:
    """Bring every file of `home` to this Hearth's layout, after a backup copy.

    A no-op (no backup) when everything is current. Raises `MigrationError`
    when a file is newer than this Hearth or cannot be opened at all.
    """
    report = MigrationReport()
    if not home.is_dir():
        return report
    states = inspect_home(home)
    for state in states:
        if state.version is not None and state.version > state.current:
            raise MigrationError(
                f"{state.path} has {state.kind} layout version {state.version}, but this "
                f"Hearth reads up to {state.current}: upgrade Hearth on this machine")
    report.skipped_in_use = [s for s in states if s.in_use]
    todo = [s for s in states if s.needs_migration]
    if not todo:
        return report
    report.backup = backup_files(home, [s.path for s in todo], now=now)
    for state in todo:
        migrate_file(state.path, state.kind)
        report.migrated.append(state)
        log.warning("migrated %s from layout version %s to %d; the old file is in %s",
                    state.path.name, state.version, state.current, report.backup)
    return report


__all__ = [
    "BACKUPS",
    "CURRENT",
    "STEPS",
    "FileState",
    "Kind",
    "MigrationError",
    "MigrationReport",
    "backup_files",
    "file_version",
    "home_files",
    "inspect_file",
    "inspect_home",
    "lock_holder",
    "migrate_file",
    "migrate_home",
]
