"""The result cache and run log in bench.duckdb, alone and under `score_tasks`."""

from __future__ import annotations

import hashlib
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from hearth.bench import ToolCallRecord
from hearth.bench._cache import CacheKey, ResultCache, TaskResult, task_hash
from hearth.bench._runner import score_tasks
from hearth.specs import Spec, apply, default_spec, parse_edits
from tests.bench.test_runner import ScriptedEngine, task


@pytest.fixture
def model(home: Path) -> Path:
    """A small stand-in model file: hashed like a real one, never loadable."""
    path = home / "models" / "tiny.gguf"
    path.parent.mkdir()
    path.write_bytes(b"GGUF" + bytes(range(256)) * 64)
    return path


@pytest.fixture
def spec(model: Path) -> Spec:
    """The default spec on the stand-in model: loading it would fail loudly."""
    return apply(default_spec(), parse_edits([{"op": "set_model", "model": str(model)}]))


def result(task_id: str = "t1", **fields: object) -> TaskResult:
    values: dict[str, object] = {
        "category": "factual", "prompt": "Capital of France?", "passed": True,
        "reason": "ok", "reply": "Paris", "prompt_tokens": 12, "completion_tokens": 3,
        "ms": 81.5, **fields}
    return TaskResult(task_id, **values)  # type: ignore[arg-type]


def test_model_hash_is_the_files_sha256_and_is_kept_until_the_file_changes(
        home: Path, model: Path) -> None:
    cache = ResultCache.in_home(home)
    original = hashlib.sha256(model.read_bytes()).hexdigest()
    assert cache.model_hash(model) == original
    stat = model.stat()
    # Same size and mtime: the stored hash is used, the file is not read again.
    model.write_bytes(b"XXXX" + model.read_bytes()[4:])
    os.utime(model, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert ResultCache.in_home(home).model_hash(model) == original
    os.utime(model, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    assert cache.model_hash(model) == hashlib.sha256(model.read_bytes()).hexdigest() != original


def test_task_hash_follows_the_tasks_content() -> None:
    assert task_hash(task()) == task_hash(task())
    assert task_hash(task()) != task_hash(task(check={"type": "contains", "value": "paris"}))
    assert task_hash(task()) != task_hash(task(memory=["a fact"]))


def test_a_recorded_result_is_cached_under_its_key_and_logged(home: Path) -> None:
    cache = ResultCache.in_home(home)
    key = CacheKey("spec", "t1", "model", "task")
    calls = (ToolCallRecord("set_light", {"room": "kitchen", "state": "on"}),)
    stored = result(tool_calls=calls, status="truncated")
    cache.record("run-1", "spec", stored, key)
    other = CacheKey("spec", "t1", "model", "edited-task")
    found = ResultCache.in_home(home).lookup([key, other])
    assert found == {key: TaskResult(**{**stored.__dict__, "cached": True})}
    (logged,) = cache.run_results("run-1")
    assert (logged.run_id, logged.spec_id, logged.tool_calls) == ("run-1", "spec", calls)
    assert logged.created_at.tzinfo is UTC and not logged.cached


def test_errors_are_logged_but_never_cached(home: Path) -> None:
    cache = ResultCache.in_home(home)
    key = CacheKey("spec", "t1", "model", "task")
    cache.record("run-1", "spec", result(passed=False, status="error"), key)
    assert cache.lookup([key]) == {}
    assert [r.status for r in cache.run_results("run-1")] == ["error"]


def test_failures_are_read_back_by_time_and_spec(home: Path) -> None:
    cache = ResultCache.in_home(home)
    cache.record("run-1", "spec-a", result("t1", passed=False, reason="expected Paris"))
    cache.record("run-1", "spec-a", result("t2"))
    before = datetime.now(UTC)
    cache.record("run-2", "spec-b", result("t3", passed=False))
    assert [r.task_id for r in cache.failures()] == ["t1", "t3"]
    assert [r.task_id for r in cache.failures(since=before)] == ["t3"]
    assert [r.task_id for r in cache.failures(since=before - timedelta(hours=1),
                                              spec_id="spec-a")] == ["t1"]
    first = cache.failures()[0]
    assert (first.prompt, first.reply, first.reason) == ("Capital of France?", "Paris",
                                                         "expected Paris")


def test_an_unchanged_spec_is_never_scored_twice(home: Path, spec: Spec, model: Path) -> None:
    tasks = [task(id="a"), task(id="b", check={"type": "contains", "value": "Rome"})]
    engine = ScriptedEngine(reply=lambda user: "Paris")
    first = score_tasks(spec, tasks, home=home, engine=engine, cache=ResultCache.in_home(home))
    assert first.cached == 0 and len(engine.prompts) == 2
    # No engine now: a model load would fail on the stand-in file, so nothing may run.
    again = score_tasks(spec, tasks, home=home, cache=ResultCache.in_home(home))
    assert again.cached == 2 and again.pass_rates == first.pass_rates == {"factual": 0.5}
    assert [r.reply for r in again.results] == ["Paris", "Paris"]
    assert again.prompt_tokens == first.prompt_tokens
    logged = ResultCache.in_home(home).run_results(again.run_id)
    assert [(r.task_id, r.cached) for r in logged] == [("a", True), ("b", True)]
    assert again.model_sha256 == hashlib.sha256(model.read_bytes()).hexdigest()


def test_a_new_spec_task_or_model_file_is_scored_again(home: Path, spec: Spec,
                                                       model: Path) -> None:
    cache = ResultCache.in_home(home)
    engine = ScriptedEngine(reply=lambda user: "Paris")
    score_tasks(spec, [task(id="a"), task(id="b")], home=home, engine=engine, cache=cache)
    edited = [task(id="a"), task(id="b", memory=["The user likes Paris."])]
    assert score_tasks(spec, edited, home=home, engine=engine, cache=cache).cached == 1
    warmer = apply(spec, parse_edits([{"op": "set_field",
                                       "path": "intelligence.sampling.temperature",
                                       "value": 0.9}]))
    assert score_tasks(warmer, edited, home=home, engine=engine, cache=cache).cached == 0
    model.write_bytes(model.read_bytes() + b"more")
    assert score_tasks(spec, edited, home=home, engine=engine, cache=cache).cached == 0
    assert len(engine.prompts) == 2 + 1 + 2 + 2
