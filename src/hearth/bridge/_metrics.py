"""Bridge counters and a latency histogram, rendered in Prometheus text format."""

from __future__ import annotations

import time
from collections import Counter, deque
from dataclasses import dataclass, field

#: Upper bounds (seconds) of the reply-latency histogram buckets.
LATENCY_BUCKETS_S = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0)
#: Reply latencies kept for the status page's percentiles (a day of a busy home).
RECENT_LATENCIES = 100_000


@dataclass
class Metrics:
    """What the bridge counts; one instance per bridge process."""

    counters: Counter[str] = field(default_factory=Counter)
    latency_counts: list[int] = field(default_factory=lambda: [0] * len(LATENCY_BUCKETS_S))
    latency_sum_s: float = 0.0
    latency_total: int = 0
    #: (time.time(), seconds) of the replies of the last day, for the status page.
    recent: deque[tuple[float, float]] = field(
        default_factory=lambda: deque(maxlen=RECENT_LATENCIES))

    def inc(self, name: str, by: int = 1) -> None:
        """Add to a counter (messages_in, messages_out, refusals, sends_failed, ...)."""
        self.counters[name] += by

    def observe_latency(self, seconds: float) -> None:
        """Record the time from a message's arrival to its final reply."""
        self.latency_sum_s += seconds
        self.latency_total += 1
        self.recent.append((time.time(), seconds))
        for i, bound in enumerate(LATENCY_BUCKETS_S):
            if seconds <= bound:
                self.latency_counts[i] += 1

    def percentiles(self, window_s: float) -> dict[str, float | int | None]:
        """Reply latency p50/p95/p99 (seconds) and count over the last `window_s` seconds."""
        since = time.time() - window_s
        values = sorted(v for t, v in self.recent if t >= since)
        if not values:
            return {"count": 0, "p50": None, "p95": None, "p99": None}

        def pick(q: float) -> float:
            return round(values[min(len(values) - 1, int(q * len(values)))], 3)

        return {"count": len(values), "p50": pick(0.50), "p95": pick(0.95), "p99": pick(0.99)}

    def render(self, gauges: dict[str, float]) -> str:
        """The Prometheus exposition text."""
        lines: list[str] = []
        for name in sorted(set(self.counters) | {"messages_in", "messages_out", "refusals",
                                                  "sends_failed"}):
            lines += [f"# TYPE hearth_{name}_total counter",
                      f"hearth_{name}_total {self.counters[name]}"]
        for name, value in sorted(gauges.items()):
            lines += [f"# TYPE hearth_{name} gauge", f"hearth_{name} {value}"]
        lines.append("# TYPE hearth_reply_latency_seconds histogram")
        for bound, count in zip(LATENCY_BUCKETS_S, self.latency_counts, strict=True):
            lines.append(f'hearth_reply_latency_seconds_bucket{{le="{bound}"}} {count}')
        lines += [f'hearth_reply_latency_seconds_bucket{{le="+Inf"}} {self.latency_total}',
                  f"hearth_reply_latency_seconds_sum {self.latency_sum_s}",
                  f"hearth_reply_latency_seconds_count {self.latency_total}"]
        return "\n".join(lines) + "\n"
