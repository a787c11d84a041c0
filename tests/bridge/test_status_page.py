"""The status page in a real headless Chromium: it renders, and its numbers are `hearth status`'s.

The screenshot is kept in test-artifacts/status-page.png.
"""

from __future__ import annotations

import asyncio
import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import aiohttp
import pytest
import redis

from hearth.bridge._app import webhook_secret
from hearth.queue import (
    Inbound,
    MorningReport,
    enqueue_chat,
    post_report,
    publish_spec,
    worker_queue,
)
from hearth.specs import apply, default_spec, parse_edits, sign
from tests.bridge.botapi import TOKEN
from tests.bridge.conftest import HandWorker
from tests.conftest import ROOT, run_cli

ARTIFACTS = ROOT / "test-artifacts"


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        pytest.fail("chromium is not installed: `make test` installs it (apt-get install chromium)")
    return found


async def browse(url: str, *flags: str) -> str:
    """Run headless Chromium on `url` with `flags`; its stdout."""
    with tempfile.TemporaryDirectory(prefix="hearth-chromium-") as profile:
        done = await asyncio.to_thread(
            subprocess.run,
            [chromium(), "--headless", "--no-sandbox", "--disable-gpu",
             "--disable-dev-shm-usage", f"--user-data-dir={profile}", "--hide-scrollbars",
             "--virtual-time-budget=5000", *flags, url],
            capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def fields(dom: str, row: str) -> dict[str, str]:
    """The data-field cells of the worker row `row` in the rendered DOM."""
    match = re.search(rf'<tr data-worker="{re.escape(row)}">(.*?)</tr>', dom, re.S)
    assert match, f"no row for worker {row} in the page"
    return dict(re.findall(r'<td data-field="([^"]+)">([^<]*)</td>', match.group(1)))


async def test_the_page_renders_in_chromium_with_the_numbers_of_hearth_status(
        bridge_factory, rclient: redis.Redis, redis_url: str, home: Path):
    workers = [await HandWorker(rclient, "hand-a").start(), await HandWorker(rclient,
                                                                             "hand-b").start()]
    for n in range(3):
        enqueue_chat(rclient, Inbound(chat_id=f"c{n}", user_id="u", message_id=f"m{n}",
                                      text="hi"), queue=worker_queue("hand-a"))
    enqueue_chat(rclient, Inbound(chat_id="c9", user_id="u", message_id="m9", text="hi"))
    spec = apply(default_spec(), parse_edits([{"op": "enable_tool", "name": "clock"}]))
    publish_spec(rclient, sign(spec, "test-spec-secret"))
    for night, before, after in (("2026-12-02", 0.30, 0.35), ("2026-12-03", 0.35, 0.41)):
        post_report(rclient, MorningReport(
            night=night, text="🌙", markdown="# r\n", gate_before={"arithmetic": before,
                                                               "tool_use": 0.2},
            gate_after={"arithmetic": after, "tool_use": 0.25}, spec_before=default_spec().id,
            spec_after=spec.id,
            # The second night had untouched test tasks: the chart shows those.
            test_after={"recall_test": 0.5} if night == "2026-12-03" else {}))
    running = await bridge_factory(allowed_users=frozenset()).start()
    status = run_cli("status", "--json", env={"REDIS_URL": redis_url, "HEARTH_HOME": str(home)})
    assert status.returncode == 0, status.stderr
    expected = json.loads(status.stdout)

    dom = await browse(f"{running.http}/status", "--dump-dom")
    assert "<h1>Hearth status</h1>" in dom
    assert len(expected["workers"]) == 2
    for worker in expected["workers"]:
        shown = fields(dom, worker["worker_id"])
        for name in ("worker_id", "host", "spec_id", "model", "load", "queued"):
            assert shown[name] == str(worker[name]), name
    queues = dict(re.findall(r'<td data-field="([a-z_]+)">([^<]*)</td>', dom))
    assert queues["unassigned_queued"] == str(expected["unassigned_queued"])
    shown = [int(fields(dom, w["worker_id"])["queued"]) for w in expected["workers"]]
    assert sum(shown) + int(queues["unassigned_queued"]) == 4  # every queued message counted
    assert queues["owed_deliveries"] == "0"
    assert f'<p data-field="spec_id">{spec.id}</p>' in dom and "enable_tool" in dom
    assert "2026-12-03" in dom

    async with aiohttp.ClientSession() as session, session.get(
            f"{running.http}/status/search.svg") as response:
        svg = await response.text()
    assert response.status == 200 and "<svg" in svg and "arithmetic" in svg
    assert "recall_test" in svg  # the test part where a night has one

    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "status-page.png"
    shot.unlink(missing_ok=True)
    await browse(f"{running.http}/status", f"--screenshot={shot}", "--window-size=1200,1800")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000
    for worker in workers:
        await worker.stop()


async def test_an_exposed_page_needs_the_webhook_secret(bridge_factory):
    running = await bridge_factory(http_host="0.0.0.0").start()
    url = f"http://127.0.0.1:{running.settings.http_port}/status.json"
    async with aiohttp.ClientSession() as session:
        async with session.get(url) as response:
            assert response.status == 403
        async with session.get(url, headers={"X-Hearth-Key": "wrong"}) as response:
            assert response.status == 403
        async with session.get(url, headers={"X-Hearth-Key": webhook_secret(TOKEN)}) as response:
            assert response.status == 200
            data = await response.json()
    assert data["workers"] == [] and data["latency_s"]["last hour"]["count"] == 0
