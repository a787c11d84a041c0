"""Bridge and queue benchmark (issue 6): messages per second and added latency.

Goal: with an instant engine in the worker, 100 concurrent chats on a 2-core
machine reach >= 500 messages/s end to end, with added latency p50 <= 5 ms and
p99 <= 25 ms over a bare Redis round trip, and the bridge stays <= 150 MB.

This process is the bridge: each message runs the Telegram handler's own steps
(`admission`, `Deliverer.owe_message` through a `ChatBatcher`, `offline_notice`)
and the real `Deliverer` streams and finishes its reply through a `ReplyReader`.
Only Telegram's HTTP leg is left out (`NullSender`); Telegram allows about one
message per second per chat, so 100 chats could never carry 500/s through it.
The workers are real `hearth worker --engine echo` processes on a private Redis.
The goal's run is instant: the jobs are `instant_chats`, the queue side of
`EdgeRuntime.handle_chat` without the agent and DuckDB (the issue measures the
bridge and queue only). A second run (keys ``echo_runtime_*``, no goal) queues
the production `handle_chats`, whose echo runtime also writes memory and traces.

Phases: ``unloaded`` (one message at a time), ``saturated`` (each chat sends
again once answered; ``messages_per_s``), ``loaded`` (500/s, or 80 % of the
saturated rate if lower, offered over the chats: the goal's latencies).
Latencies (ms) run from the update's arrival to its reply handed to Telegram;
``added_*`` subtract ``ping_p50_ms``. ``*_cpu_ms_per_message``: CPU per message while
saturated; ``*_others_cpu_cores``: CPU other programs used meanwhile (a noisy
run); ``batch_size``: messages per flush; ``bridge_rss_mb``: decimal MB.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import redis
import redis.asyncio as aioredis

from hearth.bridge._delivery import DELIVERIES, Deliverer, Delivery
from hearth.bridge._handlers import admission, offline_notice, update_key
from hearth.bridge._metrics import Metrics
from hearth.bridge._run import bridge_client
from hearth.queue import (
    HANDLE_CHATS,
    ChatBatcher,
    EmbeddedRedis,
    Inbound,
    connect,
    online_workers,
    pin,
)

#: Concurrent chats, as in the goal.
CHATS = 100
#: Worker processes ("the worker" of the goal). On two cores one beats two: all
#: chats share its queue, so its jobs are bigger, and one process fewer competes.
WORKERS = 1
#: Offered rate of the loaded phase, messages per second.
TARGET_RATE = 500.0
#: The instant job, by import path (run by the workers).
INSTANT_CHATS = "benchmarks.perf_bridge.instant_chats"
#: The folder above `benchmarks/`: the workers import the instant job from it.
_ROOT = Path(__file__).resolve().parents[1]
#: Seconds one reply may take before the benchmark gives up.
REPLY_TIMEOUT_S = 120.0


def instant_chats(payloads: list[dict[str, Any]]) -> None:
    """The benchmark's job: `handle_chats` with the Redis work of `handle_chat` only.

    Per message, as `EdgeRuntime._handle_chat` does it: one round trip to
    learn whether it is answered, its home, earlier pending messages, its
    attempt and time zone (`start_turn`); forward it if its home is
    elsewhere; write the reply (a chunk, then the final record together with
    leaving the pending set).
    """
    from hearth import queue as q
    from hearth.edge_runtime.jobs import CURRENT_RUNTIME  # only ever run in a worker

    runtime = CURRENT_RUNTIME.get()
    client, me = runtime.client, runtime.worker_id
    for payload in payloads:
        message = q.parse(Inbound, payload)
        turn = q.start_turn(client, message)
        if turn.final is not None:
            q.mark_answered(client, message.chat_id, message.message_id)
            continue
        home = turn.home or q.claim_home(client, message.chat_id, me)
        if home != me:
            q.enqueue_chat(client, message, queue=q.worker_queue(home))
            continue
        writer = q.ReplyWriter(client, message.message_id, turn.attempt)
        writer.write(f"echo: {message.text}")
        writer.final(q.ReplyFinal(attempt=writer.attempt, text=f"echo: {message.text}"),
                     answered=(message.chat_id, message.message_id))


class NullSender:
    """Telegram's place: every send succeeds at once (its HTTP leg is not measured).

    `expect` a chat's final text to learn when the deliverer hands it over.
    """

    def __init__(self) -> None:
        self._ids = itertools.count(1)
        self._expected: dict[int, tuple[str, asyncio.Future[float]]] = {}

    def expect(self, chat_id: int, text: str) -> asyncio.Future[float]:
        """A future set to `perf_counter()` when `text` is sent or edited into the chat."""
        done = asyncio.get_running_loop().create_future()
        self._expected[chat_id] = (text, done)
        return done

    def _seen(self, chat_id: int, text: str) -> None:
        expected, done = self._expected.get(chat_id, ("", None))
        if done is not None and text.split("\n", 1)[0] == expected:  # a preview ends in " …"
            del self._expected[chat_id]
            done.set_result(time.perf_counter())

    async def send(self, chat_id: int, text: str, *, formatted: bool = True,
                   reply_to: int | None = None, owed: bool = False) -> int | None:
        """A fresh message id."""
        self._seen(chat_id, text)
        return next(self._ids)

    async def edit(self, chat_id: int, message_id: int, text: str, *,
                   formatted: bool = True, owed: bool = False) -> bool:
        """Done."""
        self._seen(chat_id, text)
        return True

    async def typing(self, chat_id: int) -> None:
        """Done."""


class BridgeSide:
    """The Telegram handler's and the deliverer's work for one message, with the real code."""

    def __init__(self, client: aioredis.Redis, sync: redis.Redis, func: str) -> None:
        self.client = client
        self.sender = NullSender()
        self.deliverer = Deliverer(client, self.sender, Metrics())
        self.batcher = ChatBatcher(client, sync, func=func, auto=self.deliverer.auto)
        self._ids = itertools.count()
        self.notices = 0

    async def message(self, chat: int) -> float:
        """Queue one message of `chat`; the ms until its reply is handed to Telegram."""
        n = next(self._ids)
        update_id = f"bench-{chat}-{n}"
        began = time.perf_counter()
        first, _pending = await admission(self.deliverer.auto, update_id, chat)
        assert first, "a fresh update id was seen before"
        inbound = Inbound(message_id=f"bench-{chat}-{n}", chat_id=str(chat), user_id=str(chat),
                          text=f"hello {n}", channel="bench")
        replied = self.sender.expect(chat, f"echo: {inbound.text}")
        delivery = Delivery(message_id=inbound.message_id, chat_id=chat, received_at=time.time())
        queued = await self.deliverer.owe_message(self.batcher, inbound, delivery, also=[
            ("SET", update_key(update_id), "1", "EX", 3600)])
        self.notices += offline_notice(queued) is not None
        async with asyncio.timeout(REPLY_TIMEOUT_S):
            return (await replied - began) * 1000

    async def aclose(self) -> None:
        """Stop the deliverer and its reader."""
        await self.batcher.aclose()
        await self.deliverer.close()


@contextlib.contextmanager
def _workers(url: str, home: Path, count: int) -> Iterator[list[subprocess.Popen[bytes]]]:
    path = os.pathsep.join(p for p in (str(_ROOT), os.environ.get("PYTHONPATH")) if p)
    env = {**os.environ, "REDIS_URL": url, "HEARTH_HOME": str(home),
           "HEARTH_LOG_LEVEL": "WARNING", "PYTHONPATH": path,
           # Workers run only Hearth's own jobs unless their owner adds a module.
           "HEARTH_EXTRA_JOB_MODULES": json.dumps([INSTANT_CHATS.rpartition(".")[0]])}
    procs: list[subprocess.Popen[bytes]] = []
    with contextlib.ExitStack() as logs:
        try:
            for i in range(count):
                log = logs.enter_context(open(home / f"worker-{i}.log", "wb"))
                procs.append(subprocess.Popen(
                    [sys.executable, "-m", "hearth", "worker", "--engine", "echo"],
                    env={**env, "HEARTH_WORKER_ID": f"bench-w{i}"}, stdout=log,
                    stderr=subprocess.STDOUT))
            client = connect(url)
            deadline = time.monotonic() + 120
            while len(online_workers(client)) < count:
                if any(p.poll() is not None for p in procs) or time.monotonic() > deadline:
                    raise RuntimeError("bench workers did not start; see worker-*.log")
                time.sleep(0.1)
            client.close()
            yield procs
        finally:
            for proc in procs:
                proc.terminate()
            for proc in procs:
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()


def _cpu_s(pid: int | None) -> float:
    """CPU seconds of a process, or of the whole machine (busy, all cores) for None."""
    if pid is None:
        busy = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]
        return (sum(map(int, busy)) - int(busy[3]) - int(busy[4])) / os.sysconf("SC_CLK_TCK")
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _rss_mb(field: str = "VmRSS") -> float:
    lines = Path("/proc/self/status").read_text().splitlines()
    return next(int(line.split()[1]) for line in lines if line.startswith(field)) / 1000 * 1.024


async def _ping_ms(client: aioredis.Redis) -> float:
    began = time.perf_counter()
    await client.ping()
    return (time.perf_counter() - began) * 1000


async def _saturated(side: BridgeSide, chats: list[int],
                     seconds: float) -> tuple[float, list[float]]:
    latencies: list[float] = []
    stop_at = time.monotonic() + seconds

    async def chat(chat_id: int) -> None:
        while time.monotonic() < stop_at:
            latencies.append(await side.message(chat_id))

    began = time.monotonic()
    await asyncio.gather(*(chat(c) for c in chats))
    return len(latencies) / (time.monotonic() - began), latencies


async def _loaded(side: BridgeSide, chats: list[int], rate: float,
                  seconds: float) -> tuple[float, list[float]]:
    """Offer `rate` messages/s round-robin over the chats; each chat keeps its order."""
    queues: dict[int, asyncio.Queue[bool]] = {c: asyncio.Queue() for c in chats}
    latencies: list[float] = []

    async def chat(chat_id: int) -> None:
        while await queues[chat_id].get():
            latencies.append(await side.message(chat_id))

    tasks = [asyncio.create_task(chat(c)) for c in chats]
    began, order = time.monotonic(), itertools.cycle(chats)
    for n in range(int(rate * seconds)):
        await asyncio.sleep(max(0.0, began + n / rate - time.monotonic()))
        queues[next(order)].put_nowait(True)
    for queue in queues.values():
        queue.put_nowait(False)
    await asyncio.gather(*tasks)
    return len(latencies) / (time.monotonic() - began), latencies


async def _measure(url: str, func: str, base: int, *, seconds: float,
                   pids: dict[str, list[int]], unloaded_n: int) -> dict[str, float]:
    sync = connect(url)
    client = bridge_client(url)
    side = BridgeSide(client, sync, func)
    workers = sorted(w.worker_id for w in online_workers(sync))
    chats = [base + i for i in range(CHATS)]
    for i, chat in enumerate(chats):  # homes by heartbeat load are seconds old: spread them
        pin(sync, "chat", str(chat), workers[i % len(workers)])

    def snapshot() -> dict[str, float]:  # CPU seconds of each part, the machine, the clock
        cpu = {name: sum(_cpu_s(p) for p in ps) for name, ps in pids.items()}
        return {**cpu, "machine": _cpu_s(None), "clock": time.monotonic()}

    try:
        ping = statistics.median([await _ping_ms(client) for _ in range(200)])
        await asyncio.gather(*(side.message(c) for c in chats))  # homes, warm-up
        unloaded = [await side.message(chats[i % CHATS]) for i in range(unloaded_n)]
        before, flushes = snapshot(), (side.batcher.flushes, side.batcher.messages)
        rate, saturated = await _saturated(side, chats, seconds)
        after = snapshot()
        offered = min(TARGET_RATE, 0.8 * rate)
        loaded_rate, loaded = await _loaded(side, chats, offered, seconds)
        end = snapshot()
        await asyncio.gather(*side.deliverer.tasks.values())  # their last writes
        owed = await client.hlen(DELIVERIES)
    finally:
        await side.aclose()
        await client.aclose()
        sync.close()
    if owed:
        raise RuntimeError(f"{owed} replies were never delivered")
    result = {"ping_p50_ms": ping, "messages_per_s": rate, "loaded_offered_per_s": offered,
              "loaded_delivered_per_s": loaded_rate, "offline_notices": float(side.notices),
              "batch_size": (side.batcher.messages - flushes[1])
              / max(1, side.batcher.flushes - flushes[0])}
    for name, values in (("unloaded", unloaded), ("saturated", saturated), ("loaded", loaded)):
        result[f"{name}_p50_ms"] = statistics.median(values)
        result[f"{name}_p99_ms"] = statistics.quantiles(values, n=100, method="inclusive")[98]
        result[f"added_{name}_p50_ms"] = result[f"{name}_p50_ms"] - ping
        result[f"added_{name}_p99_ms"] = result[f"{name}_p99_ms"] - ping
    for name in pids:
        result[f"{name}_cpu_ms_per_message"] = (
            (after[name] - before[name]) * 1000 / max(1, len(saturated)))
    for phase, (a, b) in (("saturated", (before, after)), ("loaded", (after, end))):
        ours = sum(b[name] - a[name] for name in pids)  # others' load makes a run noisy
        result[f"{phase}_others_cpu_cores"] = max(0.0, b["machine"] - a["machine"] - ours) / (
            b["clock"] - a["clock"])
    result["messages"] = float(CHATS + len(unloaded) + len(saturated) + len(loaded))
    return result


def bridge_benchmark(quick: bool = False) -> dict[str, float]:
    """Run both runs (instant, then the echo runtime) on a private Redis and real workers.

    `quick` runs each phase for about 2 s instead of 10 (a smoke run). Returns
    the numbers of the module docstring; the echo runtime's carry the prefix
    ``echo_runtime_``.
    """
    seconds, unloaded_n = (2.0, 50) if quick else (10.0, 300)
    with tempfile.TemporaryDirectory(prefix="hearth-bench-bridge-") as tmp:
        home = Path(tmp) / "home"
        home.mkdir()
        with EmbeddedRedis(Path(tmp) / "redis", persist=False) as server, \
                _workers(server.url, home, WORKERS) as procs:
            probe = connect(server.url)
            redis_pid = int(probe.info("server")["process_id"])
            probe.close()
            pids = {"bridge": [os.getpid()], "workers": [p.pid for p in procs],
                    "redis": [redis_pid]}
            result = asyncio.run(_measure(server.url, INSTANT_CHATS, 1000, seconds=seconds,
                                          pids=pids, unloaded_n=unloaded_n))
            result["bridge_rss_mb"] = _rss_mb()
            echo = asyncio.run(_measure(server.url, HANDLE_CHATS, 2000, seconds=seconds,
                                        pids=pids, unloaded_n=unloaded_n // 3))
    result.update({f"echo_runtime_{k}": v for k, v in echo.items()})
    result.update(chats=float(CHATS), workers=float(WORKERS), bridge_peak_rss_mb=_rss_mb("VmHWM"))
    return result


if __name__ == "__main__":
    sys.stdout.write(json.dumps(bridge_benchmark(quick="--quick" in sys.argv), indent=2) + "\n")
