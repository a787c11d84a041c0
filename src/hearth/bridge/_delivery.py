"""Streaming a worker's reply into a Telegram chat, surviving bridge restarts.

Every reply the bridge owes is recorded in Redis (`DELIVERIES`) with the ids
of the Telegram messages already sent for it. A restarted bridge resumes each
one and edits those messages instead of sending new ones.

Telegram has no idempotent send, so before each send the bridge records its
intent (`Delivery.sending`). A bridge killed during a send, or before the
send's outcome is recorded, cannot know whether Telegram got it; the
restarted one sends that part again with a visible `RESENT_MARK`: never an
unmarked duplicate, never a silent loss.

A reply Telegram does not take (an outage) stays owed and is tried again with
backoff until it goes out or `owed_s` has passed; a reply that never comes
from a worker is given up at `reply_timeout_s` with a clear message.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol

import redis
import redis.asyncio as aioredis

from hearth.bridge._metrics import Metrics
from hearth.bridge._order import ChatLines
from hearth.bridge._sender import TelegramUnavailable
from hearth.bridge._text import TELEGRAM_MESSAGE_LIMIT, split_message
from hearth.queue import (
    AutoPipeline,
    ChatBatcher,
    Command,
    Inbound,
    Queued,
    ReplyFinal,
    ReplyReader,
    ReplyStatus,
)
from hearth.queue._names import REPLY_TTL_S, pending_key, pending_payloads_key, reply_stream

log = logging.getLogger(__name__)

DELIVERIES = "hearth:deliveries"
#: Seconds between "typing…" refreshes (Telegram drops it after about 5 s).
TYPING_INTERVAL_S = 4.0
#: Seconds between edits of a reply while it streams.
EDIT_INTERVAL_S = 1.0
#: Seconds a first part is held back for the rest: a reply written at once goes
#: out once, instead of as a preview whose edit Telegram's pace delays by a second.
SETTLE_S = 0.02
#: A reply to a message that waited longer than this says when it was received.
LATE_AFTER_S = 600.0
#: Seconds a reply is waited for before the user is told it will not come: RQ's
#: backstop limit of a job (`hearth.queue._jobs.BACKSTOP_TIMEOUT_S`), past which no
#: worker is still answering it. `HEARTH_REPLY_TIMEOUT_S` changes it.
REPLY_TIMEOUT_S = 3900.0
#: Seconds a reply Telegram did not take stays owed (`HEARTH_REPLY_OWED_S`).
REPLY_OWED_S = 86_400.0
#: Seconds before the first new try of a reply Telegram did not take; doubles each time.
OWED_RETRY_S = 2.0
#: Longest wait between two tries of an owed reply, in seconds.
OWED_RETRY_MAX_S = 60.0
#: Seconds the mapping from a sent message to its inbound message is kept (feedback).
SENT_TTL_S = 30 * 86_400
#: Put before a part sent again after a restart: Telegram may already show it once.
RESENT_MARK = "(sent again after a restart)"
GAVE_UP = ("Sorry, no answer came for your message within {minutes} minutes (its worker "
           "may be offline or stuck), so I stopped waiting. Please send it again.")


@dataclass
class Delivery:
    """A reply the bridge owes to a chat."""

    message_id: str
    chat_id: int
    received_at: float
    reply_to: int | None = None
    sent_ids: list[int] = field(default_factory=list)
    #: The part whose send is in flight (recorded before the send).
    sending: int | None = None
    #: Parts sent again after a crash during their send: they carry `RESENT_MARK`.
    marked: list[int] = field(default_factory=list)
    #: A text owed outright (a reminder), instead of a worker's reply stream.
    text: str | None = None
    #: Tries Telegram did not take, in a row (shown by `hearth status`).
    failures: int = 0


class ReplySender(Protocol):
    """What the deliverer needs of a channel (`Sender` for Telegram)."""

    async def send(self, chat_id: int, text: str, *, formatted: bool = True,
                   reply_to: int | None = None, owed: bool = False) -> int | None:
        """Send a message; its id, or None when it could not be sent.

        `owed`: raise `TelegramUnavailable` on a passing failure instead.
        """

    async def edit(self, chat_id: int, message_id: int, text: str, *,
                   formatted: bool = True, owed: bool = False) -> bool:
        """Replace a sent message's text."""

    async def typing(self, chat_id: int) -> None:
        """Show that a reply is being written."""


def sent_key(chat_id: int, telegram_message_id: int) -> str:
    """Maps a message the bot sent to the inbound message it answered."""
    return f"hearth:sent:{chat_id}:{telegram_message_id}"


def last_reply_key(chat_id: int) -> str:
    """The inbound message id of the last reply in a chat (for /bad)."""
    return f"hearth:last-reply:{chat_id}"


def delivered_key(message_id: str) -> str:
    """Set once a reply is delivered: owing it again (a redelivered update) is a no-op."""
    return f"hearth:delivered:{message_id}"


def owed_replies(client: redis.Redis) -> tuple[int, int]:
    """Replies the bridge owes to chats, and how many of them Telegram did not take yet."""
    records = client.hvals(DELIVERIES)
    failing = sum(1 for raw in records if json.loads(raw).get("failures", 0))
    return len(records), failing


class Deliverer:
    """Streams replies; one task per owed reply, all read through one `ReplyReader`."""

    def __init__(self, client: aioredis.Redis, sender: ReplySender, metrics: Metrics, *,
                 reader: ReplyReader | None = None, reply_timeout_s: float = REPLY_TIMEOUT_S,
                 owed_s: float = REPLY_OWED_S) -> None:
        self.client = client
        self.sender = sender
        self.metrics = metrics
        self.reader = reader or ReplyReader(client)
        #: The deliveries' records go out in shared pipelines: under load hundreds of
        #: deliveries write at once, and one round trip each was most of their cost.
        self.auto = AutoPipeline(client)
        self.reply_timeout_s = reply_timeout_s
        self.owed_s = owed_s
        #: Per chat: replies go out one after another, in the order their messages
        #: came, also while Telegram is down (a later reply never overtakes an owed
        #: one). Reminders, owed outright, stand in no line.
        self.lines = ChatLines()
        #: The running deliveries, by inbound message id.
        self.tasks: dict[str, asyncio.Task[None]] = {}
        self._batcher_of: dict[str, ChatBatcher] = {}
        #: Called once a reply is whole and recorded (the feedback buttons).
        self.after_reply: Callable[[Delivery], Awaitable[None]] | None = None

    async def owe(self, delivery: Delivery) -> None:
        """Record and start a delivery (recorded first: a crash right after loses nothing).

        A delivery already made (the same update handled again after a crash) is not
        owed again.
        """
        if await self.client.exists(delivered_key(delivery.message_id)):
            return
        await self._save(delivery)
        self.start(delivery)

    async def owe_message(self, batcher: ChatBatcher, message: Inbound, delivery: Delivery, *,
                          also: Sequence[Command] = ()) -> Queued:
        """Queue `message` and record its delivery (and `also`) all or nothing; start delivering.

        Messages queued at about the same time share one flush (see `ChatBatcher`).
        """
        record = self._record(delivery)
        self._batcher_of[delivery.message_id] = batcher  # told when the reply is in
        # Waiting before the job exists, the reader is woken by the job's own commit.
        task = self.start(delivery, woken=True)
        try:
            return await batcher.put(message, also=[record, *also],
                                     once=self.reader.wake_commands())
        except Exception:  # not cancellation: a cancelled put may still have queued it
            task.cancel()  # not queued: nothing is owed (a retry starts again)
            raise

    def start(self, delivery: Delivery, *, woken: bool = False) -> asyncio.Task[None]:
        """Start streaming a recorded delivery; the task ends when it is done or fails.

        `woken`: the reader will be woken by the job's commit (see `owe_message`).
        """
        key = delivery.message_id
        running = self.tasks.get(key)
        if running is not None and not running.done() and not running.cancelling():
            return running  # one delivery per message, however often it is owed
        if delivery.sending is not None:
            # A bridge died during this send: Telegram may show the part or not.
            delivery.marked.append(delivery.sending)
            delivery.sending = None
        if delivery.text is None:
            self.lines.join(delivery.chat_id, delivery.received_at, key)
        task = asyncio.create_task(self._run(delivery, woken), name=f"deliver-{key}")
        self.tasks[key] = task
        task.add_done_callback(functools.partial(self._forget, key))
        return task

    def _forget(self, key: str, task: asyncio.Task[None]) -> None:
        if self.tasks.get(key) is task:
            del self.tasks[key]

    async def resume(self) -> int:
        """Restart every delivery a previous bridge process left owing."""
        owed = [Delivery(**json.loads(raw)) for raw in
                (await self.client.hgetall(DELIVERIES)).values()]
        for delivery in sorted(owed, key=lambda d: d.received_at):  # each chat's order
            self.start(delivery)
        return len(owed)

    def _record(self, delivery: Delivery) -> Command:
        return ("HSET", DELIVERIES, delivery.message_id, json.dumps(vars(delivery)))

    async def _save(self, delivery: Delivery) -> None:
        await self.auto.execute(self._record(delivery))

    async def _typing(self, delivery: Delivery, started: asyncio.Event) -> None:
        deadline = delivery.received_at + self.reply_timeout_s
        while not started.is_set() and time.time() < deadline:
            await self.sender.typing(delivery.chat_id)
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(TYPING_INTERVAL_S):
                    await started.wait()

    async def _run(self, delivery: Delivery, woken: bool) -> None:
        started = asyncio.Event()
        typing = asyncio.create_task(self._typing(delivery, started))
        try:
            text = delivery.text
            if text is None:
                text = await self._stream(delivery, started, woken)
            if text is None:
                text = await self._give_up(delivery)
            started.set()
            await self.lines.turn(delivery.chat_id, delivery.message_id)
            await self._finish_owed(delivery, text)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("delivering %s failed; it stays owed", delivery.message_id)
        finally:
            self.lines.leave(delivery.chat_id, delivery.message_id)
            started.set()
            typing.cancel()
            batcher = self._batcher_of.pop(delivery.message_id, None)
            if batcher is not None:  # no reply after all: do not hold its queue back
                batcher.answered(delivery.message_id)

    async def _stream(self, delivery: Delivery, started: asyncio.Event,
                      woken: bool) -> str | None:
        """Show the reply while it streams; its final text, or None when none came in time."""
        shown, last_edit = "", 0.0
        while True:
            timeout_s = delivery.received_at + self.reply_timeout_s - time.time()
            if timeout_s <= 0:
                return None
            try:
                async with contextlib.aclosing(self.reader.read(
                        delivery.message_id, timeout_s=timeout_s, settle_s=SETTLE_S,
                        woken=woken)) as states:
                    async for state in states:
                        if state.text:
                            started.set()
                        if state.final is not None:
                            batcher = self._batcher_of.pop(delivery.message_id, None)
                            if batcher is not None:
                                batcher.answered(delivery.message_id)
                            return state.final.text
                        if (time.monotonic() - last_edit >= EDIT_INTERVAL_S
                                and state.text != shown
                                and self.lines.first(delivery.chat_id, delivery.message_id)):
                            await self._partial(delivery, state.text)
                            shown, last_edit = state.text, time.monotonic()
                return None
            except (redis.ConnectionError, redis.TimeoutError) as exc:
                log.warning("delivering %s: %s; retrying", delivery.message_id, exc)
                await asyncio.sleep(2.0)
                woken = False

    async def _give_up(self, delivery: Delivery) -> str:
        """No reply came in time: close its stream (a late worker then skips it) and say so."""
        text = GAVE_UP.format(minutes=max(1, round(self.reply_timeout_s / 60)))
        final = ReplyFinal(attempt=1, text=text, status=ReplyStatus.TIMEOUT)
        key = reply_stream(delivery.message_id)
        pipe = self.client.pipeline()
        pipe.xadd(key, {"data": final.model_dump_json()})
        pipe.expire(key, REPLY_TTL_S)
        pipe.zrem(pending_key(str(delivery.chat_id)), delivery.message_id)
        pipe.hdel(pending_payloads_key(str(delivery.chat_id)), delivery.message_id)
        await pipe.execute()
        delivery.text = text  # owed outright from now on, without "sorry for the wait"
        await self._save(delivery)
        self.metrics.inc("replies_timed_out")
        log.warning("no reply for %s within %.0f s; the user is told", delivery.message_id,
                    self.reply_timeout_s)
        return text

    async def _finish_owed(self, delivery: Delivery, text: str) -> None:
        """Deliver `text`, trying again with backoff while Telegram does not take it."""
        delay = OWED_RETRY_S
        while True:
            try:
                await self._finish(delivery, text)
                return
            except TelegramUnavailable as exc:
                delivery.failures += 1
                if time.time() - delivery.received_at > self.owed_s:
                    self.metrics.inc("sends_failed")
                    log.error("reply %s still not delivered after %.0f s (%s); giving up",
                              delivery.message_id, self.owed_s, exc)
                    await self.client.hdel(DELIVERIES, delivery.message_id)
                    return
                self.metrics.inc("sends_deferred")
                await self._save(delivery)
            except (redis.ConnectionError, redis.TimeoutError) as exc:
                log.warning("delivering %s: %s; retrying", delivery.message_id, exc)
                await asyncio.sleep(1.0)  # Redis back soon: no Telegram backoff for that
                continue
            await asyncio.sleep(delay)
            delay = min(delay * 2, OWED_RETRY_MAX_S)

    def _marked(self, delivery: Delivery, index: int, text: str) -> str:
        return f"{RESENT_MARK}\n\n{text}" if index in delivery.marked else text

    async def _send_part(self, delivery: Delivery, index: int, text: str, *,
                         formatted: bool, owed: bool, save: bool = True) -> int | None:
        """Send part `index`, its intent recorded first (see the module docstring).

        Not `save`: the caller records the outcome itself, in its next write.
        """
        delivery.sending = index
        await self._save(delivery)
        try:
            sent = await self.sender.send(delivery.chat_id, self._marked(delivery, index, text),
                                          formatted=formatted, owed=owed,
                                          reply_to=delivery.reply_to if index == 0 else None)
        finally:
            delivery.sending = None
        if sent is not None:
            delivery.sent_ids.append(sent)
        if save:
            await self._save(delivery)
        return sent

    async def _partial(self, delivery: Delivery, text: str) -> None:
        preview = split_message(text, TELEGRAM_MESSAGE_LIMIT - 2)[0] + " …"
        if not delivery.sent_ids:
            await self._send_part(delivery, 0, preview, formatted=False, owed=False)
        else:
            await self.sender.edit(delivery.chat_id, delivery.sent_ids[0],
                                   self._marked(delivery, 0, preview), formatted=False)

    async def _finish(self, delivery: Delivery, text: str) -> None:
        waited = time.time() - delivery.received_at
        if waited > LATE_AFTER_S and delivery.text is None:
            when = datetime.fromtimestamp(delivery.received_at, UTC).strftime("%Y-%m-%d %H:%M")
            text = f"(You sent this at {when} UTC; sorry for the wait.)\n\n{text}"
        room = TELEGRAM_MESSAGE_LIMIT - (len(RESENT_MARK) + 2 if delivery.marked else 0)
        for i, part in enumerate(split_message(text or "…", room)):
            if i < len(delivery.sent_ids):
                await self.sender.edit(delivery.chat_id, delivery.sent_ids[i],
                                       self._marked(delivery, i, part), owed=True)
                continue
            # None: refused for sure, or an unknown outcome (counted and logged by the
            # sender); never reported as delivered. Its id is recorded by the next
            # part's intent or by the transaction below (one round trip less per
            # reply): a crash before either leaves the intent, so the part is sent
            # again marked, as after a crash during the send itself.
            await self._send_part(delivery, i, part, formatted=True, owed=True, save=False)
        done: list[Command] = [("SET", sent_key(delivery.chat_id, sent_id), delivery.message_id,
                                "EX", SENT_TTL_S) for sent_id in delivery.sent_ids]
        await self.auto.execute(
            *done, ("SET", last_reply_key(delivery.chat_id), delivery.message_id, "EX", SENT_TTL_S),
            ("SET", delivered_key(delivery.message_id), "1", "EX", SENT_TTL_S),
            ("HDEL", DELIVERIES, delivery.message_id), transaction=True)
        self.metrics.observe_latency(waited)
        if self.after_reply is not None:
            await self.after_reply(delivery)

    async def close(self) -> None:
        """Stop streaming; owed deliveries stay recorded for the next start."""
        tasks = list(self.tasks.values())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await self.auto.aclose()
        await self.reader.aclose()
