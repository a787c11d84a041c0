"""Putting payloads on RQ queues, with RQ's JSON serializer.

Jobs name their function by import path, so the bridge never imports the edge
runtime. Never pickle: anyone who can write to Redis could make a pickle run
code on the worker.
"""

from __future__ import annotations

from typing import Any

import redis
from rq import Queue
from rq.job import Job
from rq.serializers import JSONSerializer

from hearth.queue._names import SHARED_CHAT_QUEUE, pending_key, worker_queue
from hearth.queue._payloads import Control, Inbound, Outbound
from hearth.queue._workers import assign_home

#: The job functions, by import path (resolved on the worker only).
HANDLE_CHAT = "hearth.edge_runtime.jobs.handle_chat"
HANDLE_CONTROL = "hearth.edge_runtime.jobs.handle_control"
DELIVER = "hearth.edge_runtime.jobs.deliver"

#: RQ's own time limit per job; the spec's timeout is enforced inside the job,
#: this only stops a job that is stuck in native code.
BACKSTOP_TIMEOUT_S = 3900
#: Seconds RQ keeps a finished job's result.
RESULT_TTL_S = 600


def rq_queue(client: redis.Redis, name: str) -> Queue:
    """An RQ queue using the JSON serializer."""
    return Queue(name, connection=client, serializer=JSONSerializer)


def queue_for(client: redis.Redis, chat_id: str, user_id: str) -> str:
    """The queue name for a chat's jobs: its home worker's, or the shared one."""
    home = assign_home(client, chat_id, user_id)
    return worker_queue(home) if home else SHARED_CHAT_QUEUE


def _enqueue(client: redis.Redis, queue: str, func: str, payload: dict[str, Any], *,
             job_id: str | None = None, at_front: bool = False) -> Job:
    job: Job = rq_queue(client, queue).enqueue(
        func,
        payload,
        job_id=job_id,
        job_timeout=BACKSTOP_TIMEOUT_S,
        result_ttl=RESULT_TTL_S,
        failure_ttl=86_400,
        at_front=at_front,
    )
    return job


def enqueue_chat(client: redis.Redis, message: Inbound, queue: str | None = None) -> Job:
    """Queue an inbound message for its chat's home worker."""
    name = queue or queue_for(client, message.chat_id, message.user_id)
    pipe = client.pipeline()
    pipe.zadd(pending_key(message.chat_id), {message.message_id: message.queued_at.timestamp()})
    pipe.expire(pending_key(message.chat_id), 7 * 86_400)
    pipe.execute()
    return _enqueue(client, name, HANDLE_CHAT, message.model_dump(mode="json"),
                    job_id=f"chat-{message.message_id}")


def enqueue_control(client: redis.Redis, control: Control, *, user_id: str = "",
                    queue: str | None = None) -> Job:
    """Queue a control job (/reset, /forget, feedback, move) for the chat's home."""
    name = queue or queue_for(client, control.chat_id, user_id)
    return _enqueue(client, name, HANDLE_CONTROL, control.model_dump(mode="json"))


def pending_count(client: redis.Redis, chat_id: str) -> int:
    """Messages of this chat that are queued or being answered."""
    return int(client.zcard(pending_key(chat_id)))


def mark_answered(client: redis.Redis, chat_id: str, message_id: str) -> None:
    """Drop a message from its chat's pending set once its final reply is written."""
    client.zrem(pending_key(chat_id), message_id)


def enqueue_outbound_at(client: redis.Redis, queue: str, when: Any, message: Outbound) -> Job:
    """Schedule an outbound message (a reminder) with RQ's scheduler."""
    job: Job = rq_queue(client, queue).enqueue_at(
        when, DELIVER, message.model_dump(mode="json"), result_ttl=RESULT_TTL_S
    )
    return job
