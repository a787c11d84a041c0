"""`python -m hearth.bench` (`make bench`): the performance benchmarks and their goals.

Prints one line per goal (value, goal, PASS or MISS) and exits 0 when every
goal is met, 1 when one is missed, 2 when a benchmark could not run.

    python -m hearth.bench                     # all benchmarks, full size
    python -m hearth.bench --quick             # small sizes, a smoke run
    python -m hearth.bench --only worker --json out.json
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from types import FrameType

from hearth.bench._perf_results import Report, Result
from hearth.bench._perf_suite import retrieval_benchmarks, worker_benchmarks

log = logging.getLogger("hearth.bench")

Benchmark = Callable[[bool], list[Result]]

#: Benchmark groups by name, each taking `quick`. One worker run measures
#: three goals (decode ratio, pickup overhead, idle memory).
BENCHMARKS: dict[str, Benchmark] = {
    "worker": lambda quick: (worker_benchmarks(rounds=1, max_tokens=16, settle_s=0.5) if quick
                             else worker_benchmarks()),
    "retrieval": lambda quick: (retrieval_benchmarks(n_messages=2_000, n_queries=20) if quick
                                else retrieval_benchmarks()),
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
    parser = argparse.ArgumentParser(prog="python -m hearth.bench", description=__doc__,
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
