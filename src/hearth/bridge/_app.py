"""The bridge's aiohttp app: /healthz, /metrics, the status page and the Telegram webhook."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
from typing import TYPE_CHECKING

import redis
from aiohttp import web
from telegram import Update

from hearth.bridge._delivery import DELIVERIES
from hearth.bridge._page import add_routes
from hearth.bridge._status import queue_depth
from hearth.bridge._updates import readable
from hearth.errors import UpdateNotQueued
from hearth.queue import online_workers

if TYPE_CHECKING:
    from hearth.bridge._telegram import TelegramBridge

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/telegram/webhook"


def webhook_secret(token: str) -> str:
    """The secret Telegram echoes in X-Telegram-Bot-Api-Secret-Token (derived, not the token)."""
    return hashlib.sha256(b"hearth-webhook:" + token.encode()).hexdigest()[:48]


def build_app(bridge: TelegramBridge, sync_client: redis.Redis) -> web.Application:
    """Routes: health, metrics, webhook."""
    app = web.Application()
    token = bridge.settings.telegram_bot_token
    secret = webhook_secret(token.get_secret_value()) if token else ""

    async def healthz(request: web.Request) -> web.Response:
        status: dict[str, object] = {"bridge": "ok"}
        try:
            workers = await asyncio.to_thread(online_workers, sync_client)
            status["redis"] = "ok"
            status["workers"] = len(workers)
        except redis.RedisError as exc:
            status["redis"] = f"error: {type(exc).__name__}"
            status["workers"] = 0
        healthy = status["redis"] == "ok" and status["workers"] != 0
        return web.json_response(status, status=200 if healthy else 503)

    async def metrics(request: web.Request) -> web.Response:
        gauges: dict[str, float] = {}
        try:
            gauges["workers_online"] = len(await asyncio.to_thread(online_workers, sync_client))
            gauges["queue_depth"] = await asyncio.to_thread(queue_depth, sync_client)
        except redis.RedisError:
            gauges["redis_up"] = 0
        else:
            gauges["redis_up"] = 1
        return web.Response(text=bridge.metrics.render(gauges),
                            content_type="text/plain", charset="utf-8")

    async def webhook(request: web.Request) -> web.Response:
        given = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
        if not secret or not hmac.compare_digest(given, secret):
            return web.Response(status=403)
        try:
            data = await request.json()
        except ValueError:
            return web.Response(status=400)
        if not isinstance(data, dict) or readable(data) is not data:
            # Answered 200: Telegram would resend an unreadable update forever.
            return web.Response(status=200)
        update = Update.de_json(data, bridge.app.bot)
        if update is None:
            return web.Response(status=400)
        # Answer 200 only once the update is queued: Telegram resends otherwise.
        try:
            await bridge.process(update)
        except UpdateNotQueued as exc:
            log.warning("webhook: %s; Telegram will send it again", exc)
            return web.Response(status=503)
        return web.Response(status=200)

    async def owed() -> int:
        return int(await bridge.client.hlen(DELIVERIES))

    add_routes(app, settings=bridge.settings, sync_client=sync_client, metrics=bridge.metrics,
               secret=secret, owed=owed)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/metrics", metrics)
    app.router.add_post(WEBHOOK_PATH, webhook)
    return app
