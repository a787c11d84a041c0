"""Guests are not owners, and strangers cannot stall the bridge.

Through the real bridge and python-telegram-bot against the local Bot API
server: /approve and worker host names are the owner's; a flood of /pair from
strangers gets one answer each and never delays an allowed user.
"""

from __future__ import annotations

import asyncio
import socket
import time

from hearth.bridge._auth import PAIRED, REFUSAL_INTERVAL_S
from hearth.bridge._commands import APPROVE_OWNER_ONLY, PAIR_WRONG, REFUSAL
from hearth.queue import SEARCH_QUEUE, rq_queue
from tests.bridge.conftest import OWNER, STRANGER, texts, wait_texts
from tests.conftest import run_cli

GUEST = 4242
GROUP = -100888


async def test_guests_may_not_approve_or_see_hosts(bridge_factory, botapi, echo_worker, rclient):
    rclient.sadd(PAIRED, str(GUEST))  # what /pair with the owner's code leaves
    worker = echo_worker("w1")
    await asyncio.to_thread(worker.start, rclient)
    running = await bridge_factory().start()
    botapi.push_text(GUEST, GUEST, "/approve 3f9a0c1d")
    botapi.push_text(GROUP, OWNER, "/approve@hearth_test_bot 3f9a0c1d", chat_type="group")
    botapi.push_text(GUEST, GUEST, "/status")
    guest = await wait_texts(botapi, GUEST, 2)
    assert guest[0] == APPROVE_OWNER_ONLY
    assert (await wait_texts(botapi, GROUP, 1)) == [APPROVE_OWNER_ONLY]
    assert rq_queue(rclient, SEARCH_QUEUE).count == 0
    host = socket.gethostname()
    assert guest[1].startswith("Workers online: 1") and host not in guest[1]
    assert "• w1: spec" in guest[1]

    botapi.push_text(OWNER, OWNER, "/status")
    owner = await wait_texts(botapi, OWNER, 1)
    assert f"• w1 on {host}: spec" in owner[0]
    botapi.push_text(OWNER, OWNER, "/approve 3f9a0c1d")
    assert (await wait_texts(botapi, OWNER, 2))[1].startswith("Approval of spec 3f9a0c1d sent")
    await running.stop()


def test_pair_list_and_unpair(rclient, redis_url, home):
    env = {"REDIS_URL": redis_url, "HEARTH_HOME": str(home)}
    assert "nobody is paired" in run_cli("pair", "--list", env=env).stdout
    rclient.sadd(PAIRED, "77", "5")
    assert run_cli("pair", "--list", env=env).stdout.split() == ["5", "77"]
    done = run_cli("unpair", "77", env=env)
    assert done.returncode == 0 and "77 is no longer paired" in done.stdout
    assert rclient.smembers(PAIRED) == {b"5"}
    again = run_cli("unpair", "77", env=env)
    assert again.returncode == 1 and "not paired" in again.stderr


async def test_a_pair_flood_gets_one_answer_and_never_stalls_allowed_users(
        bridge_factory, botapi, echo_worker, rclient):
    worker = echo_worker("w1")
    await asyncio.to_thread(worker.start, rclient)
    running = await bridge_factory().start()
    for i in range(199):
        botapi.push_text(STRANGER, STRANGER, f"/pair GUESS-{i:04d}")
    botapi.push_text(STRANGER, STRANGER, "let me in")
    botapi.push_text(OWNER, OWNER, "am I heard?")
    await wait_texts(botapi, OWNER, 1, starting="echo: am I heard?", timeout=60)
    await botapi.wait_for(lambda: not botapi.pending_updates(), timeout=30)
    await asyncio.sleep(0.5)
    assert texts(botapi, STRANGER) == [PAIR_WRONG]
    assert 0 < rclient.ttl(f"hearth:refused:{STRANGER}") <= REFUSAL_INTERVAL_S == 3600
    await running.stop()


async def test_a_stranger_flood_from_many_strangers_never_stalls(bridge_factory, botapi,
                                                                 echo_worker, rclient):
    worker = echo_worker("w1")
    await asyncio.to_thread(worker.start, rclient)
    running = await bridge_factory().start()
    strangers = [9_000 + i for i in range(100)]
    for user in strangers:
        botapi.push_text(user, user, "hello?")
        botapi.push_text(user, user, "/pair NOPE-NOPE")
    botapi.push_text(OWNER, OWNER, "still fast?")
    started = time.monotonic()
    await wait_texts(botapi, OWNER, 1, starting="echo: still fast?", timeout=60)
    await botapi.wait_for(lambda: all(texts(botapi, u) for u in strangers), timeout=60)
    assert all(texts(botapi, u) == [REFUSAL.format(user_id=u)] for u in strangers)
    assert time.monotonic() - started < 60
    await running.stop()
