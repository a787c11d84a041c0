"""Quality: score a spec on a task set, print pass rates per category and PASS/MISS per goal.

    python benchmarks/quality.py [--tasks builtin|bfcl|FILE] [--spec NAME|FILE]
        [--edits JSON] [--part all|search|gate|test] [--category C] [--limit N]
        [--goal CATEGORY=RATE ...] [--no-cache] [--json]

A goal is a category (or ``overall``) and the pass rate it must reach, as a
share or a percentage: ``--goal arithmetic=0.9 --goal overall=60%``. Exit 1
when any goal is missed, so ``make bench`` can gate on it. Scoring goes through
`hearth.bench.score_tasks`, the same runtime the worker and the search use;
results are cached per (spec, task, model) in HEARTH_HOME unless --no-cache.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TextIO

from hearth.bench import (
    BenchReport,
    Task,
    bfcl_tasks,
    builtin_tasks,
    load_tasks,
    score_tasks,
    split_parts,
)
from hearth.bench._cache import ResultCache
from hearth.settings import load_settings
from hearth.specs import Spec, apply, builtin_spec, load_spec_file, parse_edits


def say(text: str, stream: TextIO = sys.stdout) -> None:
    """A line of output (a script, not library code: ruff's no-print rule is for the library)."""
    stream.write(text + "\n")


def goal(text: str) -> tuple[str, float]:
    """``CATEGORY=RATE`` with RATE a share in [0, 1] or a percentage ("60%")."""
    name, sep, value = text.partition("=")
    if not sep or not name:
        raise argparse.ArgumentTypeError(f"expected CATEGORY=RATE, got {text!r}")
    try:
        rate = float(value.rstrip("%")) / (100 if value.endswith("%") else 1)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a rate: {value!r} (use 0.6 or 60%)") from None
    if not 0 <= rate <= 1:
        raise argparse.ArgumentTypeError(f"rate must be within 0..1 or 0%..100%, got {value!r}")
    return name, rate


def pick_tasks(source: str, part: str, categories: list[str] | None,
               limit: int | None) -> list[Task]:
    """The task set (`builtin`, `bfcl` or a file), one part of it, some categories, N of each."""
    every = {"builtin": builtin_tasks, "bfcl": bfcl_tasks}.get(source)
    tasks = every() if every else load_tasks(Path(source))
    if part != "all":
        tasks = split_parts(tasks)[("search", "gate", "test").index(part)]
    if categories:
        tasks = [t for t in tasks if t.category in categories]
    if limit:
        seen: dict[str, int] = {}
        kept = []
        for task in tasks:
            seen[task.category] = seen.get(task.category, 0) + 1
            if seen[task.category] <= limit:
                kept.append(task)
        tasks = kept
    return tasks


def pick_spec(ref: str, edits: str | None) -> Spec:
    """A built-in spec by name or a spec file, with `edits` (JSON text or a file) applied."""
    spec = load_spec_file(Path(ref)) if ref.endswith(".json") else builtin_spec(ref)
    if not edits:
        return spec
    text = Path(edits).read_text() if Path(edits).is_file() else edits
    try:
        return apply(spec, parse_edits(json.loads(text)))
    except json.JSONDecodeError as exc:
        raise SystemExit(f"--edits: not JSON ({exc}); give a JSON list of edits or a file "
                         "holding one") from None


def verdicts(report: BenchReport, goals: list[tuple[str, float]]) -> list[str]:
    """One ``PASS``/``MISS`` line per goal."""
    rates = {**report.pass_rates, "overall": report.overall}
    lines = []
    for name, want in goals:
        got = rates.get(name)
        if got is None:
            lines.append(f"MISS {name}: no tasks of this category were run")
        else:
            word = "PASS" if got >= want else "MISS"
            lines.append(f"{word} {name}: {got:.1%} (goal >= {want:.0%})")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", default="builtin", help="builtin, bfcl or a task file")
    parser.add_argument("--spec", default="default", help="built-in spec name or .json file")
    parser.add_argument("--edits", help='edits to apply: JSON [{"op": "set_model", ...}] or a file')
    parser.add_argument("--part", choices=["all", "search", "gate", "test"], default="test",
                        help="which part of split_parts to score (default: test)")
    parser.add_argument("--category", action="append", help="only this category; repeatable")
    parser.add_argument("--limit", type=int, help="at most N tasks per category")
    parser.add_argument("--goal", type=goal, action="append", default=[], metavar="C=RATE")
    parser.add_argument("--no-cache", action="store_true", help="score every task again")
    parser.add_argument("--json", action="store_true", help="print the report as JSON too")
    args = parser.parse_args(argv)

    tasks = pick_tasks(args.tasks, args.part, args.category, args.limit)
    if not tasks:
        say("quality: no tasks selected", sys.stderr)
        return 2
    spec = pick_spec(args.spec, args.edits)
    home = load_settings().home
    cache = None if args.no_cache else ResultCache.in_home(home)
    report = score_tasks(spec, tasks, home=home, cache=cache)
    say(f"quality: {args.tasks} ({args.part} part), spec {args.spec}")
    say(report.text())
    lines = verdicts(report, args.goal)
    if lines:
        say("\n".join(lines))
    if args.json:
        say(json.dumps(report.as_json(), indent=2, ensure_ascii=False))
    return 1 if any(line.startswith("MISS") for line in lines) else 0


if __name__ == "__main__":
    sys.exit(main())
