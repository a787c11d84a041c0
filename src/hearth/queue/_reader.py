"""One reader for every awaited reply stream: a single blocking XREAD, shared.

`aread_reply` holds a blocking XREAD (and a Redis connection) per reply.
`ReplyReader` runs one task that XREADs all currently awaited streams in one
call and hands each record to the waiters of its stream. A new waiter must be
part of the next XREAD: if the reader is blocked, it is woken by an XADD to
its own small wake stream, which it always reads too. The wake-up goes a
millisecond late, at most once per XREAD, and not at all when a reply ends
the XREAD first (as it does under load).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import uuid
from collections.abc import AsyncGenerator
from types import TracebackType
from typing import Any

import redis
import redis.asyncio as aioredis

from hearth.queue._names import reply_stream
from hearth.queue._streams import ReplyState

log = logging.getLogger(__name__)

#: Milliseconds one XREAD may block (new waiters wake it sooner). Under redis-py's
#: default socket timeout (5 s), like `aread_reply`'s.
BLOCK_MS = 1000
#: Records read per stream per XREAD.
COUNT = 100
#: Seconds between a new waiter and the wake-up of a blocked reader (see `_add`).
WAKE_DELAY_S = 0.001
#: Seconds a wake stream outlives its reader (a crashed bridge leaves one behind).
WAKE_TTL_S = 3600

StreamId = tuple[int, int]


def _stream_id(raw: bytes | str) -> StreamId:
    text = raw.decode() if isinstance(raw, bytes) else raw
    ms, _, seq = text.partition("-")
    return int(ms), int(seq or 0)


class _Waiter:
    __slots__ = ("closed", "key", "last", "records", "wakeup")

    def __init__(self, key: str) -> None:
        self.key = key
        self.last: StreamId = (0, 0)
        self.records: list[tuple[Any, dict[bytes, bytes]]] = []
        self.wakeup: asyncio.Future[None] | None = None
        self.closed = False

    def wake(self) -> None:
        if self.wakeup is not None and not self.wakeup.done():
            self.wakeup.set_result(None)

    def take(self, records: list[tuple[Any, dict[bytes, bytes]]]) -> None:
        fresh = [r for r in records if _stream_id(r[0]) > self.last]
        if fresh:
            self.last = _stream_id(fresh[-1][0])
            self.records.extend(fresh)
            self.wake()


class ReplyReader:
    """Reads every awaited reply stream through one connection.

    Use as ``async with ReplyReader(client) as reader`` or call `aclose` at
    the end; the reading task starts with the first waiter. The client must
    not have a socket timeout shorter than `block_ms`.
    """

    def __init__(self, client: aioredis.Redis, *, block_ms: int = BLOCK_MS,
                 count: int = COUNT) -> None:
        self.client = client
        self.block_ms = block_ms
        self.count = count
        self._waiters: dict[str, list[_Waiter]] = {}
        self._task: asyncio.Task[None] | None = None
        self._closing = False
        self._idle: asyncio.Future[None] | None = None
        self._blocked = False
        self._wake_at: asyncio.TimerHandle | None = None
        self._wake_key = f"hearth:reader-wake:{uuid.uuid4().hex}"
        self._wake_last = "0-0"
        self._wakers: set[asyncio.Task[None]] = set()
        #: XREAD calls made and wake-ups sent (for tests and the benchmark).
        self.reads = 0
        self.wakes = 0

    async def __aenter__(self) -> ReplyReader:
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        await self.aclose()

    @property
    def waiting(self) -> int:
        """Readers waiting now."""
        return sum(len(w) for w in self._waiters.values())

    async def read(self, message_id: str, *, timeout_s: float, settle_s: float = 0.0,
                   woken: bool = False) -> AsyncGenerator[ReplyState, None]:
        """Yield the reply state each time it changes, until the final record or timeout.

        Like `aread_reply`, except that records arriving together are applied
        together, and a state that is not final is held back up to `settle_s`
        for more: a reply written at once (a chunk, then the final record
        right after) then comes as one final state. `woken`: the caller will
        commit `wake_commands()` with the message's job, which wakes the reader
        at the best moment (registered before, it then reads the new stream).
        """
        waiter = self._add(reply_stream(message_id), wake=not woken)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout_s
        state = ReplyState()
        try:
            while not waiter.closed or waiter.records:
                if not await self._arrival(waiter, deadline):
                    return
                changed = self._apply(waiter, state)
                settle = changed and state.final is None and settle_s > 0
                if settle and await self._arrival(waiter, min(deadline, loop.time() + settle_s)):
                    self._apply(waiter, state)
                if state.final is not None:
                    self._remove(waiter)
                    yield state
                    return
                if changed:
                    yield state
        finally:
            self._remove(waiter)

    @staticmethod
    async def _arrival(waiter: _Waiter, until: float) -> bool:
        """Wait until records are there (True), or `until` (loop time) passes or we close."""
        while not waiter.records:
            if waiter.closed:
                return False
            waiter.wakeup = asyncio.get_running_loop().create_future()
            try:
                async with asyncio.timeout_at(until):
                    await waiter.wakeup
            except TimeoutError:
                return False
            finally:
                waiter.wakeup = None
        return True

    @staticmethod
    def _apply(waiter: _Waiter, state: ReplyState) -> bool:
        records, waiter.records = waiter.records, []
        changed = False
        for _, fields in records:
            changed = state.feed(json.loads(fields[b"data"])) or changed
            if state.final is not None:
                break
        return changed

    def wake_commands(self) -> list[tuple[str | int, ...]]:
        """Redis commands that wake this reader when written (to commit with a job)."""
        return [("XADD", self._wake_key, "MAXLEN", "~", 16, "*", "w", "1"),
                ("EXPIRE", self._wake_key, WAKE_TTL_S)]

    def _add(self, key: str, *, wake: bool) -> _Waiter:
        waiter = _Waiter(key)
        self._waiters.setdefault(key, []).append(waiter)
        if self._task is None or self._task.done():
            self._closing = False
            self._task = asyncio.create_task(self._run(), name="hearth-reply-reader")
        elif self._idle is not None and not self._idle.done():
            self._idle.set_result(None)
        elif wake and self._blocked and self._wake_at is None:
            # Shortly, not at once: a reply cannot exist before its job ran, and
            # under load another reply ends the XREAD first, which makes the
            # wake-up needless (it is then called off).
            self._wake_at = asyncio.get_running_loop().call_later(WAKE_DELAY_S, self._wake_soon)
        return waiter

    def _cancel_wake(self) -> None:
        if self._wake_at is not None:
            self._wake_at.cancel()
            self._wake_at = None

    def _wake_soon(self) -> None:
        self._wake_at = None
        task = asyncio.create_task(self._wake())
        self._wakers.add(task)
        task.add_done_callback(self._wakers.discard)

    def _remove(self, waiter: _Waiter) -> None:
        waiters = self._waiters.get(waiter.key)
        if waiters is not None and waiter in waiters:
            waiters.remove(waiter)
            if not waiters:
                del self._waiters[waiter.key]

    async def _wake(self) -> None:
        self.wakes += 1
        try:
            pipe = self.client.pipeline(transaction=False)
            for command in self.wake_commands():
                pipe.execute_command(*command)
            await pipe.execute()
        except redis.RedisError as exc:  # the reader's own XREAD fails too and retries
            log.debug("waking the reply reader failed: %s", exc)

    async def _run(self) -> None:
        loop, me = asyncio.get_running_loop(), asyncio.current_task()
        delay = 0.5
        while not self._closing:
            if not self._waiters:
                self._idle = loop.create_future()
                await self._idle
                self._idle = None
                continue
            streams: dict[Any, Any] = {
                key: "{}-{}".format(*min(w.last for w in waiters))
                for key, waiters in self._waiters.items()}
            streams[self._wake_key] = self._wake_last
            self._blocked = True
            try:
                answer = await self.client.xread(streams, block=self.block_ms, count=self.count)
            except redis.RedisError as exc:  # Redis down or restarting: waiters keep waiting
                if self._closing:  # redis-py may turn our cancellation into an error
                    return
                log.warning("reading replies: %s; retrying in %.1fs", exc, delay)
                self._blocked = False
                self._cancel_wake()
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)
                continue
            self._blocked = False
            self._cancel_wake()  # the next XREAD has the new waiters anyway
            if self._closing or (me is not None and me.cancelling()):
                return  # a cancellation that redis-py swallowed
            delay = 0.5
            self.reads += 1
            for raw_key, records in answer.items() if isinstance(answer, dict) else answer:
                key = raw_key.decode() if isinstance(raw_key, bytes) else str(raw_key)
                if key == self._wake_key:
                    last = records[-1][0]
                    self._wake_last = last.decode() if isinstance(last, bytes) else str(last)
                    continue
                for waiter in list(self._waiters.get(key, ())):
                    waiter.take(records)

    async def aclose(self) -> None:
        """Stop reading; waiters still waiting end as if timed out."""
        task, self._task = self._task, None
        self._closing = True
        self._cancel_wake()
        if self._blocked:  # redis-py may hold a cancelled XREAD to its end: end it now
            await self._wake()
        self._blocked = False
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        for waiters in self._waiters.values():
            for waiter in waiters:
                waiter.closed = True
                waiter.wake()
        for waker in list(self._wakers):
            with contextlib.suppress(asyncio.CancelledError):
                await waker
        with contextlib.suppress(redis.RedisError):
            await self.client.delete(self._wake_key)
