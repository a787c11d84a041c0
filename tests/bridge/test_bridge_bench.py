"""The bridge benchmark runs end to end and reports what it promises (no timing asserted)."""

from __future__ import annotations

import asyncio

from hearth.bench._perf_bridge import CHATS, bridge_benchmark


async def test_the_bridge_benchmark_runs_and_reports_its_numbers():
    result = await asyncio.to_thread(bridge_benchmark, True)
    for name in ("ping_p50_ms", "xadd_xread_p50_ms", "messages_per_s", "unloaded_p50_ms",
                 "loaded_p99_ms", "added_loaded_p50_ms", "added_saturated_p99_ms",
                 "bridge_rss_mb", "bridge_peak_rss_mb"):
        assert result[name] > 0, name
    assert result["chats"] == CHATS and result["workers"] >= 1
    assert result["messages"] > 2 * CHATS
    assert result["unloaded_p50_ms"] <= result["unloaded_p99_ms"]
    assert result["added_loaded_p50_ms"] == result["loaded_p50_ms"] - result["ping_p50_ms"]
    assert result["loaded_delivered_per_s"] > 0.5 * result["loaded_offered_per_s"]
