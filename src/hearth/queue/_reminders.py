"""Reminders: an index per chat beside RQ's scheduled jobs, and their hand-over to the outbox.

A reminder is an RQ job scheduled for its time (`DELIVER`). The chat's index
(`reminders_key`, a sorted set by due time, plus the texts) is what
`/reminders` lists and what cancelling removes from: the job, when it runs,
writes to the outbox only if its reminder is still in the index, in one
atomic step, so a cancelled reminder never fires and a job run twice (a worker
killed after writing) writes once.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

import redis
from rq.exceptions import NoSuchJobError
from rq.job import Job
from rq.serializers import JSONSerializer

from hearth.queue._jobs import enqueue_outbound_at
from hearth.queue._names import OUTBOX
from hearth.queue._payloads import Outbound

#: Entries the outbox stream keeps (about); the bridge takes them long before.
OUTBOX_MAXLEN = 10_000

# Atomically: still indexed (not cancelled, not yet sent)? Then unindex and hand over.
_HAND_OVER = """
if redis.call('ZREM', KEYS[1], ARGV[1]) == 0 then return false end
redis.call('HDEL', KEYS[2], ARGV[1])
return redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[3], '*', 'data', ARGV[2])
"""


def reminders_key(chat_id: str) -> str:
    """Sorted set of a chat's pending reminder ids, scored by due time (epoch seconds)."""
    return f"hearth:reminders:{chat_id}"


def reminder_texts_key(chat_id: str) -> str:
    """Hash of a chat's pending reminder ids to their texts."""
    return f"hearth:reminder-texts:{chat_id}"


@dataclass(frozen=True)
class Reminder:
    """A pending reminder of a chat."""

    reminder_id: str
    due: datetime
    text: str


def schedule_reminder(client: redis.Redis, queue: str, chat_id: str, at: datetime,
                      text: str) -> str:
    """Index, then schedule, a reminder; return its id (the RQ job id)."""
    reminder_id = f"reminder-{uuid.uuid4().hex[:16]}"
    pipe = client.pipeline()
    pipe.zadd(reminders_key(chat_id), {reminder_id: at.timestamp()})
    pipe.hset(reminder_texts_key(chat_id), reminder_id, text)
    pipe.execute()
    enqueue_outbound_at(client, queue, at, Outbound(chat_id=chat_id, text=text),
                        job_id=reminder_id)
    return reminder_id


def hand_over(client: redis.Redis, reminder_id: str, message: Outbound) -> str | None:
    """Write a due reminder to the outbox, unless it was cancelled or already written."""
    written = client.eval(_HAND_OVER, 3, reminders_key(message.chat_id),
                          reminder_texts_key(message.chat_id), OUTBOX, reminder_id,
                          message.model_dump_json(), OUTBOX_MAXLEN)
    if written is None:
        return None
    return written.decode() if isinstance(written, bytes) else str(written)


def list_reminders(client: redis.Redis, chat_id: str) -> list[Reminder]:
    """A chat's pending reminders, soonest first."""
    entries = client.zrange(reminders_key(chat_id), 0, -1, withscores=True)
    texts = client.hgetall(reminder_texts_key(chat_id))
    return [Reminder(reminder_id=raw.decode(), due=datetime.fromtimestamp(score, UTC),
                     text=texts.get(raw, b"").decode()) for raw, score in entries]


def cancel_reminder(client: redis.Redis, chat_id: str, reminder_id: str) -> bool:
    """Cancel one pending reminder of a chat; False when it is not pending."""
    pipe = client.pipeline()
    pipe.zrem(reminders_key(chat_id), reminder_id)
    pipe.hdel(reminder_texts_key(chat_id), reminder_id)
    removed = bool(pipe.execute()[0])
    if removed:
        _drop_job(client, reminder_id)
    return removed


def cancel_reminders(client: redis.Redis, chat_id: str) -> int:
    """Cancel every pending reminder of a chat (/forget); how many there were."""
    ids = [raw.decode() for raw in client.zrange(reminders_key(chat_id), 0, -1)]
    client.delete(reminders_key(chat_id), reminder_texts_key(chat_id))
    for reminder_id in ids:
        _drop_job(client, reminder_id)
    return len(ids)


def _drop_job(client: redis.Redis, reminder_id: str) -> None:
    # Tidiness only: the index decides, and a job that still runs writes nothing.
    try:
        job = Job.fetch(reminder_id, connection=client, serializer=JSONSerializer)
    except NoSuchJobError:
        return
    job.delete()
