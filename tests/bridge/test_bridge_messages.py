"""Kinds of messages: non-text, edited, in groups, and too many at once."""

from __future__ import annotations

import asyncio

from hearth.bridge._commands import TEXT_ONLY, TOO_MANY
from tests.bridge.conftest import FRIEND, OWNER, STRANGER, calls_of, texts, wait_texts

GROUP = -100500


async def test_non_text_messages_get_a_short_note(bridge_factory, botapi, rclient):
    running = await bridge_factory().start()
    botapi.push_sticker(OWNER, OWNER)
    botapi.push_photo(OWNER, OWNER, caption="look at this")
    botapi.push_message(OWNER, OWNER, voice={"file_id": "v1", "file_unique_id": "v1",
                                             "duration": 3})
    botapi.push_message(OWNER, OWNER, document={"file_id": "d1", "file_unique_id": "d1",
                                                "file_name": "notes.pdf"})
    sent = await wait_texts(botapi, OWNER, 4, timeout=20)
    assert sent == [TEXT_ONLY] * 4
    assert not rclient.keys("rq:job:*") and not rclient.keys(f"hearth:pending:{OWNER}")
    await running.stop()


async def test_an_edited_message_is_answered_again(bridge_factory, botapi, echo_worker,
                                                   rclient):
    worker = echo_worker("w1")
    await asyncio.to_thread(worker.start, rclient)
    running = await bridge_factory().start()
    botapi.push_text(OWNER, OWNER, "owls at night")  # message 1 of the chat
    await wait_texts(botapi, OWNER, 1)
    botapi.push_edited_text(OWNER, OWNER, 1, "foxes by day")
    sent = await wait_texts(botapi, OWNER, 2)
    assert sent == ["echo: owls at night", "echo: foxes by day"]
    await asyncio.sleep(0.5)
    assert len(texts(botapi, OWNER)) == 2
    await running.stop()


async def test_in_groups_only_mentions_and_replies_from_allowed_users(bridge_factory, botapi,
                                                                      echo_worker, rclient):
    worker = echo_worker("w1")
    await asyncio.to_thread(worker.start, rclient)
    running = await bridge_factory().start()
    botapi.push_text(GROUP, OWNER, "just chatting with friends", chat_type="group")
    botapi.push_text(GROUP, STRANGER, "@hearth_test_bot hi from a stranger", chat_type="group")
    botapi.push_text(GROUP, OWNER, "@hearth_test_bot what's up", chat_type="group")
    [first] = await wait_texts(botapi, GROUP, 1)
    assert first == "echo: what's up"
    botapi.push_sticker(GROUP, FRIEND, chat_type="group")  # not addressed to the bot
    botapi.push_text(GROUP, FRIEND, "and what about this?", chat_type="group",
                     reply_to_bot=True)
    sent = await wait_texts(botapi, GROUP, 2)
    assert sent == ["echo: what's up", "echo: and what about this?"]
    await asyncio.sleep(0.5)
    assert len(texts(botapi, GROUP)) == 2
    # Replies in a group quote the message they answer.
    replied = [p["reply_parameters"]["message_id"]
               for _, p in calls_of(botapi, "sendMessage", GROUP)]
    assert replied == [3, 6]
    assert not rclient.keys(f"*{STRANGER}*")
    assert texts(botapi, STRANGER) == []  # no refusal in private for a group mention
    await running.stop()


async def test_too_many_pending_messages_get_a_wait_note(bridge_factory, botapi, hand_worker,
                                                         rclient):
    running = await bridge_factory(max_pending_per_chat=2).start()
    for i in range(4):
        botapi.push_text(OWNER, OWNER, f"message {i}")
    ids = await hand_worker.message_ids(OWNER, 2)
    assert await wait_texts(botapi, OWNER, 2) == [TOO_MANY, TOO_MANY]
    assert rclient.zcard(f"hearth:pending:{OWNER}") == 2
    for message_id in ids:
        hand_worker.answer(message_id, f"answer to {message_id}")
    await wait_texts(botapi, OWNER, 2, starting="answer to")
    # Answered messages no longer count: the next one is queued.
    assert rclient.zcard(f"hearth:pending:{OWNER}") == 0
    botapi.push_text(OWNER, OWNER, "one more")
    assert len(await hand_worker.message_ids(OWNER, 1)) == 1
    await running.stop()
