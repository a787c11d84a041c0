"""Restarting the bridge loses nothing and duplicates nothing."""

from __future__ import annotations

import asyncio

from hearth.bridge._commands import NO_WORKER
from hearth.bridge._delivery import DELIVERIES
from hearth.queue import ReplyFinal
from tests.bridge.conftest import (
    OWNER,
    calls_of,
    texts,
    wait_redis,
    wait_texts,
)


async def test_messages_sent_while_the_bridge_was_down_are_answered_once(
        bridge_factory, botapi, echo_worker, rclient):
    worker = echo_worker("w1")
    await asyncio.to_thread(worker.start, rclient)
    running = await bridge_factory().start()
    botapi.push_text(OWNER, OWNER, "one")
    await wait_texts(botapi, OWNER, 1, starting="echo: one")
    await running.stop()
    botapi.push_text(OWNER, OWNER, "two")
    botapi.push_text(OWNER, OWNER, "three")
    running = await bridge_factory().start()
    await wait_texts(botapi, OWNER, 3, starting="echo:")
    await running.stop()
    running = await bridge_factory().start()  # and once more, with nothing new
    await asyncio.sleep(1.5)
    assert texts(botapi, OWNER) == ["echo: one", "echo: two", "echo: three"]
    assert rclient.hlen(DELIVERIES) == 0
    await running.stop()


async def test_an_update_delivered_again_after_a_crash_is_answered_once(
        bridge_process, bridge_factory, botapi, echo_worker, rclient):
    first = await bridge_process().start()
    # The bridge is still busy with the update (telling the user no worker is online)
    # when it crashes, so Telegram never got the next offset and delivers it again.
    botapi.delay("sendMessage", 30)
    update_id = botapi.push_text(OWNER, OWNER, "only once please")
    await botapi.wait_for(lambda: calls_of(botapi, "sendMessage", OWNER))
    first.kill()
    assert [u["update_id"] for u in botapi.pending_updates()] == [update_id]
    botapi.delay("sendMessage", 0)
    second = await bridge_factory().start()
    await botapi.wait_for(lambda: not botapi.pending_updates(), timeout=10)
    worker = echo_worker("w1")
    await asyncio.to_thread(worker.start, rclient)
    await wait_texts(botapi, OWNER, 1, starting="echo: only once")
    await asyncio.sleep(1.5)
    assert texts(botapi, OWNER) == [NO_WORKER, "echo: only once please"]
    assert rclient.zcard(f"hearth:pending:{OWNER}") == 0
    await second.stop()


async def test_a_crash_mid_stream_is_completed_by_editing_not_resending(
        bridge_process, bridge_factory, botapi, hand_worker, rclient):
    first = await bridge_process().start()
    botapi.push_text(OWNER, OWNER, "a long answer please")
    [message_id] = await hand_worker.message_ids(OWNER)
    writer = hand_worker.writer(message_id)
    writer.write("The first half of the answer")
    writer.flush()
    assert await botapi.wait_for(lambda: texts(botapi, OWNER)) == [
        "The first half of the answer …"]
    await wait_redis(lambda: b"sent_ids\": [2]" in (rclient.hget(DELIVERIES, message_id) or b""))
    first.kill()

    writer.write(", and the second half.")
    writer.final(ReplyFinal(attempt=1, text="The first half of the answer, and the second half."))
    second = await bridge_factory().start()
    await wait_texts(botapi, OWNER, 1, starting="The first half of the answer, and")
    await wait_redis(lambda: rclient.hlen(DELIVERIES) == 0)
    assert texts(botapi, OWNER) == ["The first half of the answer, and the second half."]
    assert len(calls_of(botapi, "sendMessage", OWNER)) == 1
    assert calls_of(botapi, "editMessageText", OWNER)[-1][1]["message_id"] == 2
    await second.stop()

    # A worker that died mid-reply and answered again (attempt 2) replaces the preview.
    third = await bridge_factory().start()
    botapi.push_text(OWNER, OWNER, "another")
    message_id = (await hand_worker.message_ids(OWNER, 2))[1]
    old = hand_worker.writer(message_id, attempt=1)
    old.write("A first try that")
    old.flush()
    await botapi.wait_for(lambda: texts(botapi, OWNER)[1:] == ["A first try that …"])
    hand_worker.answer(message_id, "The second try, whole.", attempt=2)
    await wait_texts(botapi, OWNER, 1, starting="The second try")
    assert texts(botapi, OWNER)[1:] == ["The second try, whole."]
    await third.stop()


async def test_replies_resumed_after_a_kill_keep_the_order_of_their_messages(
        bridge_process, bridge_factory, botapi, hand_worker, rclient):
    first = await bridge_process().start()
    botapi.push_text(OWNER, OWNER, "the first question")
    botapi.push_text(OWNER, OWNER, "the second question")
    earlier, later = await hand_worker.message_ids(OWNER, 2)
    first.kill()
    # After the restart the later reply is ready at once, the earlier one a moment later.
    hand_worker.answer(later, "The second answer.")
    second = await bridge_factory().start()
    await asyncio.sleep(1.5)
    assert texts(botapi, OWNER) == []  # held back: its message came after one still owed
    writer = hand_worker.writer(earlier)
    writer.write("The first")
    writer.flush()
    await asyncio.sleep(1.5)
    assert texts(botapi, OWNER) == ["The first …"]
    writer.final(ReplyFinal(attempt=1, text="The first answer."))
    await wait_texts(botapi, OWNER, 2, starting="The")
    assert texts(botapi, OWNER) == ["The first answer.", "The second answer."]
    await wait_redis(lambda: rclient.hlen(DELIVERIES) == 0)
    await second.stop()
