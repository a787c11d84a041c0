"""One night of search on an edge machine, beside the chat, which it yields to.

The nightly job starts the night in a child process of the worker
(`hearth search night`) and returns, so the worker goes on taking chat jobs.
Before every evaluation the night waits while this worker's queues hold chat
jobs or one is being answered: a reply never waits
for more than the one evaluation already under way. When the night ends (or
fails) it posts the morning report for the bridge to deliver.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import redis
from rq.registry import StartedJobRegistry

from hearth.queue import SHARED_CHAT_QUEUE, MorningReport, post_report, rq_queue, worker_queue
from hearth.search._morning import morning_report
from hearth.settings import Settings

log = logging.getLogger(__name__)

#: Held while a night runs, so two workers (or a restart) never run two at once.
NIGHT_LOCK = "hearth:night:running"
#: Seconds the lock outlives a night whose worker was killed.
NIGHT_LOCK_TTL_S = 8 * 3600
#: Seconds between two looks at the chat queues while the night waits.
BUSY_POLL_S = 0.2


def chat_busy(client: redis.Redis, worker_id: str) -> bool:
    """Whether a chat job is queued for, or being answered by, this worker (or the shared queue)."""
    for name in (worker_queue(worker_id), SHARED_CHAT_QUEUE):
        queue = rq_queue(client, name)
        if queue.count or client.zcard(StartedJobRegistry(queue=queue).key):
            return True
    return False


class Night:
    """One night's search from the active spec, then its morning report."""

    def __init__(self, settings: Settings, client: redis.Redis, worker_id: str, *,
                 tasks_file: Path | None = None, sessions: int | None = None) -> None:
        self.settings = settings
        self.client = client
        self.worker_id = worker_id
        self.tasks_file = tasks_file
        self.sessions = sessions
        self.stop = threading.Event()
        #: Seconds the night waited for the chat, for the log.
        self.yielded_s = 0.0

    def pause(self) -> None:
        """Wait while the chat is busy (called before every evaluation)."""
        began = time.monotonic()
        while not self.stop.is_set() and chat_busy(self.client, self.worker_id):
            self.stop.wait(BUSY_POLL_S)
        self.yielded_s += time.monotonic() - began

    def run(self) -> MorningReport | None:
        """Search, then post the morning report; None when another night is running."""
        from hearth.search._run import search_now

        if not self.client.set(NIGHT_LOCK, self.worker_id, nx=True, ex=NIGHT_LOCK_TTL_S):
            log.warning("a night is already running (%s); not starting another",
                        (self.client.get(NIGHT_LOCK) or b"?").decode())
            return None
        started = datetime.now(UTC)
        result, error = None, None
        try:
            try:
                result = search_now(self.settings, client=self.client, tasks_file=self.tasks_file,
                                    sessions=self.sessions, pause=self.pause,
                                    progress=lambda m: log.info("night: %s", m))
            except Exception as exc:  # a failed night is reported to the owner, not lost
                log.exception("the nightly search failed")
                error = f"{type(exc).__name__}: {exc}"
            report = morning_report(result, started=started, ended=datetime.now(UTC),
                                    timezone=self.settings.timezone, error=error,
                                    report_md=self.settings.home / "search-report" / "report.md")
            post_report(self.client, report)
            log.info("night done (waited %.0f s for chats)", self.yielded_s)
            return report
        finally:
            self.client.delete(NIGHT_LOCK)

