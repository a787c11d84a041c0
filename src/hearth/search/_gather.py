"""Gathering lessons from every worker: through the queue, scrubbed where the memory is.

Each online worker gets a `search_lessons` job at the front of its own queue
and answers with lessons it scrubbed itself, so raw memory never crosses
Redis. The worker that runs the search (the nightly job) cannot answer a job
of its own queue while it is busy with the search, so it reads its own memory
in place. With no Redis, or no worker online, the worker files under
HEARTH_HOME are read directly (workers stopped).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import redis
from rq.job import Job, JobStatus

from hearth.edge_runtime import chat_salt
from hearth.errors import HearthError, PayloadInvalid
from hearth.queue import online_workers, rq_queue, worker_queue
from hearth.search._lessons import Lesson, gather_local, lessons_from_json, scrubbed_lessons_job

log = logging.getLogger(__name__)

#: Import path of the worker-side job.
LESSONS_JOB = "hearth.search.jobs.search_lessons"
#: Seconds to wait for every worker's answer; a worker busy with a long reply
#: may miss it, and the search goes on without its lessons.
WAIT_S = 120.0


@dataclass
class Gathered:
    """Lessons from all workers that answered, and who did not."""

    lessons: list[Lesson] = field(default_factory=list)
    workers: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def _payload(since: datetime | None, eligible: Collection[str]) -> dict[str, Any]:
    return {"since": since.isoformat() if since else None, "eligible": list(eligible)}


def _own_lessons(since: datetime | None, eligible: Collection[str]) -> tuple[str, list[Any]] | None:
    """The lessons of the worker this code runs in, if it runs in one."""
    from hearth.edge_runtime.jobs import CURRENT_RUNTIME

    runtime = CURRENT_RUNTIME.get(None)
    if runtime is None:
        return None
    rows = scrubbed_lessons_job(runtime.memory, since=since, eligible=eligible,
                                salt=chat_salt(runtime.home))
    return runtime.worker_id, rows


def _wait(jobs: dict[str, Job], deadline: float) -> tuple[dict[str, list[Any]], list[str]]:
    """Answers of the jobs that finished, by worker, and the workers that failed or were slow."""
    answers: dict[str, list[Any]] = {}
    missing: list[str] = []
    pending = dict(jobs)
    while pending:
        for worker_id, job in list(pending.items()):
            status = job.get_status(refresh=True)
            if status == JobStatus.FINISHED:
                rows = job.return_value()
                answers[worker_id] = rows if isinstance(rows, list) else []
                del pending[worker_id]
            elif status in (JobStatus.FAILED, JobStatus.STOPPED, JobStatus.CANCELED):
                log.warning("worker %s could not gather its lessons (%s)", worker_id,
                            status.value)
                missing.append(worker_id)
                del pending[worker_id]
        if not pending or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    for worker_id, job in pending.items():
        job.cancel()  # an answer after the search started would be wasted
        log.warning("worker %s did not send its lessons in time", worker_id)
        missing.append(worker_id)
    return answers, sorted(missing)


def gather_lessons(home: Path, client: redis.Redis | None, *, since: datetime | None,
                   eligible: Collection[str], wait_s: float = WAIT_S) -> Gathered:
    """Every reachable worker's scrubbed lessons since `since`."""
    if client is None:
        return _from_files(home, since, eligible)
    own = _own_lessons(since, eligible)
    others = [w.worker_id for w in online_workers(client) if own is None or w.worker_id != own[0]]
    if own is None and not others:
        return _from_files(home, since, eligible)
    jobs = {w: rq_queue(client, worker_queue(w)).enqueue(
        LESSONS_JOB, _payload(since, eligible), at_front=True, result_ttl=600,
        failure_ttl=3600, job_timeout=300) for w in others}
    answers, missing = _wait(jobs, time.monotonic() + wait_s)
    if own is not None:
        answers[own[0]] = own[1]
    # Validated per worker: one worker on another Hearth version must not
    # cost the search every other worker's lessons.
    lessons: list[Lesson] = []
    for worker_id, rows in answers.items():
        try:
            lessons += lessons_from_json([rows])
        except PayloadInvalid as exc:
            log.error("worker %s: %s", worker_id, exc)
            missing.append(worker_id)
    answered = [w for w in answers if w not in missing]
    return Gathered(lessons=lessons, workers=sorted(answered), missing=sorted(missing))


def _from_files(home: Path, since: datetime | None, eligible: Collection[str]) -> Gathered:
    try:
        lessons = gather_local(home, since=since, eligible=eligible, salt=chat_salt(home))
    except HearthError as exc:
        log.warning("no lessons from traces: %s", exc)
        return Gathered()
    return Gathered(lessons=lessons, workers=["local files"] if lessons else [])
