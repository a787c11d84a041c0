"""`hearth search run|preview|report|schedule`."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from hearth.cli._output import emit
from hearth.settings import Settings, load_settings


def _client(settings: Settings) -> Any:
    if settings.redis_url is None:
        return None
    from hearth.queue import connect

    return connect(settings.redis_url.get_secret_value())


def _run(args: argparse.Namespace, settings: Settings) -> int:
    from hearth.cli._progress import TaskProgress
    from hearth.search._run import search_now
    from hearth.search._session import SESSION_MINUTES

    bar = TaskProgress(sys.stderr, label="search")
    try:
        result = search_now(settings, sessions=args.sessions, budget_usd=args.budget_usd,
                            tasks_file=Path(args.tasks) if args.tasks else None,
                            client=_client(settings), proposer=args.proposer,
                            progress=bar.phase, on_task=bar, on_candidates=bar.candidates,
                            minutes=SESSION_MINUTES if args.minutes is None else args.minutes)
    finally:
        bar.close()
    sessions = [s.record for s in result.sessions]
    data = {"start": result.start.id, "final": result.final.id, "improved": result.improved,
            "pending": result.pending, "stopped_because": result.stopped_because,
            "sessions": [{"id": s.session_id, "test_before": s.test_overall_before,
                          "test_after": s.test_overall_after,
                          "test_by_category_before": s.test_before,
                          "test_by_category_after": s.test_after,
                          "selection_before": s.overall_before,
                          "selection_after": s.overall_after, "accepted": s.accepted,
                          "tried": s.tried, "pruned": s.count("pruned"),
                          "accepted_candidates": s.count("accepted")} for s in sessions]}
    lines = [_session_line(s) for s in sessions]
    lines.append(f"final spec {result.final.short_id}"
                 + (" (pending review: hearth spec approve ID)" if result.pending else "")
                 + f"; stopped: {result.stopped_because}")
    lines.append(f"report: {settings.home / 'search-report' / 'report.md'}")
    emit(data, as_json=args.json, text="\n".join(lines))
    return 0


def _session_line(s: Any) -> str:
    test = (f"test {s.test_overall_before:.3f} -> {s.test_overall_after:.3f}"
            if s.test_overall_before is not None else "test part empty")
    return (f"session {s.session_id}: {test} (selection score {s.overall_before:.3f} -> "
            f"{s.overall_after:.3f}); {s.tried} candidates tried, {s.count('pruned')} pruned, "
            f"{s.count('accepted')} accepted{'; kept an edit' if s.accepted else ''}")


def _preview(args: argparse.Namespace, settings: Settings) -> int:
    from hearth.bench import builtin_tasks, split_parts
    from hearth.bench._cache import ResultCache
    from hearth.search._gather import gather_lessons
    from hearth.search._lessons import LessonCursor, preview_command
    from hearth.specs import SpecStore, default_spec

    # The teacher sees the search part only: gate and test failures stay here.
    _, gate_part, test_part = split_parts(builtin_tasks())
    gate = {t.id for t in (*gate_part, *test_part)}
    failures = [f for f in ResultCache.in_home(settings.home).failures() if f.task_id not in gate]
    store = settings.home / "specs.duckdb"
    eligible = (SpecStore(store).active() if store.exists() else default_spec()).learning.eligible
    # Running workers hold their memory files open: ask them through the queue.
    gathered = gather_lessons(settings.home, _client(settings),
                              since=LessonCursor.in_home(settings.home).load(), eligible=eligible)
    print(preview_command(settings, lessons=gathered.lessons, bench_failures=failures,
                          gate_ids=gate))
    return 0


def _report(args: argparse.Namespace, settings: Settings) -> int:
    from hearth.search import SessionLog, write_report

    md, png = write_report(SessionLog(settings.home / "search.duckdb"),
                           settings.home / "search-report")
    emit({"report": str(md), "chart": str(png)}, as_json=args.json,
         text=f"report: {md}\nchart:  {png}")
    return 0


def _schedule(args: argparse.Namespace, settings: Settings) -> int:
    from hearth.cli._redis import redis_url
    from hearth.queue import connect
    from hearth.search._nightly import ensure_schedule

    at = settings.nightly_at if args.at is None else load_settings(nightly_at=args.at).nightly_at
    client = connect(redis_url(settings))
    when = ensure_schedule(client, at, settings.timezone)
    if when is None:
        emit({"next_run": None}, as_json=args.json, text="nightly search off (no run scheduled)")
        return 0
    emit({"next_run": when.isoformat()}, as_json=args.json,
         text=f"nightly search scheduled; next run {when:%Y-%m-%d %H:%M} UTC "
              f"({at} {settings.timezone}) on an edge worker")
    return 0


def _night(args: argparse.Namespace, settings: Settings) -> int:
    from hearth.cli._redis import redis_url
    from hearth.queue import connect
    from hearth.search import Night

    # Below the chat's worker for the CPU, as systemd's Nice=10 did for the old timer.
    os.nice(10)
    report = Night(settings, connect(redis_url(settings)), args.worker,
                   tasks_file=Path(args.tasks) if args.tasks else None,
                   sessions=args.sessions).run()
    print(report.text if report else "another night is running", file=sys.stderr)
    return 0 if report is not None and not report.failed else 1


def register(commands: Any) -> None:
    """Add `search` and its subcommands."""
    search = commands.add_parser("search", help="the nightly spec search")
    sub = search.add_subparsers(dest="search_command", metavar="ACTION", required=True)
    run = sub.add_parser("run", help="run search sessions now")
    run.add_argument("--sessions", type=int)
    run.add_argument("--budget-usd", type=float)
    run.add_argument("--tasks", metavar="FILE")
    run.add_argument("--minutes", type=float,
                     help="a session stops scoring new candidates after this many minutes "
                     "(default 25)")
    run.add_argument("--proposer", choices=("auto", "offline", "teacher", "both", "local"),
                     default="auto", help="who proposes edits (auto: both when a teacher "
                     "is configured, a local one when only HEARTH_TEACHER_MODEL is set, else "
                     "the offline proposer; local: a teacher served here by llama.cpp)")
    run.set_defaults(handler=_run)
    preview = sub.add_parser("preview", help="print exactly what would be sent to the teacher")
    preview.set_defaults(handler=_preview)
    report = sub.add_parser("report", help="write the Markdown report and PNG chart")
    report.set_defaults(handler=_report)
    schedule = sub.add_parser("schedule", help="(re)schedule the nightly run; `hearth up` "
                              "does this by itself")
    schedule.add_argument("--at", help="HH:MM in HEARTH_TIMEZONE, or `off` "
                          "(default: HEARTH_NIGHTLY_AT, 03:00)")
    schedule.set_defaults(handler=_schedule)
    # Started by the nightly job on a worker; yields to that worker's chats.
    night = sub.add_parser("night", help=argparse.SUPPRESS)
    night.add_argument("--worker", required=True)
    night.add_argument("--tasks", metavar="FILE")
    night.add_argument("--sessions", type=int)
    night.set_defaults(handler=_night)
    for parser in (run, preview, report, schedule):
        parser.add_argument("--json", action="store_true")
