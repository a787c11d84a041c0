"""The Telegram channel: python-telegram-bot's `Application`, fed by our own polling loop.

We poll `getUpdates` ourselves instead of using PTB's Updater because an
update must not be acknowledged to Telegram (by a later offset) before it is
safely queued in Redis: PTB's Updater acknowledges a batch as soon as it asks
for the next one. Each update is processed to the end, then the offset moves;
an update whose handling failed, for any reason (Redis refusing writes with
OOM or MISCONF included), is not acknowledged and is taken up again.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

import redis
import redis.asyncio as aioredis
from telegram import Update
from telegram.error import NetworkError, RetryAfter
from telegram.ext import Application, ApplicationBuilder, ContextTypes
from telegram.request import BaseRequest, HTTPXRequest

from hearth.bridge._auth import Gate
from hearth.bridge._commands import COMMANDS, QUEUE_DOWN
from hearth.bridge._delivery import Deliverer
from hearth.bridge._feedback import Feedback
from hearth.bridge._handlers import Handlers
from hearth.bridge._metrics import Metrics
from hearth.bridge._outbox import OutboxReader
from hearth.bridge._reports import ReportCourier
from hearth.bridge._sender import Sender
from hearth.bridge._updates import UpdatesRequest
from hearth.errors import QueueUnavailable, UpdateNotQueued
from hearth.settings import Settings

log = logging.getLogger(__name__)

T = TypeVar("T")

#: Seconds one getUpdates long poll may be held by Telegram.
POLL_TIMEOUT_S = 25
#: Seconds a getUpdates answer may take beyond the poll's own timeout.
POLL_READ_MARGIN_S = 10.0
#: Seconds without an answer from getUpdates after which polling is restarted.
STALL_S = 120.0
#: The update kinds the bridge asks for (reactions must be asked for explicitly).
ALLOWED_UPDATES = ["message", "edited_message", "message_reaction", "callback_query"]
#: Failures that say nothing about the update itself (Redis refusing writes with
#: OOM or MISCONF, a connection lost, Telegram unreachable): it is handled again.
RETRIED_ERRORS = (redis.RedisError, OSError, NetworkError, QueueUnavailable)


def build_application(settings: Settings, updates_request: BaseRequest | None = None,
                      ) -> Application:  # type: ignore[type-arg]
    """A PTB Application pointed at the configured Bot API root, without an Updater.

    `updates_request` carries getUpdates alone (PTB adds the poll's timeout to
    its read timeout), so polling can be restarted without touching sends.
    """
    assert settings.telegram_bot_token is not None
    # PTB 22 warns on every RetryAfter read unless told to return timedeltas.
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    root = settings.telegram_api_url
    return (ApplicationBuilder()
            .token(settings.telegram_bot_token.get_secret_value())
            .base_url(f"{root}/bot")
            .base_file_url(f"{root}/file/bot")
            .updater(None)
            .get_updates_request(updates_request or HTTPXRequest(
                connection_pool_size=1, read_timeout=POLL_READ_MARGIN_S))
            .build())


class TelegramBridge:
    """Polls Telegram (or takes webhook updates) and runs the handlers."""

    def __init__(self, settings: Settings, sync_client: redis.Redis,
                 client: aioredis.Redis, *, poll_timeout_s: int = POLL_TIMEOUT_S,
                 stall_s: float = STALL_S, metrics: Metrics | None = None) -> None:
        self.settings = settings
        self._updates_request = UpdatesRequest(connection_pool_size=1,
                                               read_timeout=POLL_READ_MARGIN_S)
        self.app = build_application(settings, self._updates_request)
        self.metrics = metrics or Metrics()
        self.sender = Sender(self.app.bot, self.metrics)
        self.deliverer = Deliverer(client, self.sender, self.metrics,
                                   reply_timeout_s=settings.reply_timeout_s,
                                   owed_s=settings.reply_owed_s)
        self.client = client
        self.poll_timeout_s = poll_timeout_s
        self.stall_s = stall_s
        self._queue_down_told: set[int] = set()
        gate = Gate(client, settings.allowed_users)
        self.handlers = Handlers(self, sync_client, client, gate)
        self.handlers.register(self.app)
        self.reports = ReportCourier(self, client, sync_client)
        self.reports.register(self.app)
        self.feedback = Feedback(self, client, sync_client, gate)
        self.feedback.register(self.app)
        self.deliverer.after_reply = self.feedback.attach
        # PTB catches a handler's exception and hands it to the error handlers;
        # ours keeps it, so `process` can refuse to acknowledge the update.
        self._failures: dict[int, BaseException] = {}
        self.app.add_error_handler(self._keep_failure)
        self.stopping = asyncio.Event()
        self.last_poll_ok = time.monotonic()
        self._outbox: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Initialise PTB, register the commands, resume owed deliveries."""
        await self.app.initialize()
        await self.app.bot.set_my_commands(COMMANDS)
        resumed = await self.deliverer.resume()
        if resumed:
            log.info("resumed %d reply deliveries", resumed)
        self.reports.start()
        self._outbox = asyncio.create_task(OutboxReader(self.client, self.deliverer)
                                           .run(self.stopping), name="hearth-outbox")

    async def stop(self) -> None:
        """Stop streaming (owed replies stay recorded) and close PTB."""
        self.stopping.set()
        await self.reports.stop()
        if self._outbox is not None:
            self._outbox.cancel()
            await asyncio.gather(self._outbox, return_exceptions=True)
        await self.deliverer.close()
        await self.app.shutdown()

    async def retrying(self, chat_id: int | None, call: Callable[[], Awaitable[T]]) -> T:
        """Run a Redis operation until it succeeds, telling the chat once that we wait."""
        delay = 0.5
        while True:
            try:
                result = await call()
            except (redis.ConnectionError, redis.TimeoutError) as exc:
                log.warning("redis unavailable (%s); retrying in %.1fs", exc, delay)
                if chat_id is not None and chat_id not in self._queue_down_told:
                    self._queue_down_told.add(chat_id)
                    await self.sender.send(chat_id, QUEUE_DOWN, formatted=False)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 15.0)
                continue
            if chat_id is not None:
                self._queue_down_told.discard(chat_id)
            return result

    async def _keep_failure(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        error = context.error
        if not isinstance(update, Update) or error is None:
            return
        if isinstance(error, RETRIED_ERRORS):
            self._failures[update.update_id] = error
            return
        # A bug or an update we cannot read: handling it again would fail again
        # and hold every later update back.
        self.metrics.inc("updates_failed")
        log.error("update %s could not be handled; skipped: %s: %s", update.update_id,
                  type(error).__name__, error, exc_info=error)

    async def process(self, update: Update) -> None:
        """Run the handlers for one update, to the end.

        Raises `UpdateNotQueued` when a handler failed: the update must not be
        acknowledged (its message may not be queued) and is to be handled again.
        """
        self._failures.pop(update.update_id, None)
        await self.app.process_update(update)
        error = self._failures.pop(update.update_id, None)
        if error is not None:
            self.metrics.inc("updates_retried")
            raise UpdateNotQueued(update.update_id, error)

    async def _restart_http(self) -> None:
        # Only the polling connection: restarting the bot's whole HTTP client would
        # abort sends in flight, and a send retried after that may be a duplicate.
        try:
            await self._updates_request.shutdown()
        finally:
            await self._updates_request.initialize()

    async def poll(self) -> None:
        """Long-poll until stopped; acknowledge an update only after it was handled."""
        await self.app.bot.delete_webhook(drop_pending_updates=False)
        offset: int | None = None
        backoff = 1.0
        while not self.stopping.is_set():
            try:
                updates = await asyncio.wait_for(
                    self.app.bot.get_updates(offset=offset, timeout=self.poll_timeout_s,
                                             allowed_updates=ALLOWED_UPDATES),
                    timeout=self.stall_s)
            except TimeoutError:
                self.metrics.inc("polling_restarts")
                log.warning("getUpdates gave no answer for %.0fs; restarting polling",
                            self.stall_s)
                await self._restart_http()
                continue
            except RetryAfter as exc:
                delay = exc.retry_after
                await asyncio.sleep(delay if isinstance(delay, int | float)
                                    else delay.total_seconds())
                continue
            except NetworkError as exc:
                log.warning("getUpdates failed: %s; retrying in %.0fs", exc, backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 30.0)
                continue
            self.last_poll_ok = time.monotonic()
            for update in updates:
                try:
                    await self.process(update)
                except UpdateNotQueued as exc:
                    # Not acknowledged: the next getUpdates hands it to us again.
                    log.warning("%s; retrying in %.0fs", exc, backoff)
                    await asyncio.sleep(backoff)
                    backoff = min(backoff * 2, 30.0)
                    break
                offset = update.update_id + 1
            else:
                backoff = 1.0
