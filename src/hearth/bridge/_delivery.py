"""Streaming a worker's reply into a Telegram chat, surviving bridge restarts.

Every reply the bridge owes is recorded in Redis (`DELIVERIES`) with the ids
of the Telegram messages already sent for it. A restarted bridge resumes each
one and edits those messages instead of sending new ones, so a restart loses
nothing and duplicates nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol

import redis
import redis.asyncio as aioredis

from hearth.bridge._metrics import Metrics
from hearth.bridge._text import TELEGRAM_MESSAGE_LIMIT, split_message
from hearth.queue import ChatBatcher, Command, Inbound, Queued, ReplyReader

log = logging.getLogger(__name__)

DELIVERIES = "hearth:deliveries"
#: Seconds between "typing…" refreshes (Telegram drops it after about 5 s).
TYPING_INTERVAL_S = 4.0
#: Seconds between edits of a reply while it streams.
EDIT_INTERVAL_S = 1.0
#: Seconds a first part is held back for the rest: a reply written at once goes
#: out once, instead of as a preview whose edit Telegram's pace delays by a second.
SETTLE_S = 0.02
#: A reply to a message that waited longer than this says when it was received.
LATE_AFTER_S = 600.0
#: Seconds a reply is waited for (the home worker may be offline for a while).
REPLY_WAIT_S = 7 * 86_400.0
#: Seconds the mapping from a sent message to its inbound message is kept (feedback).
SENT_TTL_S = 30 * 86_400


@dataclass
class Delivery:
    """A reply the bridge owes to a chat."""

    message_id: str
    chat_id: int
    received_at: float
    reply_to: int | None = None
    sent_ids: list[int] = field(default_factory=list)


class ReplySender(Protocol):
    """What the deliverer needs of a channel (`Sender` for Telegram)."""

    async def send(self, chat_id: int, text: str, *, formatted: bool = True,
                   reply_to: int | None = None) -> int | None:
        """Send a message; its id, or None when it could not be sent."""

    async def edit(self, chat_id: int, message_id: int, text: str, *,
                   formatted: bool = True) -> bool:
        """Replace a sent message's text."""

    async def typing(self, chat_id: int) -> None:
        """Show that a reply is being written."""


def sent_key(chat_id: int, telegram_message_id: int) -> str:
    """Maps a message the bot sent to the inbound message it answered."""
    return f"hearth:sent:{chat_id}:{telegram_message_id}"


def last_reply_key(chat_id: int) -> str:
    """The inbound message id of the last reply in a chat (for /bad)."""
    return f"hearth:last-reply:{chat_id}"


class Deliverer:
    """Streams replies; one task per owed reply, all read through one `ReplyReader`."""

    def __init__(self, client: aioredis.Redis, sender: ReplySender, metrics: Metrics, *,
                 reader: ReplyReader | None = None) -> None:
        self.client = client
        self.sender = sender
        self.metrics = metrics
        self.reader = reader or ReplyReader(client)
        #: The running deliveries, by inbound message id.
        self.tasks: dict[str, asyncio.Task[None]] = {}
        self._batcher_of: dict[str, ChatBatcher] = {}
        #: Called once a reply is whole and recorded (the feedback buttons).
        self.after_reply: Callable[[Delivery], Awaitable[None]] | None = None

    async def owe(self, delivery: Delivery) -> None:
        """Record and start a delivery (recorded first: a crash right after loses nothing)."""
        await self._save(delivery)
        self.start(delivery)

    async def owe_message(self, batcher: ChatBatcher, message: Inbound, delivery: Delivery, *,
                          also: Sequence[Command] = ()) -> Queued:
        """Queue `message` and record its delivery (and `also`) all or nothing; start delivering.

        Messages queued at about the same time share one flush (see `ChatBatcher`).
        """
        record = ("HSET", DELIVERIES, delivery.message_id, json.dumps(vars(delivery)))
        self._batcher_of[delivery.message_id] = batcher  # told when the reply is in
        # Waiting before the job exists, the reader is woken by the job's own commit.
        task = self.start(delivery, woken=True)
        try:
            return await batcher.put(message, also=[record, *also],
                                     once=self.reader.wake_commands())
        except Exception:  # not cancellation: a cancelled put may still have queued it
            task.cancel()  # not queued: nothing is owed (a retry starts again)
            raise

    def start(self, delivery: Delivery, *, woken: bool = False) -> asyncio.Task[None]:
        """Start streaming a recorded delivery; the task ends when it is done or fails.

        `woken`: the reader will be woken by the job's commit (see `owe_message`).
        """
        key = delivery.message_id
        running = self.tasks.get(key)
        if running is not None and not running.done() and not running.cancelling():
            return running  # one delivery per message, however often it is owed
        task = asyncio.create_task(self._run(delivery, woken), name=f"deliver-{key}")
        self.tasks[key] = task
        task.add_done_callback(functools.partial(self._forget, key))
        return task

    def _forget(self, key: str, task: asyncio.Task[None]) -> None:
        if self.tasks.get(key) is task:
            del self.tasks[key]

    async def resume(self) -> int:
        """Restart every delivery a previous bridge process left owing."""
        owed = await self.client.hgetall(DELIVERIES)
        for raw in owed.values():
            self.start(Delivery(**json.loads(raw)))
        return len(owed)

    async def _save(self, delivery: Delivery) -> None:
        await self.client.hset(DELIVERIES, delivery.message_id, json.dumps(vars(delivery)))

    async def _typing(self, chat_id: int, started: asyncio.Event) -> None:
        while not started.is_set():
            await self.sender.typing(chat_id)
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(TYPING_INTERVAL_S):
                    await started.wait()

    async def _run(self, delivery: Delivery, woken: bool) -> None:
        started = asyncio.Event()
        typing = asyncio.create_task(self._typing(delivery.chat_id, started))
        try:
            await self._stream(delivery, started, woken)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("delivering %s failed; it stays owed", delivery.message_id)
        finally:
            started.set()
            typing.cancel()
            batcher = self._batcher_of.pop(delivery.message_id, None)
            if batcher is not None:  # no reply after all: do not hold its queue back
                batcher.answered(delivery.message_id)

    async def _stream(self, delivery: Delivery, started: asyncio.Event, woken: bool) -> None:
        shown, last_edit = "", 0.0
        while True:
            try:
                async with contextlib.aclosing(self.reader.read(
                        delivery.message_id, timeout_s=REPLY_WAIT_S, settle_s=SETTLE_S,
                        woken=woken)) as states:
                    async for state in states:
                        if state.text:
                            started.set()
                        if state.final is not None:
                            batcher = self._batcher_of.pop(delivery.message_id, None)
                            if batcher is not None:
                                batcher.answered(delivery.message_id)
                            await self._finish(delivery, state.final.text)
                            return
                        if (time.monotonic() - last_edit >= EDIT_INTERVAL_S
                                and state.text != shown):
                            await self._partial(delivery, state.text)
                            shown, last_edit = state.text, time.monotonic()
                return
            except (redis.ConnectionError, redis.TimeoutError) as exc:
                log.warning("delivering %s: %s; retrying", delivery.message_id, exc)
                await asyncio.sleep(2.0)
                woken = False

    async def _partial(self, delivery: Delivery, text: str) -> None:
        preview = split_message(text, TELEGRAM_MESSAGE_LIMIT - 2)[0] + " …"
        if not delivery.sent_ids:
            sent = await self.sender.send(delivery.chat_id, preview, formatted=False,
                                          reply_to=delivery.reply_to)
            if sent is not None:
                delivery.sent_ids.append(sent)
                await self._save(delivery)
        else:
            await self.sender.edit(delivery.chat_id, delivery.sent_ids[0], preview,
                                   formatted=False)

    async def _finish(self, delivery: Delivery, text: str) -> None:
        waited = time.time() - delivery.received_at
        if waited > LATE_AFTER_S:
            when = datetime.fromtimestamp(delivery.received_at, UTC).strftime("%Y-%m-%d %H:%M")
            text = f"(You sent this at {when} UTC; sorry for the wait.)\n\n{text}"
        parts = split_message(text or "…")
        for i, part in enumerate(parts):
            if i < len(delivery.sent_ids):
                await self.sender.edit(delivery.chat_id, delivery.sent_ids[i], part)
                continue
            sent = await self.sender.send(delivery.chat_id, part,
                                          reply_to=delivery.reply_to if i == 0 else None)
            if sent is None:
                continue  # counted and logged by the sender; never reported as delivered
            delivery.sent_ids.append(sent)
            await self._save(delivery)
        pipe = self.client.pipeline()
        for sent_id in delivery.sent_ids:
            pipe.set(sent_key(delivery.chat_id, sent_id), delivery.message_id, ex=SENT_TTL_S)
        pipe.set(last_reply_key(delivery.chat_id), delivery.message_id, ex=SENT_TTL_S)
        pipe.hdel(DELIVERIES, delivery.message_id)
        await pipe.execute()
        self.metrics.observe_latency(waited)
        if self.after_reply is not None:
            await self.after_reply(delivery)

    async def close(self) -> None:
        """Stop streaming; owed deliveries stay recorded for the next start."""
        tasks = list(self.tasks.values())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await self.reader.aclose()
