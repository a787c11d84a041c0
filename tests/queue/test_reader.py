"""ReplyReader against a real Redis: one XREAD for many waiters, each gets its own reply."""

from __future__ import annotations

import asyncio
import itertools
import random
import time

import redis
import redis.asyncio as aioredis

from hearth.queue import ReplyChunk, ReplyFinal, ReplyReader, ReplyState, ReplyWriter


async def _collect(reader: ReplyReader, message_id: str, timeout_s: float = 20) -> list[ReplyState]:
    seen = []
    async for state in reader.read(message_id, timeout_s=timeout_s):
        seen.append(ReplyState(state.attempt, state.text, state.final))
    return seen


def _write(client: redis.Redis, message_id: str, parts: list[str], attempt: int = 1) -> None:
    writer = ReplyWriter(client, message_id, attempt)
    for part in parts:
        writer.write(part)
        writer.flush()
    writer.final(ReplyFinal(attempt=attempt, text="".join(parts)))


async def test_many_concurrent_waiters_each_get_their_own_complete_reply(redis_url, rclient):
    client = aioredis.Redis.from_url(redis_url)
    async with ReplyReader(client) as reader:
        ids = [f"many-{i}" for i in range(200)]
        waiters = [asyncio.create_task(_collect(reader, i)) for i in ids]
        await asyncio.sleep(0.1)
        assert reader.waiting == 200
        parts = {i: [f"{i} ", "says ", "hello"] for i in ids}
        order = [(i, n) for i in ids for n in range(3)]
        random.Random(6).shuffle(order)
        written: dict[str, int] = {}
        for step, (message_id, _) in enumerate(order):  # chunks of replies, interleaved
            n = written.get(message_id, 0)
            chunk = ReplyChunk(attempt=1, seq=n, text=parts[message_id][n])
            rclient.xadd(f"hearth:reply:{message_id}", {"data": chunk.model_dump_json()})
            written[message_id] = n + 1
            if n == 2:
                ReplyWriter(rclient, message_id, 1).final(
                    ReplyFinal(attempt=1, text="".join(parts[message_id])))
            if step % 25 == 0:  # let the reader take what is there, mid-stream
                await asyncio.sleep(0.002)
        results = await asyncio.gather(*waiters)
        for message_id, states in zip(ids, results, strict=True):
            assert states[-1].final is not None
            assert states[-1].text == f"{message_id} says hello"
            texts = [s.text for s in states]
            assert all(b.startswith(a) for a, b in itertools.pairwise(texts))  # only grows
        assert reader.waiting == 0
        # One XREAD serves many waiters: far fewer reads than records.
        assert reader.reads < len(order)
    await client.aclose()


async def test_a_waiter_that_times_out_leaves_the_others_unaffected(redis_url, rclient):
    client = aioredis.Redis.from_url(redis_url)
    async with ReplyReader(client) as reader:
        never = asyncio.create_task(_collect(reader, "never", timeout_s=0.3))
        later = asyncio.create_task(_collect(reader, "later"))
        assert await never == []
        assert reader.waiting == 1
        await asyncio.to_thread(_write, rclient, "later", ["after ", "the timeout"])
        states = await later
        assert states[-1].final is not None and states[-1].text == "after the timeout"
    await client.aclose()


async def test_a_new_waiter_wakes_the_blocked_reader_at_once(redis_url, rclient):
    client = aioredis.Redis.from_url(redis_url)
    async with ReplyReader(client, block_ms=10_000) as reader:
        idle = asyncio.create_task(_collect(reader, "idle", timeout_s=30))
        await asyncio.sleep(0.2)  # the reader blocks in XREAD on "idle" alone
        reads = reader.reads
        began = time.monotonic()
        fresh = asyncio.create_task(_collect(reader, "fresh"))
        await asyncio.sleep(0.05)
        _write(rclient, "fresh", ["quick"])
        states = await fresh
        assert states[-1].text == "quick"
        assert time.monotonic() - began < 2.0  # not the 10 s block
        assert reader.wakes >= 1 and reader.reads > reads
        idle.cancel()
    await client.aclose()


async def test_a_retried_attempt_replaces_the_first_and_a_finished_reply_reads_at_once(
        redis_url, rclient):
    client = aioredis.Redis.from_url(redis_url)
    writer = ReplyWriter(rclient, "retried", 1)
    writer.write("half of the first try")
    writer.flush()
    _write(rclient, "retried", ["second ", "try"], attempt=2)
    async with ReplyReader(client) as reader:
        states = await _collect(reader, "retried")
        assert states[-1].final is not None and states[-1].text == "second try"
        assert states[-1].attempt == 2
    await client.aclose()


async def test_a_reply_written_at_once_settles_into_one_final_state(redis_url, rclient):
    client = aioredis.Redis.from_url(redis_url)
    async with ReplyReader(client) as reader:
        async def read_settled() -> list[ReplyState]:
            seen = []
            async for state in reader.read("at-once", timeout_s=20, settle_s=0.5):
                seen.append(ReplyState(state.attempt, state.text, state.final))
            return seen

        waiting = asyncio.create_task(read_settled())
        await asyncio.sleep(0.1)
        writer = ReplyWriter(rclient, "at-once", 1)
        writer.write("all of it")  # the first chunk goes out at once...
        await asyncio.sleep(0.05)  # ...and the final record a moment later
        writer.final(ReplyFinal(attempt=1, text="all of it"))
        [state] = await waiting
        assert state.final is not None and state.text == "all of it"
    await client.aclose()


async def test_a_waiter_woken_by_its_jobs_commit_reads_its_reply_at_once(redis_url, rclient):
    client = aioredis.Redis.from_url(redis_url)
    async with ReplyReader(client, block_ms=10_000) as reader:
        idle = asyncio.create_task(_collect(reader, "idle", timeout_s=30))
        await asyncio.sleep(0.2)  # the reader blocks in XREAD on "idle" alone
        began = time.monotonic()
        states: list[ReplyState] = []

        async def read_woken() -> None:
            async for state in reader.read("promised", timeout_s=20, woken=True):
                states.append(ReplyState(state.attempt, state.text, state.final))

        waiting = asyncio.create_task(read_woken())
        await asyncio.sleep(0.2)
        assert reader.wakes == 0  # it waits for the caller's commit, sends none itself
        pipe = rclient.pipeline()  # the job's commit, with the reader's wake-up in it
        for command in reader.wake_commands():
            pipe.execute_command(*command)
        pipe.execute()
        _write(rclient, "promised", ["on time"])
        await asyncio.wait_for(waiting, 5)
        assert states[-1].text == "on time" and time.monotonic() - began < 2.0
        idle.cancel()
    await client.aclose()
