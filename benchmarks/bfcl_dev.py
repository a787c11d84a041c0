"""A development set of BFCL tasks that no shipped task decides: where readers are chosen.

    python benchmarks/bfcl_dev.py DATA_DIR OUT.jsonl

DATA_DIR is the ``bfcl_eval/data`` folder of the ``bfcl-eval`` wheel (``pip
download --no-deps bfcl-eval -d /tmp/bfcl && unzip -q -d /tmp/bfcl
/tmp/bfcl/*.whl``). The set holds the `live_simple` and `live_irrelevance`
records that are not among the 400 shipped in ``hearth/bench/data/bfcl``, and
none that offers a function or asks a question of a shipped test-part task:
rules written against these tasks cannot have seen the test part, which stays
the reported score. Tasks are written in BFCL's stable order, so ``--limit N``
of `quality.py` takes the same N every time:

    python benchmarks/quality.py --tasks OUT.jsonl --part all \\
        --category bfcl_live_simple --category bfcl_live_irrelevance --limit 66 --no-cache

``--written`` adds BFCL's own written categories, ``simple_python`` and
``irrelevance``, which no shipped part holds (the same overlap rule applies):
questions of another style than the user-contributed `live` ones.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from hearth.bench import Task, bfcl_tasks, split_parts
from hearth.bench._bfcl import import_bfcl, stable_order, tasks_jsonl
from hearth.errors import ConfigError, TaskFileInvalid

LIVE = ("live_simple", "live_irrelevance")
WRITTEN = ("simple_python", "irrelevance")


def development_tasks(data_dir: Path, categories: tuple[str, ...] = LIVE) -> list[Task]:
    """BFCL's tasks of `categories` that no shipped task overlaps."""
    shipped = bfcl_tasks()
    test = split_parts(shipped)[2]
    functions = {tool.function.name for task in test for tool in task.tools}
    prompts = {task.turns[-1].content.strip().lower() for task in test}
    known = {task.id for task in shipped}
    found = import_bfcl(data_dir, categories=categories).tasks
    kept = [task for task in found
            if task.id not in known
            and not {tool.function.name for tool in task.tools} & functions
            and task.turns[-1].content.strip().lower() not in prompts]
    order = {task_id: n for n, task_id in enumerate(stable_order(t.id for t in kept))}
    return sorted(kept, key=lambda task: order[task.id])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data_dir", type=Path, help="bfcl_eval/data of the bfcl-eval wheel")
    parser.add_argument("out", type=Path, help="the task file to write")
    parser.add_argument("--written", action="store_true",
                        help="also simple_python and irrelevance, BFCL's written categories")
    args = parser.parse_args(argv)
    try:
        tasks = development_tasks(args.data_dir, LIVE + WRITTEN if args.written else LIVE)
    except (ConfigError, TaskFileInvalid) as exc:
        sys.stderr.write(f"bfcl_dev: {exc}\n")
        return 2
    args.out.write_text(tasks_jsonl(tasks, header=[
        "BFCL development tasks: no shipped task's id, function or question (see",
        "benchmarks/bfcl_dev.py). Data (c) the BFCL authors, Apache License 2.0."]),
        encoding="utf-8")
    counts = Counter(task.category for task in tasks)
    sys.stdout.write(f"{len(tasks)} tasks written to {args.out}: "
                     + ", ".join(f"{c} {n}" for c, n in sorted(counts.items())) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
