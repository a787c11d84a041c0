"""Reminders: scheduled with RQ's scheduler, delivered through the outbox stream."""

from __future__ import annotations

import uuid
from datetime import datetime

import redis

from hearth.queue import Outbound, enqueue_outbound_at


class RqReminders:
    """A `ReminderScheduler` that enqueues a delivery job at the given time."""

    def __init__(self, client: redis.Redis, queue: str) -> None:
        self._client = client
        self._queue = queue

    def schedule(self, chat_id: str, at: datetime, text: str) -> str:
        """Deliver `text` to `chat_id` at `at`; return the job id."""
        job = enqueue_outbound_at(self._client, self._queue, at,
                                  Outbound(chat_id=chat_id, text=f"⏰ Reminder: {text}"))
        return str(job.id or uuid.uuid4())
