"""Scored benchmark tasks: the result cache and the run log, in ``HEARTH_HOME/bench.duckdb``.

A result is cached under (spec id, task id, model file hash, task hash), so an
unchanged spec is never scored twice on the same model file and an edited task
is scored again. Every run's per-task results are logged too (cached ones
included), so the search job can read failed benchmark runs later. The file is
opened per operation, like the spec store: the CLI and the search job both use it.
"""

from __future__ import annotations

import functools
import hashlib
import json
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from hearth.bench._checks import ToolCallRecord
from hearth.bench._tasks import Task
from hearth.errors import HearthError

#: Name of the file under HEARTH_HOME.
BENCH_DB = "bench.duckdb"
#: Seconds to wait for another process to release DuckDB's file lock.
LOCK_WAIT_S = 10.0
#: Bytes read at a time when hashing a model file.
_CHUNK = 1 << 20

_COLUMNS = ("task_id, category, prompt, passed, reason, reply, tool_calls, prompt_tokens, "
            "completion_tokens, ms, status")
_RESULT_COLUMNS = """task_id VARCHAR NOT NULL, category VARCHAR NOT NULL, prompt VARCHAR NOT NULL,
    passed BOOLEAN NOT NULL, reason VARCHAR NOT NULL, reply VARCHAR NOT NULL,
    tool_calls VARCHAR NOT NULL, prompt_tokens BIGINT NOT NULL, completion_tokens BIGINT NOT NULL,
    ms DOUBLE NOT NULL, status VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL"""
_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS file_hashes (
    path VARCHAR PRIMARY KEY, size BIGINT NOT NULL, mtime_ns BIGINT NOT NULL,
    sha256 VARCHAR NOT NULL);
CREATE TABLE IF NOT EXISTS results (
    spec_id VARCHAR NOT NULL, model_sha256 VARCHAR NOT NULL, task_sha256 VARCHAR NOT NULL,
    {_RESULT_COLUMNS}, PRIMARY KEY (spec_id, task_id, model_sha256, task_sha256));
CREATE TABLE IF NOT EXISTS run_results (
    run_id VARCHAR NOT NULL, spec_id VARCHAR NOT NULL, cached BOOLEAN NOT NULL,
    {_RESULT_COLUMNS});
"""


@dataclass(frozen=True)
class TaskResult:
    """One scored task: the reply, the tool calls that ran, the verdict and its cost."""

    task_id: str
    category: str
    prompt: str
    """The last user turn, the message the assistant answered."""
    passed: bool
    reason: str
    reply: str
    tool_calls: tuple[ToolCallRecord, ...] = ()
    prompt_tokens: int = 0
    completion_tokens: int = 0
    ms: float = 0.0
    status: str = "ok"
    """ok, truncated or timeout as the agent reports it; error when answering raised."""
    cached: bool = False

    def as_json(self) -> dict[str, Any]:
        """JSON-ready form for `--json` output."""
        return {"task_id": self.task_id, "category": self.category, "prompt": self.prompt,
                "passed": self.passed, "reason": self.reason, "reply": self.reply,
                "tool_calls": _calls_json(self.tool_calls),
                "prompt_tokens": self.prompt_tokens,
                "completion_tokens": self.completion_tokens, "ms": round(self.ms, 1),
                "status": self.status, "cached": self.cached}


@dataclass(frozen=True, kw_only=True)
class LoggedResult(TaskResult):
    """A task result read back from the run log, with the run it belongs to."""

    run_id: str
    spec_id: str
    created_at: datetime = field(default_factory=lambda: datetime.now(UTC))


@dataclass(frozen=True)
class CacheKey:
    """What a cached result depends on."""

    spec_id: str
    task_id: str
    model_sha256: str
    task_sha256: str


@functools.cache
def runtime_fingerprint() -> str:
    """sha256 of the code that produces and checks answers (edge runtime, runner, checks).

    A cached result is only valid for the code that made it: after an upgrade
    that changes the agent, a prompt or a check, every task is run again.
    """
    import hearth.bench as bench_pkg
    import hearth.edge_runtime as runtime_pkg

    digest = hashlib.sha256()
    roots = [Path(runtime_pkg.__file__).parent, Path(bench_pkg.__file__).parent]
    files = [*sorted(roots[0].rglob("*.py")),
             *(roots[1] / name for name in ("_runner.py", "_checks.py", "_tasks.py",
                                            "_arguments.py", "_numbers.py"))]
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def task_hash(task: Task) -> str:
    """sha256 of the task's canonical JSON and the runtime's code.

    An edited task, or a new version of the code that answers it, gets a new hash.
    """
    text = json.dumps(task.model_dump(mode="json"), sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False)
    return hashlib.sha256((text + runtime_fingerprint()).encode("utf-8")).hexdigest()


def _calls_json(calls: Iterable[ToolCallRecord]) -> list[dict[str, Any]]:
    return [{"name": c.name, "arguments": c.arguments} for c in calls]


def _row_values(result: TaskResult) -> list[Any]:
    return [result.task_id, result.category, result.prompt, result.passed, result.reason,
            result.reply, json.dumps(_calls_json(result.tool_calls), ensure_ascii=False),
            result.prompt_tokens, result.completion_tokens, result.ms, result.status,
            datetime.now(UTC).replace(tzinfo=None)]


def _from_row(row: tuple[Any, ...], *, cached: bool) -> TaskResult:
    task_id, category, prompt, passed, reason, reply, calls, p_tok, c_tok, ms, status = row
    records = tuple(ToolCallRecord(c["name"], c.get("arguments") or {}) for c in json.loads(calls))
    return TaskResult(task_id, category, prompt, bool(passed), reason, reply, records,
                      int(p_tok), int(c_tok), float(ms), status, cached)


def _open(path: Path) -> duckdb.DuckDBPyConnection:
    deadline = time.monotonic() + LOCK_WAIT_S
    while True:
        try:
            return duckdb.connect(str(path))
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower() or time.monotonic() > deadline:
                raise HearthError(f"cannot open the benchmark cache {path}: {exc}; "
                                  "is another `hearth bench run` using it?") from None
            time.sleep(0.05)


class ResultCache:
    """Cached task results and the log of every run, in one DuckDB file."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @classmethod
    def in_home(cls, home: Path) -> ResultCache:
        """The cache at ``HEARTH_HOME/bench.duckdb``."""
        return cls(home / BENCH_DB)

    @contextmanager
    def _connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise HearthError(f"cannot create {self.path.parent} for the benchmark cache: "
                              f"{exc.strerror}; check HEARTH_HOME") from None
        con = _open(self.path)
        try:
            con.execute(_SCHEMA)
            con.execute("BEGIN TRANSACTION")
            try:
                yield con
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")
        finally:
            con.close()

    def model_hash(self, path: Path) -> str:
        """sha256 of a model file, computed again only when its size or mtime changed."""
        path = path.resolve()
        stat = path.stat()
        with self._connect() as con:
            row = con.execute("SELECT size, mtime_ns, sha256 FROM file_hashes WHERE path = ?",
                              [str(path)]).fetchone()
        if row is not None and (row[0], row[1]) == (stat.st_size, stat.st_mtime_ns):
            return str(row[2])
        digest = hashlib.sha256()
        with path.open("rb") as f:
            while chunk := f.read(_CHUNK):
                digest.update(chunk)
        sha = digest.hexdigest()
        with self._connect() as con:
            con.execute("INSERT OR REPLACE INTO file_hashes VALUES (?, ?, ?, ?)",
                        [str(path), stat.st_size, stat.st_mtime_ns, sha])
        return sha

    def lookup(self, keys: Iterable[CacheKey]) -> dict[CacheKey, TaskResult]:
        """The cached results among `keys` (marked ``cached``); missing keys are left out."""
        found: dict[CacheKey, TaskResult] = {}
        with self._connect() as con:
            for key in keys:
                row = con.execute(
                    f"SELECT {_COLUMNS} FROM results WHERE spec_id = ? AND task_id = ? "
                    "AND model_sha256 = ? AND task_sha256 = ?",
                    [key.spec_id, key.task_id, key.model_sha256, key.task_sha256]).fetchone()
                if row is not None:
                    found[key] = _from_row(row, cached=True)
        return found

    def record(self, run_id: str, spec_id: str, result: TaskResult,
               key: CacheKey | None = None) -> None:
        """Log `result` under the run; also cache it under `key` unless answering failed.

        A result that came from the cache is logged again, not cached again.
        """
        values = _row_values(result)
        with self._connect() as con:
            con.execute(f"INSERT INTO run_results (run_id, spec_id, cached, {_COLUMNS}, "
                        "created_at) VALUES (?, ?, ?, " + ", ".join("?" * len(values)) + ")",
                        [run_id, spec_id, result.cached, *values])
            if key is not None and not result.cached and result.status != "error":
                con.execute(f"INSERT OR REPLACE INTO results (spec_id, model_sha256, "
                            f"task_sha256, {_COLUMNS}, created_at) VALUES (?, ?, ?, "
                            + ", ".join("?" * len(values)) + ")",
                            [key.spec_id, key.model_sha256, key.task_sha256, *values])

    def _logged(self, where: str, params: list[Any]) -> list[LoggedResult]:
        with self._connect() as con:
            rows = con.execute(
                f"SELECT {_COLUMNS}, cached, run_id, spec_id, created_at FROM run_results "
                f"WHERE {where} ORDER BY created_at, rowid", params).fetchall()
        out = []
        for row in rows:
            base = _from_row(row[:11], cached=bool(row[11]))
            out.append(LoggedResult(**{**base.__dict__, "run_id": row[12], "spec_id": row[13],
                                       "created_at": row[14].replace(tzinfo=UTC)}))
        return out

    def run_results(self, run_id: str) -> list[LoggedResult]:
        """Every task result logged under `run_id`, in the order they were scored."""
        return self._logged("run_id = ?", [run_id])

    def failures(self, *, since: datetime | None = None,
                 spec_id: str | None = None) -> list[LoggedResult]:
        """Failed task results of every run (since `since`, of `spec_id` when given)."""
        where: list[str] = ["NOT passed"]
        params: list[Any] = []
        if since is not None:
            where.append("created_at > ?")
            params.append(since.astimezone(UTC).replace(tzinfo=None))
        if spec_id is not None:
            where.append("spec_id = ?")
            params.append(spec_id)
        return self._logged(" AND ".join(where), params)
