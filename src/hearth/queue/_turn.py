"""What a worker reads before it answers a message, in one round trip.

Before answering, the worker asks Redis five things: is there a final reply
already (the job ran before a crash), which worker is the chat's home, which
earlier messages of the chat are still pending, the attempt number of this
run, and the chat's time zone. Asked one by one that was five round trips
per message, most of a fast turn's queue cost; one pipeline asks them all.

The attempt is counted even when the message turns out to be answered or
forwarded: attempt numbers only need to grow (readers follow the highest
attempt that wrote something), so a number nobody writes under is harmless.
"""

from __future__ import annotations

from dataclasses import dataclass

import redis

from hearth.queue._jobs import EARLIER_LIMIT
from hearth.queue._names import REPLY_TTL_S, attempt_key, home_key, pending_key, reply_stream
from hearth.queue._payloads import Inbound, ReplyFinal
from hearth.queue._streams import final_record
from hearth.queue._timezones import stored_timezone, timezone_key


@dataclass(frozen=True)
class TurnStart:
    """What Redis knew about a message when its job started."""

    final: ReplyFinal | None
    """The final reply already written, if the message was answered before."""
    home: str | None
    """The chat's home worker, if it has one."""
    earlier: tuple[bytes, ...]
    """Ids of the chat's messages queued before this one and still pending, oldest first."""
    attempt: int
    """This run's attempt number for the reply stream."""
    timezone: str | None
    """The chat's own time zone (/tz), if it chose a valid one."""


def start_turn(client: redis.Redis, message: Inbound) -> TurnStart:
    """Read everything `TurnStart` holds and count this attempt, in one round trip."""
    chat, mid = message.chat_id, message.message_id
    pipe = client.pipeline(transaction=False)
    pipe.xrange(reply_stream(mid))
    pipe.get(home_key(chat))
    pipe.zrangebyscore(pending_key(chat), "-inf", f"({message.queued_at.timestamp()}",
                       start=0, num=EARLIER_LIMIT)
    pipe.incr(attempt_key(mid))
    pipe.expire(attempt_key(mid), REPLY_TTL_S * 24)
    pipe.get(timezone_key(chat))
    records, home, earlier, attempt, _, zone = pipe.execute()
    return TurnStart(final=final_record(records), home=home.decode() if home else None,
                     earlier=tuple(earlier), attempt=int(attempt), timezone=stored_timezone(zone))
