"""Bridge counters and a latency histogram, rendered in Prometheus text format."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

#: Upper bounds (seconds) of the reply-latency histogram buckets.
LATENCY_BUCKETS_S = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0)


@dataclass
class Metrics:
    """What the bridge counts; one instance per bridge process."""

    counters: Counter[str] = field(default_factory=Counter)
    latency_counts: list[int] = field(default_factory=lambda: [0] * len(LATENCY_BUCKETS_S))
    latency_sum_s: float = 0.0
    latency_total: int = 0

    def inc(self, name: str, by: int = 1) -> None:
        """Add to a counter (messages_in, messages_out, refusals, sends_failed, ...)."""
        self.counters[name] += by

    def observe_latency(self, seconds: float) -> None:
        """Record the time from a message's arrival to its final reply."""
        self.latency_sum_s += seconds
        self.latency_total += 1
        for i, bound in enumerate(LATENCY_BUCKETS_S):
            if seconds <= bound:
                self.latency_counts[i] += 1

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
