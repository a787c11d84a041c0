"""Reminders: scheduled with RQ's scheduler, delivered through the outbox stream."""

from __future__ import annotations

from datetime import datetime

import redis

from hearth.queue import schedule_reminder


class RqReminders:
    """A `ReminderScheduler` that enqueues a delivery job at the given time."""

    def __init__(self, client: redis.Redis, queue: str) -> None:
        self._client = client
        self._queue = queue

    def schedule(self, chat_id: str, at: datetime, text: str) -> str:
        """Deliver `text` to `chat_id` at `at`; return the reminder's id."""
        return schedule_reminder(self._client, self._queue, chat_id, at,
                                 f"⏰ Reminder: {text}")
