"""ChatBatcher against a real Redis: group commits, one job per home queue, order kept."""

from __future__ import annotations

import asyncio
import time

import pytest
import redis
import redis.asyncio as aioredis
from redis.asyncio.retry import Retry as AsyncRetry
from redis.backoff import NoBackoff
from redis.retry import Retry

from hearth.queue import (
    HANDLE_CHATS,
    SHARED_CHAT_QUEUE,
    ChatBatcher,
    Inbound,
    Queued,
    WorkerInfo,
    beat,
    rq_queue,
    set_home,
    worker_queue,
)
from tests.conftest import free_port


def _message(chat: str, n: int) -> Inbound:
    return Inbound(message_id=f"{chat}-m{n}", chat_id=chat, user_id="u", text=f"{chat} #{n}",
                   channel="api")


def _jobs(client: redis.Redis, queue: str) -> list[list[str]]:
    """The message ids of each job on `queue`, in queue order."""
    jobs = rq_queue(client, queue).get_jobs()
    assert all(job.func_name == HANDLE_CHATS for job in jobs)
    return [[p["message_id"] for p in job.args[0]] for job in jobs]


def _beat(client: redis.Redis, worker_id: str) -> None:
    now = time.time()
    beat(client, WorkerInfo(worker_id=worker_id, host="test", pid=0, spec_id="s", model="m",
                            load=0, busy=False, started_at=now, last_seen=now))


async def test_messages_of_two_homes_in_one_flush_make_one_job_per_queue(aclient, rclient):
    set_home(rclient, "a1", "w1")
    set_home(rclient, "a2", "w1")
    set_home(rclient, "b1", "w2")
    _beat(rclient, "w1")  # w2 has no heartbeat: offline
    batcher = ChatBatcher(aclient, rclient)
    messages = [_message("a1", 1), _message("b1", 1), _message("a2", 1), _message("a1", 2),
                _message("b1", 2), _message("a1", 3)]
    placed = await asyncio.gather(*(batcher.put(m, also=[("SET", f"also:{m.message_id}", "1")])
                                    for m in messages))
    assert (batcher.flushes, batcher.messages) == (1, 6)
    assert _jobs(rclient, worker_queue("w1")) == [["a1-m1", "a2-m1", "a1-m2", "a1-m3"]]
    assert _jobs(rclient, worker_queue("w2")) == [["b1-m1", "b1-m2"]]
    assert placed[0] == Queued(queue=worker_queue("w1"), home="w1", home_online=True)
    assert placed[1] == Queued(queue=worker_queue("w2"), home="w2", home_online=False)
    assert [m.decode() for m in rclient.zrange("hearth:pending:a1", 0, -1)] == [
        "a1-m1", "a1-m2", "a1-m3"]
    assert all(rclient.get(f"also:{m.message_id}") == b"1" for m in messages)
    assert rclient.ttl("hearth:pending:b1") > 0


async def test_once_commands_are_written_once_per_flush(aclient, rclient):
    set_home(rclient, "c", "w1")
    batcher = ChatBatcher(aclient, rclient)
    once = [("XADD", "wake", "*", "w", "1")]
    await asyncio.gather(*(batcher.put(_message("c", n), once=once) for n in range(4)))
    assert batcher.flushes == 1 and rclient.xlen("wake") == 1


async def test_an_unloaded_put_flushes_at_once_as_a_batch_of_one(aclient, rclient):
    set_home(rclient, "solo", "w1")
    batcher = ChatBatcher(aclient, rclient)
    began = time.monotonic()
    placed = await batcher.put(_message("solo", 1))
    assert time.monotonic() - began < 0.5  # no timer: the flush starts at once
    assert placed.home == "w1" and batcher.flushes == 1
    # A batch of one keeps the job id `enqueue_chat` gives a message.
    assert rclient.exists("rq:job:chat-solo-m1")
    assert _jobs(rclient, worker_queue("w1")) == [["solo-m1"]]


async def test_messages_sent_during_a_flush_go_together_in_the_next(aclient, rclient):
    set_home(rclient, "c", "w1")
    batcher = ChatBatcher(aclient, rclient)
    first = asyncio.create_task(batcher.put(_message("c", 1)))
    await asyncio.sleep(0)  # the first put starts a flush...
    await asyncio.sleep(0)  # ...which now waits for Redis
    await asyncio.gather(first, *(batcher.put(_message("c", n)) for n in range(2, 6)))
    assert (batcher.flushes, batcher.messages) == (2, 5)
    assert _jobs(rclient, worker_queue("w1")) == [["c-m1"], ["c-m2", "c-m3", "c-m4", "c-m5"]]


async def test_a_chat_without_a_home_and_no_worker_waits_in_the_shared_queue(aclient, rclient):
    batcher = ChatBatcher(aclient, rclient)
    placed = await batcher.put(_message("new", 1))
    assert placed == Queued(queue=SHARED_CHAT_QUEUE, home=None, home_online=False)
    assert _jobs(rclient, SHARED_CHAT_QUEUE) == [["new-m1"]]


async def test_redis_down_every_caller_gets_the_error_and_may_retry():
    port = free_port()
    batcher = ChatBatcher(aioredis.Redis(port=port, retry=AsyncRetry(NoBackoff(), 0)),
                          redis.Redis(port=port, retry=Retry(NoBackoff(), 0)))
    results = await asyncio.gather(*(batcher.put(_message("c", n)) for n in range(3)),
                                   return_exceptions=True)
    assert all(isinstance(r, redis.ConnectionError) for r in results)
    with pytest.raises(redis.ConnectionError):
        await batcher.put(_message("c", 9))


async def test_while_a_job_of_a_queue_is_unanswered_newer_messages_wait_and_go_as_one(
        aclient, rclient):
    set_home(rclient, "c", "w1")
    set_home(rclient, "other", "w2")
    batcher = ChatBatcher(aclient, rclient, max_hold_s=30.0)
    await batcher.put(_message("c", 1))  # a job on w1's queue, not answered yet
    held = [asyncio.create_task(batcher.put(_message("c", n))) for n in (2, 3, 4)]
    await batcher.put(_message("other", 1))  # another queue is not held up
    await asyncio.sleep(0.2)
    assert not any(task.done() for task in held)
    assert _jobs(rclient, worker_queue("w1")) == [["c-m1"]]
    batcher.answered("c-m1")  # its worker is through the first job
    await asyncio.wait_for(asyncio.gather(*held), 5)
    assert _jobs(rclient, worker_queue("w1")) == [["c-m1"], ["c-m2", "c-m3", "c-m4"]]
    assert _jobs(rclient, worker_queue("w2")) == [["other-m1"]]


async def test_a_held_message_goes_after_the_longest_hold_when_no_reply_comes(aclient, rclient):
    set_home(rclient, "c", "w1")
    batcher = ChatBatcher(aclient, rclient, max_hold_s=0.3)
    await batcher.put(_message("c", 1))
    began = time.monotonic()
    await batcher.put(_message("c", 2))  # the worker never answers (it may be gone)
    assert 0.25 <= time.monotonic() - began < 3
    assert _jobs(rclient, worker_queue("w1")) == [["c-m1"], ["c-m2"]]


async def test_behind_a_waiting_job_newer_messages_wait_for_an_answer_not_the_longest_hold(
        aclient, rclient):
    set_home(rclient, "c", "w1")
    batcher = ChatBatcher(aclient, rclient, max_hold_s=0.1)
    await batcher.put(_message("c", 1))  # running on the worker, say
    await batcher.put(_message("c", 2))  # went after the longest hold: waits behind job 1
    held = asyncio.create_task(batcher.put(_message("c", 3)))
    await asyncio.sleep(0.5)  # five longest holds: the worker could not have started it
    assert not held.done()
    assert _jobs(rclient, worker_queue("w1")) == [["c-m1"], ["c-m2"]]
    batcher.answered("c-m1")  # job 1 is through: job 2 runs, ours may wait behind it
    await asyncio.wait_for(held, 5)
    assert _jobs(rclient, worker_queue("w1")) == [["c-m1"], ["c-m2"], ["c-m3"]]


async def test_a_moved_chat_is_queued_at_its_new_home_within_a_second(aclient, rclient):
    set_home(rclient, "c", "w1")
    batcher = ChatBatcher(aclient, rclient, max_jobs_in_flight=100)
    assert (await batcher.put(_message("c", 1))).home == "w1"
    set_home(rclient, "c", "w2")  # the chat's memory moved to w2
    await asyncio.sleep(1.1)  # homes are taken as read for a second
    placed = await batcher.put(_message("c", 2))
    assert placed.home == "w2"
    assert _jobs(rclient, worker_queue("w2")) == [["c-m2"]]


async def test_a_reply_that_comes_before_its_put_returns_still_frees_the_queue(aclient, rclient):
    set_home(rclient, "c", "w1")
    batcher = ChatBatcher(aclient, rclient, max_hold_s=30.0)
    rclient.execute_command("CLIENT", "PAUSE", 300, "WRITE")  # the commit hangs a while
    putting = asyncio.create_task(batcher.put(_message("c", 1)))
    await asyncio.sleep(0.1)
    assert not putting.done()
    batcher.answered("c-m1")  # a fast worker's reply, read before `put` returned
    await putting
    began = time.monotonic()
    await asyncio.wait_for(batcher.put(_message("c", 2)), 5)  # not held back
    assert time.monotonic() - began < 1.0
