"""The bridge killed with SIGKILL, Redis refusing writes, replies that never come.

Each test names the hole of issue #12 it closes.
"""

from __future__ import annotations

import asyncio
import json
import time

import aiohttp

from hearth.bridge._app import WEBHOOK_PATH, webhook_secret
from hearth.bridge._delivery import DELIVERIES
from hearth.queue import set_home
from tests.bridge.botapi import TOKEN
from tests.bridge.conftest import (
    OWNER,
    calls_of,
    texts,
    wait_redis,
    wait_texts,
)
from tests.workers import finals_in

RESENT_MARK = "(sent again after a restart)"


async def _refuse_writes(rclient) -> None:
    # Redis at its memory limit answers every write with OOM (a ResponseError).
    await asyncio.to_thread(rclient.config_set, "maxmemory", 1)


async def _accept_writes(rclient) -> None:
    await asyncio.to_thread(rclient.config_set, "maxmemory", 0)


async def test_an_update_redis_refused_is_not_acknowledged_and_is_answered_later(
        bridge_factory, botapi, echo_worker, rclient):
    """Hole 2: OOM (a ResponseError, not a connection error) used to lose the update."""
    worker = echo_worker("w1")
    await asyncio.to_thread(worker.start, rclient)
    running = await bridge_factory().start()
    try:
        await _refuse_writes(rclient)
        botapi.push_text(OWNER, OWNER, "while redis is full")
        await botapi.wait_for(lambda: len(calls_of(botapi, "getUpdates")) >= 3, timeout=20)
        await asyncio.sleep(1.0)
        assert [u["message"]["text"] for u in botapi.pending_updates()] == [
            "while redis is full"]
    finally:
        await _accept_writes(rclient)
    assert await wait_texts(botapi, OWNER, 1, timeout=60) == ["echo: while redis is full"]
    await botapi.wait_for(lambda: not botapi.pending_updates(), timeout=20)
    await running.stop()


async def test_the_webhook_does_not_answer_200_for_an_update_redis_refused(
        bridge_factory, botapi, echo_worker, rclient):
    """Hole 2, webhook side: 200 only once queued, whatever the error class."""
    worker = echo_worker("w1")
    await asyncio.to_thread(worker.start, rclient)
    running = await bridge_factory(webhook_url="https://hearth.example/").start()
    botapi.push_text(OWNER, OWNER, "via webhook")
    [update] = botapi.pending_updates()
    url = f"{running.http}{WEBHOOK_PATH}"
    good = {"X-Telegram-Bot-Api-Secret-Token": webhook_secret(TOKEN)}
    async with aiohttp.ClientSession() as session:
        try:
            await _refuse_writes(rclient)
            async with session.post(url, json=update, headers=good) as response:
                assert response.status == 503
        finally:
            await _accept_writes(rclient)
        async with session.post(url, json=update, headers=good) as response:  # Telegram resends
            assert response.status == 200
    assert await wait_texts(botapi, OWNER, 1) == ["echo: via webhook"]
    await running.stop()


async def test_a_bridge_killed_during_a_send_resends_it_marked(
        bridge_process, bridge_factory, botapi, hand_worker, rclient):
    """Hole 3: Telegram took the send, the bridge died before saving its id."""
    first = await bridge_process().start()
    botapi.push_text(OWNER, OWNER, "question")
    [message_id] = await hand_worker.message_ids(OWNER)
    botapi.delay("sendMessage", 30)  # Telegram has it at once, but answers late
    hand_worker.answer(message_id, "the answer")
    await botapi.wait_for(lambda: texts(botapi, OWNER) == ["the answer"], timeout=20)
    first.kill()
    botapi.delay("sendMessage", 0)
    second = await bridge_factory().start()
    await wait_redis(lambda: rclient.hlen(DELIVERIES) == 0, timeout=20)
    # Sent again, but never unmarked: the user can tell it is the same reply.
    assert texts(botapi, OWNER) == ["the answer", f"{RESENT_MARK}\n\nthe answer"]
    await second.stop()
    third = await bridge_factory().start()  # nothing more after another restart
    await asyncio.sleep(1.5)
    assert len(texts(botapi, OWNER)) == 2
    await third.stop()


async def test_reset_handled_again_after_a_kill_is_answered_once(
        bridge_process, bridge_factory, botapi, echo_worker, rclient):
    """Hole 3 for /reset: the same update after a crash owes the same (delivered) reply."""
    worker = echo_worker("w1")
    await asyncio.to_thread(worker.start, rclient)
    update_id = botapi.push_text(OWNER, OWNER, "/reset")
    [update] = botapi.pending_updates()
    first = await bridge_process().start()
    [done] = await wait_texts(botapi, OWNER, 1, starting="Done")
    await wait_redis(lambda: rclient.hlen(DELIVERIES) == 0)
    first.kill()
    # Killed after the reply but before the update was marked seen and acknowledged:
    # Telegram sends the same update again.
    rclient.delete(f"hearth:update:{update_id}")
    botapi._updates.append(update)
    second = await bridge_factory().start()
    await botapi.wait_for(lambda: not botapi.pending_updates(), timeout=20)
    await asyncio.sleep(2.0)
    assert texts(botapi, OWNER) == [done]
    await second.stop()


async def test_a_reply_that_never_comes_is_given_up_at_the_timeout(
        bridge_factory, botapi, hand_worker, rclient):
    """Hole 7: no "typing…" for days, a clear message, and nothing after a restart."""
    running = await bridge_factory(reply_timeout_s=3.0).start()
    botapi.push_text(OWNER, OWNER, "hello?")
    [message_id] = await hand_worker.message_ids(OWNER)
    said = await wait_texts(botapi, OWNER, 1, timeout=20)
    assert "no answer came" in said[0] and "send it again" in said[0]
    typing = calls_of(botapi, "sendChatAction", OWNER)
    assert typing and typing[-1][0] < calls_of(botapi, "sendMessage", OWNER)[0][0]
    await wait_redis(lambda: rclient.hlen(DELIVERIES) == 0)
    assert rclient.zcard(f"hearth:pending:{OWNER}") == 0
    # A worker that takes the message up later does not answer it any more.
    assert finals_in(rclient, message_id)[0]["status"] == "timeout"
    await running.stop()
    again = await bridge_factory(reply_timeout_s=3.0).start()
    await asyncio.sleep(2.0)
    assert len(texts(botapi, OWNER)) == 1
    assert len(calls_of(botapi, "sendChatAction", OWNER)) == len(typing)
    await again.stop()


async def test_an_old_owed_reply_is_given_up_at_once_after_a_restart(
        bridge_factory, botapi, rclient):
    """Hole 7: a delivery recorded long ago does not come back after each restart."""
    set_home(rclient, str(OWNER), "nobody")
    botapi._chat(OWNER, "private", OWNER)  # the chat wrote to the bot back then
    rclient.hset(DELIVERIES, "tg-1001-77", json.dumps({
        "message_id": "tg-1001-77", "chat_id": OWNER, "received_at": time.time() - 7200}))
    running = await bridge_factory(reply_timeout_s=600.0).start()
    said = await wait_texts(botapi, OWNER, 1, timeout=20)
    assert said[0].startswith("Sorry, no answer came")
    await wait_redis(lambda: rclient.hlen(DELIVERIES) == 0)
    await running.stop()


async def test_an_unreadable_update_is_skipped_not_fatal(bridge_factory, botapi, echo_worker,
                                                         rclient, caplog):
    """Found by `make chaos`: one update PTB cannot parse stopped the poll loop for good."""
    worker = echo_worker("w1")
    await asyncio.to_thread(worker.start, rclient)
    running = await bridge_factory().start()
    botapi.push_text(OWNER, OWNER, "before")
    await wait_texts(botapi, OWNER, 1, starting="echo: before")
    bad = botapi.push_update({"edited_message": {"message_id": 5, "chat": {"id": OWNER}}})
    botapi.push_text(OWNER, OWNER, "after")
    assert await wait_texts(botapi, OWNER, 2, starting="echo: ") == ["echo: before",
                                                                     "echo: after"]
    await botapi.wait_for(lambda: not botapi.pending_updates())
    assert [r for r in caplog.records if f"update {bad} cannot be read" in r.message]
    await running.stop()
