"""`make chaos`: real processes killed with SIGKILL at random points; one table of what it cost.

Not part of `make test` (pytest collects only test_*.py files). Loopback only,
bounded in count and time. `--scale 0.2` runs a smaller version of every scenario.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import random
import sys
import tempfile
import time
from pathlib import Path

from tests.chaos.fuzz import fuzz_payloads, fuzz_updates
from tests.chaos.harness import Rig, Row, Tracker, at_random_times, push_all

#: Seconds without a new reply after which the replies still missing count as lost.
SETTLE_S = 240.0


async def bridge_kills(root: Path, rng: random.Random, scale: float) -> Row:
    chats = list(range(7000, 7000 + max(5, int(50 * scale))))
    per_chat = max(2, int(20 * scale))
    rig = Rig(root, chats)
    async with rig.running():
        tracker = Tracker(rig.botapi)
        pushing = asyncio.create_task(push_all(tracker, chats, per_chat, 40.0, "b"))
        await at_random_times(5, len(chats) * per_chat / 40.0, rig.restart_bridge, rng)
        await pushing
        await tracker.wait(SETTLE_S)
        return tracker.row("bridge SIGKILL x5")


async def worker_kills(root: Path, rng: random.Random, scale: float) -> Row:
    chats = list(range(8000, 8000 + max(5, int(50 * scale))))
    per_chat = max(2, int(20 * scale))
    rig = Rig(root, chats, workers=2, word_delay_s=0.02)
    async with rig.running(start_workers=False):
        tracker = Tracker(rig.botapi)
        # The first messages wait on the shared queue: no worker is online yet.
        pushing = asyncio.create_task(push_all(tracker, chats, per_chat, 40.0, "w"))
        await asyncio.sleep(1.0)
        for worker in rig.workers:
            await rig.restart_worker(worker)

        async def kill_one() -> None:
            await rig.restart_worker(rng.choice(rig.workers))

        await at_random_times(5, len(chats) * per_chat / 40.0, kill_one, rng)
        await pushing
        await tracker.wait(SETTLE_S)
        row = tracker.row("worker SIGKILL x5 (own + shared queues)")
        return row


async def valkey_kill(root: Path, rng: random.Random, scale: float) -> Row:
    chats = list(range(9000, 9000 + max(5, int(30 * scale))))
    per_chat = max(2, int(10 * scale))
    rig = Rig(root, chats)
    async with rig.running():
        tracker = Tracker(rig.botapi)
        pushing = asyncio.create_task(push_all(tracker, chats, per_chat, 60.0, "v"))

        async def kill_valkey() -> None:
            await rig.restart_redis(2.0)

        await at_random_times(2, len(chats) * per_chat / 60.0, kill_valkey, rng)
        await pushing
        await tracker.wait(SETTLE_S)
        row = tracker.row("Valkey SIGKILL x2 (AOF always)")
        if row.lost and rig.bridge is not None:
            (root / "bridge.out").write_text(rig.bridge.output())
            (root / "worker.out").write_text(rig.workers[0].output())
            print(f"logs in {root}", file=sys.stderr)
        if rig.botapi.pending_updates():
            row.notes.append(f"{len(rig.botapi.pending_updates())} updates never acknowledged")
        return row


async def botapi_outage(root: Path, rng: random.Random, scale: float) -> Row:
    del rng
    chats = list(range(9500, 9500 + max(5, int(20 * scale))))
    per_chat = max(2, int(5 * scale))
    outage_s = max(10.0, 60.0 * scale)
    rig = Rig(root, chats)
    async with rig.running():
        tracker = Tracker(rig.botapi)
        for method in ("sendMessage", "editMessageText", "sendChatAction"):
            rig.botapi.fail_next(method, 502, times=1_000_000)
        await push_all(tracker, chats, per_chat, 50.0, "o")
        await asyncio.sleep(outage_s)
        rig.botapi._faults.clear()
        for method in ("sendMessage", "editMessageText"):
            rig.botapi.fail_next(method, 429, retry_after=3, times=len(chats))
        refused_at = time.monotonic()
        await tracker.wait(SETTLE_S)
        row = tracker.row(f"Bot API 502 for {outage_s:.0f} s, then 429")
        calls = rig.botapi.calls
        sends = [(t, params.get("chat_id")) for t, (name, params)
                 in zip(calls.times, calls, strict=True)  # type: ignore[attr-defined]
                 if name in ("sendMessage", "editMessageText") and t >= refused_at]
        # The first len(chats) of them were answered 429 with retry_after=3.
        early = 0
        for i, (t, chat) in enumerate(sends[:len(chats)]):
            later = [u for u, c in sends[i + 1:] if c == chat and u > t]
            early += bool(later and later[0] < t + 2.9)
        if early:
            row.notes.append(f"{early} chats were sent to again inside retry_after")
        return row


SCENARIOS = {"bridge": bridge_kills, "worker": worker_kills, "valkey": valkey_kill,
             "outage": botapi_outage}


def _table(rows: list[Row]) -> str:
    head = (f"{'scenario':<42} {'messages':>8} {'lost':>5} {'dup marked':>10} "
            f"{'dup unmarked':>12} {'max delay s':>11} {'chats reordered':>15}")
    lines = [head, "-" * len(head)]
    for r in rows:
        lines.append(f"{r.scenario:<42} {r.messages:>8} {r.lost:>5} {r.marked:>10} "
                     f"{r.unmarked:>12} {r.max_delay_s:>11.1f} {r.reordered:>15}")
        lines.extend(f"    note: {n}" for n in r.notes)
    return "\n".join(lines)


async def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="make chaos")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--only", nargs="*", default=[*SCENARIOS, "fuzz"])
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--keep", help="a folder to keep the logs of every process in")
    parser.add_argument("--fuzz", type=int, default=10_000, help="updates and payloads each")
    args = parser.parse_args(argv)
    # Connections the kills cut make the local Bot API server log tracebacks: expected.
    logging.getLogger("aiohttp").setLevel(logging.CRITICAL)
    rng = random.Random(args.seed)
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="hearth-chaos-") as scratch:
        base = Path(args.keep or scratch)
        for name in args.only:
            began = time.monotonic()
            root = base / name
            if name == "fuzz":
                rows.extend(await fuzz_updates(root / "updates", int(args.fuzz * args.scale)))
                rows.append(await fuzz_payloads(root / "payloads",
                                                int(args.fuzz * args.scale)))
            else:
                rows.append(await SCENARIOS[name](root, rng, args.scale))
            print(f"[{name}: {time.monotonic() - began:.0f} s]", file=sys.stderr, flush=True)
    print(_table(rows))
    bad = any(r.lost or r.unmarked or r.reordered or r.notes for r in rows)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1:])))
