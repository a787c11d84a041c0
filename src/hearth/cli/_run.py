"""`hearth worker`, `hearth up`, `hearth chat`, `hearth status`: running the parts."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from hearth.cli._redis import redis_url
from hearth.errors import ConfigError
from hearth.settings import Settings, ensure_spec_secret


def _worker(args: argparse.Namespace, settings: Settings) -> int:
    from hearth.cli._spec import resolve_ref, store_for
    from hearth.edge_runtime import EchoEngine, EdgeRuntime, LlamaCppEngine, run_worker
    from hearth.edge_runtime._worker import acquire_worker_lock
    from hearth.queue import connect

    settings = ensure_spec_secret(settings)
    client = connect(redis_url(settings))
    # Before the model and the memory file: a second process with this id
    # must be told so, not fail later on the DuckDB lock.
    acquire_worker_lock(client, settings.worker_id, wait_s=settings.worker_lock_wait_s)
    store = store_for(settings)
    spec = resolve_ref(store, args.spec) if args.spec else store.active()
    factory = EchoEngine if args.engine == "echo" else LlamaCppEngine
    print(f"hearth worker {settings.worker_id}: loading {spec.intelligence.model} "
          f"(spec {spec.short_id})…", file=sys.stderr, flush=True)
    runtime = EdgeRuntime(worker_id=settings.worker_id, home=settings.home, client=client,
                          spec=spec, engine_factory=factory)
    print(f"hearth worker {settings.worker_id}: ready", file=sys.stderr, flush=True)
    secret = settings.spec_secret.get_secret_value() if settings.spec_secret else None
    try:
        run_worker(runtime, secret=secret, burst=args.burst,
                   lock_wait_s=settings.worker_lock_wait_s,
                   retention_days=settings.trace_retention_days,
                   extra_job_modules=settings.extra_job_modules)
    finally:
        runtime.close()
    return 0


def _bridge(args: argparse.Namespace, settings: Settings) -> int:
    from hearth.bridge import run_bridge

    if settings.telegram_bot_token is None:
        raise ConfigError("TELEGRAM_BOT_TOKEN is not set: get one from @BotFather, or use "
                          "`hearth chat` for the console", variable="TELEGRAM_BOT_TOKEN")
    import redis

    from hearth.queue import connect
    from hearth.search import ensure_schedule

    settings = ensure_spec_secret(settings)
    client = connect(redis_url(settings), check=False)
    try:
        # The bridge runs wherever the deployment runs: its start (re)makes the schedule.
        ensure_schedule(client, settings.nightly_at, settings.timezone)
    except redis.RedisError as exc:  # the bridge itself waits for Redis; so can the schedule
        print(f"hearth bridge: nightly search not scheduled yet ({exc}); the next start or "
              "`hearth search schedule` makes it", file=sys.stderr)
    finally:
        client.close()
    return run_bridge(settings, redis_url(settings))


def _gate_call(settings: Settings, call: Any) -> Any:
    """Run `call(gate)` against Redis with a short-lived async client."""
    import asyncio

    import redis.asyncio as aioredis

    from hearth.bridge._auth import Gate

    async def run() -> Any:
        client = aioredis.Redis.from_url(redis_url(settings))
        try:
            return await call(Gate(client, settings.allowed_users))
        finally:
            await client.aclose()

    return asyncio.run(run())


def _pair(args: argparse.Namespace, settings: Settings) -> int:
    from hearth.bridge._auth import PAIR_TTL_S

    if args.list:
        paired = _gate_call(settings, lambda gate: gate.paired())
        print("\n".join(str(u) for u in paired) if paired else
              "nobody is paired (HEARTH_ALLOWED_USERS are not listed here)")
        return 0
    code = _gate_call(settings, lambda gate: gate.issue_code())
    print(f"pairing code: {code}\nAsk the person to send /pair {code} to the bot within "
          f"{PAIR_TTL_S // 60} minutes.")
    return 0


def _unpair(args: argparse.Namespace, settings: Settings) -> int:
    if not _gate_call(settings, lambda gate: gate.unpair(args.user_id)):
        print(f"user {args.user_id} is not paired; `hearth pair --list` shows who is",
              file=sys.stderr)
        return 1
    print(f"user {args.user_id} is no longer paired")
    return 0


def register(commands: Any) -> None:
    """Add the run commands."""
    worker = commands.add_parser("worker", help="run an edge worker (needs REDIS_URL)")
    worker.add_argument("--burst", action="store_true", help="process what is queued, then exit")
    worker.add_argument("--spec", help="start on this spec instead of the active one")
    worker.add_argument("--engine", choices=["llama", "echo"], default="llama",
                        help=argparse.SUPPRESS)
    worker.set_defaults(handler=_worker)
    bridge = commands.add_parser("bridge", help="run the Telegram bridge (needs REDIS_URL)")
    bridge.set_defaults(handler=_bridge)
    pair = commands.add_parser("pair", help="print a one-time code that lets someone chat")
    pair.add_argument("--list", action="store_true", help="list the paired users instead")
    pair.set_defaults(handler=_pair)
    unpair = commands.add_parser("unpair", help="remove a paired user")
    unpair.add_argument("user_id", type=int, help="the Telegram user id (see pair --list)")
    unpair.set_defaults(handler=_unpair)
