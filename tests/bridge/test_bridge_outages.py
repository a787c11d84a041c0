"""When things go wrong: no worker, Redis down, stalled polling."""

from __future__ import annotations

import asyncio

import aiohttp
import redis

from hearth.bridge._commands import NO_WORKER, OFFLINE, QUEUE_DOWN
from hearth.bridge._delivery import DELIVERIES
from hearth.queue import EmbeddedRedis
from tests.bridge.conftest import (
    FRIEND,
    OWNER,
    RunningBridge,
    bridge_settings,
    metrics_of,
    texts,
    traces_of,
    wait_idle,
    wait_redis,
    wait_texts,
)
from tests.conftest import free_port
from tests.workers import make_worker


async def test_no_worker_then_one_starts_the_user_is_told_once(bridge_factory, botapi,
                                                               echo_worker, rclient):
    running = await bridge_factory().start()
    botapi.push_text(OWNER, OWNER, "anyone there?")
    botapi.push_text(OWNER, OWNER, "hello?")
    assert await wait_texts(botapi, OWNER, 1) == [NO_WORKER]
    await asyncio.sleep(1.5)
    assert texts(botapi, OWNER) == [NO_WORKER]
    assert rclient.zcard(f"hearth:pending:{OWNER}") == 2
    worker = echo_worker("w1")
    await asyncio.to_thread(worker.start, rclient)
    sent = await wait_texts(botapi, OWNER, 3)
    assert sent == [NO_WORKER, "echo: anyone there?", "echo: hello?"]

    # The home worker goes away: told once that *it* is offline, answered when it is back.
    botapi.push_text(FRIEND, FRIEND, "first")
    await wait_texts(botapi, FRIEND, 1, starting="echo: first")
    await asyncio.to_thread(worker.stop)
    botapi.push_text(FRIEND, FRIEND, "while you were away")
    botapi.push_text(FRIEND, FRIEND, "any news")
    assert (await wait_texts(botapi, FRIEND, 2))[1] == OFFLINE.format(worker="w1")
    await asyncio.to_thread(worker.start, rclient)
    sent = await wait_texts(botapi, FRIEND, 4)
    assert sent == ["echo: first", OFFLINE.format(worker="w1"), "echo: while you were away",
                    "echo: any news"]
    await asyncio.sleep(0.5)
    assert len(texts(botapi, OWNER)) == 3 and len(texts(botapi, FRIEND)) == 4
    await running.stop()


async def test_redis_killed_then_back_loses_and_duplicates_nothing(botapi, home, tmp_path):
    port = free_port()
    server = EmbeddedRedis(tmp_path / "redis", persist=True, port=port).start()
    url = server.url
    worker = make_worker(home, url, "w1", engine="echo")
    running = RunningBridge(bridge_settings(home, botapi), url)
    client = redis.Redis.from_url(url)
    try:
        await asyncio.to_thread(worker.start, client)
        await running.start()
        botapi.push_text(OWNER, OWNER, "before")
        await wait_texts(botapi, OWNER, 1, starting="echo: before")
        await wait_redis(lambda: client.hlen(DELIVERIES) == 0)  # delivered, mapping stored

        await asyncio.to_thread(server.kill)  # SIGKILL: no AOF flush on the way out
        for text in ("banana bread", "cherry tart"):
            botapi.push_text(OWNER, OWNER, text)
        botapi.push_text(FRIEND, FRIEND, "damson jam")
        botapi.push_reaction(OWNER, OWNER, 2, "👍")  # on "echo: before"
        # The user is told, and the updates stay unacknowledged at Telegram.
        await wait_texts(botapi, OWNER, 1, starting=QUEUE_DOWN)
        assert len(botapi.pending_updates()) == 4
        async with aiohttp.ClientSession() as session, session.get(
                f"{running.http}/healthz") as response:
            assert response.status == 503
            assert (await response.json())["redis"].startswith("error")
        await asyncio.sleep(2)

        server = EmbeddedRedis(tmp_path / "redis", persist=True, port=port).start()
        await wait_texts(botapi, OWNER, 1, starting="echo: cherry", timeout=60)
        await wait_texts(botapi, FRIEND, 1, starting="echo: damson", timeout=60)
        await asyncio.sleep(1.5)
        owner = texts(botapi, OWNER)
        assert [t for t in owner if t.startswith("echo:")] == [
            "echo: before", "echo: banana bread", "echo: cherry tart"]
        assert owner.count(QUEUE_DOWN) == 1
        assert [t for t in texts(botapi, FRIEND) if t.startswith("echo:")] == [
            "echo: damson jam"]
        metrics = await metrics_of(running)
        assert metrics["hearth_messages_in_total"] == 4
        await wait_idle(client)
        await asyncio.to_thread(worker.stop)
        assert traces_of(home)[f"tg-{OWNER}-1"].feedback == "up"
    finally:
        await running.crash()
        client.close()
        if worker.proc is not None:
            worker.proc.kill()
            worker.proc.wait(timeout=10)
        server.stop()


async def test_a_stalled_poll_is_restarted_by_the_watchdog(bridge_factory, botapi, hand_worker):
    running = await bridge_factory(serve_kwargs={"poll_timeout_s": 1, "stall_s": 2.0}).start()
    botapi.push_text(OWNER, OWNER, "before the stall")
    [first] = await hand_worker.message_ids(OWNER)
    botapi.stall_get_updates = True
    await asyncio.sleep(0.5)
    # A reply in flight while polling is restarted must still be delivered once.
    botapi.delay("sendMessage", 3.0)
    hand_worker.answer(first, "a reply in flight")
    await asyncio.sleep(3.5)
    assert (await metrics_of(running))["hearth_polling_restarts_total"] >= 1
    botapi.stall_get_updates = False
    botapi.delay("sendMessage", 0)
    botapi.push_text(OWNER, OWNER, "after the stall")
    [second] = await hand_worker.message_ids(OWNER, 1, timeout=15)  # the first is answered
    hand_worker.answer(second, "answered after the stall")
    await wait_texts(botapi, OWNER, 1, starting="answered after", timeout=15)
    await asyncio.sleep(1.5)
    assert texts(botapi, OWNER) == ["a reply in flight", "answered after the stall"]
    assert (await metrics_of(running))["hearth_sends_failed_total"] == 0
    await running.stop()
