"""Scoring benchmark tasks through the real edge runtime: engine, agent, tools and memory.

Each task gets a fresh chat in a temporary memory file: its `memory` facts are
stored, its earlier turns become the chat's history, and the last user turn is
answered the way the worker answers a message (history window, recalled
memory, the spec's agent and tools). With a tool-using agent (routed or
not), the functions a task offers are added to the spec's tools, bound to a stub that answers
"Done."; the spec's own tools run for real. The reply and the tool calls that
ran are scored with the task's check.
"""

from __future__ import annotations

import functools
import secrets
import tempfile
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from hearth.bench._cache import CacheKey, ResultCache, TaskResult, task_hash
from hearth.bench._checks import ToolCallRecord, evaluate
from hearth.bench._tasks import Task
from hearth.edge_runtime import Agent, Engine, LlamaCppEngine, MemoryStore, engine_key
from hearth.edge_runtime._agent import EngineFor
from hearth.edge_runtime._pool import EnginePool
from hearth.edge_runtime._prompt import base_parts
from hearth.edge_runtime.tools import ToolBox, ToolContext, ToolDefinition, ToolResult
from hearth.errors import HearthError
from hearth.models import resolve_model
from hearth.specs import Spec

Progress = Callable[[int, int, TaskResult], None]
"""Called after each task with (tasks done, tasks in all, the task's result)."""

#: What an offered (stub) tool answers: plausible for any action, true of none.
STUB_RESULT = "Done."
#: The clock every task runs at. The prompt shows the time to the minute, so
#: with the real clock a spec scored at 03:01 and its candidate at 03:07 saw
#: different prompts, and the gate compared noise. No check depends on the
#: real date (a task's answer cannot change from day to day).
BENCH_NOW = datetime(2025, 6, 2, 9, 30, tzinfo=UTC)


class _NoReminders:
    """A scheduler that accepts reminders and sends nothing: a benchmark has no chat."""

    def schedule(self, chat_id: str, at: datetime, text: str) -> str:
        return f"bench-{uuid.uuid4().hex[:8]}"


def _stub(arguments: dict[str, Any], ctx: ToolContext) -> ToolResult:
    return ToolResult(True, STUB_RESULT, {"arguments": arguments})


def _delegate(box: ToolBox, name: str, arguments: dict[str, Any], ctx: ToolContext) -> ToolResult:
    return box.call(name, arguments, ctx)


def task_toolbox(spec: Spec, task: Task) -> ToolBox:
    """The spec's enabled tools, plus the task's offered functions for a tool-using agent.

    An offered function with the name of an enabled tool is left out: the real tool serves it.
    """
    box = ToolBox.from_spec(spec.tools)
    if spec.agent.kind != "tools" or not task.tools:
        return box
    definitions = [
        ToolDefinition(s["function"]["name"], s["function"]["description"],
                       s["function"]["parameters"],
                       functools.partial(_delegate, box, s["function"]["name"]))
        for s in box.schemas()
    ]
    definitions += [ToolDefinition(t.function.name, t.function.description,
                                   t.function.parameters, _stub)
                    for t in task.tools if t.function.name not in box]
    return ToolBox(definitions)


def run_task(spec: Spec, engine: Engine, memory: MemoryStore, task: Task, *,
             chat_id: str, engines: EngineFor | None = None) -> TaskResult:
    """Answer and score one task in a chat of `memory` that nothing else uses."""
    now = BENCH_NOW
    for fact in task.memory:
        memory.add_fact(chat_id, fact)
    earlier, text = task.turns[:-1], task.turns[-1].content
    for n, turn in enumerate(earlier):
        memory.add_message(chat_id, turn.role, turn.content, message_id=f"{chat_id}-{n}",
                           at=now - timedelta(seconds=len(earlier) - n))
    message_id = f"{chat_id}-{len(earlier)}"
    # As the worker does (`EdgeRuntime._run_agent`): history, then recalled facts and
    # earlier user messages, then the new message is stored.
    settings = spec.tools.memory
    history = memory.history(chat_id, settings.history_window)
    recalled: list[str] = []
    if settings.retrieval == "keyword" and settings.retrieval_k:
        hits = memory.search(chat_id, text, settings.retrieval_k * 2,
                             exclude_message_ids=[message_id])
        recalled = [h.text for h in hits if h.kind == "fact" or h.role == "user"]
        recalled = recalled[:settings.retrieval_k]
    memory.add_message(chat_id, "user", text, message_id=message_id, at=now)
    parts = base_parts(spec, user=text, history=[(m.role, m.text) for m in history],
                       recalled=recalled, now_local=now.astimezone(ZoneInfo(spec.agent.timezone)))
    ctx = ToolContext(chat_id=chat_id, user_id="bench", timezone=spec.agent.timezone,
                      now=lambda: now, memory=memory, scheduler=_NoReminders(),
                      allowed_hosts=spec.tools.allowed_hosts)
    started = time.monotonic()
    agent = Agent(spec, engine, task_toolbox(spec, task), engines=engines)
    try:
        out = agent.run(parts, ctx, on_text=lambda _: None,
                        deadline=started + spec.agent.job_timeout_s)
    # What the worker would turn into an apology: a failed task, not a failed run.
    except (HearthError, RuntimeError, ValueError) as exc:
        ms = (time.monotonic() - started) * 1000
        return TaskResult(task.id, task.category, text, False,
                          f"answering failed: {type(exc).__name__}: {exc}", "", ms=ms,
                          status="error")
    ms = (time.monotonic() - started) * 1000
    calls = tuple(ToolCallRecord(c.name, dict(c.arguments)) for c in out.tool_calls)
    verdict = evaluate(task.check, out.text, calls, question=text)
    return TaskResult(task.id, task.category, text, verdict.passed, verdict.reason, out.text,
                      calls, out.prompt_tokens, out.completion_tokens, ms, out.status)


@dataclass(frozen=True)
class CategoryScore:
    """Tasks passed and run in one category."""

    passed: int
    total: int

    @property
    def rate(self) -> float:
        """Share of tasks passed, in [0, 1]."""
        return self.passed / self.total if self.total else 0.0


@dataclass
class BenchReport:
    """The results of scoring one spec on a task set."""

    spec_id: str
    model: str
    run_id: str
    results: list[TaskResult] = field(default_factory=list)
    wall_s: float = 0.0
    model_sha256: str | None = None

    @property
    def by_category(self) -> dict[str, CategoryScore]:
        """Passed and total per category, sorted by name."""
        scores: dict[str, CategoryScore] = {}
        for r in sorted(self.results, key=lambda r: r.category):
            old = scores.get(r.category, CategoryScore(0, 0))
            scores[r.category] = CategoryScore(old.passed + r.passed, old.total + 1)
        return scores

    @property
    def pass_rates(self) -> dict[str, float]:
        """Pass rate per category, in [0, 1]: what the gate compares."""
        return {name: score.rate for name, score in self.by_category.items()}

    @property
    def passed(self) -> int:
        """Tasks passed."""
        return sum(r.passed for r in self.results)

    @property
    def overall(self) -> float:
        """Share of all tasks passed, in [0, 1]."""
        return self.passed / len(self.results) if self.results else 0.0

    @property
    def prompt_tokens(self) -> int:
        """Prompt tokens over every task (cached ones as first measured)."""
        return sum(r.prompt_tokens for r in self.results)

    @property
    def completion_tokens(self) -> int:
        """Completion tokens over every task (cached ones as first measured)."""
        return sum(r.completion_tokens for r in self.results)

    @property
    def cached(self) -> int:
        """Tasks whose result came from the cache."""
        return sum(r.cached for r in self.results)

    def as_json(self) -> dict[str, Any]:
        """JSON-ready form for `--json` output."""
        return {
            "run_id": self.run_id, "spec_id": self.spec_id, "model": self.model,
            "model_sha256": self.model_sha256, "tasks": len(self.results),
            "passed": self.passed, "overall": round(self.overall, 4),
            "categories": {name: {"passed": s.passed, "total": s.total, "rate": round(s.rate, 4)}
                           for name, s in self.by_category.items()},
            "prompt_tokens": self.prompt_tokens, "completion_tokens": self.completion_tokens,
            "wall_s": round(self.wall_s, 2), "cached": self.cached,
            "results": [r.as_json() for r in self.results],
        }

    def text(self) -> str:
        """A table for people: one line per category, then the totals."""
        width = max([len("category"), *(len(c) for c in self.by_category)])
        lines = [f"spec {self.spec_id[:12]} ({self.model}): {len(self.results)} tasks, "
                 f"{self.cached} from the cache",
                 f"{'category':<{width}}  passed  total    rate"]
        rows = [*self.by_category.items(), ("overall", CategoryScore(self.passed,
                                                                     len(self.results)))]
        lines += [f"{name:<{width}}  {s.passed:>6}  {s.total:>5}  {s.rate:>6.1%}"
                  for name, s in rows]
        lines.append(f"tokens: {self.prompt_tokens} prompt, {self.completion_tokens} "
                     f"completion; wall time {self.wall_s:.1f} s")
        return "\n".join(lines)


def _engine_for(spec: Spec, home: Path, given: Engine | None) -> Engine:
    # An engine loaded for another model or engine settings would score the wrong thing.
    if given is not None and getattr(given, "key", engine_key(spec)) == engine_key(spec):
        return given
    return LlamaCppEngine(spec, home)


def score_tasks(spec: Spec, tasks: Sequence[Task], *, home: Path, engine: Engine | None = None,
                cache: ResultCache | None = None, progress: Progress | None = None) -> BenchReport:
    """Score `spec` on `tasks`, in order, and report pass rates, tokens and time.

    The model is loaded once (only if some task is not cached); pass `engine` to
    reuse a loaded one; an engine with a `key` that does not match the spec's
    (`engine_key`) is not used and the spec's model is loaded instead. With a
    `cache`, results already scored for this spec, task and model file are taken
    from it, and every result is logged under the report's `run_id`.
    """
    started = time.monotonic()
    report = BenchReport(spec_id=spec.id, model=spec.intelligence.model,
                         run_id=uuid.uuid4().hex)
    keys: dict[str, CacheKey] = {}
    hits: Mapping[CacheKey, TaskResult] = {}
    if cache is not None:
        report.model_sha256 = cache.model_hash(resolve_model(spec.intelligence.model, home))
        keys = {t.id: CacheKey(spec.id, t.id, report.model_sha256, task_hash(t)) for t in tasks}
        hits = cache.lookup(keys.values())
    loaded: Engine | None = None
    pool: EnginePool | None = None
    with tempfile.TemporaryDirectory(prefix="hearth-bench-") as tmp, \
            MemoryStore(Path(tmp) / "memory.duckdb", chat_salt=secrets.token_hex(8)) as memory:
        for number, task in enumerate(tasks, start=1):
            key = keys.get(task.id)
            result = hits.get(key) if key is not None else None
            if result is None:
                if loaded is None:
                    loaded = _engine_for(spec, home, engine)
                    pool = EnginePool(spec, home, LlamaCppEngine, loaded)
                result = run_task(spec, loaded, memory, task, chat_id=f"bench-{number}",
                                  engines=pool)
            if cache is not None:
                cache.record(report.run_id, spec.id, result, key)
            report.results.append(result)
            if progress is not None:
                progress(number, len(tasks), result)
    report.wall_s = time.monotonic() - started
    return report
