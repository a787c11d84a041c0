"""`hearth bench`: run tasks on this machine (with progress and ETA), lint a task file, import BFCL.

* ``run`` scores a spec and prints pass rates per category;
* ``lint`` reports weak checks and near-duplicates across parts: exit 1 when it finds any;
* ``import bfcl DIR`` converts the Berkeley Function-Calling Leaderboard's data into tasks.
"""

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
    from hearth.bench import split_parts

    if part != "all":
        search, gate, test = split_parts(tasks)
        tasks = {"search": search, "gate": gate, "test": test}[part]
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


def _lint(args: argparse.Namespace, settings: Settings) -> int:
    from hearth.bench import builtin_tasks, load_tasks
    from hearth.bench._lint import lint_tasks

    tasks = builtin_tasks() if args.tasks is None else load_tasks(Path(args.tasks))
    problems = lint_tasks(tasks)
    source = args.tasks or "the built-in tasks"
    lines = [f"{p.task_id}: {p.kind}: {p.message}" for p in problems]
    lines.append(f"{source}: {len(tasks)} tasks, {len(problems)} problem(s)")
    emit({"tasks": len(tasks), "problems": [p.as_json() for p in problems]},
         as_json=args.json, text="\n".join(lines))
    return 1 if problems else 0


def _import_bfcl(args: argparse.Namespace, settings: Settings) -> int:
    from hearth.bench._bfcl import BFCL_CATEGORIES, import_bfcl, tasks_jsonl

    categories = args.category or list(BFCL_CATEGORIES)
    result = import_bfcl(Path(args.dir), categories=categories, limit=args.limit)
    limit = f" --limit {args.limit}" if args.limit else ""
    text = tasks_jsonl(result.tasks, header=[
        "Converted from the Berkeley Function-Calling Leaderboard (BFCL) data, Apache-2.0,",
        f"by `hearth bench import bfcl DIR{limit}`: see hearth/bench/data/bfcl/README.md.",
    ])
    summary = [f"{category}: {count} task(s)" for category, count in result.counts().items()]
    summary += [f"skipped {count}: {reason}" for reason, count in sorted(result.skipped.items())]
    if args.out is None:
        sys.stdout.write(text)
        print("\n".join(summary), file=sys.stderr)
        return 0
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    # Written beside, then renamed: a reader never sees half a file.
    partial = out.with_name(out.name + ".partial")
    partial.write_text(text, encoding="utf-8")
    partial.replace(out)
    print("\n".join([*summary, f"wrote {len(result.tasks)} task(s) to {out}"]))
    return 0


def register(commands: Any) -> None:
    """Add `bench` and its `run`, `lint` and `import` subcommands."""
    bench = commands.add_parser("bench", help="score a spec on benchmark tasks, on this machine")
    sub = bench.add_subparsers(dest="bench_command", metavar="ACTION", required=True)
    run = sub.add_parser("run", help="run tasks through the real runtime; print pass rates")
    run.add_argument("--tasks", metavar="FILE", help="JSON Lines task file (default: built-in)")
    run.add_argument("--spec", metavar="ID",
                     help="stored id or prefix, built-in name or .json file (default: active)")
    run.add_argument("--part", choices=["all", "search", "gate", "test"], default="all",
                     help="the search part (shown to proposers), the gate part (selects "
                     "edits), the untouched test part (reported), or all tasks")
    run.add_argument("--category", action="append", metavar="C",
                     help="only tasks of this category; repeatable")
    run.add_argument("--limit", type=_positive, metavar="N", help="only the first N tasks")
    run.add_argument("--json", action="store_true", help="machine-readable output")
    run.set_defaults(handler=_run)
    lint = sub.add_parser("lint", help="report weak checks and near-duplicate prompts; "
                                       "exit 1 when there are any")
    lint.add_argument("--tasks", metavar="FILE", help="JSON Lines task file (default: built-in)")
    lint.add_argument("--json", action="store_true", help="machine-readable output")
    lint.set_defaults(handler=_lint)
    source = sub.add_parser("import", help="convert a public benchmark into Hearth tasks")
    kinds = source.add_subparsers(dest="import_source", metavar="SOURCE", required=True)
    bfcl = kinds.add_parser("bfcl", help="the Berkeley Function-Calling Leaderboard's data "
                                         "(bfcl_eval/data in the bfcl-eval wheel)")
    bfcl.add_argument("dir", metavar="DIR", help="BFCL's data folder, or a folder above it")
    bfcl.add_argument("--out", metavar="FILE", help="write the tasks here (default: stdout)")
    bfcl.add_argument("--limit", type=_positive, metavar="N",
                      help="at most N tasks per category, in a stable spread over the file")
    bfcl.add_argument("--category", action="append", metavar="C",
                      choices=["live_simple", "live_multiple", "multiple", "live_irrelevance",
                               "simple_python", "irrelevance"],
                      help="only this BFCL category; repeatable (default: the four shipped "
                           "ones, without simple_python and irrelevance)")
    bfcl.set_defaults(handler=_import_bfcl)
