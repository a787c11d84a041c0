"""What the bridge does with each kind of update: messages, commands, reactions."""

from __future__ import annotations

import asyncio
import logging
import time

import redis
import redis.asyncio as aioredis
from telegram import Message, ReactionTypeEmoji, Update
from telegram.ext import (
    Application,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    MessageReactionHandler,
    filters,
)

from hearth.bridge import _commands as say
from hearth.bridge._auth import Gate
from hearth.bridge._delivery import Delivery, last_reply_key, sent_key
from hearth.bridge._parts import BridgeParts
from hearth.bridge._status import approve_text, spec_text, status_text
from hearth.queue import (
    AutoPipeline,
    ChatBatcher,
    Control,
    ControlKind,
    Inbound,
    Queued,
    cancel_reminder,
    enqueue_control,
    list_reminders,
)
from hearth.queue._names import pending_key
from hearth.queue._payloads import MAX_TEXT_CHARS

log = logging.getLogger(__name__)

Context = ContextTypes.DEFAULT_TYPE
#: Seconds an update id is remembered, so a redelivered update is answered once.
DEDUPE_TTL_S = 7 * 86_400
#: Seconds a "your worker is offline" notice is not repeated in one chat.
OFFLINE_NOTICE_TTL_S = 3600
FEEDBACK_EMOJI = {"👍": "up", "👎": "down"}


def update_key(update_id: int | str) -> str:
    """Remembers that an update was queued, so a redelivered one is answered once."""
    return f"hearth:update:{update_id}"


async def admission(auto: AutoPipeline, update_id: int | str, chat_id: int) -> tuple[bool, int]:
    """Whether the update is new, and its chat's pending message count.

    One round trip, shared with the other updates and deliveries of the moment.
    """
    seen, pending = await auto.execute(("EXISTS", update_key(update_id)),
                                       ("ZCARD", pending_key(str(chat_id))))
    return not seen, int(pending)


def offline_notice(queued: Queued) -> str | None:
    """What to tell a chat whose message waits for a worker, if anything."""
    if queued.home is None:
        return say.NO_WORKER
    return None if queued.home_online else say.OFFLINE.format(worker=queued.home)


class Handlers:
    """Handlers bound to one bridge."""

    def __init__(self, bridge: BridgeParts, sync_client: redis.Redis,
                 client: aioredis.Redis, gate: Gate) -> None:
        self.bridge = bridge
        self.sync = sync_client
        self.client = client
        self.gate = gate
        # Flushes share round trips with the deliveries' writes (see `AutoPipeline`).
        self.batcher = ChatBatcher(client, sync_client, auto=bridge.deliverer.auto)
        self.forget_asked: dict[int, float] = {}
        # Answers to strangers are sent beside the update loop: a paced send
        # must never hold up the next update (an allowed user's).
        self._stranger_sends: set[asyncio.Task[int | None]] = set()

    def _answer_stranger(self, chat_id: int, text: str) -> None:
        task = asyncio.create_task(self.bridge.sender.send(chat_id, text, formatted=False))
        self._stranger_sends.add(task)
        task.add_done_callback(self._stranger_sends.discard)

    def register(self, app: Application) -> None:  # type: ignore[type-arg]
        """Attach every handler to the PTB application."""
        for name, callback in [("start", self.start), ("help", self.help),
                               ("reset", self.reset), ("forget", self.forget),
                               ("status", self.status), ("spec", self.spec),
                               ("bad", self.bad), ("pair", self.pair),
                               ("reminders", self.reminders),
                               ("approve", self.approve)]:
            app.add_handler(CommandHandler(name, callback))
        app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, self.text))
        app.add_handler(MessageHandler(~filters.TEXT & ~filters.StatusUpdate.ALL, self.other))
        app.add_handler(MessageReactionHandler(self.reaction))

    # -- who, where -------------------------------------------------------------

    async def _allowed(self, update: Update) -> bool:
        user = update.effective_user
        chat = update.effective_chat
        if user is None or chat is None:
            return False
        # Someone listed may be told that the queue is down; a stranger learns nothing.
        tell = chat.id if user.id in self.gate.allowed else None
        if await self.bridge.retrying(tell, lambda: self.gate.is_allowed(user.id)):
            return True
        self.bridge.metrics.inc("refusals")
        if chat.type == "private" and await self.bridge.retrying(
                None, lambda: self.gate.should_refuse_loudly(user.id)):
            self._answer_stranger(chat.id, say.REFUSAL.format(user_id=user.id))
        return False

    def _addressed(self, message: Message) -> tuple[bool, str]:
        """In groups, answer only when mentioned or replied to; strip the mention."""
        text = message.text or ""
        if getattr(message, "chat", None) is None:  # malformed (found by `make chaos`)
            return False, text
        if message.chat.type == "private":
            return True, text
        username = self.bridge.app.bot.username
        mention = f"@{username}"
        replied = (message.reply_to_message is not None
                   and message.reply_to_message.from_user is not None
                   and message.reply_to_message.from_user.id == self.bridge.app.bot.id)
        if mention.lower() in text.lower():
            index = text.lower().index(mention.lower())
            return True, (text[:index] + text[index + len(mention):]).strip()
        return replied, text

    async def _first_time(self, update: Update) -> bool:
        key = update_key(update.update_id)
        chat_id = update.effective_chat.id if update.effective_chat else None
        return bool(await self.bridge.retrying(
            chat_id, lambda: self.client.exists(key))) is False

    async def _seen(self, update: Update) -> None:
        key = update_key(update.update_id)
        chat_id = update.effective_chat.id if update.effective_chat else None
        await self.bridge.retrying(chat_id,
                                   lambda: self.client.set(key, "1", ex=DEDUPE_TTL_S))

    # -- messages -------------------------------------------------------------------

    async def text(self, update: Update, context: Context) -> None:
        """Queue an allowed text message and start streaming its reply."""
        message = update.effective_message
        if message is None or message.text is None:
            return
        addressed, text = self._addressed(message)
        if not addressed or not text.strip() or not await self._allowed(update):
            return
        chat_id = message.chat.id
        first, pending = await self.bridge.retrying(chat_id, lambda: admission(
            self.bridge.deliverer.auto, update.update_id, chat_id))
        if not first:
            return
        if pending >= self.bridge.settings.max_pending_per_chat:
            await self.bridge.sender.send(chat_id, say.TOO_MANY, formatted=False)
            await self._seen(update)
            return
        edited = update.edited_message is not None
        suffix = f"-e{int(message.edit_date.timestamp())}" if edited and message.edit_date else ""
        inbound = Inbound(message_id=f"tg-{chat_id}-{message.message_id}{suffix}".replace(
                              "--", "-n"),
                          chat_id=str(chat_id), user_id=str(update.effective_user.id
                                                             if update.effective_user else 0),
                          text=text[:MAX_TEXT_CHARS], sent_at=message.date, channel="telegram")
        delivery = Delivery(message_id=inbound.message_id, chat_id=chat_id, received_at=time.time(),
                            reply_to=None if message.chat.type == "private" else message.message_id)
        seen = ("SET", update_key(update.update_id), "1", "EX", DEDUPE_TTL_S)
        queued = await self.bridge.retrying(chat_id, lambda: self.bridge.deliverer.owe_message(
            self.batcher, inbound, delivery, also=[seen]))
        self.bridge.metrics.inc("messages_in")
        notice = offline_notice(queued)
        if notice and await self.client.set(f"hearth:offline-told:{chat_id}", "1", nx=True,
                                            ex=OFFLINE_NOTICE_TTL_S):
            await self.bridge.sender.send(chat_id, notice, formatted=False)

    async def other(self, update: Update, context: Context) -> None:
        """Photos, stickers, voice, files: say we read text only."""
        message = update.effective_message
        if message is None or not self._addressed(message)[0] or not await self._allowed(update):
            return
        if await self._first_time(update):
            await self.bridge.sender.send(message.chat.id, say.TEXT_ONLY, formatted=False)
            await self._seen(update)

    async def reaction(self, update: Update, context: Context) -> None:
        """👍/👎 on one of our replies becomes feedback on its trace."""
        reaction = update.message_reaction
        if reaction is None or not await self._allowed(update):
            return
        emoji = [r.emoji for r in reaction.new_reaction if isinstance(r, ReactionTypeEmoji)]
        feedback = next((FEEDBACK_EMOJI[e] for e in emoji if e in FEEDBACK_EMOJI), None)
        if feedback is None:
            return
        key = sent_key(reaction.chat.id, reaction.message_id)
        about = await self.bridge.retrying(reaction.chat.id, lambda: self.client.get(key))
        if about:
            await self._feedback(reaction.chat.id, about.decode(), feedback)

    async def _feedback(self, chat_id: int, about: str, feedback: str) -> None:
        control = Control(kind=ControlKind.FEEDBACK, chat_id=str(chat_id),
                          feedback=feedback, data={"about": about})
        await self.bridge.retrying(chat_id, lambda: asyncio.to_thread(
            enqueue_control, self.sync, control))

    # -- commands ---------------------------------------------------------------------

    async def _reply(self, update: Update, text: str) -> None:
        if update.effective_chat is not None:
            await self.bridge.sender.send(update.effective_chat.id, text, formatted=False)

    async def start(self, update: Update, context: Context) -> None:
        """Greet."""
        if await self._allowed(update):
            await self._reply(update, say.START)

    async def help(self, update: Update, context: Context) -> None:
        """List what we do."""
        if await self._allowed(update):
            await self._reply(update, say.HELP)

    async def _control(self, update: Update, kind: ControlKind) -> None:
        chat = update.effective_chat
        assert chat is not None
        # Named by the update: the same update handled again after a crash owes the
        # same reply, which is then delivered once (see `Deliverer.owe`).
        message_id = f"ctl-{chat.id}-u{update.update_id}".replace("--", "-n")
        await self.bridge.retrying(chat.id, lambda: self.bridge.deliverer.owe(Delivery(
            message_id=message_id, chat_id=chat.id, received_at=time.time())))
        control = Control(kind=kind, chat_id=str(chat.id), message_id=message_id)
        await self.bridge.retrying(chat.id, lambda: asyncio.to_thread(
            enqueue_control, self.sync, control))

    async def reset(self, update: Update, context: Context) -> None:
        """/reset: clear the history window of this chat."""
        if await self._allowed(update) and await self._first_time(update):
            await self._control(update, ControlKind.RESET)
            await self._seen(update)

    async def forget(self, update: Update, context: Context) -> None:
        """/forget asks first; /forget yes deletes everything about this chat."""
        chat = update.effective_chat
        if chat is None or not await self._allowed(update) or not await self._first_time(update):
            return
        confirmed = [a.lower() for a in (context.args or [])] == ["yes"]
        asked_at = self.forget_asked.pop(chat.id, 0.0)
        if confirmed and time.time() - asked_at < 300:
            await self._control(update, ControlKind.FORGET)
        else:
            self.forget_asked[chat.id] = time.time()
            await self._reply(update, say.FORGET_CONFIRM)
        await self._seen(update)

    async def status(self, update: Update, context: Context) -> None:
        """/status: workers, queue depth, this chat's pending messages."""
        chat, user = update.effective_chat, update.effective_user
        if chat is not None and user is not None and await self._allowed(update):
            hosts = chat.type == "private" and self.gate.is_owner(user.id)
            await self._reply(update, await asyncio.to_thread(status_text, self.sync,
                                                              str(chat.id), hosts))

    async def spec(self, update: Update, context: Context) -> None:
        """/spec: the running spec's id and a one-line summary."""
        chat = update.effective_chat
        if chat is not None and await self._allowed(update):
            await self._reply(update, await asyncio.to_thread(spec_text, self.sync,
                                                              str(chat.id)))

    async def reminders(self, update: Update, context: Context) -> None:
        """/reminders lists this chat's pending reminders; /reminders cancel N cancels one."""
        chat = update.effective_chat
        if chat is None or not await self._allowed(update):
            return
        pending = await self.bridge.retrying(chat.id, lambda: asyncio.to_thread(
            list_reminders, self.sync, str(chat.id)))
        args = [a.lower() for a in (context.args or [])]
        if len(args) == 2 and args[0] == "cancel" and args[1].isdigit():
            n = int(args[1])
            if not 1 <= n <= len(pending):
                await self._reply(update, say.NO_SUCH_REMINDER.format(n=n))
                return
            chosen = pending[n - 1]
            await self.bridge.retrying(chat.id, lambda: asyncio.to_thread(
                cancel_reminder, self.sync, str(chat.id), chosen.reminder_id))
            await self._reply(update, say.REMINDER_CANCELLED.format(n=n, text=chosen.text))
            return
        if not pending:
            await self._reply(update, say.NO_REMINDERS)
            return
        lines = "\n".join(f"{i}. {r.due:%Y-%m-%d %H:%M} UTC – {r.text}"
                          for i, r in enumerate(pending, 1))
        await self._reply(update, say.REMINDERS.format(lines=lines))

    async def bad(self, update: Update, context: Context) -> None:
        """/bad: mark the last reply in this chat as bad."""
        chat = update.effective_chat
        if chat is None or not await self._allowed(update):
            return
        about = await self.bridge.retrying(
            chat.id, lambda: self.client.get(last_reply_key(chat.id)))
        if about is None:
            await self._reply(update, "There is no reply of mine to mark yet.")
            return
        await self._feedback(chat.id, about.decode(), "bad")
        await self._reply(update, "Thanks, noted. This helps me improve tonight.")

    async def pair(self, update: Update, context: Context) -> None:
        """/pair CODE: a stranger joins with the owner's one-time code."""
        user, chat = update.effective_user, update.effective_chat
        if user is None or chat is None or chat.type != "private":
            return
        code = " ".join(context.args or [])
        outcome = await self.bridge.retrying(chat.id, lambda: self.gate.pair(user.id, code))
        if outcome == "paired":
            await self._reply(update, say.PAIRED)
        elif await self.bridge.retrying(None, lambda: self.gate.should_refuse_loudly(user.id)):
            self._answer_stranger(chat.id, say.PAIR_WRONG if outcome == "wrong"
                                  else say.PAIR_LIMITED)

    async def approve(self, update: Update, context: Context) -> None:
        """/approve ID: the owner approves a spec held for review by the nightly search."""
        user, chat = update.effective_user, update.effective_chat
        if user is None or chat is None or not await self._allowed(update):
            return
        if chat.type != "private" or not self.gate.is_owner(user.id):
            await self._reply(update, say.APPROVE_OWNER_ONLY)
            return
        await self._reply(update, await asyncio.to_thread(
            approve_text, self.sync, " ".join(context.args or []),
            self.bridge.settings))

