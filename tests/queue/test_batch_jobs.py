"""`handle_chats` in a real echo worker: in order, exactly once, failures kept to themselves."""

from __future__ import annotations

import time

import redis

from hearth.queue import HANDLE_CHATS, Inbound, ReplyStatus, rq_queue, set_home, worker_queue
from tests.workers import finals_in, wait_final


def _payload(message_id: str, text: str, chat: str = "c") -> dict[str, object]:
    return Inbound(message_id=message_id, chat_id=chat, user_id="u", text=text,
                   channel="api").model_dump(mode="json")


def _run_batch(client: redis.Redis, payloads: list[object]) -> list[str]:
    """Queue one batch job on w1's queue, wait for it, return its result (the statuses)."""
    job = rq_queue(client, worker_queue("w1")).enqueue(HANDLE_CHATS, payloads)
    deadline = time.monotonic() + 30
    while job.get_status(refresh=True) not in ("finished", "failed"):
        assert time.monotonic() < deadline, "the batch job did not finish"
        time.sleep(0.05)
    assert job.get_status() == "finished"
    result = job.return_value()
    assert isinstance(result, list)
    return result


def _final_ids(client: redis.Redis, message_ids: list[str]) -> list[bytes]:
    """The stream id of each message's final record (stream ids grow with time)."""
    return [next(i for i, f in client.xrange(f"hearth:reply:{m}") if b'"final"' in f[b"data"])
            for m in message_ids]


def test_a_batch_is_answered_in_order_and_a_retried_batch_answers_nothing_twice(
        echo_worker, rclient):
    echo_worker("w1").start(rclient)
    set_home(rclient, "c", "w1")
    words = ["alpha", "bravo", "charlie", "delta"]
    batch = [_payload(f"b{i}", word) for i, word in enumerate(words)]
    for i in range(4):
        rclient.zadd("hearth:pending:c", {f"b{i}": i})
    assert _run_batch(rclient, batch) == ["ok"] * 4
    # (The echo runtime may add what it recalled from memory after the echo.)
    assert [wait_final(rclient, f"b{i}").text.split("\n")[0] for i in range(4)] == [
        f"echo: {word}" for word in words]
    ids = _final_ids(rclient, [f"b{i}" for i in range(4)])
    assert ids == sorted(ids)  # answered in the batch's order
    assert rclient.zcard("hearth:pending:c") == 0

    # The same batch again (as after a crash mid-batch), with one new message.
    assert _run_batch(rclient, [*batch, _payload("b4", "new")]) == ["ok"] * 5
    assert wait_final(rclient, "b4").text.startswith("echo: new")
    assert all(len(finals_in(rclient, f"b{i}")) == 1 for i in range(5))


def test_a_malformed_payload_in_a_batch_fails_only_itself(echo_worker, rclient):
    echo_worker("w1").start(rclient)
    set_home(rclient, "c", "w1")
    rclient.zadd("hearth:pending:c", {"broken-1": 1})
    statuses = _run_batch(rclient, [
        _payload("good-1", "before"),
        {"message_id": "broken-1", "chat_id": "c"},  # no user, no text
        "not even an object",
        {"message_id": "bad id!", "chat_id": "c", "user_id": "u", "text": "x"},
        _payload("good-2", "after"),
    ])
    assert statuses == ["ok", "error", "invalid", "invalid", "ok"]
    assert wait_final(rclient, "good-1").text == "echo: before"
    assert wait_final(rclient, "good-2").text.startswith("echo: after")
    # The one that can be named gets an error reply, so its chat is not left waiting.
    [broken] = finals_in(rclient, "broken-1")
    assert broken["status"] == ReplyStatus.ERROR and "went wrong" in str(broken["text"])
    assert rclient.zcard("hearth:pending:c") == 0
    assert not rclient.keys("hearth:reply:bad id!")
