"""The nightly search schedule: one scheduled RQ job per night, kept idempotent by its id.

Why a job id per night rather than RQ's cron scheduler: RQ's cron runs in its
own `rq cron` process, one more service to start on every deployment, while our
workers already run RQ's scheduler thread (reminders). And why not one fixed
id: a night schedules the next one as it starts (so a failed night still has a
next), and re-enqueueing the id of the job that is running would overwrite the
running job's hash, which RQ then marks finished and lets expire. A per-night id
(`hearth-nightly-2026-12-04`) is never the running one; scheduling keeps exactly
one of them and removes any other, so calling it twice, or after a restart, or
with a new `HEARTH_NIGHTLY_AT`, still leaves one schedule.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import redis

from hearth.queue import SEARCH_QUEUE, rq_queue

#: Import path of the nightly job, for RQ.
NIGHTLY_JOB = "hearth.search.jobs.nightly"
#: Prefix of the nightly job ids; the rest is the night's local date.
NIGHT_ID_PREFIX = "hearth-nightly-"
#: Seconds RQ lets the nightly job run (it only starts the night's thread).
NIGHTLY_JOB_TIMEOUT_S = 600
#: Seconds RQ keeps a finished or failed nightly job, for `rq info` and doctor.
NIGHTLY_RESULT_TTL_S = 7 * 86_400


def next_run(at: str, timezone: str = "UTC", now: datetime | None = None) -> datetime:
    """The next time (UTC) the clock in `timezone` shows `at` ("HH:MM")."""
    hour, minute = (int(p) for p in at.split(":"))
    zone = ZoneInfo(timezone)
    local_now = (now or datetime.now(UTC)).astimezone(zone)
    day = local_now.date()
    for _ in range(3):
        # Built from the date, not by adding a day to a datetime: a DST change
        # between now and then must not move the hour.
        when = datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)
        if when > local_now:
            return when.astimezone(UTC)
        day += timedelta(days=1)
    raise AssertionError("unreachable: a later day always has the hour")


def night_id(when: datetime, timezone: str) -> str:
    """The job id of the night that starts at `when`."""
    return f"{NIGHT_ID_PREFIX}{when.astimezone(ZoneInfo(timezone)).date().isoformat()}"


def scheduled_nights(client: redis.Redis) -> dict[str, datetime]:
    """The nightly jobs waiting in RQ's scheduled registry, by id, with their time (UTC)."""
    registry = rq_queue(client, SEARCH_QUEUE).scheduled_job_registry
    entries = client.zrange(registry.key, 0, -1, withscores=True)
    return {raw.decode(): datetime.fromtimestamp(score, UTC) for raw, score in entries
            if raw.decode().startswith(NIGHT_ID_PREFIX)}


def ensure_schedule(client: redis.Redis, at: str, timezone: str,
                    now: datetime | None = None) -> datetime | None:
    """Leave exactly one nightly search scheduled, at the next `at` ("off": none).

    Returns when it runs next (UTC), or None when the search is off.
    """
    queue = rq_queue(client, SEARCH_QUEUE)
    registry = queue.scheduled_job_registry
    when = None if at == "off" else next_run(at, timezone, now)
    keep = night_id(when, timezone) if when is not None else None
    for job_id in scheduled_nights(client):
        if job_id != keep:
            registry.remove(job_id, delete_job=True)
    if when is not None:
        # The same id again replaces the job and moves its registry entry.
        queue.enqueue_at(when, NIGHTLY_JOB, {"at": at, "timezone": timezone}, job_id=keep,
                         job_timeout=NIGHTLY_JOB_TIMEOUT_S, result_ttl=NIGHTLY_RESULT_TTL_S,
                         failure_ttl=NIGHTLY_RESULT_TTL_S)
    return when
