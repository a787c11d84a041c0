"""`hearth worker`: an RQ worker that never forks and keeps its model loaded.

Beyond RQ's SimpleWorker it
* sets the job's runtime (the loaded model) in a context variable,
* writes Hearth heartbeats (spec id, model, load) every few seconds,
* listens for signed spec publications and swaps between jobs,
* takes up its own jobs that a crashed predecessor left unfinished, at once
  (RQ alone would wait for the job's TTL and retry only with `Retry` set),
* runs RQ's scheduler (reminders) in a thread: RQ's `with_scheduler` forks a
  process that outlives a worker killed with SIGKILL and keeps acting on
  Redis as a zombie.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import FrameType
from typing import Any

import redis
from rq.job import Job, JobStatus
from rq.queue import Queue
from rq.registry import FailedJobRegistry, StartedJobRegistry
from rq.scheduler import RQScheduler
from rq.serializers import JSONSerializer
from rq.worker import SimpleWorker

from hearth.edge_runtime._job_guard import refusal
from hearth.edge_runtime._runtime import EdgeRuntime
from hearth.edge_runtime.jobs import CURRENT_RUNTIME
from hearth.errors import ConfigError, SpecSignatureError
from hearth.queue import (
    SEARCH_QUEUE,
    SHARED_CHAT_QUEUE,
    SPEC_CHANNEL,
    WorkerInfo,
    beat,
    clear_beat,
    current_spec,
    rq_queue,
    worker_queue,
)
from hearth.queue._jobs import FAILURE_TTL_S
from hearth.queue._names import HEARTBEAT_INTERVAL_S, worker_lock_key
from hearth.specs import verify_signed

log = logging.getLogger(__name__)

#: Seconds the worker-id lock lives unless refreshed by the heartbeat.
LOCK_TTL_S = 15
#: Seconds between RQ's own worker-key refreshes and suspension checks.
RQ_HOUSEKEEPING_INTERVAL_S = 1.0


class HearthWorker(SimpleWorker):
    """A SimpleWorker that runs jobs against one long-lived `EdgeRuntime`."""

    def __init__(self, runtime: EdgeRuntime, queues: list[Queue], *,
                 extra_job_modules: tuple[str, ...] = (), **kwargs: Any) -> None:
        # RQ refuses a name whose previous owner died without deregistering,
        # so the RQ name is unique per process; our worker id names the queue.
        name = f"{runtime.worker_id}.{uuid.uuid4().hex[:8]}"
        # RQ's job description is the call with its arguments: chat text.
        kwargs.setdefault("log_job_description", False)
        super().__init__(queues, name=name, connection=runtime.client,
                         serializer=JSONSerializer, **kwargs)
        self.runtime = runtime
        self.extra_job_modules = extra_job_modules
        self._rq_beat_at = 0.0
        self._suspension_checked_at = 0.0

    def subscribe(self) -> None:
        # RQ polls its command channel with sleep_time=60; once RQ unsubscribes
        # at shutdown, redis-py 8's PubSubWorkerThread.stop() joins the thread,
        # which sits out that whole minute: SIGTERM took 60 s one time in five.
        self.pubsub = self.connection.pubsub()
        self.pubsub.subscribe(**{self.pubsub_channel_name: self.handle_payload})
        self.pubsub_thread = self.pubsub.run_in_thread(
            sleep_time=1.0, daemon=True, exception_handler=self._pubsub_exception_handler)

    def heartbeat(self, timeout: int | None = None, pipeline: Any = None) -> None:
        """Refresh RQ's worker key, at most once a second outside a pipeline.

        RQ refreshes it (three round trips) up to three times per job, though
        the key lives for minutes: at hundreds of small jobs a second that was
        a third of each job's cost. Refreshes inside RQ's own pipelines are kept.
        """
        now = time.monotonic()
        if (pipeline is None and timeout is None
                and now - self._rq_beat_at < RQ_HOUSEKEEPING_INTERVAL_S):
            return
        super().heartbeat(timeout, pipeline)
        if pipeline is None:
            self._rq_beat_at = now

    def check_for_suspension(self, burst: bool) -> None:
        """Honour `rq suspend`, checked at most once a second (RQ asks before every job)."""
        now = time.monotonic()
        if now - self._suspension_checked_at < RQ_HOUSEKEEPING_INTERVAL_S:
            return
        self._suspension_checked_at = now
        super().check_for_suspension(burst)

    def execute_job(self, job: Job, queue: Queue) -> None:
        """Run the job in this process with the runtime in context, if it is Hearth's."""
        reason = refusal(job, self.extra_job_modules)
        if reason is not None:
            self.refuse(job, queue, reason)
            return
        token = CURRENT_RUNTIME.set(self.runtime)
        try:
            super().execute_job(job, queue)
        finally:
            CURRENT_RUNTIME.reset(token)


    def refuse(self, job: Job, queue: Queue, reason: str) -> None:
        """Mark a job failed without running it, its callbacks or its webhooks."""
        log.error("refused job %s from queue %s: %s", job.id, queue.name, reason)
        with self.connection.pipeline() as pipe:
            job.set_status(JobStatus.FAILED, pipeline=pipe)
            FailedJobRegistry(queue=queue, serializer=JSONSerializer).add(
                job, ttl=FAILURE_TTL_S, exc_string=f"refused by Hearth: {reason}", pipeline=pipe)
            # RQ's cleanup of a job stuck there would "fail" it again, sending its webhooks.
            pipe.lrem(queue.intermediate_queue_key, 1, job.id)
            pipe.execute()

    def handle_exception(self, job: Job, *exc_info: Any) -> None:
        """Log a failed job by id and function only.

        RQ's own handler logs the job's arguments (whole chat texts, whole
        exports) at ERROR; the traceback is in the failed-job registry.
        """
        exc = exc_info[1] if len(exc_info) > 1 else None
        log.error("job %s (%s) from queue %s failed: %s", job.id, job.func_name, job.origin,
                  type(exc).__name__ if exc is not None else "unknown error")


def _lock_value() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def acquire_worker_lock(client: redis.Redis, worker_id: str, *, wait_s: float = 60.0) -> None:
    """Become the one process running as `worker_id`.

    A lock left by a process of this host that no longer exists is taken over
    at once (the restart after a crash); a live one elsewhere is waited for.
    """
    key, value, deadline = worker_lock_key(worker_id), _lock_value(), time.monotonic() + wait_s
    while not client.set(key, value, nx=True, ex=LOCK_TTL_S):
        holder = (client.get(key) or b"").decode()
        if holder == value:
            return
        host, _, pid = holder.partition(":")
        if host == socket.gethostname() and pid.isdigit() and not _alive(int(pid)):
            client.delete(key)
            continue
        if time.monotonic() > deadline:
            raise ConfigError(f"worker id {worker_id!r} is already running ({holder}); "
                              "give this worker another HEARTH_WORKER_ID",
                              variable="HEARTH_WORKER_ID")
        time.sleep(1.0)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _abandoned(client: redis.Redis, job: Job, worker_id: str) -> bool:
    """Whether nobody alive runs `job`: a previous process of ours, or a worker gone for good."""
    name = job.worker_name or ""
    if not name or name.startswith(f"{worker_id}."):
        return True  # we hold the worker lock: no other process of ours is running
    # RQ's worker key expires a few minutes after its process died.
    return not client.exists(f"rq:worker:{name}")


def recover_abandoned(client: redis.Redis, queue: Queue, worker_id: str) -> int:
    """Put jobs that a dead worker had started back at the front of `queue`.

    Crash-safe: a job is queued again *before* it leaves the started registry,
    so a worker killed during recovery loses nothing; a job recovered twice is
    queued once (and a chat job answers a message at most once either way).
    """
    registry = StartedJobRegistry(queue=queue, serializer=JSONSerializer)
    recovered = 0
    for entry in client.zrange(registry.key, 0, -1):
        job_id = StartedJobRegistry.parse_job_id(entry)
        try:
            job = Job.fetch(job_id, connection=client, serializer=JSONSerializer)
        except Exception:  # noqa: BLE001 - a job hash that expired: nothing to recover
            client.zrem(registry.key, entry)
            continue
        if not _abandoned(client, job, worker_id):
            continue  # a live worker is answering it
        status = job.get_status()
        if status == JobStatus.STARTED or (
                status == JobStatus.QUEUED and client.lpos(queue.key, job.id) is None):
            queue.enqueue(str(job.func_name), *job.args, job_id=job.id, at_front=True,
                          job_timeout=job.timeout, result_ttl=job.result_ttl,
                          failure_ttl=job.failure_ttl, **job.kwargs)
            recovered += 1
        client.zrem(registry.key, entry)
    if recovered:
        log.warning("took up %d unfinished job(s) of a dead worker from %s",
                    recovered, queue.name)
    return recovered


#: Seconds between two trace-retention sweeps.
RETENTION_INTERVAL_S = 86_400


class _Background:
    """Heartbeat, spec-listener and scheduler threads of one worker."""

    def __init__(self, runtime: EdgeRuntime, secret: str | None,
                 retention_days: int = 90) -> None:
        self.runtime = runtime
        self.secret = secret
        self.retention_days = retention_days
        self.stop = threading.Event()
        self.started_at = time.time()
        self.last_sweep = 0.0
        # The sequence of the publication this worker runs, kept across restarts
        # so that a replayed older one is refused at start too.
        self.sequence_file = runtime.home / f"worker-{runtime.worker_id}.spec-sequence"
        self.sequence = _read_sequence(self.sequence_file)
        self.seen: bytes | str | None = None
        """The last publication body applied (or refused)."""

    def sweep(self) -> None:
        """Delete traces past the retention period (at start, then daily)."""
        if time.time() - self.last_sweep < RETENTION_INTERVAL_S:
            return
        self.last_sweep = time.time()
        cutoff = datetime.now(UTC) - timedelta(days=self.retention_days)
        gone = self.runtime.memory.traces.delete_older_than(cutoff)
        if gone:
            log.info("deleted %d traces older than %d days", gone, self.retention_days)

    def info(self) -> WorkerInfo:
        rt = self.runtime
        depth = rq_queue(rt.client, worker_queue(rt.worker_id)).count
        return WorkerInfo(worker_id=rt.worker_id, host=socket.gethostname(), pid=os.getpid(),
                          spec_id=rt.spec.id, model=rt.spec.intelligence.model, load=int(depth),
                          busy=rt.busy, started_at=self.started_at, last_seen=time.time())

    def heartbeat_loop(self) -> None:
        client = self.runtime.client
        while not self.stop.is_set():
            try:
                self.sweep()
                beat(client, self.info())
                client.set(worker_lock_key(self.runtime.worker_id), _lock_value(),
                           ex=LOCK_TTL_S)
            except redis.RedisError as exc:
                log.warning("heartbeat failed: %s", exc)
            self.stop.wait(HEARTBEAT_INTERVAL_S)

    def apply(self, body: bytes | str) -> None:
        self.seen = body
        if self.secret is None:
            log.error("refused a published spec: HEARTH_SPEC_SECRET is not set on this worker")
            return
        try:
            signed = verify_signed(body, self.secret)
        except SpecSignatureError as exc:
            log.error("refused a published spec: %s", exc)
            return
        if signed.sequence < self.sequence:
            log.error("refused a published spec: %s is publication %d, older than %d, the one "
                      "this worker runs (a replay); publish it again to roll back",
                      signed.spec.short_id, signed.sequence, self.sequence)
            return
        swapped = self.runtime.swap(signed.spec)
        if self.runtime.spec.id == signed.spec.id and signed.sequence > self.sequence:
            self.sequence = signed.sequence
            _write_sequence(self.sequence_file, signed.sequence)
        if swapped:
            beat(self.runtime.client, self.info())

    def scheduler_loop(self) -> None:
        """Move due scheduled jobs (reminders) of this worker's queue into it."""
        queue = worker_queue(self.runtime.worker_id)
        # RQScheduler is untyped; Any keeps mypy --strict honest about it.
        scheduler: Any = RQScheduler([queue, SEARCH_QUEUE], connection=self.runtime.client,
                                     serializer=JSONSerializer, interval=1)
        try:
            while not self.stop.is_set():
                try:
                    if scheduler.should_reacquire_locks:
                        scheduler.acquire_locks()
                    else:
                        scheduler.heartbeat()
                    scheduler.enqueue_scheduled_jobs()
                except redis.RedisError as exc:
                    log.warning("scheduler: %s", exc)
                self.stop.wait(1.0)
        finally:
            with contextlib.suppress(redis.RedisError):
                scheduler.release_locks()

    def listen_loop(self) -> None:
        pubsub = self.runtime.client.pubsub(ignore_subscribe_messages=True)
        pubsub.subscribe(SPEC_CHANNEL)
        try:
            # A spec published after the start read it but before this subscription
            # was announced to nobody listening: it waits in Redis. Read once the
            # server confirmed the subscription (consumed here), so none falls between.
            with contextlib.suppress(redis.RedisError):
                first = pubsub.get_message(timeout=1.0)
                if (published := current_spec(self.runtime.client)) is not None \
                        and published != self.seen:
                    self.apply(published)
                if first and first["type"] == "message":
                    self.apply(first["data"])
            while not self.stop.is_set():
                try:
                    message = pubsub.get_message(timeout=1.0)
                except redis.RedisError as exc:
                    log.warning("spec channel: %s", exc)
                    self.stop.wait(1.0)
                    continue
                if message and message["type"] == "message":
                    self.apply(message["data"])
        finally:
            pubsub.close()


def _read_sequence(path: Path) -> int:
    try:
        return int(path.read_text().strip() or 0)
    except FileNotFoundError:
        return 0
    except ValueError:
        log.warning("%s is not a number; taking any signed publication", path)
        return 0


def _write_sequence(path: Path, sequence: int) -> None:
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(str(sequence))
    os.replace(tmp, path)


def _stop_before_rq(signum: int, frame: FrameType | None) -> None:
    # A SIGTERM between the first heartbeat and RQ's own handlers (a worker
    # stopped as it starts) leaves through `finally`, which clears the
    # heartbeat; by default the process would die showing online for 30 s.
    raise SystemExit(128 + signum)


def _wait_for_redis(client: redis.Redis) -> None:
    delay = 0.5
    while True:
        try:
            client.ping()
            return
        except (redis.ConnectionError, redis.TimeoutError) as exc:
            log.warning("redis unavailable (%s); waiting %.1fs", exc, delay)
            time.sleep(delay)
            delay = min(delay * 2, 10.0)


def _serve(runtime: EdgeRuntime, queues: list[Queue], *, burst: bool,
           extra_job_modules: tuple[str, ...] = ()) -> None:
    """Run RQ's loop; when Redis went away under it, wait and run a new one.

    RQ quits its loop on a Redis error in its own bookkeeping (marking itself
    idle after a job, say): without this a Redis restart would leave the worker
    process running nothing. The job it was on is taken up again, once.
    """
    while True:
        worker = HearthWorker(runtime, queues, extra_job_modules=extra_job_modules)
        try:
            worker.work(burst=burst, logging_level="WARNING")
        except (redis.ConnectionError, redis.TimeoutError) as exc:
            log.warning("the RQ loop stopped: %s", exc)
        if burst or getattr(worker, "_shutdown_requested_date", None) is not None:
            return
        log.warning("the RQ loop stopped without being asked to; starting it again")
        _wait_for_redis(runtime.client)
        for queue in queues:
            recover_abandoned(runtime.client, queue, runtime.worker_id)


def run_worker(runtime: EdgeRuntime, *, secret: str | None, burst: bool = False,
               lock_wait_s: float = 60.0, retention_days: int = 90,
               extra_job_modules: tuple[str, ...] = ()) -> None:
    """Serve the worker's own queue and the shared one until SIGTERM (or empty, in burst)."""
    client = runtime.client
    acquire_worker_lock(client, runtime.worker_id, wait_s=lock_wait_s)
    background = _Background(runtime, secret, retention_days)
    published = current_spec(client)
    if published is not None:
        background.apply(published)
    own = rq_queue(client, worker_queue(runtime.worker_id))
    shared = rq_queue(client, SHARED_CHAT_QUEUE)
    search = rq_queue(client, SEARCH_QUEUE)
    for queue in (own, shared, search):  # a job taken from any of them may be abandoned
        recover_abandoned(client, queue, runtime.worker_id)
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _stop_before_rq)
    threads = [threading.Thread(target=background.heartbeat_loop, daemon=True,
                                name="hearth-heartbeat"),
               threading.Thread(target=background.listen_loop, daemon=True,
                                name="hearth-spec-listener"),
               threading.Thread(target=background.scheduler_loop, daemon=True,
                                name="hearth-scheduler")]
    try:
        beat(client, background.info())
        for thread in threads:
            thread.start()
        _serve(runtime, [own, shared, search], burst=burst,
               extra_job_modules=extra_job_modules)
    finally:
        background.stop.set()
        for thread in threads:
            if thread.is_alive():
                thread.join(timeout=5)
        clear_beat(client, runtime.worker_id)
        client.delete(worker_lock_key(runtime.worker_id))
