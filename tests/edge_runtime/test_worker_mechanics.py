"""The worker's plumbing against a real Redis, with the instant echo engine.

The echo engine keeps these tests about queues, streams, memory and specs;
the model's behaviour is covered in test_worker_model.py.
"""

from __future__ import annotations

import json
import time

import pytest

from hearth.edge_runtime import MemoryStore, chat_salt
from hearth.queue import (
    ControlKind,
    Inbound,
    enqueue_chat,
    home_of,
    online_workers,
    pin,
    publish_spec,
    set_home,
)
from hearth.specs import SignedSpec, apply, default_spec, parse_edits, sign
from tests.conftest import run_cli
from tests.workers import SECRET, ask, control, finals_in, wait_final


def _spec_of(client, worker_id: str) -> str:
    return next(w.spec_id for w in online_workers(client) if w.worker_id == worker_id)


def test_reply_stream_and_heartbeat(worker_factory, rclient):
    worker = worker_factory("w1", engine="echo")
    worker.start(rclient)
    info = next(w for w in online_workers(rclient) if w.worker_id == "w1")
    assert info.spec_id == default_spec().id and info.model == "smollm2-135m-instruct"
    final = ask(rclient, "hello there")
    assert final.text == "echo: hello there"
    assert final.status == "ok" and final.worker_id == "w1" and final.attempt == 1
    assert home_of(rclient, "chat-1") == "w1"


def test_memory_reset_forget_and_traces(worker_factory, rclient, home):
    worker = worker_factory("w1", engine="echo")
    worker.start(rclient)
    ask(rclient, "my bike is green", message_id="m1")
    ask(rclient, "and my car is red", message_id="m2")
    assert "cleared" in control(rclient, ControlKind.RESET).text
    ask(rclient, "after reset", message_id="m3")
    control(rclient, ControlKind.FEEDBACK, data={"about": "m3"}, feedback="bad")
    assert worker.stop() == 0
    with MemoryStore(home / "worker-w1.duckdb", chat_salt=chat_salt(home)) as memory:
        history = [m.text for m in memory.history("chat-1", 50)]
        assert history == ["after reset", "echo: after reset"]
        assert any("bike" in h.text for h in memory.search("chat-1", "bike", 3))
        trace = memory.traces.get("m3")
        assert trace is not None and trace.feedback == "bad" and trace.status == "ok"
        assert trace.spec_id == default_spec().id and trace.chat_hash != "chat-1"
        assert trace.total_ms is not None and trace.queue_wait_ms is not None
    worker.start(rclient)
    assert "deleted" in control(rclient, ControlKind.FORGET).text
    worker.stop()
    with MemoryStore(home / "worker-w1.duckdb", chat_salt=chat_salt(home)) as memory:
        assert memory.history("chat-1", 50) == []
        assert memory.search("chat-1", "bike", 3) == []
        assert memory.traces.get("m3") is None


def test_spec_swap_mid_conversation(worker_factory, rclient):
    worker = worker_factory("w1", engine="echo")
    worker.start(rclient)
    first = ask(rclient, "one")
    assert first.spec_id == default_spec().id
    new = apply(default_spec(), parse_edits({"op": "set_system_prompt", "prompt": "Be terse."}))
    assert publish_spec(rclient, sign(new, SECRET)) >= 1
    deadline = time.monotonic() + 20
    while _spec_of(rclient, "w1") != new.id:
        assert time.monotonic() < deadline, worker.output()
        time.sleep(0.1)
    assert ask(rclient, "two").spec_id == new.id


def test_tampered_or_unsigned_spec_is_refused(worker_factory, rclient):
    worker = worker_factory("w1", engine="echo")
    worker.start(rclient)
    new = apply(default_spec(), parse_edits({"op": "set_system_prompt", "prompt": "Evil."}))
    signed = sign(new, SECRET).model_dump(mode="json")
    signed["spec"]["agent"]["system_prompt"] = "Tampered."
    rclient.publish("hearth:spec", json.dumps(signed))
    publish_spec(rclient, SignedSpec(spec=new, signature="0" * 64))
    rclient.publish("hearth:spec", json.dumps({"spec": signed["spec"]}))
    time.sleep(1.5)
    assert _spec_of(rclient, "w1") == default_spec().id
    assert ask(rclient, "still here").spec_id == default_spec().id
    output = worker.output()
    assert "refused a published spec" in output and "tampered" in output


def test_messages_of_one_chat_are_answered_in_order(worker_factory, rclient):
    worker = worker_factory("w1", engine="echo")
    worker.start(rclient)
    ids = [f"order-{i}" for i in range(12)]
    for i, message_id in enumerate(ids):
        enqueue_chat(rclient, Inbound(message_id=message_id, chat_id="c-order",
                                      user_id="u", text=f"n{i}", channel="api"))
    finals = [wait_final(rclient, m) for m in ids]
    assert [f.text for f in finals] == [f"echo: n{i}" for i in range(12)]
    stamps = [rclient.xrange(f"hearth:reply:{m}")[-1][0] for m in ids]
    assert stamps == sorted(stamps)


def test_two_workers_each_serve_their_own_chats(worker_factory, rclient, tmp_path):
    a = worker_factory("wa", engine="echo", home=tmp_path / "a")
    b = worker_factory("wb", engine="echo", home=tmp_path / "b")
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    a.start(rclient)
    b.start(rclient)
    set_home(rclient, "chat-a", "wa")
    pin(rclient, "user", "user-b", "wb")
    for i in range(3):
        assert ask(rclient, f"x{i}", chat_id="chat-a").worker_id == "wa"
        assert ask(rclient, f"y{i}", chat_id="chat-b", user_id="user-b").worker_id == "wb"
    # A new chat goes to some online worker, and stays there.
    first = ask(rclient, "new", chat_id="chat-c").worker_id
    assert all(ask(rclient, "again", chat_id="chat-c").worker_id == first for _ in range(2))


def test_move_a_chat_with_its_memory(worker_factory, rclient, tmp_path, redis_url):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    a = worker_factory("wa", engine="echo", home=tmp_path / "a")
    b = worker_factory("wb", engine="echo", home=tmp_path / "b")
    a.start(rclient)
    b.start(rclient)
    set_home(rclient, "chat-m", "wa")
    ask(rclient, "my cat is Miso", chat_id="chat-m", message_id="mv1")
    result = run_cli("chats", "move", "chat-m", "wb", "--json",
                     env={"REDIS_URL": redis_url, "HEARTH_HOME": str(tmp_path / "a")})
    assert result.returncode == 0, result.stderr
    deadline = time.monotonic() + 20
    while home_of(rclient, "chat-m") != "wb":
        assert time.monotonic() < deadline
        time.sleep(0.1)
    assert ask(rclient, "what is my cat called", chat_id="chat-m").worker_id == "wb"
    a.stop()
    b.stop()
    salt_a, salt_b = chat_salt(tmp_path / "a"), chat_salt(tmp_path / "b")
    with MemoryStore(tmp_path / "b" / "worker-wb.duckdb", chat_salt=salt_b) as memory:
        texts = [m.text for m in memory.history("chat-m", 50)]
        assert texts[:2] == ["my cat is Miso", "echo: my cat is Miso"], a.output() + b.output()
    with MemoryStore(tmp_path / "a" / "worker-wa.duckdb", chat_salt=salt_a) as memory:
        assert memory.history("chat-m", 50) == []


def test_burst_processes_the_queue_and_exits(worker_factory, rclient):
    for i in range(3):
        enqueue_chat(rclient, Inbound(message_id=f"b{i}", chat_id="c-burst", user_id="u",
                                      text=f"q{i}", channel="api"))
    worker = worker_factory("w1", engine="echo", burst=True)
    worker.start(rclient, wait=False)
    assert worker.proc is not None
    assert worker.proc.wait(timeout=60) == 0, worker.output()
    assert [wait_final(rclient, f"b{i}", timeout=5).text for i in range(3)] == [
        "echo: q0", "echo: q1", "echo: q2"]


def test_a_second_process_with_the_same_worker_id_is_refused(worker_factory, rclient):
    first = worker_factory("same", engine="echo")
    first.start(rclient)
    second = worker_factory("same", engine="echo", extra_env={"HEARTH_WORKER_LOCK_WAIT_S": "1"})
    second.start(rclient, wait=False)
    assert second.proc is not None
    assert second.proc.wait(timeout=60) != 0
    assert "already running" in second.output()


def test_an_old_payload_version_is_still_answered(worker_factory, rclient):
    worker = worker_factory("w1", engine="echo")
    worker.start(rclient)
    payload = {"message_id": "old-1", "chat_id": "c", "user_id": "u", "text": "legacy"}
    from hearth.queue import rq_queue, worker_queue

    set_home(rclient, "c", "w1")
    rq_queue(rclient, worker_queue("w1")).enqueue(
        "hearth.edge_runtime.jobs.handle_chat", payload, job_id="chat-old-1")
    assert wait_final(rclient, "old-1").text == "echo: legacy"


@pytest.mark.parametrize("payload", [{"chat_id": "c"}, {"message_id": "bad id!", "chat_id": "c",
                                                        "user_id": "u", "text": "x"}])
def test_a_malformed_payload_fails_its_job_only(worker_factory, rclient, payload):
    from hearth.queue import rq_queue, worker_queue

    worker = worker_factory("w1", engine="echo")
    worker.start(rclient)
    set_home(rclient, "c", "w1")
    job = rq_queue(rclient, worker_queue("w1")).enqueue(
        "hearth.edge_runtime.jobs.handle_chat", payload)
    deadline = time.monotonic() + 20
    while job.get_status(refresh=True) not in ("failed", "finished"):
        assert time.monotonic() < deadline
        time.sleep(0.1)
    assert job.get_status() == "failed"
    assert ask(rclient, "fine after", chat_id="c").text == "echo: fine after"
    assert finals_in(rclient, "nonexistent") == []
