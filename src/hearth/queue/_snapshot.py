"""What `hearth status` and the status page show about the workers and queues.

One function for both, so the page's numbers are the command's numbers.
"""

from __future__ import annotations

import time
from typing import Any

import redis

from hearth.queue._jobs import rq_queue
from hearth.queue._names import SEARCH_QUEUE, SHARED_CHAT_QUEUE, worker_queue
from hearth.queue._workers import online_workers


def status_snapshot(client: redis.Redis) -> dict[str, Any]:
    """Workers online (spec, model, load, heartbeat age, queued) and the queue depths."""
    now = time.time()
    workers = [{"worker_id": w.worker_id, "host": w.host, "spec_id": w.spec_id,
                "model": w.model, "load": w.load, "busy": w.busy,
                "queued": int(rq_queue(client, worker_queue(w.worker_id)).count),
                "last_heartbeat_s": round(now - w.last_seen, 1)}
               for w in online_workers(client)]
    return {"workers": workers,
            "unassigned_queued": int(rq_queue(client, SHARED_CHAT_QUEUE).count),
            "search_queued": int(rq_queue(client, SEARCH_QUEUE).count)}
