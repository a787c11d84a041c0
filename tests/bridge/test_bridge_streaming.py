"""Streaming a reply into Telegram: typing, a first message edited about once a second, the
final text; long replies split in UTF-16 units; Markdown that is delivered intact."""

from __future__ import annotations

import asyncio
import itertools
import time
from datetime import UTC, datetime

from hearth.bridge import escape_markdown_v2, utf16_len
from hearth.bridge._delivery import DELIVERIES, Delivery
from hearth.queue import ReplyFinal
from tests.bridge.conftest import (
    OWNER,
    calls_of,
    metrics_of,
    texts,
    wait_redis,
    wait_texts,
)

WORDS = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota",
         "kappa", "lambda", "mu"]


async def test_chunks_stream_as_one_message_edited_about_once_a_second(
        bridge_factory, botapi, hand_worker, rclient):
    running = await bridge_factory().start()
    botapi.push_text(OWNER, OWNER, "tell me a story")
    [message_id] = await hand_worker.message_ids(OWNER)
    # Nothing to show for 4.5 s: "typing…" is refreshed (Telegram drops it after ~5 s).
    await asyncio.sleep(4.5)
    writer = hand_worker.writer(message_id)
    written = ""
    for i in range(16):
        word = ("" if i == 0 else " ") + WORDS[i % len(WORDS)]
        writer.write(word)
        writer.flush()
        written += word
        await asyncio.sleep(0.25)
    writer.final(ReplyFinal(attempt=1, text=written + "."))
    [final] = await wait_texts(botapi, OWNER, 1)
    assert final == written + "."

    sends = calls_of(botapi, "sendMessage", OWNER)
    edits = calls_of(botapi, "editMessageText", OWNER)
    typing = calls_of(botapi, "sendChatAction", OWNER)
    assert len(sends) == 1
    first_text = sends[0][1]["text"]
    assert first_text.endswith(" …") and written.startswith(first_text.removesuffix(" …"))
    assert len(typing) >= 2 and all(p["action"] == "typing" for _, p in typing)
    assert all(t < sends[0][0] for t, _ in typing)
    # The preview grows with the edits, which come about once a second, not per chunk.
    assert 2 <= len(edits) <= 6
    previews = [first_text] + [p["text"] for _, p in edits[:-1]]
    assert all(len(a) < len(b) for a, b in itertools.pairwise(previews))
    times = [sends[0][0]] + [t for t, _ in edits]
    assert min(b - a for a, b in itertools.pairwise(times)) >= 0.9
    assert edits[-1][1]["text"] == escape_markdown_v2(written + ".")
    assert edits[-1][1].get("parse_mode") == "MarkdownV2"
    await wait_redis(lambda: rclient.hlen(DELIVERIES) == 0)  # no longer owed
    await running.stop()


def _sentences(n_chars: int) -> str:
    sentence, i, out = "", 0, []
    while sum(map(len, out)) < n_chars:
        sentence = f"Sentence {i} is about {WORDS[i % len(WORDS)]} and more words."
        out.append(sentence + ("\n\n" if i % 7 == 6 else " "))
        i += 1
    return "".join(out).strip()


async def test_a_10000_character_reply_is_split_on_boundaries(bridge_factory, botapi,
                                                             hand_worker):
    running = await bridge_factory().start()
    botapi.push_text(OWNER, OWNER, "a long one please")
    [message_id] = await hand_worker.message_ids(OWNER)
    text = _sentences(10_000)
    assert len(text) >= 10_000
    hand_worker.answer(message_id, text)
    parts = await botapi.wait_for(lambda: texts(botapi, OWNER) if "\n\n".join(
        texts(botapi, OWNER)).split() == text.split() else None, timeout=20)
    assert len(parts) == 3
    assert all(utf16_len(p) <= 4096 for p in parts)
    assert all(p.endswith(".") for p in parts)  # cut after a sentence or a paragraph
    assert "\n\n".join(parts).split() == text.split()
    metrics = await metrics_of(running)
    assert metrics["hearth_sends_failed_total"] == 0
    assert metrics["hearth_messages_out_total"] == 3
    await running.stop()


async def test_a_reply_full_of_emoji_is_split_in_utf16_units(bridge_factory, botapi,
                                                            hand_worker):
    running = await bridge_factory().start()
    botapi.push_text(OWNER, OWNER, "emoji!")
    [message_id] = await hand_worker.message_ids(OWNER)
    family = "👨\u200d👩\u200d👧\u200d👦"  # one emoji: 7 code points, 11 UTF-16 units
    words = " ".join("😀🎉🇩🇪" for _ in range(700))  # 6 units per word: 4900 units
    run = family * 500  # 5500 units and nowhere to cut but between two families
    text = f"{words}\n\n{run}"
    hand_worker.answer(message_id, text)
    squeezed = text.replace(" ", "").replace("\n", "")
    parts = await botapi.wait_for(lambda: texts(botapi, OWNER) if "".join(
        texts(botapi, OWNER)).replace(" ", "").replace("\n", "") == squeezed else None,
        timeout=20)
    assert len(parts) == 4
    assert all(utf16_len(p) <= 4096 for p in parts)
    for part in parts:
        if family in part:
            assert part.replace(family, "").replace(" ", "").replace("🇩🇪", "").replace(
                "😀🎉", "") == ""
        assert part.count("🇩🇪") * 2 == part.count("\U0001f1e9") + part.count("\U0001f1ea")
    assert (await metrics_of(running))["hearth_sends_failed_total"] == 0
    await running.stop()


SPECIAL = "Reserved: _*[]()~`>#+-=|{}.! and a back\\slash, 3.5 > 2 - 1 = 1!"


async def test_markdown_special_characters_arrive_intact(bridge_factory, botapi, hand_worker):
    running = await bridge_factory().start()
    botapi.push_text(OWNER, OWNER, "special characters")
    botapi.push_text(OWNER, OWNER, "formatting")
    first, second = await hand_worker.message_ids(OWNER, 2)
    hand_worker.answer(first, SPECIAL)
    await wait_texts(botapi, OWNER, 1)
    hand_worker.answer(second, "Use **bold**, `code()` and _care_. Done!")
    sent = await wait_texts(botapi, OWNER, 2)
    assert sent == [SPECIAL, "Use bold, code() and care. Done!"]
    plain, formatted = botapi.sent_messages(OWNER)
    assert "entities" not in plain
    assert [e["type"] for e in formatted["entities"]] == ["bold", "code", "italic"]
    assert all(p.get("parse_mode") == "MarkdownV2"
               for _, p in calls_of(botapi, "sendMessage", OWNER))
    assert (await metrics_of(running)).get("hearth_markdown_fallbacks_total", 0) == 0
    await running.stop()


async def test_refused_markdown_falls_back_to_plain_text(bridge_factory, botapi, hand_worker):
    botapi.reject_markdown = True
    running = await bridge_factory().start()
    botapi.push_text(OWNER, OWNER, "format this")
    [message_id] = await hand_worker.message_ids(OWNER)
    reply = "Use **bold** and `code` (really)."
    hand_worker.answer(message_id, reply)
    assert await wait_texts(botapi, OWNER, 1) == [reply]
    sends = calls_of(botapi, "sendMessage", OWNER)
    assert [p.get("parse_mode") for _, p in sends] == ["MarkdownV2", None]
    metrics = await metrics_of(running)
    assert metrics["hearth_markdown_fallbacks_total"] == 1
    assert metrics["hearth_sends_failed_total"] == 0
    assert metrics["hearth_messages_out_total"] == 1
    await running.stop()


async def test_a_reply_that_waited_over_10_minutes_says_when_it_was_sent(
        bridge_factory, botapi, hand_worker, rclient):
    running = await bridge_factory().start()
    botapi.push_sticker(OWNER, OWNER)  # the chat exists once its user wrote
    await wait_texts(botapi, OWNER, 1)
    long_ago = time.time() - 11 * 60
    await running.bridge.deliverer.owe(Delivery(message_id="late-1", chat_id=OWNER,
                                                received_at=long_ago))
    await running.bridge.deliverer.owe(Delivery(message_id="soon-1", chat_id=OWNER,
                                                received_at=time.time() - 30))
    assert set(rclient.hkeys(DELIVERIES)) == {b"late-1", b"soon-1"}
    hand_worker.answer("late-1", "Here is the late answer.")
    late = (await wait_texts(botapi, OWNER, 1, starting="(You sent"))[0]
    hand_worker.answer("soon-1", "Here is the quick answer.")
    await wait_texts(botapi, OWNER, 1, starting="Here is the quick")
    when = datetime.fromtimestamp(long_ago, UTC).strftime("%Y-%m-%d %H:%M")
    assert late == (f"(You sent this at {when} UTC; sorry for the wait.)\n\n"
                    "Here is the late answer.")
    assert "Here is the quick answer." in texts(botapi, OWNER)
    await wait_redis(lambda: rclient.hlen(DELIVERIES) == 0)
    await running.stop()
