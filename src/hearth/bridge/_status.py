"""Texts for /status, /spec and /approve, read from Redis (sync; run in a thread)."""

from __future__ import annotations

import json
import time

import redis

from hearth.queue import (
    SEARCH_QUEUE,
    SHARED_CHAT_QUEUE,
    current_spec,
    home_of,
    online_workers,
    pending_count,
    rq_queue,
    worker_queue,
)
from hearth.settings import Settings

#: The job that approves a pending spec (runs where the search's spec store is).
APPROVE_JOB = "hearth.search.jobs.approve"


def queue_depth(client: redis.Redis) -> int:
    """Jobs waiting in every worker's queue and the shared one."""
    names = [worker_queue(w.worker_id) for w in online_workers(client)] + [SHARED_CHAT_QUEUE]
    return sum(int(rq_queue(client, name).count) for name in names)


def status_text(client: redis.Redis, chat_id: str, hosts: bool = False) -> str:
    """Workers online with spec and model, queue depth, this chat's pending messages.

    `hosts` adds each worker's host name: for the owner only, not for guests.
    """
    workers = online_workers(client)
    home = home_of(client, chat_id)
    lines = [f"Workers online: {len(workers)}"]
    for w in workers:
        mark = " (your home)" if w.worker_id == home else ""
        where = f" on {w.host}" if hosts else ""
        lines.append(f"• {w.worker_id}{mark}{where}: spec {w.spec_id[:12]}, {w.model}, "
                     f"{'busy' if w.busy else 'idle'}, seen {time.time() - w.last_seen:.0f}s ago")
    if home and home not in {w.worker_id for w in workers}:
        lines.append(f"• your home worker {home} is offline")
    lines.append(f"Queue depth: {queue_depth(client)}")
    lines.append(f"Your pending messages: {pending_count(client, chat_id)}")
    return "\n".join(lines)


def spec_text(client: redis.Redis, chat_id: str) -> str:
    """The spec this chat's worker runs, with a one-line summary when it is known."""
    workers = {w.worker_id: w for w in online_workers(client)}
    home = home_of(client, chat_id)
    worker = workers.get(home or "") or next(iter(workers.values()), None)
    if worker is None:
        return "No worker is online, so no spec is running right now."
    summary = ""
    published = current_spec(client)
    if published:
        from hearth.specs import Spec

        spec = Spec.model_validate(json.loads(published)["spec"])
        if spec.id == worker.spec_id:
            summary = f"\n{spec.summary()}"
    return f"Spec {worker.spec_id[:12]} on {worker.worker_id} ({worker.model}).{summary}"


def approve_text(client: redis.Redis, spec_ref: str, settings: Settings) -> str:
    """Queue the owner's approval of a spec held for review by the nightly search.

    The approval runs as a job on the search queue, on the machine whose spec
    store holds the pending version; the bridge may live elsewhere.
    """
    del settings
    ref = spec_ref.strip().lower()
    if not ref or not all(c in "0123456789abcdef" for c in ref) or len(ref) < 4:
        return "Usage: /approve SPEC_ID (the id from the nightly search report)."
    rq_queue(client, SEARCH_QUEUE).enqueue(APPROVE_JOB, {"spec_id": ref}, result_ttl=86_400)
    return f"Approval of spec {ref[:12]} sent; the workers switch to it once it is published."
