"""Feedback people find: 👍/👎 buttons under each reply, and /tz for the chat's time zone.

The buttons do what a 👍/👎 reaction does (reactions keep working): the press
becomes feedback on the reply's trace, on the chat's home worker. They are
added once a reply is whole, with one editMessageReplyMarkup call; a failure
there costs the buttons, never the reply.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import redis
import redis.asyncio as aioredis
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import TelegramError
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes

from hearth.bridge._auth import Gate
from hearth.bridge._delivery import Delivery, sent_key
from hearth.bridge._parts import BridgeParts
from hearth.errors import ConfigError
from hearth.queue import (
    Control,
    ControlKind,
    chat_timezone,
    enqueue_control,
    set_chat_timezone,
)

log = logging.getLogger(__name__)

#: Callback data of the two buttons: "fb:up" / "fb:down" (the message is the one pressed).
FEEDBACK_DATA = {"up": "fb:up", "down": "fb:down"}
THANKS = {"up": "Thanks! Noted as a good reply.", "down": "Thanks, noted: I'll learn from it."}
TZ_USAGE = ("Usage: /tz ZONE, e.g. /tz Europe/Berlin. The clock and reminders in this chat "
            "use it.")


def feedback_buttons() -> InlineKeyboardMarkup:
    """👍 / 👎 under a reply."""
    return InlineKeyboardMarkup([[InlineKeyboardButton("👍", callback_data=FEEDBACK_DATA["up"]),
                                  InlineKeyboardButton("👎", callback_data=FEEDBACK_DATA["down"])]])


class Feedback:
    """The buttons under replies, their presses, and /tz."""

    def __init__(self, bridge: BridgeParts, client: aioredis.Redis,
                 sync_client: redis.Redis, gate: Gate) -> None:
        self.bridge = bridge
        self.client = client
        self.sync = sync_client
        self.gate = gate

    def register(self, app: Application) -> None:  # type: ignore[type-arg]
        """The button presses and /tz."""
        app.add_handler(CallbackQueryHandler(self.pressed, pattern=r"^fb:"))
        app.add_handler(CommandHandler("tz", self.tz))

    async def attach(self, delivery: Delivery) -> None:
        """Put the buttons under the last message of a finished reply (not under /reset's)."""
        if not delivery.sent_ids or delivery.message_id.startswith("ctl-"):
            return
        try:
            await self.bridge.app.bot.edit_message_reply_markup(
                delivery.chat_id, delivery.sent_ids[-1], reply_markup=feedback_buttons())
        except TelegramError as exc:
            log.info("no feedback buttons under the reply in chat %s: %s", delivery.chat_id, exc)

    async def _allowed(self, chat_id: int, user_id: int) -> bool:
        return bool(await self.bridge.retrying(chat_id, lambda: self.gate.is_allowed(user_id)))

    async def pressed(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """👍 or 👎 pressed under a reply: feedback on its trace."""
        del context
        query = update.callback_query
        if query is None or query.message is None:
            return
        chat_id, message_id = query.message.chat.id, query.message.message_id
        kind = next((k for k, data in FEEDBACK_DATA.items() if data == query.data), None)
        about = await self.bridge.retrying(chat_id, lambda: self.client.get(
            sent_key(chat_id, message_id)))
        if kind is None or about is None:
            await query.answer("That reply is too old for feedback.")
            return
        if not await self._allowed(chat_id, query.from_user.id):
            await query.answer()
            return
        control = Control(kind=ControlKind.FEEDBACK, chat_id=str(chat_id), feedback=kind,
                          data={"about": about.decode()})
        await self.bridge.retrying(chat_id, lambda: asyncio.to_thread(
            enqueue_control, self.sync, control))
        await query.answer(THANKS[kind])

    async def tz(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/tz [ZONE]: show or set this chat's time zone."""
        user, chat = update.effective_user, update.effective_chat
        if user is None or chat is None:
            return
        if not await self._allowed(chat.id, user.id):
            return
        wanted = " ".join(context.args or []).strip()
        if not wanted:
            current = await asyncio.to_thread(chat_timezone, self.sync, str(chat.id))
            zone = current or self.bridge.settings.timezone
            text = f"This chat's time zone: {zone}" + ("" if current else " (the default)") \
                + f". {TZ_USAGE}"
        else:
            try:
                zone = await self.bridge.retrying(chat.id, lambda: asyncio.to_thread(
                    set_chat_timezone, self.sync, str(chat.id), wanted))
            except ConfigError as exc:
                text = f"{str(exc)[0].upper()}{str(exc)[1:]}."
            else:
                now = datetime.now(UTC).astimezone(ZoneInfo(zone))
                text = (f"Time zone for this chat: {zone} (it is {now:%H:%M} there). The clock "
                        "and reminders use it from now on.")
        await self.bridge.sender.send(chat.id, text, formatted=False)
