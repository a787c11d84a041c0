"""Growth curves (issue 14): per-turn cost, retrieval and file size from 1k to 1M messages.

For each size N the turn benchmark runs on a file of N stored messages, a
tenth of them in the chat that is talking (the 100k-in-1M mix of the turn
goal). Writes ``growth.md`` (a table) and ``growth.png`` (a chart) into the
results folder. The goal: the worker's own work per turn grows no faster than
logarithmically, cost(largest) / cost(smallest) <= log(largest) / log(smallest).
"""

from __future__ import annotations

import logging
import math
from pathlib import Path
from typing import Any

from benchmarks.turn_bench import turn_benchmark

log = logging.getLogger(__name__)

#: Stored messages in the file at each point of the curve.
SIZES = (1_000, 10_000, 100_000, 1_000_000)
#: The chat that is talking holds this share of them.
CHAT_SHARE = 10


def growth_benchmark(sizes: tuple[int, ...] = SIZES, *, turns: int = 200) -> list[dict[str, Any]]:
    """One turn-benchmark run per size, smallest first."""
    points = []
    for size in sorted(sizes):
        numbers = turn_benchmark(chat_messages=max(1, size // CHAT_SHARE), file_messages=size,
                                 turns=turns)
        log.info("growth %d: own %.2f ms p50, retrieval %.2f ms p95, %.1f MB", size,
                 numbers["own_p50_ms"], numbers["retrieve_p95_ms"], numbers["file_mb"])
        points.append(numbers)
    return points


def log_ratio(points: list[dict[str, Any]], key: str) -> tuple[float, float]:
    """(cost ratio largest/smallest, the ratio logarithmic growth would allow)."""
    small, large = points[0], points[-1]
    allowed = math.log(large["file_messages"]) / math.log(small["file_messages"])
    return large[key] / small[key], allowed


def table(points: list[dict[str, Any]]) -> str:
    """The curve as a markdown table."""
    lines = ["| messages in file (in chat) | own work p50 / p99 ms | retrieval p95 ms | "
             "store p50 ms | turns/s | first turn ms | file MB |",
             "|---|---|---|---|---|---|---|"]
    for p in points:
        lines.append(
            f"| {p['file_messages']:,} ({p['chat_messages']:,}) | {p['own_p50_ms']:.2f} / "
            f"{p['own_p99_ms']:.2f} | {p['retrieve_p95_ms']:.2f} | {p['store_p50_ms']:.2f} | "
            f"{p['turns_per_s']:.0f} | {p['first_turn_ms']:.0f} | {p['file_mb']:.1f} |")
    return "\n".join(lines) + "\n"


def chart(points: list[dict[str, Any]], path: Path) -> None:
    """Per-turn cost and retrieval (left axis) and file size (right) against messages."""
    import matplotlib

    matplotlib.use("Agg")  # no display on a server
    import matplotlib.pyplot as plt

    sizes = [p["file_messages"] for p in points]
    fig, left = plt.subplots(figsize=(7, 4.5))
    for key, label, style in (("own_p50_ms", "own work per turn, p50", "o-"),
                              ("own_p99_ms", "own work per turn, p99", "s--"),
                              ("retrieve_p95_ms", "retrieval p95", "^-")):
        left.plot(sizes, [p[key] for p in points], style, label=label)
    left.set_xscale("log")
    left.set_xlabel("stored messages in the file (a tenth in the chat)")
    left.set_ylabel("ms")
    right = left.twinx()
    right.plot(sizes, [p["file_mb"] for p in points], "k:", marker="d", label="DuckDB file")
    right.set_ylabel("file size (MB)")
    handles = left.get_legend_handles_labels()
    extra = right.get_legend_handles_labels()
    left.legend(handles[0] + extra[0], handles[1] + extra[1], loc="upper left")
    left.set_title("Worker memory: cost per turn as the file grows")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
