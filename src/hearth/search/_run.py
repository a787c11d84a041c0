"""Running a whole search on this machine: scorer, planner, loop, report, publish."""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import redis

from hearth.bench import Task, builtin_tasks, load_tasks, split_parts
from hearth.bench._cache import ResultCache
from hearth.bench._runner import Progress, score_tasks
from hearth.edge_runtime import Engine, LlamaCppEngine, engine_key
from hearth.errors import ConfigError
from hearth.search._budget import Budget
from hearth.search._gather import Gathered, gather_lessons
from hearth.search._lessons import Lesson, LessonCursor
from hearth.search._log import SessionLog
from hearth.search._loop import SearchResult, run_search
from hearth.search._publish import publish, store_for
from hearth.search._report import write_report
from hearth.search._session import SESSION_MINUTES, Outcome, ScoreSheet, SearchContext
from hearth.search.proposers import Candidate, ClusterMap, installed_options
from hearth.settings import Settings
from hearth.specs import Spec

log = logging.getLogger(__name__)


class BenchScorer:
    """Scores specs with the real edge runtime, reusing loaded models and the result cache."""

    def __init__(self, home: Path, pause: Callable[[], None] = lambda: None,
                 on_task: Progress | None = None) -> None:
        self.home = home
        self.on_task = on_task
        self.cache = ResultCache.in_home(home)
        self._engines: dict[Any, Engine] = {}
        self.pause = pause

    def score(self, spec: Spec, tasks: Sequence[Task]) -> ScoreSheet:
        """Per-category pass rates of `spec` on `tasks`.

        `pause` runs first: a night waits there while the chat is busy, so a
        reply waits for at most the one evaluation already under way.
        """
        self.pause()
        key = engine_key(spec)
        engine = self._engines.get(key)
        if engine is None:
            engine = self._engines[key] = LlamaCppEngine(spec, self.home)
        report = score_tasks(spec, tasks, home=self.home, engine=engine, cache=self.cache,
                             progress=self.on_task)
        outcomes = tuple(Outcome(r.task_id, r.category, r.prompt, r.reply, r.passed, r.reason)
                         for r in report.results)
        return ScoreSheet(dict(report.pass_rates), report.overall, outcomes)


class TeacherPlanner:
    """The teacher as a synchronous `Planner`; its budget spans the whole search.

    `trace_lessons` (already scrubbed on their workers) go with every request
    that aims at the cluster they belong to, beside the search part's failures.
    """

    def __init__(self, settings: Settings, budget: Budget,
                 trace_lessons: Sequence[Lesson] = (), clusters: ClusterMap | None = None) -> None:
        self.settings = settings
        self.clusters = clusters
        self.budget = budget
        self.trace_lessons = tuple(trace_lessons)
        # The response format the teacher accepted last time: a server that
        # refuses json_schema costs one refused request per search, not per cluster.
        self.format_level = 0

    def plan(self, spec: Spec, cluster: str, failures: Sequence[Outcome]) -> list[Candidate]:
        """Ask the teacher for edits aimed at `cluster`."""
        from hearth.search._lessons import collect_lessons
        from hearth.search._teacher import Teacher

        lessons = collect_lessons((), failures, since=None, eligible=spec.learning.eligible,
                                  facts_by_chat={}, salt="bench")
        lessons += [lesson for lesson in self.trace_lessons
                    if cluster_of(lesson.category, self.clusters) in (cluster, None)]

        async def ask() -> list[Candidate]:
            async with Teacher.from_settings(self.settings, self.budget) as teacher:
                teacher.format_level = self.format_level
                result = await teacher.propose_edits(lessons, spec, cluster)
                self.format_level = teacher.format_level
            refused = []
            for rejected in result.rejected:
                log.info("teacher proposal rejected: %s", rejected.reason)
                refused.append(Candidate(rejected.target or cluster, (),
                                         _snippet(rejected.raw), "teacher",
                                         invalid=rejected.reason))
            return [p.candidate() for p in result.proposals] + refused

        return asyncio.run(ask())


def gate_subsample(gate: Sequence[Task], size: int) -> list[Task]:
    """A stable subsample of the gate, the same tasks every night, in gate order."""
    ranked = sorted(gate, key=lambda t: hashlib.sha256(t.id.encode()).hexdigest())
    kept = {t.id for t in ranked[:size]}
    return [t for t in gate if t.id in kept]


def _snippet(raw: object) -> str:
    text = raw if isinstance(raw, str) else json.dumps(raw, ensure_ascii=False, default=str)
    return text if len(text) <= 120 else text[:120] + "…"


def cluster_of(lesson_category: str, clusters: ClusterMap | None = None) -> str | None:
    """The gate category a trace lesson counts against, if any (see `ClusterMap`).

    Without `clusters`, the map of the built-in tasks and the default spec.
    """
    from hearth.specs import default_spec

    return (clusters or ClusterMap(builtin_tasks(), default_spec())).cluster_of(lesson_category)


#: Who may propose edits, for `hearth search run --proposer`.
PROPOSERS = ("auto", "offline", "teacher", "both", "local")


def search_now(settings: Settings, *, proposer: str = "auto", **options: Any) -> SearchResult:
    """`_search_now`, with a local teacher started first where one is due (and stopped after).

    "local" serves HEARTH_TEACHER_MODEL or the largest installed model with
    llama.cpp's server; "auto" does so when HEARTH_TEACHER_MODEL is set without
    HEARTH_TEACHER_URL (see `teacher_settings`).
    """
    from hearth.search._local_teacher import teacher_settings

    if proposer not in PROPOSERS:
        raise ConfigError(f"unknown proposer {proposer!r}; use one of {', '.join(PROPOSERS)}")
    with teacher_settings(settings, proposer) as (taught, who):
        return _search_now(taught, proposer=who, **options)


def _search_now(settings: Settings, *, sessions: int | None = None,
               budget_usd: float | None = None, tasks_file: Path | None = None,
               client: redis.Redis | None = None, proposer: str = "auto",
               progress: Callable[[str], None] = lambda m: None,
               pause: Callable[[], None] = lambda: None,
               on_task: Progress | None = None,
               on_candidates: Callable[[int, int], None] = lambda done, total: None,
               minutes: float = SESSION_MINUTES) -> SearchResult:
    """Run the search from the active spec, write the report, publish when allowed.

    Tasks are split in three parts (`split_parts`): the search part is shown
    to the proposers, the gate part decides (its score is the "selection
    score"), and the test part is only scored for the report.
    `proposer`: "offline", "teacher", "both", or "auto" (both when a teacher
    is configured, else offline). `pause` is called before every evaluation,
    `on_task` after every task scored and `on_candidates(done, planned)`
    after every candidate scored (for progress bars). `minutes`: a session
    stops scoring new candidates after that long.
    """
    if minutes <= 0:
        raise ConfigError(f"--minutes must be above 0, got {minutes:g}")
    teacher_set = bool(settings.teacher_url and settings.teacher_model)
    if proposer in ("teacher", "both") and not teacher_set:
        raise ConfigError(f"--proposer {proposer} needs a teacher: set HEARTH_TEACHER_URL and "
                          "HEARTH_TEACHER_MODEL", variable="HEARTH_TEACHER_URL")
    if proposer not in PROPOSERS:
        raise ConfigError(f"unknown proposer {proposer!r}; use one of {', '.join(PROPOSERS)}")
    store = store_for(settings)
    spec = store.active()
    cursor, started = LessonCursor.in_home(settings.home), datetime.now(UTC)
    gathered = gather_lessons(settings.home, client, since=cursor.load(),
                              eligible=spec.learning.eligible)
    progress(_gathered_line(gathered))
    tasks = load_tasks(tasks_file) if tasks_file else builtin_tasks()
    search_part, gate, test = split_parts(tasks)
    clusters = ClusterMap(tasks, spec)
    learning = spec.learning
    budget = Budget.from_learning(learning)
    if budget_usd is not None:
        budget.max_usd = budget_usd
    planner = None
    if teacher_set and proposer != "offline":
        planner = TeacherPlanner(settings, budget, gathered.lessons, clusters)
    ctx = SearchContext(scorer=BenchScorer(settings.home, pause, on_task), search_tasks=search_part,
                        gate_tasks=gate_subsample(gate, learning.gate_subsample),
                        test_tasks=test, on_candidates=on_candidates, session_minutes=minutes,
                        log=SessionLog(settings.home / "search.duckdb"), planner=planner,
                        use_offline=proposer != "teacher",
                        models=installed_options(settings.home),
                        trace_clusters=[c for c in map(clusters.cluster_of, (
                            lesson.category for lesson in gathered.lessons)) if c],
                        teacher_usage=lambda: (budget.used_tokens, budget.used_usd),
                        on_progress=progress)
    result = run_search(ctx, store, spec, max_sessions=sessions or learning.max_sessions,
                        budget_left=lambda: not budget.exhausted,
                        publish=lambda s: publish(settings, s, client))
    cursor.save(started)  # the next search learns from traces after this one began
    write_report(ctx.log, settings.home / "search-report", eps=learning.epsilon)
    return result


def _gathered_line(gathered: Gathered) -> str:
    line = f"lessons from traces: {len(gathered.lessons)}"
    if gathered.workers:
        line += f" (from {', '.join(gathered.workers)})"
    if gathered.missing:
        line += f"; no answer from {', '.join(gathered.missing)}"
    return line
