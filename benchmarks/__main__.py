"""`python -m benchmarks` (`make bench`): the performance benchmarks and their goals.

Prints one line per goal (value, goal, PASS or MISS) and exits 0 when every
goal is met, 1 when one is missed, 2 when a benchmark could not run.

    python -m benchmarks                     # all benchmarks, full size
    python -m benchmarks --quick             # small sizes, a smoke run
    python -m benchmarks --only worker --json out.json
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from types import FrameType

from benchmarks.growth_bench import SIZES
from benchmarks.perf_bridge import CHATS, WORKERS
from benchmarks.perf_results import Report, Result
from benchmarks.perf_suite import (
    growth_benchmarks,
    retrieval_benchmarks,
    turn_benchmarks,
    worker_benchmarks,
)
from benchmarks.search_bench import SESSIONS, search_benchmarks

log = logging.getLogger("hearth.bench")

Benchmark = Callable[[bool], list[Result]]


def bridge_benchmarks(quick: bool) -> list[Result]:
    """The goals of issue 6 against one `bridge_benchmark` run (for `python -m benchmarks`).

    It runs in a process of its own: its memory goal is the bridge's, not what
    the worker and retrieval groups left in this process (a peak of 880 MB).
    """
    done = subprocess.run([sys.executable, "-m", "benchmarks.perf_bridge",
                           *(["--quick"] if quick else [])],
                          stdout=subprocess.PIPE, check=True, cwd=Path(__file__).parents[1])
    n: dict[str, float] = json.loads(done.stdout)
    cpu = "/".join(f"{n[f'{k}_cpu_ms_per_message']:.2f}" for k in ("bridge", "workers", "redis"))
    load = (f"at {n['loaded_offered_per_s']:.0f} msg/s offered over {CHATS} chats, over PING "
            f"{n['ping_p50_ms']:.2f} ms; unloaded +{n['added_unloaded_p50_ms']:.1f}/"
            f"+{n['added_unloaded_p99_ms']:.1f} ms p50/p99; other programs used "
            f"{n['loaded_others_cpu_cores']:.1f} cores meanwhile")
    details = {k: round(v, 3) for k, v in n.items()}
    return [
        Result("bridge_messages_per_s", n["messages_per_s"], "msg/s", 500.0, "min",
               f"{CHATS} chats, {WORKERS} worker process(es), instant job; CPU ms/msg "
               f"bridge/workers/redis {cpu}, {n['batch_size']:.1f} msg/flush, other programs "
               f"{n['saturated_others_cpu_cores']:.1f} cores. Echo runtime with DuckDB memory and "
               f"traces (no goal): {n['echo_runtime_messages_per_s']:.0f} msg/s, unloaded "
               f"+{n['echo_runtime_added_unloaded_p50_ms']:.1f} ms p50", details),
        Result("bridge_added_p50_ms", n["added_loaded_p50_ms"], "ms", 5.0, "max", load),
        Result("bridge_added_p99_ms", n["added_loaded_p99_ms"], "ms", 25.0, "max", load),
        Result("bridge_rss_mb", n["bridge_rss_mb"], "MB", 150.0, "max",
               f"bridge VmRSS after the instant run (peak {n['bridge_peak_rss_mb']:.0f} MB)"),
    ]


def quality_benchmarks(quick: bool) -> list[Result]:
    """Issue #10's quality goals, per model (`benchmarks/quality_goals.py`)."""
    from benchmarks.quality_goals import quality_benchmarks as goals

    return goals(quick)


def _growth_sizes() -> tuple[int, ...]:
    """HEARTH_GROWTH_SIZES="1000,10000" for a shorter curve; 1k to 1M by default."""
    raw = os.environ.get("HEARTH_GROWTH_SIZES", "")
    try:
        sizes = tuple(int(s) for s in raw.split(",") if s.strip())
    except ValueError:
        raise SystemExit(f"HEARTH_GROWTH_SIZES={raw!r}: give message counts separated by "
                         "commas, like 1000,10000,100000") from None
    if sizes and (len(sizes) < 2 or min(sizes) < 10):
        raise SystemExit(f"HEARTH_GROWTH_SIZES={raw!r}: give at least two sizes of 10 or more")
    return sizes or SIZES


#: Benchmark groups by name, each taking `quick`. One worker run measures
#: three goals (decode ratio, pickup overhead, idle memory); one bridge run four
#: (messages/s, added latency p50 and p99, bridge memory); one turn run three
#: (own work p50 and p99, retrieval p95 in the turn); the growth run one (the
#: log-growth goal), writing its table and chart to bench-results/.
BENCHMARKS: dict[str, Benchmark] = {
    "worker": lambda quick: (worker_benchmarks(rounds=1, max_tokens=16, settle_s=0.5) if quick
                             else worker_benchmarks()),
    "retrieval": lambda quick: (retrieval_benchmarks(n_messages=2_000, n_queries=20) if quick
                                else retrieval_benchmarks()),
    "bridge": bridge_benchmarks,
    "turn": lambda quick: (turn_benchmarks(chat_messages=2_000, file_messages=20_000, turns=50)
                           if quick else turn_benchmarks()),
    "growth": lambda quick: (growth_benchmarks(sizes=(1_000, 10_000), turns=50) if quick
                             else growth_benchmarks(sizes=_growth_sizes())),
    "quality": quality_benchmarks,
    # Issue 4: a search from the default spec with the offline proposer raises
    # the held-out gate score (about 8 to 14 minutes a session here).
    "search": lambda quick: search_benchmarks(sessions=1 if quick else SESSIONS),
}


def run(names: Sequence[str], *, quick: bool) -> Report:
    """Run the named benchmark groups in order; a failing one is reported, not fatal."""
    report = Report(quick=quick)
    for name in names:
        log.info("running %s…", name)
        began = time.monotonic()
        try:
            report.results += BENCHMARKS[name](quick)
        except Exception as exc:  # one broken benchmark must not hide the others' results
            log.exception("benchmark %s failed", name)
            report.errors[name] = f"{type(exc).__name__}: {exc}"
        log.info("%s took %.1f s", name, time.monotonic() - began)
    return report


def _terminate(signum: int, frame: FrameType | None) -> None:
    # Turn SIGTERM into an exception so that workers and servers are stopped
    # by the `finally` and `with` blocks on the way out.
    raise SystemExit(128 + signum)


def main(argv: Sequence[str] | None = None) -> int:
    """Parse arguments, run, print the report; the exit code says how it went."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small sizes (a smoke run)")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write results here")
    parser.add_argument("--only", action="append", choices=sorted(BENCHMARKS), metavar="NAME",
                        help=f"run only this benchmark group ({', '.join(BENCHMARKS)}); "
                        "repeatable")
    args = parser.parse_args(argv)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s: %(message)s", "%H:%M:%S"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    signal.signal(signal.SIGTERM, _terminate)
    report = run(args.only or list(BENCHMARKS), quick=args.quick)
    sys.stdout.write(report.text() + "\n")
    if args.json:
        report.write_json(args.json)
    if report.errors:
        return 2
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
