"""Results of the performance harness: one measured value against one goal each.

A `Result` says what was measured, the goal as a bound, and whether the
measurement met it; `Report` gathers them, renders the text lines `make bench`
prints and the JSON that ``--json FILE`` writes.
"""

from __future__ import annotations

import json
import math
import os
import platform
import statistics
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal


def median(values: list[float]) -> float:
    """The median of the values that are numbers; NaN when there are none."""
    numbers = [v for v in values if not math.isnan(v)]
    return statistics.median(numbers) if numbers else float("nan")


@dataclass(frozen=True)
class Result:
    """One measured value, its goal, and the numbers behind it."""

    name: str
    value: float
    unit: str
    goal: float
    #: "min": value must be >= goal; "max": value must be <= goal.
    bound: Literal["min", "max"]
    summary: str
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        """Whether the value meets the goal (NaN never does)."""
        if math.isnan(self.value):
            return False
        return self.value >= self.goal if self.bound == "min" else self.value <= self.goal

    def line(self) -> str:
        """One report line: value, goal, PASS or MISS, and how it was got."""
        op = ">=" if self.bound == "min" else "<="
        verdict = "PASS" if self.passed else "MISS"
        return (f"{verdict}  {self.name:<22} {self.value:>10.3f} {self.unit:<6} "
                f"(goal {op} {self.goal:.3f})  {self.summary}")

    def as_json(self) -> dict[str, Any]:
        """JSON-ready form, with the verdict."""
        return {**asdict(self), "passed": self.passed}


@dataclass
class Report:
    """Everything one harness run measured, and what failed to run."""

    quick: bool
    results: list[Result] = field(default_factory=list)
    #: Benchmark name -> error text, for benchmarks that could not finish.
    errors: dict[str, str] = field(default_factory=dict)
    #: Groups that were asked for but have no code yet (neither pass nor fail).
    started_at: float = field(default_factory=time.time)

    @property
    def ok(self) -> bool:
        """True when every benchmark ran and every goal was met."""
        return not self.errors and all(r.passed for r in self.results)

    def text(self) -> str:
        """The human-readable report."""
        lines = [f"hearth performance benchmarks ({'quick' if self.quick else 'full'}, "
                 f"{os.cpu_count()} CPUs, {platform.machine()}, Python "
                 f"{platform.python_version()})"]
        lines += [r.line() for r in self.results]
        lines += [f"ERROR {name}: {error}" for name, error in self.errors.items()]
        missed = sum(not r.passed for r in self.results)
        lines.append(f"{len(self.results) - missed} passed, {missed} missed, "
                     f"{len(self.errors)} errors")
        return "\n".join(lines)

    def as_json(self) -> dict[str, Any]:
        """JSON-ready form of the whole run."""
        return {
            "quick": self.quick,
            "started_at": self.started_at,
            "machine": {"cpus": os.cpu_count(), "arch": platform.machine(),
                        "python": platform.python_version(), "load_1m": _load()},
            "ok": self.ok,
            "results": [r.as_json() for r in self.results],
            "errors": self.errors,
        }

    def write_json(self, path: Path) -> None:
        """Write `as_json` to `path` (NaN becomes null)."""
        path.write_text(json.dumps(_no_nan(self.as_json()), indent=2) + "\n")


def _load() -> float | None:
    try:
        return os.getloadavg()[0]
    except OSError:
        return None


def _no_nan(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {k: _no_nan(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_no_nan(v) for v in value]
    return value
