"""The morning report in the chat: delivery to the owners, the review buttons, /rollback.

Reports come from the search through a Redis stream (`hearth.queue.REPORTS`),
read with a consumer group: an entry is acknowledged only when every owner
has the message and the attached Markdown report, so a report written while
the bridge is down, or that Telegram refused for a while, is delivered later.
The owners are HEARTH_ALLOWED_USERS; only they may press the buttons or roll back.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging

import redis
import redis.asyncio as aioredis
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import TelegramError
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes

from hearth.bridge._parts import BridgeParts
from hearth.errors import PayloadInvalid
from hearth.queue import REPORTS, SEARCH_QUEUE, MorningReport, parse, rq_queue

log = logging.getLogger(__name__)

#: Consumer group of the bridges on the reports stream.
GROUP = "hearth-bridge"
#: Milliseconds one read of the stream waits for a new report.
BLOCK_MS = 5_000
#: Seconds between two tries of a report Telegram refused.
RETRY_S = 30.0
#: Seconds `stop` waits for the reading task to end.
STOP_TIMEOUT_S = 5.0
#: The search jobs the buttons and /rollback queue (run on the search machine).
APPROVE_JOB = "hearth.search.jobs.approve"
REJECT_JOB = "hearth.search.jobs.reject"
ROLLBACK_JOB = "hearth.search.jobs.rollback"
#: Seconds RQ keeps the result of an owner's decision.
DECISION_RESULT_TTL_S = 86_400

NOT_OWNER = "Only the owner (HEARTH_ALLOWED_USERS) can decide about specs."
ROLLBACK_SENT = ("Rollback sent: the spec that ran before the last change becomes active again "
                 "on every worker.")


def sent_key(entry_id: str) -> str:
    """Owners who already have report `entry_id` (so a retry does not send it twice)."""
    return f"hearth:reports:sent:{entry_id}"


def review_buttons(spec_id: str) -> InlineKeyboardMarkup:
    """Approve / reject buttons for a spec held for review."""
    return InlineKeyboardMarkup([[
        InlineKeyboardButton("✅ Approve", callback_data=f"spec:approve:{spec_id}"),
        InlineKeyboardButton("✖ Reject", callback_data=f"spec:reject:{spec_id}")]])


class ReportCourier:
    """Delivers morning reports to the owners and handles their decisions."""

    def __init__(self, bridge: BridgeParts, client: aioredis.Redis,
                 sync_client: redis.Redis) -> None:
        self.bridge = bridge
        self.client = client
        self.sync = sync_client
        self.consumer = f"bridge-{bridge.settings.worker_id}"
        self._task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()

    @property
    def owners(self) -> frozenset[int]:
        """Who gets the reports and may decide."""
        return self.bridge.settings.allowed_users

    def register(self, app: Application) -> None:  # type: ignore[type-arg]
        """The review buttons and /rollback."""
        app.add_handler(CallbackQueryHandler(self.decide, pattern=r"^spec:"))
        app.add_handler(CommandHandler("rollback", self.rollback))

    def start(self) -> None:
        """Read the stream in the background until `stop`."""
        self._task = asyncio.create_task(self.run(), name="hearth-reports")

    async def stop(self) -> None:
        """Stop reading; unacknowledged reports stay in the stream."""
        self._stopping.set()
        if self._task is not None:
            # A cancelled blocking read may surface as a connection error, which
            # the loop retries: the flag ends it then, the timeout in any case.
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, TimeoutError):
                await asyncio.wait_for(self._task, STOP_TIMEOUT_S)

    async def _group(self) -> None:
        try:
            await self.client.xgroup_create(REPORTS, GROUP, id="0", mkstream=True)
        except redis.ResponseError as exc:
            if "BUSYGROUP" not in str(exc):
                raise

    async def run(self) -> None:
        """Deliver what this consumer left unacknowledged, then each new report."""
        await self.bridge.retrying(None, self._group)
        backlog = True
        while not self._stopping.is_set():
            try:
                answer = await self.client.xreadgroup(
                    GROUP, self.consumer, {REPORTS: "0" if backlog else ">"}, count=10,
                    block=None if backlog else BLOCK_MS)
            except (redis.ConnectionError, redis.TimeoutError) as exc:
                log.warning("reading morning reports: %s; retrying", exc)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stopping.wait(), RETRY_S / 10)
                continue
            entries = [e for _, batch in answer or [] for e in batch]
            if backlog and not entries:
                backlog = False
                continue
            for raw_id, fields in entries:
                entry_id = raw_id.decode() if isinstance(raw_id, bytes) else str(raw_id)
                if not await self.deliver(entry_id, fields):
                    backlog = True  # try it again, after the others, in a while
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._stopping.wait(), RETRY_S)
                    break

    async def deliver(self, entry_id: str, fields: dict[bytes, bytes]) -> bool:
        """Send one report to every owner who lacks it; True when acknowledged."""
        try:
            report = parse(MorningReport, json.loads(fields[b"data"]))
        except (KeyError, ValueError, PayloadInvalid) as exc:
            # A report that cannot be read never will be: say so and drop it.
            log.error("dropping unreadable morning report %s: %s", entry_id, exc)
            await self.client.xack(REPORTS, GROUP, entry_id)
            return True
        if not self.owners:
            log.warning("a morning report is waiting: set HEARTH_ALLOWED_USERS to your "
                        "Telegram user id to receive it")
            return False
        done = {int(m) for m in await self.client.smembers(sent_key(entry_id))}
        for owner in sorted(self.owners - done):
            if not await self._send(owner, report):
                return False
            await self.client.sadd(sent_key(entry_id), owner)
            await self.client.expire(sent_key(entry_id), 30 * 86_400)
        await self.client.xack(REPORTS, GROUP, entry_id)
        await self.client.delete(sent_key(entry_id))
        return True

    async def _send(self, chat_id: int, report: MorningReport) -> bool:
        bot = self.bridge.app.bot
        markup = review_buttons(report.pending_spec) if report.pending_spec else None
        try:
            await bot.send_message(chat_id, report.text, reply_markup=markup)
            await bot.send_document(chat_id, report.markdown.encode("utf-8"),
                                    filename=report.filename,
                                    caption=f"Search report, night of {report.night}")
        except TelegramError as exc:
            log.warning("morning report to %s failed: %s; trying again later", chat_id, exc)
            return False
        self.bridge.metrics.inc("reports_out")
        return True

    async def decide(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """An owner pressed approve or reject under a morning report."""
        del context
        query = update.callback_query
        if query is None or query.data is None:
            return
        if query.from_user.id not in self.owners:
            await query.answer(NOT_OWNER, show_alert=True)
            return
        _, action, spec_id = [*query.data.split(":", 2), "", ""][:3]
        if action not in ("approve", "reject") or not spec_id:
            await query.answer("That button is no longer valid.")
            return
        job = APPROVE_JOB if action == "approve" else REJECT_JOB
        chat_id = query.message.chat.id if query.message is not None else None
        await self.bridge.retrying(chat_id, lambda: asyncio.to_thread(
            rq_queue(self.sync, SEARCH_QUEUE).enqueue, job, {"spec_id": spec_id},
            result_ttl=DECISION_RESULT_TTL_S))
        verdict = (f"✅ Approved spec {spec_id[:12]}: the workers switch to it once it is "
                   "published." if action == "approve"
                   else f"✖ Rejected spec {spec_id[:12]}: the running spec stays.")
        await query.answer(verdict)
        if query.message is not None:
            text = getattr(query.message, "text", None) or ""
            # The buttons go, so a decision cannot be made twice from the same message.
            await query.edit_message_text(f"{text}\n\n{verdict}".strip(), reply_markup=None)

    async def rollback(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/rollback: the owner undoes the last spec change."""
        del context
        user, chat = update.effective_user, update.effective_chat
        if user is None or chat is None:
            return
        if user.id not in self.owners:
            await self.bridge.sender.send(chat.id, NOT_OWNER, formatted=False)
            return
        await self.bridge.retrying(chat.id, lambda: asyncio.to_thread(
            rq_queue(self.sync, SEARCH_QUEUE).enqueue, ROLLBACK_JOB, {},
            result_ttl=DECISION_RESULT_TTL_S))
        await self.bridge.sender.send(chat.id, ROLLBACK_SENT, formatted=False)
