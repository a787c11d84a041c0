"""The bridge end to end: Telegram in, a real worker, the reply back."""

from __future__ import annotations

import asyncio

from tests.bridge.conftest import OWNER, STRANGER


async def test_an_allowed_message_is_answered(bridge_factory, botapi, echo_worker, rclient):
    worker = echo_worker("w1")
    await asyncio.to_thread(worker.start, rclient)
    bridge = await bridge_factory().start()
    botapi.push_text(OWNER, OWNER, "hello hearth")
    sent = await botapi.wait_for(lambda: [m for m in botapi.sent_messages(OWNER)
                                          if m["text"] == "echo: hello hearth"], timeout=20)
    assert sent
    assert [c for c, _ in botapi.calls if c == "setMyCommands"]
    await bridge.stop()


async def test_a_stranger_is_refused_and_nothing_is_queued(bridge_factory, botapi, rclient):
    bridge = await bridge_factory().start()
    botapi.push_text(STRANGER, STRANGER, "let me in")
    botapi.push_text(STRANGER, STRANGER, "please")
    sent = await botapi.wait_for(lambda: botapi.sent_messages(STRANGER), timeout=10)
    assert str(STRANGER) in sent[0]["text"]
    await asyncio.sleep(0.5)
    assert len(botapi.sent_messages(STRANGER)) == 1
    keys = [k.decode() for k in rclient.keys("*")]
    assert not [k for k in keys if str(STRANGER) in k and not k.startswith("hearth:refused")]
    assert not [k for k in keys if k.startswith("rq:queue:")]
    await bridge.stop()
