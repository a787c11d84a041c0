"""Workers killed with SIGKILL: every queue they served is recovered, each message answered once."""

from __future__ import annotations

import time

import redis
from rq.job import Job
from rq.registry import StartedJobRegistry
from rq.serializers import JSONSerializer

from hearth.edge_runtime import MemoryStore, chat_salt
from hearth.queue import (
    SHARED_CHAT_QUEUE,
    Control,
    ControlKind,
    EmbeddedRedis,
    Inbound,
    ReplyFinal,
    ReplyWriter,
    enqueue_chat,
    enqueue_control,
    home_of,
    read_reply,
    rq_queue,
    set_home,
    worker_queue,
)
from tests.conftest import free_port
from tests.workers import ask, finals_in, make_worker, wait_final

SLOW = {"HEARTH_ECHO_WORD_DELAY_S": "0.3"}


def _kill_mid_reply(rclient, worker, message_id: str) -> None:
    """Wait until the worker has streamed part of the reply, then SIGKILL it."""
    for state in read_reply(rclient, message_id, timeout_s=60):
        if len(state.text.split()) >= 2:
            break
    assert not finals_in(rclient, message_id)
    worker.kill()


def test_a_message_from_the_shared_queue_is_answered_after_kill_9(echo_worker, rclient):
    # Sent before any worker was online: it waits on the shared queue.
    text = "one two three four five six seven eight"
    enqueue_chat(rclient, Inbound(message_id="shared-1", chat_id="c-shared", user_id="u",
                                  text=text, channel="api"))
    assert rq_queue(rclient, SHARED_CHAT_QUEUE).count == 1
    worker = echo_worker("w1", extra_env=SLOW)
    worker.start(rclient)
    _kill_mid_reply(rclient, worker, "shared-1")
    assert home_of(rclient, "c-shared") == "w1"
    worker.start(rclient)
    final = wait_final(rclient, "shared-1", timeout=60)
    assert final.text == f"echo: {text}" and final.attempt == 2, worker.output()
    assert len(finals_in(rclient, "shared-1")) == 1


def test_a_job_recovered_twice_is_answered_once(echo_worker, rclient, home):
    # The state a worker killed halfway through recovery leaves: the job is queued
    # again but still listed as started by its dead predecessor.
    set_home(rclient, "c-twice", "w1")
    job = enqueue_control(rclient, Control(kind=ControlKind.RESET, chat_id="c-twice",
                                           message_id="ctl-twice"), queue=worker_queue("w1"))
    queue = rq_queue(rclient, worker_queue("w1"))
    registry = StartedJobRegistry(queue=queue, serializer=JSONSerializer)
    rclient.zadd(registry.key, {f"{job.id}:dead-execution": time.time() + 600})
    job.worker_name = "w1.deadbeef"
    job.save()
    worker = echo_worker("w1")
    worker.start(rclient)
    wait_final(rclient, "ctl-twice", timeout=30)
    deadline = time.monotonic() + 10
    while Job.fetch(job.id, connection=rclient, serializer=JSONSerializer).get_status() != \
            "finished":
        assert time.monotonic() < deadline
        time.sleep(0.1)
    time.sleep(1.0)  # a second copy of the job would run now
    assert len(finals_in(rclient, "ctl-twice")) == 1, worker.output()
    assert rclient.zcard(registry.key) == 0


def test_a_job_of_a_live_worker_is_not_taken_from_it(echo_worker, rclient, tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    text = "alpha beta gamma delta epsilon zeta eta theta iota kappa"
    enqueue_chat(rclient, Inbound(message_id="live-1", chat_id="c-live", user_id="u",
                                  text=text, channel="api"))
    slow = echo_worker("wa", extra_env=SLOW, home=tmp_path / "a")
    slow.start(rclient)
    for state in read_reply(rclient, "live-1", timeout_s=60):
        if state.text:
            break
    other = echo_worker("wb", home=tmp_path / "b")
    other.start(rclient)  # recovers the shared queue, but wa is alive and busy with it
    final = wait_final(rclient, "live-1", timeout=60)
    assert final.worker_id == "wa" and final.attempt == 1
    assert len(finals_in(rclient, "live-1")) == 1


def test_a_rerun_after_the_final_reply_stores_the_turn(echo_worker, rclient, home):
    # Killed between writing the final reply and storing the turn: the final is in
    # the stream, memory and traces know nothing of it.
    set_home(rclient, "c-store", "w1")
    ReplyWriter(rclient, "store-1", 1).final(ReplyFinal(attempt=1, text="echo: remember me",
                                                        worker_id="w1"))
    enqueue_chat(rclient, Inbound(message_id="store-1", chat_id="c-store", user_id="u",
                                  text="remember me", channel="api"))
    worker = echo_worker("w1")
    worker.start(rclient)
    deadline = time.monotonic() + 20
    while rclient.zcard("hearth:pending:c-store"):
        assert time.monotonic() < deadline, worker.output()
        time.sleep(0.1)
    assert worker.stop() == 0
    assert len(finals_in(rclient, "store-1")) == 1  # not answered twice
    with MemoryStore(home / "worker-w1.duckdb", chat_salt=chat_salt(home)) as memory:
        assert [(m.role, m.text) for m in memory.history("c-store", 10)] == [
            ("user", "remember me"), ("assistant", "echo: remember me")]
        trace = memory.traces.get("store-1")
        assert trace is not None and trace.reply_text == "echo: remember me"
        assert trace.user_text == "remember me"


def test_a_worker_outlives_a_redis_killed_mid_reply(home, tmp_path):
    port = free_port()
    server = EmbeddedRedis(tmp_path / "redis", persist=True, port=port).start()
    client = redis.Redis.from_url(server.url)
    worker = make_worker(home, server.url, "w1", engine="echo", extra_env=SLOW)
    try:
        worker.start(client)
        set_home(client, "c-down", "w1")
        text = "one two three four five six"
        enqueue_chat(client, Inbound(message_id="down-1", chat_id="c-down", user_id="u",
                                     text=text, channel="api"))
        for state in read_reply(client, "down-1", timeout_s=60):
            if state.text:
                break
        server.kill()  # SIGKILL while the reply streams
        time.sleep(2.0)
        server = EmbeddedRedis(tmp_path / "redis", persist=True, port=port).start()
        assert wait_final(client, "down-1", timeout=60).text == f"echo: {text}"
        assert worker.proc is not None and worker.proc.poll() is None, worker.output()
        assert ask(client, "still there?", chat_id="c-down", timeout=60).text == \
            "echo: still there?"
        assert len(finals_in(client, "down-1")) == 1
    finally:
        if worker.proc is not None:
            worker.proc.kill()
            worker.proc.wait(timeout=10)
        client.close()
        server.kill()


def test_a_chat_keeps_its_order_when_an_earlier_message_waits_on_another_queue(
        echo_worker, rclient, tmp_path):
    # The earlier message sits on a queue nobody serves yet (forwarded, or left by a
    # worker that died); the later ones on the home worker's own queue.
    set_home(rclient, "c-order", "w1")
    ids = ["ord-0", "ord-1", "ord-2"]
    enqueue_chat(rclient, Inbound(message_id=ids[0], chat_id="c-order", user_id="u",
                                  text="zero", channel="api"), queue=worker_queue("w2"))
    for i, message_id in enumerate(ids[1:], start=1):
        enqueue_chat(rclient, Inbound(message_id=message_id, chat_id="c-order", user_id="u",
                                      text=f"n{i}", channel="api"), queue=worker_queue("w1"))
    worker = echo_worker("w1")
    worker.start(rclient)
    finals = [wait_final(rclient, m, timeout=60) for m in ids]
    assert [f.text for f in finals] == ["echo: zero", "echo: n1", "echo: n2"]
    stamps = [rclient.xrange(f"hearth:reply:{m}")[-1][0] for m in ids]
    assert stamps == sorted(stamps), worker.output()
    deadline = time.monotonic() + 10  # marked answered just after the final is written
    while rclient.hlen("hearth:pending-payload:c-order"):
        assert time.monotonic() < deadline
        time.sleep(0.1)
    # The earlier message's own job, taken up later, finds it answered.
    (tmp_path / "w2").mkdir()
    other = echo_worker("w2", home=tmp_path / "w2")
    other.start(rclient)
    deadline = time.monotonic() + 30
    while rq_queue(rclient, worker_queue("w2")).count:
        assert time.monotonic() < deadline, other.output()
        time.sleep(0.2)
    time.sleep(1.0)
    assert len(finals_in(rclient, ids[0])) == 1
