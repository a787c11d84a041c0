"""Running the bridge: Telegram (polling or webhook) plus the aiohttp app, until stopped."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
from collections.abc import Callable

import redis
import redis.asyncio as aioredis
from aiohttp import web
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff

from hearth.bridge._app import WEBHOOK_PATH, build_app, webhook_secret
from hearth.bridge._telegram import ALLOWED_UPDATES, POLL_TIMEOUT_S, STALL_S, TelegramBridge
from hearth.queue import connect
from hearth.settings import Settings

log = logging.getLogger(__name__)

#: Connections the bridge may open to Redis (Redis allows 10,000 clients by default).
MAX_REDIS_CONNECTIONS = 4096


def bridge_client(redis_url: str) -> aioredis.Redis:
    """The bridge's asyncio Redis client."""
    # Like `connect`: a pooled connection gone stale when Redis restarted is retried,
    # not reported (the user would be told the queue is down while it is up).
    # Every handler and delivery in flight holds a connection for its command, so
    # under load the pool must outgrow redis-py's default of 100 (a full pool raises,
    # it does not wait). Replies are read through one connection (`ReplyReader`).
    return aioredis.Redis.from_url(
        redis_url, socket_connect_timeout=5,
        **({} if redis_url.startswith("unix://") else {"socket_keepalive": True}),
        max_connections=MAX_REDIS_CONNECTIONS,
        retry=Retry(ExponentialBackoff(cap=2.0, base=0.1), 3),
        retry_on_error=[redis.ConnectionError, redis.TimeoutError])


async def serve(settings: Settings, redis_url: str, *, stop: asyncio.Event | None = None,
                ready: asyncio.Event | None = None, poll_timeout_s: int = POLL_TIMEOUT_S,
                stall_s: float = STALL_S, on_bridge: Callable[[TelegramBridge], None] | None
                = None) -> None:
    """Serve Telegram and the HTTP app until `stop` is set (or SIGTERM/SIGINT)."""
    stop = stop or asyncio.Event()
    sync_client = connect(redis_url, check=False)
    client = bridge_client(redis_url)
    bridge = TelegramBridge(settings, sync_client, client, poll_timeout_s=poll_timeout_s,
                            stall_s=stall_s)
    if on_bridge is not None:
        on_bridge(bridge)
    runner = web.AppRunner(build_app(bridge, sync_client), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, settings.http_host, settings.http_port)
    await site.start()
    loop = asyncio.get_running_loop()
    with contextlib.suppress(NotImplementedError, RuntimeError):
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
    await bridge.start()
    poller: asyncio.Task[None] | None = None
    if settings.webhook_url:
        assert settings.telegram_bot_token is not None
        await bridge.app.bot.set_webhook(
            settings.webhook_url.rstrip("/") + WEBHOOK_PATH,
            secret_token=webhook_secret(settings.telegram_bot_token.get_secret_value()),
            allowed_updates=ALLOWED_UPDATES)
        log.info("telegram: webhook mode")
    else:
        poller = asyncio.create_task(bridge.poll())
        log.info("telegram: long polling")
    if ready is not None:
        ready.set()
    try:
        waiter = asyncio.create_task(stop.wait())
        done = {waiter} if poller is None else {waiter, poller}
        finished, _ = await asyncio.wait(done, return_when=asyncio.FIRST_COMPLETED)
        if poller in finished and poller is not None:
            poller.result()
    finally:
        bridge.stopping.set()
        if poller is not None:
            poller.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await poller
        await bridge.stop()
        await runner.cleanup()
        await client.aclose()
        sync_client.close()


def run_bridge(settings: Settings, redis_url: str) -> int:
    """Blocking entry point for `hearth bridge` and `hearth up`."""
    # PTB 22 warns on every RetryAfter read unless told to return timedeltas.
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    asyncio.run(serve(settings, redis_url))
    return 0
