"""Starting real `hearth worker` processes for tests, and talking to them."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import redis

from hearth.queue import (
    Control,
    ControlKind,
    Inbound,
    ReplyFinal,
    enqueue_chat,
    enqueue_control,
    online_workers,
    read_reply,
)
from hearth.specs import Spec, spec_to_json

SECRET = "test-spec-secret"


@dataclass
class WorkerProc:
    """One worker process and how it was started."""

    worker_id: str
    home: Path
    env: dict[str, str]
    args: list[str]
    proc: subprocess.Popen[bytes] | None = None
    log: Path = field(default_factory=Path)

    def start(self, client: redis.Redis, *, wait: bool = True, timeout: float = 90) -> None:
        self.log = self.home / f"worker-{self.worker_id}-{uuid.uuid4().hex[:6]}.log"
        with open(self.log, "wb") as out:
            self.proc = subprocess.Popen([sys.executable, "-m", "hearth", "worker", *self.args],
                                         env=self.env, stdout=out, stderr=subprocess.STDOUT)
        if wait:
            wait_for_worker(client, self.worker_id, self, timeout=timeout)

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def stop(self, timeout: float = 60) -> int:
        """SIGTERM and wait: the worker finishes its reply first."""
        if self.proc is None:
            return 0
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        code = self.proc.wait(timeout=timeout)
        self.proc = None
        return code

    def kill(self) -> None:
        """kill -9: no cleanup at all."""
        assert self.proc is not None
        self.proc.kill()
        self.proc.wait(timeout=10)
        self.proc = None


def wait_for_worker(client: redis.Redis, worker_id: str, worker: WorkerProc | None = None,
                    *, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while not any(w.worker_id == worker_id for w in online_workers(client)):
        if worker is not None and worker.proc is not None and worker.proc.poll() is not None:
            raise AssertionError(f"worker exited early:\n{worker.output()}")
        if time.monotonic() > deadline:
            raise AssertionError(f"worker {worker_id} did not start")
        time.sleep(0.1)


def make_worker(home: Path, redis_url: str, worker_id: str, *, spec: Spec | None = None,
                engine: str = "llama", extra_env: dict[str, str] | None = None,
                burst: bool = False) -> WorkerProc:
    """A worker process description (not started)."""
    args = ["--engine", engine]
    if spec is not None:
        path = home / f"spec-{spec.short_id}.json"
        path.write_text(spec_to_json(spec))
        args += ["--spec", str(path)]
    if burst:
        args.append("--burst")
    env = {**os.environ, "REDIS_URL": redis_url, "HEARTH_HOME": str(home),
           "HEARTH_WORKER_ID": worker_id, "HEARTH_SPEC_SECRET": SECRET,
           **(extra_env or {})}
    return WorkerProc(worker_id=worker_id, home=home, env=env, args=args)


def ask(client: redis.Redis, text: str, *, chat_id: str = "chat-1", user_id: str = "user-1",
        timeout: float = 120, message_id: str | None = None) -> ReplyFinal:
    """Send a message through the queue and return the final reply."""
    message_id = message_id or f"m-{uuid.uuid4().hex}"
    enqueue_chat(client, Inbound(message_id=message_id, chat_id=chat_id, user_id=user_id,
                                 text=text, channel="api"))
    return wait_final(client, message_id, timeout=timeout)


def wait_final(client: redis.Redis, message_id: str, *, timeout: float = 120) -> ReplyFinal:
    final = None
    for state in read_reply(client, message_id, timeout_s=timeout):
        final = state.final
    assert final is not None, f"no final reply for {message_id}"
    return final


def control(client: redis.Redis, kind: ControlKind, chat_id: str = "chat-1",
            **fields: object) -> ReplyFinal:
    message_id = f"c-{uuid.uuid4().hex}"
    enqueue_control(client, Control(kind=kind, chat_id=chat_id, message_id=message_id,
                                    **fields))  # type: ignore[arg-type]
    return wait_final(client, message_id, timeout=60)


def finals_in(client: redis.Redis, message_id: str) -> list[dict[str, object]]:
    """Every final record written for a message (exactly-once checks)."""
    key = f"hearth:reply:{message_id}"
    records = [json.loads(f[b"data"]) for _, f in client.xrange(key)]
    return [r for r in records if r.get("kind") == "final"]
