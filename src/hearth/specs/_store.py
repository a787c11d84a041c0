"""SpecStore: every spec version, its lineage and which one is active, in DuckDB.

The store opens its file for each operation and closes it again: DuckDB lets
one process write a file at a time, and the CLI, the worker and the search job
all need the store now and then, never for long. Each write is one
transaction, so a failure (or a crash) leaves the store as it was.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from hearth.errors import SpecError, SpecNotFound
from hearth.specs._builtin import BUILTIN_SPECS, builtin_spec, default_spec
from hearth.specs._canonical import canonical_json, spec_to_json
from hearth.specs._model import Spec

if TYPE_CHECKING:  # DuckDB is imported on first use: the bridge imports specs, never stores
    import duckdb

#: Version of the tables below; bumped (with a migration) on incompatible changes.
STORE_SCHEMA_VERSION = 1

Status = Literal["saved", "pending", "approved", "rejected"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL);
CREATE TABLE IF NOT EXISTS spec_versions (
    id VARCHAR PRIMARY KEY,
    name VARCHAR NOT NULL,
    body VARCHAR NOT NULL,
    parent_id VARCHAR,
    edits VARCHAR NOT NULL,
    gate_scores VARCHAR,
    note VARCHAR NOT NULL DEFAULT '',
    status VARCHAR NOT NULL DEFAULT 'saved',
    created_at TIMESTAMPTZ NOT NULL
);
CREATE SEQUENCE IF NOT EXISTS activation_seq;
CREATE TABLE IF NOT EXISTS activations (
    seq BIGINT PRIMARY KEY DEFAULT nextval('activation_seq'),
    spec_id VARCHAR NOT NULL,
    activated_at TIMESTAMPTZ NOT NULL,
    rolled_back BOOLEAN NOT NULL DEFAULT FALSE
);
"""


#: Seconds to wait for another process (the worker, the CLI) to release the file.
LOCK_WAIT_S = 10.0


def _open(path: Path) -> duckdb.DuckDBPyConnection:
    """Open the store, waiting while another process holds DuckDB's file lock."""
    import duckdb

    deadline = time.monotonic() + LOCK_WAIT_S
    while True:
        try:
            return duckdb.connect(str(path))
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower() or time.monotonic() > deadline:
                raise SpecError(f"cannot open the spec store {path}: {exc}") from None
            time.sleep(0.05)


@dataclass(frozen=True)
class SpecVersion:
    """One stored spec with its bookkeeping."""

    spec: Spec
    created_at: datetime
    note: str = ""
    status: Status = "saved"
    gate_scores: dict[str, float] | None = field(default=None)

    @property
    def id(self) -> str:
        """The spec's content id."""
        return self.spec.id

    def as_json(self) -> dict[str, Any]:
        """JSON-ready summary for `--json` output."""
        return {
            "id": self.id,
            "name": self.spec.name,
            "parent_id": self.spec.lineage.parent_id,
            "edits": [e.model_dump(mode="json") for e in self.spec.lineage.edits],
            "gate_scores": self.gate_scores,
            "note": self.note,
            "status": self.status,
            "created_at": self.created_at.isoformat(),
        }


class SpecStore:
    """Versions of the spec in ``HEARTH_HOME/specs.duckdb``."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @contextmanager
    def _connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise SpecError(f"cannot create {self.path.parent} for the spec store: "
                            f"{exc.strerror}; check HEARTH_HOME") from None
        con = _open(self.path)
        try:
            con.execute(_SCHEMA)
            con.execute(
                "INSERT INTO meta VALUES ('schema_version', ?) ON CONFLICT DO NOTHING",
                [str(STORE_SCHEMA_VERSION)],
            )
            yield con
        finally:
            con.close()

    @contextmanager
    def _transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        with self._connect() as con:
            con.execute("BEGIN TRANSACTION")
            try:
                yield con
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")

    @staticmethod
    def _row_to_version(row: tuple[Any, ...]) -> SpecVersion:
        body, note, status, gate_scores, created_at = row
        return SpecVersion(
            spec=Spec.model_validate_json(body),
            created_at=created_at,
            note=note,
            status=status,
            gate_scores=json.loads(gate_scores) if gate_scores else None,
        )

    def save(
        self,
        spec: Spec,
        *,
        note: str = "",
        gate_scores: dict[str, float] | None = None,
        status: Status = "saved",
    ) -> SpecVersion:
        """Store `spec` (a no-op when that content is already stored) and return it."""
        with self._transaction() as con:
            self._insert(con, spec, note=note, gate_scores=gate_scores, status=status)
        return self.get(spec.id)

    def _insert(self, con: duckdb.DuckDBPyConnection, spec: Spec, *, note: str,
                gate_scores: dict[str, float] | None, status: Status) -> None:
        con.execute(
            "INSERT INTO spec_versions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            [
                spec.id,
                spec.name,
                spec_to_json(spec),
                spec.lineage.parent_id,
                canonical_json([e.model_dump(mode="json") for e in spec.lineage.edits]),
                canonical_json(gate_scores) if gate_scores is not None else None,
                note,
                status,
                datetime.now(UTC),
            ],
        )

    def set_status(self, spec_id: str, status: Status) -> SpecVersion:
        """Mark a version pending, approved or rejected (review-mode search)."""
        version = self.get(spec_id)
        with self._transaction() as con:
            con.execute("UPDATE spec_versions SET status = ? WHERE id = ?", [status, version.id])
        return self.get(version.id)

    def get(self, ref: str) -> SpecVersion:
        """A version by full id, unique id prefix (at least 4 digits) or built-in name."""
        with self._connect() as con:
            rows = con.execute(
                "SELECT body, note, status, gate_scores, created_at FROM spec_versions "
                "WHERE id LIKE ? || '%' ORDER BY created_at LIMIT 2",
                [ref.lower()],
            ).fetchall() if len(ref) >= 4 and all(c in "0123456789abcdef" for c in ref.lower()) \
                else []
        if len(rows) > 1:
            raise SpecNotFound(f"spec id prefix {ref!r} is ambiguous; give more digits")
        if rows:
            return self._row_to_version(rows[0])
        if ref in BUILTIN_SPECS:
            return self.save(builtin_spec(ref), note="built-in")
        raise SpecNotFound(
            f"no stored spec {ref!r}; see `hearth spec history` or use a built-in: "
            f"{', '.join(BUILTIN_SPECS)}"
        )

    def history(self) -> list[SpecVersion]:
        """Every stored version, oldest first."""
        with self._connect() as con:
            rows = con.execute(
                "SELECT body, note, status, gate_scores, created_at FROM spec_versions "
                "ORDER BY created_at, id"
            ).fetchall()
        return [self._row_to_version(r) for r in rows]

    def active(self) -> Spec:
        """The active spec: the last activation not rolled back, else the default."""
        with self._connect() as con:
            row = con.execute(
                "SELECT v.body, v.note, v.status, v.gate_scores, v.created_at "
                "FROM activations a JOIN spec_versions v ON v.id = a.spec_id "
                "WHERE NOT a.rolled_back ORDER BY a.seq DESC LIMIT 1"
            ).fetchone()
        return self._row_to_version(row).spec if row else default_spec()

    def activate(self, ref: str | Spec) -> Spec:
        """Make a stored version (or a spec, saved first) the active one."""
        spec = ref if isinstance(ref, Spec) else self.get(ref).spec
        with self._transaction() as con:
            self._insert(con, spec, note="", gate_scores=None, status="saved")
            con.execute("INSERT INTO activations (spec_id, activated_at) VALUES (?, ?)",
                        [spec.id, datetime.now(UTC)])
        return spec

    def rollback(self) -> Spec:
        """Undo the last activation; the one before it becomes active again."""
        with self._transaction() as con:
            rows = con.execute(
                "SELECT seq FROM activations WHERE NOT rolled_back ORDER BY seq DESC LIMIT 2"
            ).fetchall()
            if not rows:
                raise SpecError("nothing to roll back: the built-in default spec is active and no "
                                "earlier activation remains")
            con.execute("UPDATE activations SET rolled_back = TRUE WHERE seq = ?", [rows[0][0]])
        return self.active()
