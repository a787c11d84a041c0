"""`hearth bench run`: score a spec on benchmark tasks on this machine, with progress and ETA."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hearth.cli._output import emit
from hearth.cli._progress import TaskProgress
from hearth.errors import ConfigError
from hearth.settings import Settings

if TYPE_CHECKING:
    from hearth.bench import Task

def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, got {value}")
    return value


def select(tasks: list[Task], *, part: str, categories: list[str] | None,
           limit: int | None) -> list[Task]:
    """The tasks `--part`, `--category` and `--limit` keep, in file order."""
    from hearth.bench import split

    if part != "all":
        search, gate = split(tasks)
        tasks = search if part == "search" else gate
    if categories:
        tasks = [t for t in tasks if t.category in categories]
    return tasks[:limit] if limit else tasks


def _run(args: argparse.Namespace, settings: Settings) -> int:
    from hearth.bench import builtin_tasks, load_tasks
    from hearth.bench._cache import ResultCache
    from hearth.bench._runner import score_tasks
    from hearth.cli._spec import resolve_ref, store_for

    every = builtin_tasks() if args.tasks is None else load_tasks(Path(args.tasks))
    tasks = select(every, part=args.part, categories=args.category, limit=args.limit)
    if not tasks:
        known = ", ".join(sorted({t.category for t in every})) or "none"
        raise ConfigError(f"no tasks to run: {len(every)} task(s) loaded, none left after "
                          f"--part/--category/--limit (categories: {known})")
    store = store_for(settings)
    spec = resolve_ref(store, args.spec) if args.spec else store.active()
    bar = TaskProgress(sys.stderr, label="bench")
    try:
        report = score_tasks(spec, tasks, home=settings.home,
                             cache=ResultCache.in_home(settings.home), progress=bar)
    finally:
        bar.close()
    emit(report.as_json(), as_json=args.json, text=report.text())
    return 0


def register(commands: Any) -> None:
    """Add `bench` and its `run` subcommand."""
    bench = commands.add_parser("bench", help="score a spec on benchmark tasks, on this machine")
    sub = bench.add_subparsers(dest="bench_command", metavar="ACTION", required=True)
    run = sub.add_parser("run", help="run tasks through the real runtime; print pass rates")
    run.add_argument("--tasks", metavar="FILE", help="JSON Lines task file (default: built-in)")
    run.add_argument("--spec", metavar="ID",
                     help="stored id or prefix, built-in name or .json file (default: active)")
    run.add_argument("--part", choices=["all", "search", "gate"], default="all",
                     help="the search part, the held-out gate part, or all tasks")
    run.add_argument("--category", action="append", metavar="C",
                     help="only tasks of this category; repeatable")
    run.add_argument("--limit", type=_positive, metavar="N", help="only the first N tasks")
    run.add_argument("--json", action="store_true", help="machine-readable output")
    run.set_defaults(handler=_run)
