"""`hearth up` and `hearth chat`: the whole assistant on one machine.

`up` starts a private Redis when REDIS_URL is unset, one edge worker (a child
process, so the model never blocks the chat), and the bridge: Telegram with a
token, otherwise the console. It keeps a spec secret in the home and schedules
the nightly search (HEARTH_NIGHTLY_AT). Ctrl-C or SIGTERM stops everything it started.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from types import FrameType
from typing import Any

from hearth.errors import HearthError
from hearth.settings import Settings, ensure_spec_secret

#: Seconds `up` waits for the worker's first heartbeat (the model load).
WORKER_START_TIMEOUT_S = 300.0


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


@contextlib.contextmanager
def _redis(settings: Settings) -> Iterator[str]:
    if settings.redis_url is not None:
        from hearth.queue import redact

        url = settings.redis_url.get_secret_value()
        _say(f"redis:   {redact(url)}")
        yield url
        return
    from hearth.queue import EmbeddedRedis

    with EmbeddedRedis(settings.home / "redis", unix_socket=True) as server:
        _say(f"redis:   embedded, data in {server.data_dir}, reachable only by this user "
             f"through {server.url}")
        yield server.url


@contextlib.contextmanager
def _worker_process(url: str, settings: Settings, engine: str) -> Iterator[None]:
    from hearth.queue import connect, online_workers

    env = {**os.environ, "REDIS_URL": url, "HEARTH_HOME": str(settings.home)}
    proc = subprocess.Popen([sys.executable, "-m", "hearth", "worker", "--engine", engine],
                            env=env)
    try:
        client = connect(url)
        deadline = time.monotonic() + WORKER_START_TIMEOUT_S
        _say("worker:  loading the model…")
        while not any(w.worker_id == settings.worker_id for w in online_workers(client)):
            if proc.poll() is not None:
                raise HearthError(f"the worker exited with status {proc.returncode} while "
                                  "starting; run `hearth worker` alone to see why")
            if time.monotonic() > deadline:
                raise HearthError("the worker did not come up in time")
            time.sleep(0.2)
        client.close()
        _say(f"worker:  {settings.worker_id} ready")
        yield
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _console(url: str) -> int:
    from hearth.bridge import ConsoleChannel
    from hearth.queue import connect

    client = connect(url)
    try:
        channel = ConsoleChannel(client, interactive=sys.stdin.isatty())
        _say("channel: console (set TELEGRAM_BOT_TOKEN to serve Telegram)")
        return channel.run(sys.stdin)
    finally:
        client.close()


def _serve(url: str, settings: Settings) -> int:
    if settings.telegram_bot_token is None:
        return _console(url)
    from hearth.bridge import run_bridge

    return run_bridge(settings, url)


def _schedule_nights(url: str, settings: Settings) -> None:
    from hearth.queue import connect
    from hearth.search import ensure_schedule

    client = connect(url)
    try:
        when = ensure_schedule(client, settings.nightly_at, settings.timezone)
    finally:
        client.close()
    _say(f"nightly: search at {settings.nightly_at} {settings.timezone}, next "
         f"{when:%Y-%m-%d %H:%M} UTC" if when else "nightly: off (HEARTH_NIGHTLY_AT=off)")


def _terminate_on_sigterm() -> None:
    def handler(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, handler)


def _up(args: argparse.Namespace, settings: Settings) -> int:
    from hearth.cli._spec import store_for
    from hearth.models import resolve_model

    _terminate_on_sigterm()
    settings = ensure_spec_secret(settings)
    spec = store_for(settings).active()
    _say(f"home:    {settings.home}")
    _say(f"spec:    {spec.summary()}")
    if args.engine == "llama":
        _say(f"model:   {resolve_model(spec.intelligence.model, settings.home)}")
    try:
        with _redis(settings) as url, _worker_process(url, settings, args.engine):
            _schedule_nights(url, settings)
            return _serve(url, settings)
    except KeyboardInterrupt:
        _say("stopping…")
        return 0


def _chat(args: argparse.Namespace, settings: Settings) -> int:
    from hearth.cli._redis import redis_url

    del args
    return _console(redis_url(settings))


def register(commands: Any) -> None:
    """Add `up` and `chat`."""
    up = commands.add_parser("up", help="run everything on this machine")
    up.add_argument("--engine", choices=["llama", "echo"], default="llama",
                    help=argparse.SUPPRESS)
    up.set_defaults(handler=_up)
    chat = commands.add_parser("chat", help="chat in this terminal (needs REDIS_URL and a worker)")
    chat.set_defaults(handler=_chat)
