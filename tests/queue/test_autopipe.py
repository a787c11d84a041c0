"""AutoPipeline against a real Redis: shared round trips, each caller its own result or error."""

from __future__ import annotations

import asyncio

import pytest
import redis.asyncio as aioredis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import ResponseError

from hearth.queue import AutoPipeline


def _connections(client: aioredis.Redis) -> int:
    """Connections the client's pool has opened (each concurrent call needs its own)."""
    pool = client.connection_pool
    return len(pool._available_connections) + len(pool._in_use_connections)


async def test_concurrent_calls_share_one_round_trip_and_get_their_own_results(aclient, rclient):
    auto = AutoPipeline(aclient)
    rclient.hset("h", "k", "v")

    async def writer(n: int) -> list[object]:
        return await auto.execute(("SET", f"k{n}", n), ("INCRBY", "total", n))

    results = await asyncio.gather(*(writer(n) for n in range(50)),
                                   auto.execute(("HGETALL", "h"), ("EXISTS", "k1", "nope")))
    # Fifty-one callers, one pipeline on one connection (one at a time: fifty-one).
    assert (auto.flushes, auto.calls, _connections(aclient)) == (1, 51, 1)
    assert [r[0] for r in results[:50]] == [True] * 50  # SET through redis-py's callback
    assert sorted(r[1] for r in results[:50])[-1] == sum(range(50))
    assert results[50] == [{b"k": b"v"}, 1]
    assert [rclient.get(f"k{n}") for n in (0, 49)] == [b"0", b"49"]


async def test_calls_made_while_one_is_in_flight_go_together_in_the_next(aclient):
    auto = AutoPipeline(aclient)
    first = asyncio.create_task(auto.execute(("SET", "a", 1)))
    await asyncio.sleep(0)  # the first pipeline is sent and awaits its reply
    later = [asyncio.create_task(auto.execute(("INCR", "b"))) for _ in range(20)]
    assert await first == [True]
    assert sorted(r[0] for r in await asyncio.gather(*later)) == list(range(1, 21))
    assert (auto.flushes, auto.calls) == (2, 21)


async def test_an_error_reaches_only_the_caller_whose_command_failed(aclient, rclient):
    rclient.set("text", "not a hash")
    auto = AutoPipeline(aclient)
    results = await asyncio.gather(
        auto.execute(("SET", "before", 1)),
        auto.execute(("HSET", "text", "f", "v"), ("SET", "same-call", 1)),  # WRONGTYPE
        auto.execute(("SET", "after", 1)),
        return_exceptions=True)
    assert results[0] == [True] and results[2] == [True]
    assert isinstance(results[1], ResponseError) and "WRONGTYPE" in str(results[1])
    # A call without a transaction is a plain pipeline: its other commands ran.
    assert rclient.get("same-call") == b"1" and auto.flushes == 1


async def test_a_transaction_stays_whole_inside_the_shared_pipeline(aclient, rclient):
    rclient.set("text", "not a hash")
    auto = AutoPipeline(aclient)
    results = await asyncio.gather(
        auto.execute(("SET", "t1", 1), ("SET", "t2", 2), transaction=True),
        # EXECABORT: a malformed command aborts its own transaction, nobody else's.
        auto.execute(("SET", "lost", 1), ("GET",), transaction=True),
        # A runtime error inside EXEC: the caller gets it, the other command ran.
        auto.execute(("HSET", "text", "f", "v"), ("SET", "t3", 3), transaction=True),
        auto.execute(("GET", "t1")),
        return_exceptions=True)
    assert results[0] == [True, True]
    assert isinstance(results[1], ResponseError) and "wrong number" in str(results[1])
    assert rclient.get("lost") is None
    assert isinstance(results[2], ResponseError) and "WRONGTYPE" in str(results[2])
    assert rclient.get("t3") == b"3"
    assert results[3] == [b"1"]  # after the first transaction, in call order
    assert auto.flushes == 1


async def test_a_lost_connection_is_retried_on_a_fresh_one(redis_url, rclient):
    client = aioredis.Redis.from_url(redis_url, retry=Retry(NoBackoff(), 2),
                                     retry_on_error=[RedisConnectionError])
    auto = AutoPipeline(client)
    try:
        assert await auto.execute(("SET", "x", 0)) == [True]
        rclient.client_kill_filter(_type="normal", skipme=True)  # Redis restarted, say
        assert await asyncio.gather(auto.execute(("SET", "x", 1)),
                                    auto.execute(("GET", "x"))) == [[True], [b"1"]]
    finally:
        await client.aclose()


async def test_a_cancelled_caller_does_not_disturb_the_others(aclient, rclient):
    auto = AutoPipeline(aclient)
    gone = asyncio.create_task(auto.execute(("SET", "gone", 1)))
    kept = asyncio.create_task(auto.execute(("SET", "kept", 1)))
    await asyncio.sleep(0)
    gone.cancel()
    assert await kept == [True]
    with pytest.raises(asyncio.CancelledError):
        await gone
    await auto.aclose()
    assert await auto.execute(("GET", "kept")) == [b"1"]
