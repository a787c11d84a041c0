"""Sending to Telegram: retries, RetryAfter, unknown outcomes, and per-chat pacing."""

from __future__ import annotations

import asyncio
import itertools
import json

from hearth.bridge._delivery import DELIVERIES
from hearth.bridge._sender import MAX_ATTEMPTS
from tests.bridge.conftest import (
    OWNER,
    calls_of,
    metrics_of,
    texts,
    wait_redis,
    wait_texts,
)
from tests.conftest import run_cli


async def _answer_one(botapi, hand_worker, text: str) -> None:
    botapi.push_text(OWNER, OWNER, "question")
    [message_id] = await hand_worker.message_ids(OWNER)
    hand_worker.answer(message_id, text)


async def test_a_failed_send_is_retried_until_it_goes_through(bridge_factory, botapi,
                                                             hand_worker):
    running = await bridge_factory().start()
    botapi.fail_next("sendMessage", 500, times=MAX_ATTEMPTS - 1)
    await _answer_one(botapi, hand_worker, "third time lucky")
    assert await wait_texts(botapi, OWNER, 1, timeout=20) == ["third time lucky"]
    assert len(calls_of(botapi, "sendMessage", OWNER)) == MAX_ATTEMPTS
    metrics = await metrics_of(running)
    assert metrics["hearth_sends_failed_total"] == 0
    assert metrics["hearth_messages_out_total"] == 1
    await running.stop()


async def test_a_reply_telegram_does_not_take_stays_owed_until_it_goes_out(
        bridge_factory, botapi, hand_worker, rclient, caplog):
    running = await bridge_factory().start()
    # Longer than one round of retries (about 3.5 s): it used to be dropped for good.
    botapi.fail_next("sendMessage", 502, times=3 * MAX_ATTEMPTS)
    await _answer_one(botapi, hand_worker, "this one is owed")
    await botapi.wait_for(lambda: len(calls_of(botapi, "sendMessage", OWNER))
                          >= MAX_ATTEMPTS, timeout=20)
    await asyncio.sleep(0.5)
    assert rclient.hlen(DELIVERIES) == 1  # still owed, and counted as such
    status = await asyncio.to_thread(run_cli, "status", "--json", env={
        "REDIS_URL": running.redis_url, "HEARTH_HOME": str(running.settings.home)})
    assert status.returncode == 0, status.stderr
    assert json.loads(status.stdout)["replies_owed"] == 1
    assert json.loads(status.stdout)["replies_failing"] == 1
    assert await wait_texts(botapi, OWNER, 1, timeout=60) == ["this one is owed"]
    await wait_redis(lambda: rclient.hlen(DELIVERIES) == 0)
    metrics = await metrics_of(running)
    assert metrics["hearth_sends_failed_total"] == 0
    assert metrics["hearth_messages_out_total"] == 1
    assert not [r for r in caplog.records if r.levelname == "ERROR"]
    # The next reply goes out as usual.
    await _answer_one(botapi, hand_worker, "this one arrives")
    assert await wait_texts(botapi, OWNER, 2) == ["this one is owed", "this one arrives"]
    await running.stop()


async def test_an_owed_reply_is_dropped_after_the_bound_the_user_set(
        bridge_factory, botapi, hand_worker, rclient, caplog):
    running = await bridge_factory(reply_owed_s=1.0).start()
    botapi.fail_next("sendMessage", 502, times=100)
    await _answer_one(botapi, hand_worker, "too late")
    await wait_redis(lambda: rclient.hlen(DELIVERIES) == 0, timeout=30)
    assert (await metrics_of(running))["hearth_sends_failed_total"] == 1
    assert [r for r in caplog.records if r.levelname == "ERROR" and "giving up" in r.message]
    assert texts(botapi, OWNER) == []
    await running.stop()


async def test_a_blocked_user_is_counted_and_the_reply_is_not_owed_forever(
        bridge_factory, botapi, hand_worker, rclient):
    running = await bridge_factory().start()
    botapi.fail_next("sendMessage", 403, description="Forbidden: bot was blocked by the user")
    await _answer_one(botapi, hand_worker, "nobody will read this")
    await wait_redis(lambda: rclient.hlen(DELIVERIES) == 0)
    assert len(calls_of(botapi, "sendMessage", OWNER)) == 1  # refused for sure: no retry
    assert (await metrics_of(running))["hearth_sends_failed_total"] == 1
    await running.stop()


async def test_retry_after_is_honoured(bridge_factory, botapi, hand_worker):
    running = await bridge_factory().start()
    botapi.fail_next("sendMessage", 429, retry_after=2)
    await _answer_one(botapi, hand_worker, "after a pause")
    assert await wait_texts(botapi, OWNER, 1, timeout=20) == ["after a pause"]
    (refused, _), (accepted, _) = calls_of(botapi, "sendMessage", OWNER)
    assert accepted - refused >= 1.9
    assert (await metrics_of(running))["hearth_sends_failed_total"] == 0
    await running.stop()


async def test_a_send_that_timed_out_is_not_sent_again(bridge_factory, botapi, hand_worker):
    running = await bridge_factory().start()
    botapi.delay("sendMessage", 8)  # longer than PTB's 5 s read timeout
    await _answer_one(botapi, hand_worker, "maybe delivered")
    await botapi.wait_for(lambda: calls_of(botapi, "sendMessage", OWNER))
    await asyncio.sleep(7)
    botapi.delay("sendMessage", 0)
    await asyncio.sleep(2)
    # Telegram did deliver it: a blind resend would have shown it twice.
    assert texts(botapi, OWNER) == ["maybe delivered"]
    assert len(calls_of(botapi, "sendMessage", OWNER)) == 1
    assert (await metrics_of(running))["hearth_sends_unknown_total"] == 1
    await running.stop()


async def test_fifty_chats_at_once_keep_their_order_and_pace(bridge_factory, botapi,
                                                             echo_worker, rclient):
    chats = list(range(5000, 5050))
    worker = echo_worker("w1")
    await asyncio.to_thread(worker.start, rclient)
    running = await bridge_factory(allowed_users=frozenset(chats)).start()
    words = ("apple", "banana", "cherry")  # no word twice in a chat: the echo recalls
    for word in words:
        for chat in chats:
            botapi.push_text(chat, chat, f"{word}{chat}")

    def all_answered() -> bool:
        return all(len(texts(botapi, c)) == 3 and not any(t.endswith(" …")
                                                          for t in texts(botapi, c))
                   for c in chats)

    # Paced per chat, not globally: 150 replies at one per second would take minutes.
    await botapi.wait_for(all_answered, timeout=60)
    for chat in chats:
        # Nothing else either: 150 replies streaming at once (one Redis connection
        # each) must not look like "the queue is down".
        assert texts(botapi, chat) == [f"echo: {word}{chat}" for word in words]
        times = [t for method in ("sendMessage", "editMessageText")
                 for t, _ in calls_of(botapi, method, chat)]
        times.sort()
        assert min(b - a for a, b in itertools.pairwise(times)) >= 0.9
    metrics = await metrics_of(running)
    assert metrics["hearth_messages_in_total"] == 150
    assert metrics["hearth_sends_failed_total"] == 0
    await running.stop()
