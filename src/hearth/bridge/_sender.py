"""Sending to Telegram: per-chat pacing, retries that never duplicate, safe formatting.

* Each chat gets its own pace (about one message a second, slower in groups)
  without pausing any other chat.
* `RetryAfter` is honoured. A failed send is retried; a send whose outcome
  is unknown (a timeout after the request went out) is not, because
  Telegram may have delivered it. Edits are idempotent and always retried.
* A reply is never lost to formatting: when Telegram refuses the MarkdownV2
  entities, the same text goes out plain.
* A send that keeps failing for a passing reason (Telegram down, 5xx) raises
  `TelegramUnavailable` when the caller owes it (`owed=True`): the caller
  keeps it and tries again later instead of dropping it.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from telegram import Bot, Message
from telegram.constants import ChatAction, ParseMode
from telegram.error import BadRequest, NetworkError, RetryAfter, TelegramError, TimedOut

from hearth.bridge._metrics import Metrics
from hearth.bridge._text import to_markdown_v2
from hearth.errors import HearthError

log = logging.getLogger(__name__)

T = TypeVar("T")

#: Seconds between two sends or edits in one private chat.
PRIVATE_INTERVAL_S = 1.0
#: Seconds between two sends in one group (Telegram allows about 20 a minute).
GROUP_INTERVAL_S = 3.0
#: Attempts for a send that failed for sure, or an edit.
MAX_ATTEMPTS = 4


class TelegramUnavailable(HearthError):
    """A send failed `MAX_ATTEMPTS` times for a passing reason; try again later."""


class _Pace:
    def __init__(self) -> None:
        self.lock = asyncio.Lock()
        self.last = 0.0


class Sender:
    """Talks to the Bot API for the bridge."""

    def __init__(self, bot: Bot, metrics: Metrics, *, private_interval_s: float =
                 PRIVATE_INTERVAL_S, group_interval_s: float = GROUP_INTERVAL_S) -> None:
        self.bot = bot
        self.metrics = metrics
        self._paces: dict[int, _Pace] = {}
        self._private_s = private_interval_s
        self._group_s = group_interval_s

    async def _paced(self, chat_id: int, call: Callable[[], Awaitable[T]]) -> T:
        pace = self._paces.setdefault(chat_id, _Pace())
        interval = self._group_s if chat_id < 0 else self._private_s
        async with pace.lock:
            wait = pace.last + interval - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            try:
                return await call()
            finally:
                pace.last = time.monotonic()

    async def _with_retries(self, chat_id: int, call: Callable[[], Awaitable[T]], *,
                            idempotent: bool, what: str, owed: bool = False) -> T | None:
        for attempt in range(MAX_ATTEMPTS):
            try:
                return await self._paced(chat_id, call)
            except RetryAfter as exc:
                delay = exc.retry_after
                wait = delay if isinstance(delay, int | float) else delay.total_seconds()
            except TimedOut:
                if not idempotent:
                    # The request went out; Telegram may have delivered it.
                    self.metrics.inc("sends_unknown")
                    log.warning("%s in chat %s timed out; not resent (may be delivered)",
                                what, chat_id)
                    return None
                wait = 0.5 * 2**attempt
            except BadRequest:
                raise
            except NetworkError as exc:
                log.info("%s in chat %s failed (%s); retrying", what, chat_id, exc)
                wait = 0.5 * 2**attempt
            if attempt < MAX_ATTEMPTS - 1:  # no point waiting after the last attempt
                await asyncio.sleep(wait)
        if owed:
            log.warning("%s in chat %s failed %d times; it stays owed", what, chat_id,
                        MAX_ATTEMPTS)
            raise TelegramUnavailable(f"{what} in chat {chat_id} failed {MAX_ATTEMPTS} times")
        self.metrics.inc("sends_failed")
        log.error("%s in chat %s failed %d times; giving up", what, chat_id, MAX_ATTEMPTS)
        return None

    async def send(self, chat_id: int, text: str, *, formatted: bool = True,
                   reply_to: int | None = None, owed: bool = False) -> int | None:
        """Send a message; return its id, or None when it could not be sent.

        `owed`: raise `TelegramUnavailable` instead of giving up on a passing failure.
        """
        async def call(markdown: bool) -> Message:
            return await self.bot.send_message(
                chat_id, to_markdown_v2(text) if markdown else text,
                parse_mode=ParseMode.MARKDOWN_V2 if markdown else None,
                reply_to_message_id=reply_to,
                allow_sending_without_reply=True)

        message = await self._formatted(chat_id, call, formatted, "send", owed)
        if message is None:
            return None
        self.metrics.inc("messages_out")
        return int(message.message_id)

    async def edit(self, chat_id: int, message_id: int, text: str, *,
                   formatted: bool = True, owed: bool = False) -> bool:
        """Replace a sent message's text; True when Telegram has the new text."""
        async def call(markdown: bool) -> Any:
            try:
                return await self.bot.edit_message_text(
                    to_markdown_v2(text) if markdown else text, chat_id=chat_id,
                    message_id=message_id,
                    parse_mode=ParseMode.MARKDOWN_V2 if markdown else None)
            except BadRequest as exc:
                if "not modified" in str(exc).lower():
                    return True
                raise

        return await self._formatted(chat_id, call, formatted, "edit", owed) is not None

    async def _formatted(self, chat_id: int, call: Callable[[bool], Awaitable[T]],
                         formatted: bool, what: str, owed: bool = False) -> T | None:
        idempotent = what == "edit"
        try:
            return await self._with_retries(chat_id, lambda: call(formatted),
                                            idempotent=idempotent, what=what, owed=owed)
        except BadRequest as exc:
            if not formatted or "parse" not in str(exc).lower():
                self._refused(chat_id, what, exc)
                return None
        except TelegramError as exc:  # blocked by the user, chat gone, ...: retrying won't help
            self._refused(chat_id, what, exc)
            return None
        self.metrics.inc("markdown_fallbacks")
        try:
            return await self._with_retries(chat_id, lambda: call(False),
                                            idempotent=idempotent, what=what, owed=owed)
        except TelegramError as exc:
            self._refused(chat_id, what, exc, " even as plain text")
            return None

    def _refused(self, chat_id: int, what: str, exc: TelegramError, how: str = "") -> None:
        self.metrics.inc("sends_failed")
        log.error("%s in chat %s refused%s: %s", what, chat_id, how, exc)

    async def typing(self, chat_id: int) -> None:
        """Show "typing…" (Telegram drops it after about 5 s)."""
        try:
            await self.bot.send_chat_action(chat_id, ChatAction.TYPING)
        except TelegramError as exc:
            log.debug("typing indicator failed: %s", exc)
