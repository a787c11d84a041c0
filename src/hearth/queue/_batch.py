"""Group-commit enqueue: many inbound messages, one RQ job per home queue.

`ChatBatcher.put` returns once its message is in Redis. When no flush is in
flight the message is flushed at once, so an idle bridge adds no delay; while
one is in flight, newer messages gather and go together in the next. A flush
costs two round trips however many messages it carries, one when the chats'
homes are cached: one reads the homes, one MULTI/EXEC writes every message's
pending-set entry, the caller's own records (`also`) and one job per home
queue (a connection lost before EXEC leaves none of it). Per-chat order
holds: a chat's messages keep their order in a job; flushes run one at a time.

Flow control, after Nagle: RQ's work per job costs a worker more than
answering a message instantly, so a queue fed one small job per message falls
behind long before its worker is busy answering. While a job of a queue is
unanswered (see `answered`), newer messages for it are held back, briefly,
and then go as one job: the worker would not have got to them sooner. Once
a held job went and waits behind the running one, newer messages wait for
the running job's answer however long it takes (up to `IN_FLIGHT_TTL_S`):
the worker could not start them before the waiting job anyway, and a slow
worker then gets few big jobs instead of a new small one every `MAX_HOLD_S`.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import redis
import redis.asyncio as aioredis

from hearth.queue._autopipe import AutoPipeline
from hearth.queue._jobs import (
    HANDLE_CHATS,
    Command,
    chats_job_commands,
    pending_commands,
    rq_queue,
)
from hearth.queue._names import (
    SHARED_CHAT_QUEUE,
    heartbeat_key,
    home_key,
    worker_queue,
)
from hearth.queue._payloads import Inbound
from hearth.queue._workers import assign_home

#: Most messages one flush carries; the rest go in the next.
MAX_BATCH = 500
#: Jobs of one queue that may be waiting or running before newer messages for
#: it are held back, to go together in one job (Nagle's rule: the worker is busy
#: anyway, and a bigger job costs RQ's per-job work once). On 2 cores at 500 msg/s
#: with another program using one: p50 8 ms with 1, 15 with 2, 22 with 3, and
#: without a limit the queue fills with one-message jobs and falls behind.
MAX_JOBS_IN_FLIGHT = 1
#: Seconds a message is held back at most while only `MAX_JOBS_IN_FLIGHT` jobs of
#: its queue are unanswered (a reply that never comes, a slow worker).
MAX_HOLD_S = 0.01
#: Seconds after which a job whose replies were not all seen stops counting.
IN_FLIGHT_TTL_S = 10.0
#: Seconds a chat's home is taken as read. Homes change only when a chat moves,
#: and a message that still reaches the old home in that second is forwarded.
HOME_CACHE_S = 1.0


@dataclass(frozen=True)
class Queued:
    """Where a message went: its queue, its chat's home, and whether that home is online."""

    queue: str
    home: str | None
    home_online: bool


@dataclass
class _Item:
    message: Inbound
    also: Sequence[Command]  # then its `once` commands, from index `once_at`
    done: asyncio.Future[Queued]
    since: float
    once_at: int


class _InFlight:
    """Per queue, the jobs sent whose messages are not all answered yet."""

    def __init__(self) -> None:
        self.jobs: dict[str, list[tuple[float, set[str]]]] = {}
        self.job_of: dict[str, set[str]] = {}
        self.queue_of: dict[str, str] = {}  # chat id -> the queue its last message went to

    def sent(self, queue: str, messages: list[Inbound], now: float) -> None:
        ids = {m.message_id for m in messages}
        self.jobs.setdefault(queue, []).append((now, ids))
        for message in messages:
            self.job_of[message.message_id] = ids
            self.queue_of[message.chat_id] = queue

    def answered(self, message_id: str) -> None:
        ids = self.job_of.pop(message_id, None)
        if ids is not None:
            ids.discard(message_id)

    def count(self, queue: str, now: float) -> int:
        jobs = self.jobs.get(queue, [])
        for sent_at, ids in list(jobs):
            if not ids or now - sent_at > IN_FLIGHT_TTL_S:
                jobs.remove((sent_at, ids))
                for message_id in ids:
                    self.job_of.pop(message_id, None)
        return len(jobs)


class ChatBatcher:
    """Queues inbound messages in group commits (see the module docstring).

    `func` names the job function, which receives the list of payloads; the
    benchmark names an instant one. Tell `answered` when a message's final
    reply arrives: while `max_jobs_in_flight` jobs of a queue are unanswered,
    newer messages for it wait (up to `max_hold_s`) and then go as one job.
    """

    def __init__(self, client: aioredis.Redis, sync_client: redis.Redis, *,
                 func: str = HANDLE_CHATS, max_batch: int = MAX_BATCH,
                 max_jobs_in_flight: int = MAX_JOBS_IN_FLIGHT,
                 max_hold_s: float = MAX_HOLD_S, auto: AutoPipeline | None = None) -> None:
        self.client = client
        #: The flushes' commands go through `auto` (the bridge passes the deliverer's:
        #: a flush then shares its round trip with the deliveries' writes).
        self.auto = auto or AutoPipeline(client)
        self.sync_client = sync_client
        self.func = func
        self.max_batch = max_batch
        self.max_jobs_in_flight = max_jobs_in_flight
        self.max_hold_s = max_hold_s
        self._waiting: list[_Item] = []
        self._flusher: asyncio.Task[None] | None = None
        self._wakeup = asyncio.Event()
        self._rq_ready = False
        self._in_flight = _InFlight()
        self._home_cache: dict[str, tuple[str, float]] = {}  # chat id -> (home, until)
        #: Flushes done and messages they carried (for tests and the benchmark).
        self.flushes = 0
        self.messages = 0

    async def put(self, message: Inbound, *, also: Sequence[Command] = (),
                  once: Sequence[Command] = ()) -> Queued:
        """Queue `message` and return once it is in Redis.

        `also` are commands written in the same transaction as the message
        (the bridge's delivery record and update-id key); `once` too, but once
        per flush however many messages bring them (waking a `ReplyReader`).
        Raises the Redis error of a failed flush; putting again is safe (a
        worker answers a message once, however often it is queued).
        """
        loop = asyncio.get_running_loop()
        done: asyncio.Future[Queued] = loop.create_future()
        self._waiting.append(_Item(message, [*also, *once], done, loop.time(), len(also)))
        self._kick()
        return await done

    def answered(self, message_id: str) -> None:
        """Note that a message's final reply arrived (its worker is done with it)."""
        self._in_flight.answered(message_id)
        if self._waiting:
            self._kick()

    def _kick(self) -> None:
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush_all(), name="hearth-batcher")
        else:
            self._wakeup.set()

    async def aclose(self) -> None:
        """Wait for the flushes in flight, if any."""
        if self._flusher is not None:
            await asyncio.gather(self._flusher, return_exceptions=True)

    def _take(self, now: float) -> tuple[list[_Item], float | None]:
        """The messages to flush now, and when the first held one must go."""
        held: dict[str | None, bool] = {}
        batch: list[_Item] = []
        keep: list[_Item] = []
        due: float | None = None
        for item in self._waiting:
            queue = self._in_flight.queue_of.get(item.message.chat_id)
            if queue not in held:  # a queue's oldest message decides for all: order kept
                jobs = 0 if queue is None else self._in_flight.count(queue, now)
                # One job over the limit already waits behind the running one: ours
                # could not start sooner, so they wait for an answer (see the docstring).
                behind = jobs > self.max_jobs_in_flight
                held[queue] = jobs >= self.max_jobs_in_flight and (
                    behind or now - item.since < self.max_hold_s)
                if held[queue]:
                    until = item.since + (IN_FLIGHT_TTL_S if behind else self.max_hold_s)
                    due = until if due is None else min(due, until)
            (keep if held[queue] or len(batch) >= self.max_batch else batch).append(item)
        self._waiting = keep
        return batch, due

    async def _flush_all(self) -> None:
        loop = asyncio.get_running_loop()
        while self._waiting:
            self._wakeup.clear()
            batch, due = self._take(loop.time())
            if not batch:
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout_at(due):
                        await self._wakeup.wait()
                continue
            try:
                placed = await self._flush(batch)
            except Exception as exc:  # noqa: BLE001 - every caller gets the error (and may retry)
                for item in batch:
                    if not item.done.done():
                        item.done.set_exception(exc)
                continue
            self.flushes += 1
            self.messages += len(batch)
            for item, where in zip(batch, placed, strict=True):
                if not item.done.done():
                    item.done.set_result(where)

    async def _homes(self, messages: list[Inbound]) -> dict[str, str | None]:
        now = time.monotonic()
        users = {m.chat_id: m.user_id for m in messages}
        homes: dict[str, str | None] = {}
        for chat_id in users:
            home, until = self._home_cache.get(chat_id, (None, 0.0))
            if until > now:
                homes[chat_id] = home
        unknown = [chat_id for chat_id in users if chat_id not in homes]
        if unknown:
            found = await self.auto.execute(*(("GET", home_key(chat_id)) for chat_id in unknown))
            for chat_id, value in zip(unknown, found, strict=True):
                # No home: a new chat (or no worker yet), the rare and slower path.
                home = value.decode() if value else await asyncio.to_thread(
                    assign_home, self.sync_client, chat_id, users[chat_id])
                homes[chat_id] = home
                if home is not None:
                    self._home_cache[chat_id] = (home, now + HOME_CACHE_S)
        if len(self._home_cache) > 4 * MAX_BATCH:
            self._home_cache = {c: v for c, v in self._home_cache.items() if v[1] > now}
        return homes

    async def _flush(self, batch: list[_Item]) -> list[Queued]:
        if not self._rq_ready:  # RQ asks the server's version once per client, blocking
            await asyncio.to_thread(rq_queue(self.sync_client, SHARED_CHAT_QUEUE)
                                    .get_redis_server_version)
            self._rq_ready = True
        messages = [item.message for item in batch]
        homes = await self._homes(messages)
        jobs: dict[str, list[dict[str, Any]]] = {}
        sent: dict[str, list[Inbound]] = {}
        once: dict[Command, None] = {}
        commands: list[Command] = []  # one MULTI/EXEC: every message of the flush, or none
        for item in batch:
            message = item.message
            commands.extend(item.also[:item.once_at])
            once.update(dict.fromkeys(item.also[item.once_at:]))
            commands.extend(pending_commands(message))
            home = homes[message.chat_id]
            name = worker_queue(home) if home else SHARED_CHAT_QUEUE
            jobs.setdefault(name, []).append(message.model_dump(mode="json"))
            sent.setdefault(name, []).append(message)
        commands.extend(once)
        online_at, known = len(commands), sorted({h for h in homes.values() if h})
        commands.extend(("EXISTS", heartbeat_key(home)) for home in known)
        # RQ records no options for these commands (they only tune redis-py's parsing).
        commands.extend(args for args, _options in
                        chats_job_commands(self.sync_client, self.func, jobs))
        now = asyncio.get_running_loop().time()
        for name, queued in sent.items():  # before the commit: a reply may beat our return
            self._in_flight.sent(name, queued, now)
        try:
            results = await self.auto.execute(*commands, transaction=True)
        except BaseException:
            for message in messages:
                self._in_flight.answered(message.message_id)
            raise
        online = {home: bool(results[online_at + i]) for i, home in enumerate(known)}
        placed = []
        for message in messages:
            home = homes[message.chat_id]
            placed.append(Queued(queue=worker_queue(home) if home else SHARED_CHAT_QUEUE,
                                 home=home, home_online=online.get(home or "", False)))
        return placed
