"""Every command, and 👍/👎 reactions recorded on the trace of the reply."""

from __future__ import annotations

import asyncio
import json

from hearth.bridge._commands import COMMANDS, FORGET_CONFIRM, HELP, START
from hearth.edge_runtime import MemoryStore, chat_salt
from hearth.queue import SEARCH_QUEUE, publish_spec, rq_queue
from hearth.specs import default_spec, sign
from tests.bridge.conftest import (
    FRIEND,
    OWNER,
    texts,
    traces_of,
    wait_idle,
    wait_texts,
)
from tests.workers import SECRET

RESET_DONE = "Done: I cleared our recent conversation. What I was asked to remember stays."
FORGET_DONE = "Done: everything I stored about this chat is deleted."


async def test_start_help_and_the_registered_command_list(bridge_factory, botapi):
    running = await bridge_factory().start()
    names = [c["command"] for c in botapi.commands]
    assert names == [c.command for c in COMMANDS]
    assert {"start", "help", "reset", "forget", "status", "spec", "bad"} <= set(names)
    botapi.push_text(OWNER, OWNER, "/start")
    botapi.push_text(OWNER, OWNER, "/help")
    assert await wait_texts(botapi, OWNER, 2) == [START, HELP]
    await running.stop()


async def test_status_and_spec_with_and_without_a_worker(bridge_factory, botapi, echo_worker,
                                                        rclient):
    running = await bridge_factory().start()
    botapi.push_text(OWNER, OWNER, "/status")
    botapi.push_text(OWNER, OWNER, "/spec")
    offline = await wait_texts(botapi, OWNER, 2)
    assert offline[0].splitlines() == ["Workers online: 0", "Queue depth: 0",
                                       "Your pending messages: 0"]
    assert offline[1] == "No worker is online, so no spec is running right now."

    spec = default_spec()
    publish_spec(rclient, sign(spec, SECRET))
    worker = echo_worker("w1")
    await asyncio.to_thread(worker.start, rclient)
    botapi.push_text(OWNER, OWNER, "hello")
    await wait_texts(botapi, OWNER, 1, starting="echo: hello")
    botapi.push_text(OWNER, OWNER, "/status")
    botapi.push_text(OWNER, OWNER, "/spec")
    online = (await wait_texts(botapi, OWNER, 5))[3:]
    lines = online[0].splitlines()
    assert lines[0] == "Workers online: 1"
    assert lines[1].startswith("• w1 (your home) on ") and f"spec {spec.id[:12]}" in lines[1]
    assert lines[2:] == ["Queue depth: 0", "Your pending messages: 0"]
    assert online[1] == (f"Spec {spec.id[:12]} on w1 ({spec.intelligence.model}).\n"
                         f"{spec.summary()}")
    await running.stop()


async def test_reset_and_forget_with_confirmation(bridge_factory, botapi, echo_worker,
                                                  rclient, home):
    worker = echo_worker("w1")
    await asyncio.to_thread(worker.start, rclient)
    running = await bridge_factory().start()
    for chat in (OWNER, FRIEND):
        botapi.push_text(chat, chat, "tell me about the apples")
    for chat in (OWNER, FRIEND):
        await wait_texts(botapi, chat, 1, starting="echo:")
    botapi.push_text(OWNER, OWNER, "/reset")
    botapi.push_text(FRIEND, FRIEND, "/forget yes")  # never asked: asks first
    botapi.push_text(FRIEND, FRIEND, "/forget")
    botapi.push_text(FRIEND, FRIEND, "/forget yes")
    assert (await wait_texts(botapi, OWNER, 2))[1] == RESET_DONE
    assert (await wait_texts(botapi, FRIEND, 4))[1:] == [FORGET_CONFIRM, FORGET_CONFIRM,
                                                         FORGET_DONE]
    await wait_idle(rclient)
    await running.stop()
    await asyncio.to_thread(worker.stop)
    with MemoryStore(home / "worker-w1.duckdb", chat_salt=chat_salt(home)) as memory:
        assert memory.history(str(OWNER), 20) == []  # reset: a new window
        assert memory.traces.get(f"tg-{OWNER}-1") is not None  # ... but traces stay
        assert memory.history(str(FRIEND), 20) == []
        assert memory.traces.get(f"tg-{FRIEND}-1") is None  # forget: everything goes
        assert str(FRIEND) not in memory.chat_ids()


async def test_feedback_from_reactions_and_bad_lands_on_the_traces(bridge_factory, botapi,
                                                                   echo_worker, rclient, home):
    worker = echo_worker("w1")
    await asyncio.to_thread(worker.start, rclient)
    running = await bridge_factory().start()
    botapi.push_text(OWNER, OWNER, "/bad")
    assert await wait_texts(botapi, OWNER, 1) == ["There is no reply of mine to mark yet."]
    for word in ("first", "second", "third"):
        botapi.push_text(OWNER, OWNER, word)
        await wait_texts(botapi, OWNER, 1, starting=f"echo: {word}")
    replies = {m["text"]: m["message_id"] for m in botapi.sent_messages(OWNER)}
    botapi.push_reaction(OWNER, OWNER, replies["echo: first"], "🔥")  # not feedback
    botapi.push_reaction(OWNER, OWNER, replies["echo: first"], "👍")
    botapi.push_reaction(OWNER, OWNER, replies["echo: second"], "👎")
    botapi.push_reaction(OWNER, OWNER, 3, "👍")  # the user's own message: not a reply
    botapi.push_text(OWNER, OWNER, "/bad")
    thanks = await wait_texts(botapi, OWNER, 1, starting="Thanks, noted.")
    assert thanks == ["Thanks, noted. This helps me improve tonight."]
    await botapi.wait_for(lambda: not botapi.pending_updates(), timeout=5)
    await wait_idle(rclient)
    await running.stop()
    await asyncio.to_thread(worker.stop)
    # Messages 3, 5 and 7 of the chat were the user's, answered by 4, 6 and 8.
    feedback = {mid: t.feedback for mid, t in traces_of(home).items()}
    assert feedback == {f"tg-{OWNER}-3": "up", f"tg-{OWNER}-5": "down",
                        f"tg-{OWNER}-7": "bad"}


async def test_approve_queues_the_approval_for_the_search_machine(bridge_factory, botapi,
                                                                  rclient):
    running = await bridge_factory().start()
    botapi.push_text(OWNER, OWNER, "/approve")
    botapi.push_text(OWNER, OWNER, "/approve 3f9A0c1d")
    sent = await wait_texts(botapi, OWNER, 2)
    assert sent[0].startswith("Usage: /approve SPEC_ID")
    assert sent[1].startswith("Approval of spec 3f9a0c1d sent")
    [job] = rq_queue(rclient, SEARCH_QUEUE).get_jobs()
    assert job.func_name == "hearth.search.jobs.approve"
    assert json.loads(json.dumps(job.args)) == [{"spec_id": "3f9a0c1d"}]
    assert texts(botapi, FRIEND) == []
    await running.stop()
