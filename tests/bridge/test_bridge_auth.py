"""Who may talk: allowed users are served, strangers leave nothing behind, pairing."""

from __future__ import annotations

import asyncio

import redis.asyncio as aioredis

from hearth.bridge._auth import PAIR_CODE, PAIR_MAX_FAILURES, PAIR_TTL_S, PAIRED, Gate
from hearth.bridge._commands import PAIR_WRONG, REFUSAL
from hearth.bridge._commands import PAIRED as PAIRED_TEXT
from hearth.bridge._delivery import DELIVERIES
from hearth.queue import SEARCH_QUEUE
from tests.bridge.conftest import (
    FRIEND,
    OWNER,
    STRANGER,
    metrics_of,
    texts,
    traces_of,
    wait_idle,
    wait_redis,
    wait_texts,
)

GROUP = -100777


async def test_strangers_leave_nothing_in_redis_or_traces(bridge_factory, botapi, echo_worker,
                                                         rclient, home):
    worker = echo_worker("w1")
    await asyncio.to_thread(worker.start, rclient)
    running = await bridge_factory().start()
    botapi.push_text(FRIEND, FRIEND, "friend says hi")
    await wait_texts(botapi, FRIEND, 1, starting="echo: friend says hi")

    botapi.push_text(STRANGER, STRANGER, "secret stranger text")
    botapi.push_sticker(STRANGER, STRANGER)
    for command in ("/start", "/help", "/status", "/spec", "/reset", "/forget yes", "/bad",
                    "/approve abcdef12"):
        botapi.push_text(STRANGER, STRANGER, command)
    botapi.push_edited_text(STRANGER, STRANGER, 1, "secret edited text")
    botapi.push_reaction(STRANGER, STRANGER, 1, "👎")
    # In a group, even a mention or a reply from a stranger is ignored, silently.
    botapi.push_text(GROUP, OWNER, "the owner chats without the bot", chat_type="group")
    botapi.push_text(GROUP, STRANGER, "@hearth_test_bot secret group text", chat_type="group")
    botapi.push_text(OWNER, OWNER, "after the stranger")
    await wait_texts(botapi, OWNER, 1, starting="echo: after the stranger")
    await wait_idle(rclient)

    # One refusal, with the user id, and nothing else, in the stranger's chat.
    assert texts(botapi, STRANGER) == [REFUSAL.format(user_id=STRANGER)]
    assert texts(botapi, GROUP) == []
    keys = {k.decode() for k in rclient.keys("*")}
    mine = {k for k in keys if str(STRANGER) in k or str(GROUP) in k}
    assert mine == {f"hearth:refused:{STRANGER}"}
    jobs = [k for k in keys if k.startswith("rq:job:")]
    assert jobs and all(str(FRIEND) in k or str(OWNER) in k for k in jobs)
    assert rclient.llen(f"rq:queue:{SEARCH_QUEUE}") == 0  # no /approve either
    # A delivery's record goes once Telegram has the reply, a moment after it shows.
    await wait_redis(lambda: not rclient.hkeys(DELIVERIES), 10)
    metrics = await metrics_of(running)
    assert metrics["hearth_refusals_total"] >= 12
    assert metrics["hearth_messages_in_total"] == 2
    await running.stop()
    await asyncio.to_thread(worker.stop)
    traces = traces_of(home)
    assert sorted(traces) == [f"tg-{OWNER}-1", f"tg-{FRIEND}-1"]
    assert not [t for t in traces.values() if "secret" in (t.user_text or "")]


async def test_a_stranger_is_refused_once_an_hour_not_per_message(bridge_factory, botapi, rclient):
    running = await bridge_factory().start()
    for i in range(3):
        botapi.push_text(STRANGER, STRANGER, f"hello {i}")
    await wait_texts(botapi, STRANGER, 1)
    await botapi.wait_for(lambda: not botapi.pending_updates(), timeout=5)
    await asyncio.sleep(0.3)
    assert texts(botapi, STRANGER) == [REFUSAL.format(user_id=STRANGER)]
    assert 0 < rclient.ttl(f"hearth:refused:{STRANGER}") <= 3600
    await running.stop()


async def test_pairing_with_the_right_code_lets_a_stranger_in(bridge_factory, botapi,
                                                             echo_worker, rclient, redis_url):
    worker = echo_worker("w1")
    await asyncio.to_thread(worker.start, rclient)
    running = await bridge_factory().start()
    client = aioredis.Redis.from_url(redis_url)
    code = await Gate(client, frozenset({OWNER})).issue_code()
    assert 0 < rclient.ttl(PAIR_CODE) <= PAIR_TTL_S
    assert code.encode() not in rclient.get(PAIR_CODE)  # stored hashed

    botapi.push_text(STRANGER, STRANGER, "/pair WRONG-CODE")
    botapi.push_text(STRANGER, STRANGER, f"/pair {code.lower()}")
    botapi.push_text(STRANGER, STRANGER, "now I may talk")
    sent = await wait_texts(botapi, STRANGER, 3)
    assert sent[:3] == [PAIR_WRONG, PAIRED_TEXT, "echo: now I may talk"]
    assert rclient.sismember(PAIRED, str(STRANGER))
    assert not rclient.exists(PAIR_CODE)  # one time only
    assert not rclient.exists(f"hearth:pair:failures:{STRANGER}")

    # The code is spent: nobody else can use it.
    other = STRANGER + 1
    botapi.push_text(other, other, f"/pair {code}")
    assert await wait_texts(botapi, other, 1) == [PAIR_WRONG]

    # A paired user survives a bridge restart (the pairing lives in Redis).
    await running.stop()
    running = await bridge_factory().start()
    botapi.push_text(STRANGER, STRANGER, "still here")
    await wait_texts(botapi, STRANGER, 1, starting="echo: still here")
    await running.stop()
    await client.aclose()


async def test_wrong_pairing_codes_are_counted_and_limited(bridge_factory, botapi, rclient,
                                                          redis_url):
    running = await bridge_factory().start()
    client = aioredis.Redis.from_url(redis_url)
    code = await Gate(client, frozenset({OWNER})).issue_code()
    for i in range(PAIR_MAX_FAILURES):
        botapi.push_text(STRANGER, STRANGER, f"/pair GUESS-{i:04d}")
    botapi.push_text(STRANGER, STRANGER, f"/pair {code}")
    await botapi.wait_for(lambda: not botapi.pending_updates(), timeout=30)
    await asyncio.sleep(0.3)
    # One answer an hour to someone not (yet) paired: the first wrong code is
    # answered, the next ones and the limited one are not (a flood costs nothing).
    assert texts(botapi, STRANGER) == [PAIR_WRONG]
    assert int(rclient.get(f"hearth:pair:failures:{STRANGER}")) == PAIR_MAX_FAILURES
    assert 0 < rclient.ttl(f"hearth:pair:failures:{STRANGER}") <= 3600
    assert not rclient.sismember(PAIRED, str(STRANGER))
    assert rclient.exists(PAIR_CODE)  # still there for the person it was meant for

    # Pairing is for private chats only: /pair in a group does nothing.
    botapi.push_text(GROUP, FRIEND, f"/pair@hearth_test_bot {code}", chat_type="group")
    await botapi.wait_for(lambda: not botapi.pending_updates(), timeout=5)
    await asyncio.sleep(0.3)
    assert texts(botapi, GROUP) == []
    assert rclient.exists(PAIR_CODE)
    await running.stop()
    await client.aclose()
