"""RQ jobs of the search, run by an edge worker: nightly search, approval, lessons."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from rq import get_current_job

from hearth.settings import load_settings

#: Import path of the nightly job, for RQ.
NIGHTLY_JOB = "hearth.search.jobs.nightly"


def next_run(at: str, now: datetime | None = None) -> datetime:
    """The next time (UTC) the clock shows `at` ("HH:MM", local to the machine's TZ=UTC)."""
    hour, minute = (int(p) for p in at.split(":"))
    now = now or datetime.now(UTC)
    when = now.replace(hour=hour, minute=minute, second=0, microsecond=0)
    return when if when > now else when + timedelta(days=1)


def nightly(payload: dict[str, Any]) -> str:
    """Run the search now, then schedule tomorrow's run."""
    from hearth.queue import SEARCH_QUEUE, rq_queue
    from hearth.search._run import search_now

    settings = load_settings()
    job = get_current_job()
    client = job.connection if job is not None else None
    result = search_now(settings, client=client)
    if client is not None:
        rq_queue(client, SEARCH_QUEUE).enqueue_at(next_run(payload["at"]), NIGHTLY_JOB,
                                                  payload, job_timeout=4 * 3600)
    return f"final spec {result.final.short_id}: {result.stopped_because}"


def approve(payload: dict[str, Any]) -> str:
    """The owner's /approve from Telegram."""
    from hearth.search._publish import approve as approve_spec

    job = get_current_job()
    spec = approve_spec(load_settings(), str(payload["spec_id"]),
                        client=job.connection if job is not None else None)
    return spec.id


def search_lessons(payload: dict[str, Any]) -> list[dict[str, Any]]:
    """This worker's eligible traces, scrubbed here: raw memory never leaves the worker."""
    from hearth.edge_runtime import chat_salt
    from hearth.edge_runtime.jobs import CURRENT_RUNTIME
    from hearth.search._lessons import scrubbed_lessons_job

    runtime = CURRENT_RUNTIME.get()
    since = datetime.fromisoformat(payload["since"]) if payload.get("since") else None
    return scrubbed_lessons_job(runtime.memory, since=since,
                                eligible=tuple(payload["eligible"]),
                                salt=chat_salt(runtime.home))
