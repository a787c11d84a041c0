"""What a worker reads before a turn comes back in one pipeline (`start_turn`), on a real server."""

from __future__ import annotations

from datetime import timedelta

import redis

from hearth.queue import (
    Inbound,
    ReplyFinal,
    ReplyWriter,
    claim_home,
    pending_count,
    pending_messages,
    set_chat_timezone,
    start_turn,
    utcnow,
)
from hearth.queue._jobs import pending_commands
from hearth.queue._names import reply_stream
from hearth.queue._timezones import timezone_key


def _message(n: int, *, seconds_ago: float = 0.0) -> Inbound:
    return Inbound(message_id=f"c-m{n}", chat_id="c", user_id="u", text=f"#{n}",
                   channel="api", queued_at=utcnow() - timedelta(seconds=seconds_ago))


def _queue(client: redis.Redis, message: Inbound) -> None:
    for command in pending_commands(message):
        client.execute_command(*command)


def test_a_fresh_message_reads_as_unanswered_homeless_and_first(rclient: redis.Redis) -> None:
    message = _message(1)
    _queue(rclient, message)
    turn = start_turn(rclient, message)
    assert (turn.final, turn.home, turn.earlier, turn.attempt, turn.timezone) == (
        None, None, (), 1, None)
    assert start_turn(rclient, message).attempt == 2  # every run counts an attempt


def test_it_reads_the_final_home_earlier_messages_and_time_zone(rclient: redis.Redis) -> None:
    earlier, message = _message(1, seconds_ago=5), _message(2)
    _queue(rclient, earlier)
    _queue(rclient, message)
    claim_home(rclient, "c", "w1")
    set_chat_timezone(rclient, "c", "Europe/Berlin")
    writer = ReplyWriter(rclient, message.message_id, 1)
    writer.write("hel")
    writer.write("lo")
    writer.final(ReplyFinal(attempt=1, text="hello"))
    turn = start_turn(rclient, message)
    assert turn.final is not None and turn.final.text == "hello"
    assert (turn.home, turn.timezone) == ("w1", "Europe/Berlin")
    assert pending_messages(rclient, message, list(turn.earlier)) == [earlier]
    # A zone this machine does not know reads as none: the spec's applies.
    rclient.set(timezone_key("c"), "Mars/Olympus_Mons")
    assert start_turn(rclient, message).timezone is None


def test_the_final_record_and_leaving_the_pending_set_go_together(rclient: redis.Redis) -> None:
    message = _message(1)
    _queue(rclient, message)
    writer = ReplyWriter(rclient, message.message_id, 1)
    writer.write("first ")  # the first token goes at once
    writer.write("second")  # buffered: it goes with the final
    assert pending_count(rclient, "c") == 1
    writer.final(ReplyFinal(attempt=1, text="first second"),
                 answered=(message.chat_id, message.message_id))
    assert pending_count(rclient, "c") == 0
    records = [f[b"data"] for _, f in rclient.xrange(reply_stream(message.message_id))]
    assert [b'"final"' in r for r in records] == [False, False, True]
    assert b"second" in records[1]
