"""Putting payloads on RQ queues, with RQ's JSON serializer.

Jobs name their function by import path, so the bridge never imports the edge
runtime. Never pickle: anyone who can write to Redis could make a pickle run
code on the worker.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

import redis
from rq import Queue
from rq.job import Job
from rq.serializers import JSONSerializer

from hearth.queue._names import (
    SHARED_CHAT_QUEUE,
    pending_key,
    pending_payloads_key,
    worker_queue,
)
from hearth.queue._payloads import Control, Inbound, Outbound
from hearth.queue._workers import assign_home

log = logging.getLogger(__name__)

#: A Redis command as its arguments, e.g. ``("SET", key, "1", "EX", 60)``.
Command = tuple[str | bytes | int | float, ...]

#: The job functions, by import path (resolved on the worker only).
HANDLE_CHAT = "hearth.edge_runtime.jobs.handle_chat"
#: Answers a list of inbound messages in order (what `ChatBatcher` queues).
HANDLE_CHATS = "hearth.edge_runtime.jobs.handle_chats"
HANDLE_CONTROL = "hearth.edge_runtime.jobs.handle_control"
DELIVER = "hearth.edge_runtime.jobs.deliver"

#: RQ's own time limit per job; the spec's timeout is enforced inside the job,
#: this only stops a job that is stuck in native code.
BACKSTOP_TIMEOUT_S = 3900
#: Seconds RQ keeps a finished job's result.
RESULT_TTL_S = 600
#: Seconds RQ keeps a failed job for inspection.
FAILURE_TTL_S = 86_400
#: Seconds a chat's pending set lives after its last message was queued.
PENDING_TTL_S = 7 * 86_400


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
        failure_ttl=FAILURE_TTL_S,
        at_front=at_front,
    )
    return job


def enqueue_chat(client: redis.Redis, message: Inbound, queue: str | None = None) -> Job:
    """Queue an inbound message for its chat's home worker."""
    name = queue or queue_for(client, message.chat_id, message.user_id)
    pipe = client.pipeline()
    for command in pending_commands(message):
        pipe.execute_command(*command)
    pipe.execute()
    return _enqueue(client, name, HANDLE_CHAT, message.model_dump(mode="json"),
                    job_id=f"chat-{message.message_id}")


def pending_commands(message: Inbound) -> list[Command]:
    """Record `message` as pending in its chat, with its payload (see `pending_payloads_key`)."""
    chat = message.chat_id
    return [("ZADD", pending_key(chat), message.queued_at.timestamp(), message.message_id),
            ("EXPIRE", pending_key(chat), PENDING_TTL_S),
            ("HSET", pending_payloads_key(chat), message.message_id, message.model_dump_json()),
            ("EXPIRE", pending_payloads_key(chat), PENDING_TTL_S)]


def chats_job_commands(client: redis.Redis, func: str, jobs: dict[str, list[dict[str, Any]]],
                       ) -> list[tuple[tuple[Any, ...], dict[str, Any]]]:
    """RQ's commands that enqueue one `func` job per queue of `jobs`, not sent.

    Each job gets its queue's list of payloads. RQ writes the commands into a
    pipeline of `client` that is never executed (no round trip); the caller
    sends them, in a transaction of its own, on any client.
    """
    recorder = client.pipeline()
    for name, payloads in jobs.items():
        # A batch of one keeps `enqueue_chat`'s job id; ids name a message, for debugging.
        first = payloads[0]["message_id"]
        job_id = f"chat-{first}" if len(payloads) == 1 else f"chats-{first}-{uuid.uuid4().hex[:8]}"
        rq_queue(client, name).enqueue_many([Queue.prepare_data(
            func, args=(payloads,), job_id=job_id,
            # RQ's backstop limit is per message: each may use all of it.
            timeout=BACKSTOP_TIMEOUT_S * len(payloads), result_ttl=RESULT_TTL_S,
            failure_ttl=FAILURE_TTL_S)], pipeline=recorder)
    commands = list(recorder.command_stack)
    recorder.reset()
    return commands


def enqueue_control(client: redis.Redis, control: Control, *, user_id: str = "",
                    queue: str | None = None) -> Job:
    """Queue a control job (/reset, /forget, feedback, move) for the chat's home."""
    name = queue or queue_for(client, control.chat_id, user_id)
    return _enqueue(client, name, HANDLE_CONTROL, control.model_dump(mode="json"))


def pending_count(client: redis.Redis, chat_id: str) -> int:
    """Messages of this chat that are queued or being answered."""
    return int(client.zcard(pending_key(chat_id)))


#: Most earlier pending messages answered before a later one (the rest by their own jobs).
EARLIER_LIMIT = 100


def pending_messages(client: redis.Redis, message: Inbound, ids: list[bytes]) -> list[Inbound]:
    """The payloads of the pending messages `ids` of `message`'s chat, in that order.

    `ids` are the chat's messages queued before `message` and not answered yet
    (`start_turn` reads them). Their jobs may sit behind `message` (forwarded
    from another queue, or put back after a worker died); the home worker
    answers them first so that a chat's replies keep the order of its
    messages. A payload that is gone or does not parse is left to its own job.
    """
    if not ids:
        return []
    chat = message.chat_id
    found = []
    for raw in client.hmget(pending_payloads_key(chat), ids):
        if raw is None:
            continue
        try:
            earlier = Inbound.model_validate_json(raw)
        except ValueError:
            log.warning("a pending payload in chat %s does not parse; its own job answers it",
                        chat)
            continue
        if earlier.chat_id == chat and earlier.message_id != message.message_id:
            found.append(earlier)
    return found


def mark_answered(client: redis.Redis, chat_id: str, message_id: str) -> None:
    """Drop a message from its chat's pending set once its final reply is written."""
    pipe = client.pipeline()
    pipe.zrem(pending_key(chat_id), message_id)
    pipe.hdel(pending_payloads_key(chat_id), message_id)
    pipe.execute()


def enqueue_outbound_at(client: redis.Redis, queue: str, when: Any, message: Outbound, *,
                        job_id: str | None = None) -> Job:
    """Schedule an outbound message (a reminder) with RQ's scheduler."""
    job: Job = rq_queue(client, queue).enqueue_at(
        when, DELIVER, message.model_dump(mode="json"), result_ttl=RESULT_TTL_S, job_id=job_id
    )
    return job
