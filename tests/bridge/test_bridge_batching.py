"""The deliverer with the batcher and the shared reply reader, against a real Redis."""

from __future__ import annotations

import asyncio
import time

import redis.asyncio as aioredis

from hearth.bridge._delivery import DELIVERIES, Deliverer, Delivery
from hearth.bridge._metrics import Metrics
from hearth.queue import ChatBatcher, Inbound, ReplyFinal, ReplyWriter, set_home


class RecordingSender:
    """Telegram's place (the outside edge): records what would be sent."""

    def __init__(self) -> None:
        self.sent: list[tuple[int, str]] = []

    async def send(self, chat_id: int, text: str, *, formatted: bool = True,
                   reply_to: int | None = None, owed: bool = False) -> int | None:
        self.sent.append((chat_id, text))
        return len(self.sent)

    async def edit(self, chat_id: int, message_id: int, text: str, *,
                   formatted: bool = True, owed: bool = False) -> bool:
        self.sent.append((chat_id, text))
        return True

    async def typing(self, chat_id: int) -> None:
        return None


async def test_a_message_owed_twice_is_queued_and_delivered_once_per_owing(redis_url, rclient):
    client = aioredis.Redis.from_url(redis_url)
    sender = RecordingSender()
    deliverer = Deliverer(client, sender, Metrics())
    batcher = ChatBatcher(client, rclient)
    set_home(rclient, "7", "by-hand")  # nobody takes the job: the test answers
    message = Inbound(message_id="tg-7-1", chat_id="7", user_id="7", text="hi")
    delivery = Delivery(message_id=message.message_id, chat_id=7, received_at=time.time())
    await deliverer.owe_message(batcher, message, delivery)
    assert rclient.hexists(DELIVERIES, message.message_id)  # recorded with the message
    await deliverer.owe_message(batcher, message, delivery)  # owed again (a retry)
    assert list(deliverer.tasks) == [message.message_id]
    task = deliverer.tasks[message.message_id]
    writer = ReplyWriter(rclient, message.message_id, 1)
    writer.write("hel")  # a reply written at once: a first chunk, then the final record
    writer.final(ReplyFinal(attempt=1, text="hello"))
    await asyncio.wait_for(task, 5)
    assert sender.sent == [(7, "hello")]  # once, whole: no preview to edit a second later
    assert not rclient.hexists(DELIVERIES, message.message_id)
    await deliverer.close()
    await client.aclose()
