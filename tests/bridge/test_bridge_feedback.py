"""👍/👎 buttons under replies (feedback on the trace, on the home worker) and /tz."""

from __future__ import annotations

import asyncio
from pathlib import Path

import redis

from hearth.bridge._feedback import THANKS
from hearth.queue import chat_timezone
from tests.bridge.botapi import BotApiServer
from tests.bridge.conftest import OWNER, STRANGER, traces_of, wait_idle, wait_texts


async def test_buttons_under_a_reply_send_feedback_to_its_trace(
        bridge_factory, botapi: BotApiServer, echo_worker, rclient: redis.Redis, home: Path):
    worker = echo_worker("w1")
    await asyncio.to_thread(worker.start, rclient)
    await bridge_factory().start()
    botapi.push_text(OWNER, OWNER, "hello there")
    [reply] = await botapi.wait_for(lambda: [
        m for m in botapi.sent_messages(OWNER) if m.get("reply_markup")], timeout=60)
    assert reply["text"] == "echo: hello there"
    buttons = reply["reply_markup"]["inline_keyboard"][0]
    assert [(b["text"], b["callback_data"]) for b in buttons] == [("👍", "fb:up"),
                                                                 ("👎", "fb:down")]
    # A stranger's press does nothing; the owner's becomes feedback.
    botapi.push_callback_query(OWNER, STRANGER, reply["message_id"], "fb:up")
    botapi.push_callback_query(OWNER, OWNER, reply["message_id"], "fb:down")
    await botapi.wait_for(lambda: len(botapi.callback_answers) == 2, timeout=30)
    assert botapi.callback_answers[1]["text"] == THANKS["down"]
    await wait_idle(rclient, "w1", timeout=60)
    worker.stop()
    [trace] = traces_of(home).values()
    assert trace.feedback == "down"


async def test_tz_sets_the_chats_time_zone_and_refuses_a_wrong_one(
        bridge_factory, botapi: BotApiServer, rclient: redis.Redis):
    await bridge_factory().start()
    botapi.push_text(OWNER, OWNER, "/tz Mars/Olympus_Mons")
    [refused] = await wait_texts(botapi, OWNER, 1)
    assert "Unknown time zone 'Mars/Olympus_Mons'" in refused and "Europe/Berlin" in refused
    assert chat_timezone(rclient, str(OWNER)) is None
    botapi.push_text(OWNER, OWNER, "/tz Asia/Tokyo")
    texts = await wait_texts(botapi, OWNER, 2)
    assert texts[1].startswith("Time zone for this chat: Asia/Tokyo")
    assert chat_timezone(rclient, str(OWNER)) == "Asia/Tokyo"
    botapi.push_text(OWNER, OWNER, "/tz")
    texts = await wait_texts(botapi, OWNER, 3)
    assert texts[2].startswith("This chat's time zone: Asia/Tokyo.")
