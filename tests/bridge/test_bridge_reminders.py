"""Reminders (hole 5): written by a real worker to the outbox, delivered once by the bridge."""

from __future__ import annotations

import asyncio
import io
from datetime import UTC, datetime, timedelta

from hearth.bridge import ConsoleChannel
from hearth.bridge._delivery import DELIVERIES
from hearth.queue import list_reminders, schedule_reminder, worker_queue
from tests.bridge.conftest import OWNER, texts, wait_redis, wait_texts

RESENT_MARK = "(sent again after a restart)"


def _remind(rclient, chat: int | str, text: str, in_s: float) -> str:
    return schedule_reminder(rclient, worker_queue("w1"), str(chat),
                             datetime.now(UTC) + timedelta(seconds=in_s), text)


async def test_a_reminder_is_delivered_once_across_bridge_kills(
        bridge_process, bridge_factory, botapi, echo_worker, rclient):
    worker = echo_worker("w1")
    await asyncio.to_thread(worker.start, rclient)
    botapi.push_text(OWNER, OWNER, "hi")
    first = await bridge_process().start()
    await wait_texts(botapi, OWNER, 1, starting="echo: hi")
    _remind(rclient, OWNER, "⏰ Reminder: water the plants", 1)
    await botapi.wait_for(lambda: len(texts(botapi, OWNER)) == 2, timeout=30)
    assert texts(botapi, OWNER)[1] == "⏰ Reminder: water the plants"
    await wait_redis(lambda: rclient.hlen(DELIVERIES) == 0)
    first.kill()
    # A second one reaches Telegram, and the bridge dies before it hears back.
    second = await bridge_process().start()
    botapi.delay("sendMessage", 30)
    _remind(rclient, OWNER, "⏰ Reminder: call mum", 0.5)
    await botapi.wait_for(lambda: len(texts(botapi, OWNER)) == 3, timeout=30)
    second.kill()
    botapi.delay("sendMessage", 0)
    third = await bridge_factory().start()
    await wait_redis(lambda: rclient.hlen(DELIVERIES) == 0, timeout=20)
    await asyncio.sleep(1.5)
    assert texts(botapi, OWNER)[1:] == ["⏰ Reminder: water the plants", "⏰ Reminder: call mum",
                                        f"{RESENT_MARK}\n\n⏰ Reminder: call mum"]
    await third.stop()


async def test_reminders_are_listed_cancelled_and_forgotten(bridge_factory, botapi,
                                                            echo_worker, rclient):
    worker = echo_worker("w1")
    await asyncio.to_thread(worker.start, rclient)
    running = await bridge_factory().start()
    botapi.push_text(OWNER, OWNER, "hi")
    await wait_texts(botapi, OWNER, 1, starting="echo: hi")
    _remind(rclient, OWNER, "dentist", 3600)
    _remind(rclient, OWNER, "bins", 7200)
    soon = _remind(rclient, OWNER, "never shown", 2)
    botapi.push_text(OWNER, OWNER, "/reminders")
    [listing] = await wait_texts(botapi, OWNER, 1, starting="Your reminders")
    assert "1. " in listing and "never shown" in listing.split("\n")[1]
    assert "dentist" in listing and "bins" in listing and "/reminders cancel N" in listing
    botapi.push_text(OWNER, OWNER, "/reminders cancel 1")
    assert await wait_texts(botapi, OWNER, 1, starting="Cancelled") == [
        "Cancelled reminder 1: never shown"]
    assert soon not in [r.reminder_id for r in list_reminders(rclient, str(OWNER))]
    botapi.push_text(OWNER, OWNER, "/reminders cancel 9")
    await wait_texts(botapi, OWNER, 1, starting="There is no reminder 9")
    await asyncio.sleep(3.0)  # the cancelled one was due: it must not fire
    assert not [t for t in texts(botapi, OWNER) if t == "never shown"]
    botapi.push_text(OWNER, OWNER, "/forget")
    await wait_texts(botapi, OWNER, 1, starting="This deletes")
    botapi.push_text(OWNER, OWNER, "/forget yes")
    [done] = await wait_texts(botapi, OWNER, 1, starting="Done: everything")
    assert "2 pending reminder(s)" in done
    assert list_reminders(rclient, str(OWNER)) == []
    botapi.push_text(OWNER, OWNER, "/reminders")
    await wait_texts(botapi, OWNER, 1, starting="You have no pending reminders")
    await running.stop()


async def test_the_console_prints_a_due_reminder_once(echo_worker, rclient):
    worker = echo_worker("w1")
    await asyncio.to_thread(worker.start, rclient)
    _remind(rclient, "console", "⏰ Reminder: stretch", 0.5)
    _remind(rclient, "someone-else", "⏰ Reminder: not for the console", 0.5)
    await wait_redis(lambda: rclient.xlen("hearth:outbox") >= 2, timeout=20)
    out = io.StringIO()
    console = ConsoleChannel(rclient, out=out)
    await asyncio.to_thread(console.run, ["hello"])
    again = ConsoleChannel(rclient, out=out)  # a restarted console
    await asyncio.to_thread(again.run, ["hello again"])
    lines = out.getvalue().splitlines()
    assert lines.count("⏰ Reminder: stretch") == 1
    assert "⏰ Reminder: not for the console" not in out.getvalue()
