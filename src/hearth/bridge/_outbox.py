"""Delivering what workers send on their own (reminders), from the `hearth:outbox` stream.

The bridge reads the stream in a consumer group. Each entry becomes an owed
`Delivery` in the same transaction that acknowledges the entry, so a bridge
killed at any point either still has the entry pending (read again at start)
or owes the delivery (resumed at start, with the deliverer's resend mark if
it died mid-send): delivered exactly once, never lost.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from typing import Any

import redis
import redis.asyncio as aioredis

from hearth.bridge._delivery import DELIVERIES, Deliverer, Delivery, delivered_key
from hearth.errors import PayloadInvalid
from hearth.queue import OUTBOX, Outbound, parse

log = logging.getLogger(__name__)

#: The consumer group of Telegram bridges on the outbox stream.
GROUP = "hearth-bridge"
#: The one consumer name: a restarted bridge takes up what its predecessor left pending.
CONSUMER = "bridge"
#: Milliseconds one read of the outbox waits for new entries.
BLOCK_MS = 5000


def outbox_message_id(entry_id: str) -> str:
    """The delivery id of an outbox entry."""
    return f"out-{entry_id}"


class OutboxReader:
    """Turns outbox entries for Telegram chats into owed deliveries."""

    def __init__(self, client: aioredis.Redis, deliverer: Deliverer) -> None:
        self.client = client
        self.deliverer = deliverer

    async def _ensure_group(self) -> None:
        try:
            # From the stream's start: reminders written before the first bridge ran count.
            await self.client.xgroup_create(OUTBOX, GROUP, id="0", mkstream=True)
        except redis.ResponseError as exc:
            if "BUSYGROUP" not in str(exc):
                raise

    async def run(self, stopping: asyncio.Event) -> None:
        """Deliver outbox entries until `stopping` is set; Redis trouble is waited out."""
        start = "0"  # first what a previous bridge read but did not take
        while not stopping.is_set():
            try:
                await self._ensure_group()
                answer = await self.client.xreadgroup(GROUP, CONSUMER, {OUTBOX: start},
                                                      count=100, block=BLOCK_MS)
                entries = answer[0][1] if answer else []
                for entry_id, fields in entries:
                    await self.take(entry_id.decode() if isinstance(entry_id, bytes)
                                    else str(entry_id), fields)
                if start == "0" and not entries:
                    start = ">"
            except (redis.ConnectionError, redis.TimeoutError) as exc:
                log.warning("outbox: %s; retrying", exc)
                await asyncio.sleep(2.0)
            except redis.ResponseError as exc:  # OOM, MISCONF: the entries stay pending
                log.warning("outbox: %s; retrying", exc)
                await asyncio.sleep(2.0)
                start = "0"

    async def take(self, entry_id: str, fields: dict[Any, Any]) -> None:
        """Owe one entry's delivery and acknowledge the entry, all or nothing."""
        try:
            message = parse(Outbound, json.loads(fields.get(b"data", b"")))
            chat_id = int(message.chat_id)
        except (PayloadInvalid, ValueError) as exc:
            # Not for Telegram (a console chat) or unreadable: nothing to deliver here.
            if not isinstance(exc, ValueError) or "invalid literal" not in str(exc):
                log.error("outbox entry %s skipped: %s", entry_id, exc)
            await self.client.xack(OUTBOX, GROUP, entry_id)
            return
        message_id = outbox_message_id(entry_id)
        received_at = int(entry_id.partition("-")[0]) / 1000 if "-" in entry_id else time.time()
        delivery = Delivery(message_id=message_id, chat_id=chat_id, received_at=received_at,
                            text=message.text)
        if await self.client.exists(delivered_key(message_id)):
            await self.client.xack(OUTBOX, GROUP, entry_id)
            return
        pipe = self.client.pipeline()
        pipe.hsetnx(DELIVERIES, message_id, json.dumps(vars(delivery)))
        pipe.xack(OUTBOX, GROUP, entry_id)
        await pipe.execute()
        raw = await self.client.hget(DELIVERIES, message_id)
        if raw is not None:  # the recorded one: it may hold a send in flight
            self.deliverer.start(Delivery(**json.loads(raw)))
