"""RQ job functions. Jobs name these by import path; they run inside a Hearth worker.

The worker sets `CURRENT_RUNTIME` around each job, so a job reaches the model
loaded once at start instead of loading its own.
"""

from __future__ import annotations

import functools
import logging
import re
import time
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any, TypeVar

import redis
from rq import get_current_job

from hearth.edge_runtime._runtime import APOLOGY, EdgeRuntime
from hearth.errors import HearthError, PayloadInvalid
from hearth.queue import (
    OUTBOX,
    Control,
    Inbound,
    Outbound,
    ReplyFinal,
    ReplyStatus,
    ReplyWriter,
    final_of,
    hand_over,
    mark_answered,
    next_attempt,
    parse,
)

log = logging.getLogger(__name__)

#: What a message id must look like before we write a reply stream under it.
_MESSAGE_ID = re.compile(r"[A-Za-z0-9:_.-]{1,128}")

#: Seconds a job waits for Redis to come back before it fails (RQ could not even
#: record the failure while Redis is away, and the message would be lost).
REDIS_OUTAGE_WAIT_S = 900.0

T = TypeVar("T")

#: The runtime of the worker executing the current job.
CURRENT_RUNTIME: ContextVar[EdgeRuntime] = ContextVar("hearth_runtime")


def _runtime() -> EdgeRuntime:
    try:
        return CURRENT_RUNTIME.get()
    except LookupError:
        raise HearthError(
            "Hearth jobs run only inside `hearth worker` (a plain `rq worker` has no model loaded)"
        ) from None


def _through_outages(call: Callable[[], T]) -> T:
    """Run `call`, again and again while Redis is unreachable (up to `REDIS_OUTAGE_WAIT_S`).

    Safe for chat messages: a message is answered once however often it runs
    (`final_of`), and a new attempt replaces a half-written one in the stream.
    """
    deadline, delay = time.monotonic() + REDIS_OUTAGE_WAIT_S, 0.5
    while True:
        try:
            return call()
        except (redis.ConnectionError, redis.TimeoutError) as exc:
            if time.monotonic() > deadline:
                raise
            log.warning("redis unavailable (%s); the job waits and runs again", exc)
            time.sleep(delay)
            delay = min(delay * 2, 10.0)


def handle_chat(payload: dict[str, Any]) -> str:
    """Answer one inbound chat message."""
    message = parse(Inbound, payload)
    runtime = _runtime()
    return _through_outages(lambda: runtime.handle_chat(message))


def handle_chats(payloads: list[dict[str, Any]]) -> list[str]:
    """Answer a batch of inbound messages in order; return each one's status.

    Each message is answered exactly once, as by `handle_chat` (a batch run
    again after a crash skips what already has a final reply). One message's
    failure is its own: it gets an error reply and the others go on. Only a
    Redis error fails the whole job (nothing else could be written either).
    """
    runtime = _runtime()
    if not isinstance(payloads, list):
        raise PayloadInvalid("handle_chats takes a list of Inbound payloads")
    statuses = []
    for payload in payloads:
        try:
            message = parse(Inbound, payload)
            statuses.append(_through_outages(functools.partial(runtime.handle_chat, message)))
        except redis.RedisError:
            raise
        except Exception as exc:
            log.exception("a message of a batch failed: %s", exc)
            statuses.append(_fail(runtime, payload))
    return statuses


def _fail(runtime: EdgeRuntime, payload: Any) -> str:
    """Close a message that could not be answered with an error reply, if it can be named."""
    fields = payload if isinstance(payload, dict) else {}
    message_id, chat_id = fields.get("message_id"), fields.get("chat_id")
    if not isinstance(message_id, str) or not _MESSAGE_ID.fullmatch(message_id):
        return "invalid"
    client = runtime.client
    if final_of(client, message_id) is None:  # the failure may come after the reply
        writer = ReplyWriter(client, message_id, next_attempt(client, message_id))
        writer.final(ReplyFinal(attempt=writer.attempt, text=APOLOGY,
                                status=ReplyStatus.ERROR, worker_id=runtime.worker_id))
    if isinstance(chat_id, str) and chat_id:
        mark_answered(client, chat_id, message_id)
    return ReplyStatus.ERROR.value


def handle_control(payload: dict[str, Any]) -> str:
    """Carry out a control command for a chat."""
    control, runtime = parse(Control, payload), _runtime()
    return _through_outages(lambda: runtime.handle_control(control))


def deliver(payload: dict[str, Any]) -> str:
    """Hand a scheduled outbound message (a reminder) to the bridge via the outbox."""
    message = parse(Outbound, payload)
    job = get_current_job()
    client: redis.Redis = job.connection if job is not None else _runtime().client
    if job is None or not job.id.startswith("reminder-"):
        # Scheduled before reminders were indexed: nothing can cancel it.
        return str(client.xadd(OUTBOX, {"data": message.model_dump_json()}, maxlen=10_000))
    # Written once, and only if not cancelled (see `hearth.queue.hand_over`).
    return str(hand_over(client, job.id, message) or "cancelled")
