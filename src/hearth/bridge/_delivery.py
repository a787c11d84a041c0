"""Streaming a worker's reply into a Telegram chat, surviving bridge restarts.

Every reply the bridge owes is recorded in Redis (`DELIVERIES`) with the ids
of the Telegram messages already sent for it. A restarted bridge resumes each
one and edits those messages instead of sending new ones, so a restart loses
nothing and duplicates nothing.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime

import redis
import redis.asyncio as aioredis

from hearth.bridge._metrics import Metrics
from hearth.bridge._sender import Sender
from hearth.bridge._text import TELEGRAM_MESSAGE_LIMIT, split_message
from hearth.queue import aread_reply

log = logging.getLogger(__name__)

DELIVERIES = "hearth:deliveries"
#: Seconds between "typing…" refreshes (Telegram drops it after about 5 s).
TYPING_INTERVAL_S = 4.0
#: Seconds between edits of a reply while it streams.
EDIT_INTERVAL_S = 1.0
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


def sent_key(chat_id: int, telegram_message_id: int) -> str:
    """Maps a message the bot sent to the inbound message it answered."""
    return f"hearth:sent:{chat_id}:{telegram_message_id}"


def last_reply_key(chat_id: int) -> str:
    """The inbound message id of the last reply in a chat (for /bad)."""
    return f"hearth:last-reply:{chat_id}"


class Deliverer:
    """Streams replies; one task per owed reply."""

    def __init__(self, client: aioredis.Redis, sender: Sender, metrics: Metrics) -> None:
        self.client = client
        self.sender = sender
        self.metrics = metrics
        self.tasks: set[asyncio.Task[None]] = set()

    async def owe(self, delivery: Delivery) -> None:
        """Record and start a delivery (recorded first: a crash right after loses nothing)."""
        await self._save(delivery)
        self._spawn(delivery)

    def _spawn(self, delivery: Delivery) -> None:
        task = asyncio.create_task(self._run(delivery), name=f"deliver-{delivery.message_id}")
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def resume(self) -> int:
        """Restart every delivery a previous bridge process left owing."""
        owed = await self.client.hgetall(DELIVERIES)
        for raw in owed.values():
            self._spawn(Delivery(**json.loads(raw)))
        return len(owed)

    async def _save(self, delivery: Delivery) -> None:
        await self.client.hset(DELIVERIES, delivery.message_id, json.dumps(asdict(delivery)))

    async def _typing(self, chat_id: int, started: asyncio.Event) -> None:
        while not started.is_set():
            await self.sender.typing(chat_id)
            try:
                await asyncio.wait_for(started.wait(), TYPING_INTERVAL_S)
            except TimeoutError:
                continue

    async def _run(self, delivery: Delivery) -> None:
        started = asyncio.Event()
        typing = asyncio.create_task(self._typing(delivery.chat_id, started))
        try:
            await self._stream(delivery, started)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("delivering %s failed; it stays owed", delivery.message_id)
        finally:
            started.set()
            typing.cancel()

    async def _stream(self, delivery: Delivery, started: asyncio.Event) -> None:
        shown, last_edit = "", 0.0
        while True:
            try:
                async for state in aread_reply(self.client, delivery.message_id,
                                               timeout_s=REPLY_WAIT_S):
                    if state.text:
                        started.set()
                    if state.final is not None:
                        await self._finish(delivery, state.final.text)
                        return
                    if time.monotonic() - last_edit >= EDIT_INTERVAL_S and state.text != shown:
                        await self._partial(delivery, state.text)
                        shown, last_edit = state.text, time.monotonic()
                return
            except (redis.ConnectionError, redis.TimeoutError) as exc:
                log.warning("reading reply %s: %s; retrying", delivery.message_id, exc)
                await asyncio.sleep(2.0)

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

    async def close(self) -> None:
        """Stop streaming; owed deliveries stay recorded for the next start."""
        for task in list(self.tasks):
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
