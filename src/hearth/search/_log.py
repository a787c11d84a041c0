"""The search session log in DuckDB: every candidate, its scores, the decision, why."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL);
CREATE TABLE IF NOT EXISTS sessions (
    session_id INTEGER PRIMARY KEY,
    started_at TIMESTAMPTZ NOT NULL,
    ended_at TIMESTAMPTZ,
    base_spec VARCHAR NOT NULL,
    result_spec VARCHAR NOT NULL,
    gate_before VARCHAR NOT NULL,
    gate_after VARCHAR NOT NULL,
    overall_before DOUBLE NOT NULL,
    overall_after DOUBLE NOT NULL,
    accepted BOOLEAN NOT NULL,
    teacher_tokens BIGINT NOT NULL DEFAULT 0,
    teacher_usd DOUBLE NOT NULL DEFAULT 0,
    note VARCHAR NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS candidates (
    session_id INTEGER NOT NULL,
    n INTEGER NOT NULL,
    source VARCHAR NOT NULL,
    target VARCHAR NOT NULL,
    edits VARCHAR NOT NULL,
    rationale VARCHAR NOT NULL,
    spec_id VARCHAR,
    scores VARCHAR,
    overall DOUBLE,
    decision VARCHAR NOT NULL,
    reason VARCHAR NOT NULL,
    PRIMARY KEY (session_id, n)
);
ALTER TABLE sessions ADD COLUMN IF NOT EXISTS test_before VARCHAR;
ALTER TABLE sessions ADD COLUMN IF NOT EXISTS test_after VARCHAR;
ALTER TABLE sessions ADD COLUMN IF NOT EXISTS test_overall_before DOUBLE;
ALTER TABLE sessions ADD COLUMN IF NOT EXISTS test_overall_after DOUBLE;
ALTER TABLE candidates ADD COLUMN IF NOT EXISTS rung INTEGER;
ALTER TABLE candidates ADD COLUMN IF NOT EXISTS kind VARCHAR;
ALTER TABLE candidates ADD COLUMN IF NOT EXISTS cost VARCHAR;
"""
# Columns added after schema version 1 (logs written before them read as NULL):
# the untouched test part's scores, the rung of successive halving, and which
# proposer made a candidate with what it costs to run (a model's size, speed).


@dataclass
class CandidateRecord:
    """One candidate as logged."""

    source: str
    target: str
    edits: list[dict[str, Any]]
    rationale: str
    decision: str  # accepted | rejected | pruned | refused | invalid
    reason: str
    spec_id: str | None = None
    scores: dict[str, float] | None = None
    """Selection scores on the gate tasks of the last rung it reached."""
    overall: float | None = None
    rung: int | None = None
    """Successive-halving rung it was last scored on (0: the target check, then samples)."""
    kind: str = ""
    """Which proposer made it (few_shot, tools, routes, instructions, sampling, model, ...)."""
    cost: dict[str, float] = field(default_factory=dict)
    """What it costs to run where known: a model's bytes, decode tokens/s."""


@dataclass
class SessionRecord:
    """One session as logged.

    `gate_*` are selection scores (the gate decided with them); `test_*` are
    the untouched test part's scores of the start and result specs, measured
    after every decision and used by none: the numbers to report.
    """

    session_id: int
    started_at: datetime
    base_spec: str
    result_spec: str
    gate_before: dict[str, float]
    gate_after: dict[str, float]
    overall_before: float
    overall_after: float
    accepted: bool
    teacher_tokens: int = 0
    teacher_usd: float = 0.0
    note: str = ""
    candidates: list[CandidateRecord] = field(default_factory=list)
    ended_at: datetime | None = None
    test_before: dict[str, float] = field(default_factory=dict)
    test_after: dict[str, float] = field(default_factory=dict)
    test_overall_before: float | None = None
    test_overall_after: float | None = None

    def count(self, decision: str) -> int:
        """Candidates of this session with `decision`."""
        return sum(c.decision == decision for c in self.candidates)

    @property
    def tried(self) -> int:
        """Candidates scored on at least one rung."""
        return sum(c.decision in ("accepted", "rejected", "pruned") for c in self.candidates)

    @property
    def minutes(self) -> float | None:
        """How long the session took, once logged."""
        if self.ended_at is None:
            return None
        return (self.ended_at - self.started_at).total_seconds() / 60


class SessionLog:
    """``HEARTH_HOME/search.duckdb``, opened per operation like the spec store."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @contextmanager
    def _connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        con = duckdb.connect(str(self.path))
        try:
            con.execute(_SCHEMA)
            con.execute("INSERT INTO meta VALUES ('schema_version', '1') ON CONFLICT DO NOTHING")
            yield con
        finally:
            con.close()

    def next_session_id(self) -> int:
        """The id the next session gets."""
        with self._connect() as con:
            row = con.execute("SELECT coalesce(max(session_id), 0) + 1 FROM sessions").fetchone()
        return int(row[0]) if row else 1

    def record(self, session: SessionRecord) -> None:
        """Write a finished session and its candidates in one transaction."""
        with self._connect() as con:
            con.execute("BEGIN TRANSACTION")
            try:
                con.execute(
                    "INSERT INTO sessions (session_id, started_at, ended_at, base_spec, "
                    "result_spec, gate_before, gate_after, overall_before, overall_after, "
                    "accepted, teacher_tokens, teacher_usd, note, test_before, test_after, "
                    "test_overall_before, test_overall_after) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [session.session_id, session.started_at, datetime.now(UTC),
                     session.base_spec, session.result_spec, json.dumps(session.gate_before),
                     json.dumps(session.gate_after), session.overall_before,
                     session.overall_after, session.accepted, session.teacher_tokens,
                     session.teacher_usd, session.note, json.dumps(session.test_before),
                     json.dumps(session.test_after), session.test_overall_before,
                     session.test_overall_after])
                for n, c in enumerate(session.candidates):
                    con.execute(
                        "INSERT INTO candidates (session_id, n, source, target, edits, "
                        "rationale, spec_id, scores, overall, decision, reason, rung, kind, "
                        "cost) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        [session.session_id, n, c.source, c.target, json.dumps(c.edits),
                         c.rationale, c.spec_id,
                         json.dumps(c.scores) if c.scores is not None else None,
                         c.overall, c.decision, c.reason, c.rung, c.kind,
                         json.dumps(c.cost) if c.cost else None])
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")

    def scored_specs(self) -> set[str]:
        """Ids of every candidate spec scored on the gate in any session.

        Scoring is deterministic (fixed seed, same tasks), so scoring one again
        would only repeat its decision; later sessions spend the time elsewhere.
        """
        with self._connect() as con:
            rows = con.execute("SELECT DISTINCT spec_id FROM candidates WHERE spec_id IS NOT NULL "
                               "AND decision IN ('accepted', 'rejected', 'pruned')").fetchall()
        return {str(r[0]) for r in rows}

    def sessions(self) -> list[SessionRecord]:
        """Every session with its candidates, oldest first."""
        with self._connect() as con:
            rows = con.execute("SELECT session_id, started_at, base_spec, result_spec, "
                               "gate_before, gate_after, overall_before, overall_after, "
                               "accepted, teacher_tokens, teacher_usd, note, ended_at, "
                               "test_before, test_after, test_overall_before, "
                               "test_overall_after "
                               "FROM sessions "
                               "ORDER BY session_id").fetchall()
            cands = con.execute("SELECT session_id, source, target, edits, rationale, decision, "
                                "reason, spec_id, scores, overall, rung, kind, cost "
                                "FROM candidates ORDER BY session_id, n").fetchall()
        out = [SessionRecord(r[0], r[1], r[2], r[3], json.loads(r[4]), json.loads(r[5]), r[6],
                             r[7], r[8], r[9], r[10], r[11], ended_at=r[12],
                             test_before=json.loads(r[13]) if r[13] else {},
                             test_after=json.loads(r[14]) if r[14] else {},
                             test_overall_before=r[15], test_overall_after=r[16])
               for r in rows]
        by_id = {s.session_id: s for s in out}
        for c in cands:
            by_id[c[0]].candidates.append(CandidateRecord(
                source=c[1], target=c[2], edits=json.loads(c[3]), rationale=c[4],
                decision=c[5], reason=c[6], spec_id=c[7],
                scores=json.loads(c[8]) if c[8] else None, overall=c[9], rung=c[10],
                kind=c[11] or "", cost=json.loads(c[12]) if c[12] else {}))
        return out
