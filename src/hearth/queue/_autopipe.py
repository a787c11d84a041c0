"""Group commit for small Redis calls: concurrent callers share one round trip.

Under load the bridge runs hundreds of coroutines that each send a command or
two and wait (a delivery's intent record, its finish, an update's admission).
Sent one by one, every call costs a round trip and redis-py's whole per-call
machinery (pool, timeout, retry, one write and one read system call); that,
not Redis, was most of the bridge's time per message.

`AutoPipeline.execute` queues the caller's commands and waits for their own
replies. Everything queued in one event-loop tick goes out as one pipeline,
and while one is in flight the newer calls gather for the next, so an idle
bridge adds no delay and a busy one sends few, large pipelines. A call is
all-or-nothing like a redis-py pipeline: its commands stay together (in a
MULTI/EXEC of their own with ``transaction=True``), it returns only once they
are answered, and an error reply reaches only the call that sent it.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import redis.asyncio as aioredis
from redis.exceptions import ExecAbortError, ResponseError
from redis.exceptions import TimeoutError as RedisTimeoutError

from hearth.queue._jobs import Command

#: Most calls one pipeline carries; the rest go in the next.
MAX_CALLS = 1000


@dataclass
class _Call:
    commands: Sequence[Command]
    transaction: bool
    done: asyncio.Future[list[Any]]


class AutoPipeline:
    """Sends concurrent callers' commands in shared pipelines (see the module docstring)."""

    def __init__(self, client: aioredis.Redis, *, max_calls: int = MAX_CALLS) -> None:
        self.client = client
        self.max_calls = max_calls
        self._waiting: list[_Call] = []
        self._flusher: asyncio.Task[None] | None = None
        #: Pipelines sent and calls they carried (for tests and the benchmark).
        self.flushes = 0
        self.calls = 0

    async def execute(self, *commands: Command, transaction: bool = False) -> list[Any]:
        """Send `commands` (in one MULTI/EXEC if `transaction`); their replies, in order.

        Replies go through the client's response callbacks, as redis-py's
        pipeline does. Raises the first error reply among them, or the
        connection error that lost the pipeline (then none, some or all of
        the commands may have run, as with any Redis call).
        """
        if not commands:
            return []
        done: asyncio.Future[list[Any]] = asyncio.get_running_loop().create_future()
        self._waiting.append(_Call(commands, transaction, done))
        if self._flusher is None or self._flusher.done():
            # A task starts on the next tick: the calls of this tick join it.
            self._flusher = asyncio.create_task(self._flush_all(), name="hearth-autopipe")
        return await done

    async def aclose(self) -> None:
        """Wait for the pipelines in flight, if any."""
        if self._flusher is not None:
            await asyncio.gather(self._flusher, return_exceptions=True)

    async def _flush_all(self) -> None:
        while self._waiting:
            batch = self._waiting[:self.max_calls]
            del self._waiting[:self.max_calls]
            try:
                results = await self._send(batch)
            except Exception as exc:  # noqa: BLE001 - a lost pipeline fails all its callers
                for call in batch:
                    if not call.done.done():
                        call.done.set_exception(exc)
                continue
            except BaseException:  # cancelled (the loop is closing): so are its callers
                for call in [*batch, *self._waiting]:
                    call.done.cancel()
                self._waiting.clear()
                raise
            self.flushes += 1
            self.calls += len(batch)
            for call, result in zip(batch, results, strict=True):
                if call.done.done():  # its caller was cancelled; the writes are made anyway
                    continue
                if isinstance(result, Exception):
                    call.done.set_exception(result)
                else:
                    call.done.set_result(result)

    async def _send(self, batch: list[_Call]) -> list[list[Any] | Exception]:
        pool = self.client.connection_pool
        conn = await pool.get_connection()
        try:
            # Like redis-py's own pipeline: a connection lost (a Redis restart) is
            # retried on a fresh one, under the client's retry policy.
            results: list[list[Any] | Exception] = await conn.retry.call_with_retry(
                lambda: self._round_trip(conn, batch), lambda _error: conn.disconnect())
            return results
        finally:
            await pool.release(conn)

    async def _round_trip(self, conn: Any, batch: list[_Call]) -> list[list[Any] | Exception]:
        wire: list[Command] = []
        for call in batch:
            wire.extend([("MULTI",), *call.commands, ("EXEC",)] if call.transaction
                        else call.commands)
        await conn.send_packed_command(conn.pack_commands(wire))
        try:
            # One deadline for all the replies: redis-py's own per reply was a
            # large part of the cost of a big pipeline.
            async with asyncio.timeout(conn.socket_timeout):
                return [await self._replies(conn, call) for call in batch]
        except TimeoutError:
            await conn.disconnect(nowait=True)
            raise RedisTimeoutError("Timeout reading a pipeline's replies") from None
        except BaseException:
            # Replies left on the socket would answer the next borrower's command.
            await conn.disconnect(nowait=True)
            raise

    async def _replies(self, conn: Any, call: _Call) -> list[Any] | Exception:
        """Read one call's replies: its results, or its first error."""
        if not call.transaction:
            replies = [await self._read(conn) for _ in call.commands]
        else:
            queued = [await self._read(conn) for _ in range(len(call.commands) + 1)]
            replies = await self._read(conn)  # EXEC: the results, or EXECABORT
            if isinstance(replies, ExecAbortError):
                return next((r for r in queued if isinstance(r, Exception)), replies)
            if isinstance(replies, Exception):
                return replies
        error = next((r for r in replies if isinstance(r, Exception)), None)
        if error is not None:
            return error
        return [self._callback(command, reply)
                for command, reply in zip(call.commands, replies, strict=True)]

    @staticmethod
    async def _read(conn: Any) -> Any:
        try:
            return await conn.read_response(timeout=math.inf)  # under `_round_trip`'s
        except ResponseError as exc:  # a reply like any other: read on
            return exc

    def _callback(self, command: Command, reply: Any) -> Any:
        name = command[0]
        callback = self.client.response_callbacks.get(
            name.decode() if isinstance(name, bytes) else str(name))
        return reply if callback is None else callback(reply)
