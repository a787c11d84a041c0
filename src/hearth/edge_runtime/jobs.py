"""RQ job functions. Jobs name these by import path; they run inside a Hearth worker.

The worker sets `CURRENT_RUNTIME` around each job, so a job reaches the model
loaded once at start instead of loading its own.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

import redis
from rq import get_current_job

from hearth.edge_runtime._runtime import EdgeRuntime
from hearth.errors import HearthError
from hearth.queue import OUTBOX, Control, Inbound, Outbound, parse

#: The runtime of the worker executing the current job.
CURRENT_RUNTIME: ContextVar[EdgeRuntime] = ContextVar("hearth_runtime")


def _runtime() -> EdgeRuntime:
    try:
        return CURRENT_RUNTIME.get()
    except LookupError:
        raise HearthError(
            "Hearth jobs run only inside `hearth worker` (a plain `rq worker` has no model loaded)"
        ) from None


def handle_chat(payload: dict[str, Any]) -> str:
    """Answer one inbound chat message."""
    return _runtime().handle_chat(parse(Inbound, payload))


def handle_control(payload: dict[str, Any]) -> str:
    """Carry out a control command for a chat."""
    return _runtime().handle_control(parse(Control, payload))


def deliver(payload: dict[str, Any]) -> str:
    """Hand a scheduled outbound message (a reminder) to the bridge via the outbox."""
    message = parse(Outbound, payload)
    job = get_current_job()
    client: redis.Redis = job.connection if job is not None else _runtime().client
    return str(client.xadd(OUTBOX, {"data": message.model_dump_json()}, maxlen=10_000))
