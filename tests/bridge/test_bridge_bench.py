"""The bridge benchmark runs end to end and reports what it promises (no timing asserted)."""

from __future__ import annotations

import asyncio

from benchmarks.__main__ import BENCHMARKS
from benchmarks.perf_bridge import CHATS


async def test_the_bridge_benchmark_runs_and_reports_its_goals_and_numbers():
    results = await asyncio.to_thread(BENCHMARKS["bridge"], True)
    assert [r.name for r in results] == ["bridge_messages_per_s", "bridge_added_p50_ms",
                                         "bridge_added_p99_ms", "bridge_rss_mb"]
    assert [(r.goal, r.bound) for r in results] == [(500.0, "min"), (5.0, "max"),
                                                    (25.0, "max"), (150.0, "max")]
    assert "Echo runtime with DuckDB" in results[0].summary
    n = results[0].details
    for run in ("", "echo_runtime_"):
        for name in ("ping_p50_ms", "messages_per_s", "unloaded_p50_ms", "loaded_p99_ms",
                     "added_loaded_p50_ms", "added_saturated_p99_ms", "batch_size",
                     "bridge_cpu_ms_per_message", "workers_cpu_ms_per_message"):
            assert n[run + name] > 0, run + name
        assert n[run + "messages"] > 2 * CHATS
        assert n[run + "offline_notices"] == 0
        assert n[run + "loaded_delivered_per_s"] > 0.5 * n[run + "loaded_offered_per_s"]
        assert abs(n[run + "added_loaded_p50_ms"]
                   - (n[run + "loaded_p50_ms"] - n[run + "ping_p50_ms"])) < 0.01
    assert n["bridge_rss_mb"] > 0 and n["bridge_peak_rss_mb"] >= n["bridge_rss_mb"] - 0.01
    assert n["chats"] == CHATS and n["workers"] >= 1
    assert abs(results[0].value - n["messages_per_s"]) < 0.01
