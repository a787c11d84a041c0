"""A real `hearth worker` process for the performance harness, timed from outside.

The worker runs as production runs it (`python -m hearth worker --spec FILE`,
environment `REDIS_URL`, `HEARTH_HOME`, `HEARTH_WORKER_ID`). Messages go in
with `enqueue_chat`, as the bridge sends them, and replies are read from the
reply stream with `read_reply`, as the bridge reads them; the clock runs in
this process, so every cost on the way (Redis, RQ, memory, chunk flushing)
is in the numbers.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Literal

import redis

from benchmarks.perf_raw import Sample
from hearth.edge_runtime import MemoryStore, Trace, chat_salt
from hearth.errors import HearthError
from hearth.queue import Inbound, connect, enqueue_chat, online_workers, pending_count, read_reply
from hearth.specs import Spec, spec_to_json

log = logging.getLogger(__name__)

#: Seconds to wait for the worker to load its model and send its first heartbeat.
START_TIMEOUT_S = 120.0
#: Seconds a graceful stop (SIGTERM) may take before the worker is killed.
STOP_TIMEOUT_S = 30.0
#: Seconds one reply may take before the benchmark gives up on it.
REPLY_TIMEOUT_S = 300.0
#: Seconds to let the worker settle after a reply (RQ's own bookkeeping).
SETTLE_S = 0.05


class BenchWorkerError(HearthError):
    """The benchmark's worker did not start, did not answer, or died; see its log."""


@dataclass(frozen=True)
class WorkerSample(Sample):
    """One reply through the worker.

    `ttft_ms` runs from the return of `enqueue_chat` (the job is in the queue
    and the idle worker takes it at once) to the first reply chunk read back;
    `enqueue_ms` is what the `enqueue_chat` call itself took before that.
    """

    message_id: str
    status: str
    enqueue_ms: float


class BenchWorker:
    """Starts, times and stops one worker process; a context manager that cleans up."""

    def __init__(self, *, redis_url: str, home: Path, spec: Spec, worker_id: str = "bench",
                 engine: Literal["llama", "echo"] = "llama") -> None:
        self.redis_url = redis_url
        self.engine = engine
        self.home = home
        self.spec = spec
        self.worker_id = worker_id
        self.log_path = home / f"worker-{worker_id}.log"
        self.proc: subprocess.Popen[bytes] | None = None
        self._client: redis.Redis | None = None

    @property
    def client(self) -> redis.Redis:
        """This side's Redis client (made at start)."""
        if self._client is None:
            raise BenchWorkerError("the benchmark worker is not started; call start() first")
        return self._client

    def start(self) -> BenchWorker:
        """Start the process and wait until its heartbeat says it is online."""
        self.home.mkdir(parents=True, exist_ok=True)
        spec_file = self.home / f"bench-spec-{self.spec.short_id}.json"
        spec_file.write_text(spec_to_json(self.spec))
        env = {**os.environ, "REDIS_URL": self.redis_url, "HEARTH_HOME": str(self.home),
               "HEARTH_WORKER_ID": self.worker_id}
        env.pop("HEARTH_SPEC_SECRET", None)
        self._client = connect(self.redis_url)
        with open(self.log_path, "wb") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "hearth", "worker", "--spec", str(spec_file),
                 "--engine", self.engine],
                env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + START_TIMEOUT_S
        while not any(w.worker_id == self.worker_id for w in online_workers(self.client)):
            self._check_alive("while starting")
            if time.monotonic() > deadline:
                raise BenchWorkerError(f"the benchmark worker did not come online within "
                                       f"{START_TIMEOUT_S:.0f} s; its log:\n{self.log_tail()}")
            time.sleep(0.05)
        log.info("worker %s online (pid %d)", self.worker_id, self.pid)
        return self

    @property
    def pid(self) -> int:
        """The worker's process id."""
        if self.proc is None:
            raise BenchWorkerError("the benchmark worker is not running")
        return self.proc.pid

    def log_tail(self, chars: int = 3000) -> str:
        """The end of the worker's output, for error messages."""
        if not self.log_path.exists():
            return "(no log)"
        return self.log_path.read_text(errors="replace")[-chars:]

    def _check_alive(self, when: str) -> None:
        if self.proc is not None and self.proc.poll() is not None:
            raise BenchWorkerError(f"the benchmark worker exited with code "
                                   f"{self.proc.returncode} {when}; its log:\n{self.log_tail()}")

    def ask(self, prompt: str, *, chat_id: str | None = None) -> WorkerSample:
        """Send `prompt` as a new message, time its reply, and wait until the job is done.

        Waiting for the worker to finish its bookkeeping (memory, trace) keeps
        that work out of whatever the caller times next.
        """
        message = Inbound(message_id=f"bench-{uuid.uuid4().hex}",
                          chat_id=chat_id or f"bench-{uuid.uuid4().hex[:12]}",
                          user_id="bench", text=prompt, channel="bench")
        began = time.perf_counter()
        enqueue_chat(self.client, message)
        enqueued = time.perf_counter()
        first: float | None = None
        final, end = None, 0.0
        for state in read_reply(self.client, message.message_id, timeout_s=REPLY_TIMEOUT_S):
            now = time.perf_counter()
            if first is None and state.final is None and state.text:
                first = now
            if state.final is not None:
                final, end = state.final, now
        if final is None:
            self._check_alive("while answering")
            raise BenchWorkerError(f"no final reply within {REPLY_TIMEOUT_S:.0f} s; "
                                   f"the worker's log:\n{self.log_tail()}")
        first = end if first is None else first
        while pending_count(self.client, message.chat_id):
            self._check_alive("after answering")
            time.sleep(0.002)
        time.sleep(SETTLE_S)
        return WorkerSample(ttft_ms=(first - enqueued) * 1000,
                            completion_tokens=final.completion_tokens, decode_s=end - first,
                            message_id=message.message_id, status=final.status.value,
                            enqueue_ms=(enqueued - began) * 1000)

    def rss(self) -> dict[str, int]:
        """Resident memory of the worker in bytes: VmRSS, RssAnon, RssFile, VmHWM, ..."""
        fields: dict[str, int] = {}
        status = Path(f"/proc/{self.pid}/status").read_text()
        for line in status.splitlines():
            name, _, value = line.partition(":")
            parts = value.split()
            if (name.startswith(("Vm", "Rss")) and len(parts) == 2
                    and parts[1] == "kB"):
                fields[name] = int(parts[0]) * 1024
        return fields

    def stop(self) -> int | None:
        """SIGTERM and wait (the worker finishes its reply); kill it past the timeout."""
        proc, self.proc = self.proc, None
        code = None
        if proc is not None:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
            try:
                code = proc.wait(timeout=STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                log.warning("worker %s ignored SIGTERM for %.0f s; killing it",
                            self.worker_id, STOP_TIMEOUT_S)
                proc.kill()
                code = proc.wait(timeout=STOP_TIMEOUT_S)
        if self._client is not None:
            self._client.close()
            self._client = None
        return code

    def traces(self, message_ids: list[str]) -> dict[str, Trace]:
        """The worker's trace rows for `message_ids`; only after `stop` (DuckDB's lock)."""
        if self.proc is not None:
            raise BenchWorkerError("stop the worker before reading its traces: "
                                   "it holds the DuckDB file")
        path = self.home / f"worker-{self.worker_id}.duckdb"
        found: dict[str, Trace] = {}
        with MemoryStore(path, chat_salt=chat_salt(self.home)) as memory:
            for message_id in message_ids:
                trace = memory.traces.get(message_id)
                if trace is not None:
                    found[message_id] = trace
        return found

    def __enter__(self) -> BenchWorker:
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()
