"""The bridge's HTTP app: /healthz, /metrics in Prometheus text, and the webhook route."""

from __future__ import annotations

import asyncio
import re

import aiohttp

from hearth.bridge._app import WEBHOOK_PATH, webhook_secret
from tests.bridge.botapi import TOKEN
from tests.bridge.conftest import OWNER, STRANGER, calls_of, texts, wait_texts

# One sample line of the Prometheus text format: name, optional labels, a number.
SAMPLE = re.compile(r'^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-zA-Z_]+="[^"]*"\})? -?[0-9.e+Inf]+$')


async def _get(url: str) -> tuple[int, str, str]:
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        return response.status, response.content_type, await response.text()


async def test_healthz_is_200_with_a_worker_and_503_without(bridge_factory, echo_worker,
                                                           rclient):
    running = await bridge_factory().start()
    async with aiohttp.ClientSession() as session:
        async with session.get(f"{running.http}/healthz") as response:
            assert response.status == 503
            assert await response.json() == {"bridge": "ok", "redis": "ok", "workers": 0}
        worker = echo_worker("w1")
        await asyncio.to_thread(worker.start, rclient)
        async with session.get(f"{running.http}/healthz") as response:
            assert response.status == 200
            assert await response.json() == {"bridge": "ok", "redis": "ok", "workers": 1}
        await asyncio.to_thread(worker.stop)
        async with session.get(f"{running.http}/healthz") as response:
            assert response.status == 503
    await running.stop()


async def test_metrics_are_prometheus_text_with_the_counters(bridge_factory, botapi,
                                                            echo_worker, rclient):
    worker = echo_worker("w1")
    await asyncio.to_thread(worker.start, rclient)
    running = await bridge_factory().start()
    botapi.push_text(OWNER, OWNER, "count me")
    botapi.push_text(STRANGER, STRANGER, "and refuse me")
    await wait_texts(botapi, OWNER, 1, starting="echo: count me")
    await wait_texts(botapi, STRANGER, 1)
    await asyncio.sleep(0.3)
    status, content_type, body = await _get(f"{running.http}/metrics")
    assert status == 200 and content_type == "text/plain"
    lines = body.splitlines()
    samples = {}
    for line in lines:
        if line.startswith("# TYPE "):
            assert line.split()[3] in {"counter", "gauge", "histogram"}
            continue
        assert SAMPLE.match(line), line
        name, value = line.rsplit(" ", 1)
        samples[name] = float(value)
    assert samples["hearth_messages_in_total"] == 1
    assert samples["hearth_messages_out_total"] == 2  # the reply and the refusal
    assert samples["hearth_refusals_total"] == 1
    assert samples["hearth_sends_failed_total"] == 0
    assert samples["hearth_workers_online"] == 1
    assert samples["hearth_queue_depth"] == 0
    assert samples["hearth_redis_up"] == 1
    assert "# TYPE hearth_reply_latency_seconds histogram" in lines
    assert samples["hearth_reply_latency_seconds_count"] == 1
    assert samples['hearth_reply_latency_seconds_bucket{le="+Inf"}'] == 1
    assert 0 < samples["hearth_reply_latency_seconds_sum"] < 10
    buckets = [v for k, v in samples.items() if k.startswith("hearth_reply_latency_seconds_b")]
    assert buckets == sorted(buckets)  # cumulative
    await running.stop()


async def test_webhook_checks_the_secret_queues_and_answers(bridge_factory, botapi,
                                                           echo_worker, rclient):
    worker = echo_worker("w1")
    await asyncio.to_thread(worker.start, rclient)
    running = await bridge_factory(webhook_url="https://hearth.example/").start()
    secret = webhook_secret(TOKEN)
    assert botapi.webhook["url"] == "https://hearth.example" + WEBHOOK_PATH
    assert botapi.webhook["secret_token"] == secret and TOKEN not in secret
    assert not calls_of(botapi, "getUpdates")
    botapi.push_text(OWNER, OWNER, "via webhook")
    [update] = botapi.pending_updates()
    url = f"{running.http}{WEBHOOK_PATH}"
    async with aiohttp.ClientSession() as session:
        for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "wrong"}):
            async with session.post(url, json=update, headers=headers) as response:
                assert response.status == 403
        assert not rclient.keys("hearth:pending:*") and not rclient.keys("rq:job:*")
        good = {"X-Telegram-Bot-Api-Secret-Token": secret}
        async with session.post(url, data=b"not json", headers=good) as response:
            assert response.status == 400
        async with session.post(url, json=update, headers=good) as response:
            assert response.status == 200
            # 200 only once the message is queued: Telegram would send it again otherwise.
            assert rclient.exists(f"rq:job:chat-tg-{OWNER}-1")
        assert await wait_texts(botapi, OWNER, 1) == ["echo: via webhook"]
        async with session.post(url, json=update, headers=good) as response:  # resent
            assert response.status == 200
    await asyncio.sleep(1.0)
    assert texts(botapi, OWNER) == ["echo: via webhook"]
    await running.stop()
