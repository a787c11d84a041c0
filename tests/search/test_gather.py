"""Lessons gathered from running workers through the queue, scrubbed on each worker."""

from __future__ import annotations

import time

from hearth.queue import ControlKind, WorkerInfo, beat, rq_queue, set_home, worker_queue
from hearth.search._gather import gather_lessons
from hearth.search._run import cluster_of
from tests.workers import ask, control

ALL = ("feedback", "error", "tool_failure", "timeout", "bench_failure")


def _bad_reply(client, text: str, chat_id: str) -> None:
    message_id = f"m-{chat_id}"
    assert ask(client, text, chat_id=chat_id, message_id=message_id).text.startswith("echo:")
    control(client, ControlKind.FEEDBACK, chat_id=chat_id, data={"about": message_id},
            feedback="bad")


def test_each_online_worker_sends_its_scrubbed_lessons(worker_factory, rclient, home):
    for worker_id in ("w1", "w2"):
        worker_factory(worker_id, engine="echo").start(rclient)
    set_home(rclient, "chat-a", "w1")
    set_home(rclient, "chat-b", "w2")
    _bad_reply(rclient, "call me on +1 555 123 4567 about the bike", "chat-a")
    _bad_reply(rclient, "mail anna@example.org the list", "chat-b")

    gathered = gather_lessons(home, rclient, since=None, eligible=ALL, wait_s=30)

    assert gathered.workers == ["w1", "w2"] and gathered.missing == []
    texts = sorted(lesson.user_text for lesson in gathered.lessons)
    assert len(texts) == 2 and all(lesson.kind == "feedback" for lesson in gathered.lessons)
    assert "555" not in " ".join(texts) and "anna@example.org" not in " ".join(texts)
    assert any("[PHONE]" in t for t in texts) and any("[EMAIL]" in t for t in texts)


def test_a_worker_that_does_not_answer_is_reported_and_skipped(worker_factory, rclient, home):
    worker_factory("w1", engine="echo").start(rclient)
    now = time.time()
    beat(rclient, WorkerInfo(worker_id="ghost", host="h", pid=1, spec_id="s", model="m",
                             load=0, busy=False, started_at=now, last_seen=now))

    began = time.monotonic()
    gathered = gather_lessons(home, rclient, since=None, eligible=ALL, wait_s=2)

    assert gathered.workers == ["w1"] and gathered.missing == ["ghost"]
    assert time.monotonic() - began < 10
    assert rq_queue(rclient, worker_queue("ghost")).count == 0  # the unanswered job is withdrawn


def test_without_redis_the_worker_files_are_read(worker_factory, rclient, home):
    worker = worker_factory("w1", engine="echo")
    worker.start(rclient)
    _bad_reply(rclient, "my number is 0176 1234567", "chat-a")
    worker.stop()

    gathered = gather_lessons(home, None, since=None, eligible=ALL)

    assert [lesson.kind for lesson in gathered.lessons] == ["feedback"]
    assert "1234567" not in gathered.lessons[0].user_text


def test_tool_failures_count_against_the_category_the_tool_serves():
    assert cluster_of("tool:calculator") == "arithmetic"
    assert cluster_of("tool:clock") == "dates_times"
    assert cluster_of("chat") is None and cluster_of("error:ModelError") is None
