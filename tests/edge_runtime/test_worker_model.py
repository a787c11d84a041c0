"""The worker with the real SmolLM2 model: replies, tools, memory, crashes, limits."""

from __future__ import annotations

import os
import sys
import time
import uuid

import pytest

from hearth.edge_runtime import MemoryStore, chat_salt
from hearth.queue import Inbound, enqueue_chat, online_workers, read_reply
from hearth.specs import apply, default_spec, parse_edits
from tests.workers import ask, finals_in, wait_final

pytestmark = pytest.mark.model

TOOLS = apply(default_spec(), parse_edits([
    {"op": "set_field", "path": "agent.kind", "value": "tools"},
    {"op": "enable_tool", "name": "calculator"},
    {"op": "enable_tool", "name": "clock"},
]))
LONG = apply(default_spec(), parse_edits([
    {"op": "set_field", "path": "intelligence.sampling.max_tokens", "value": 400},
    {"op": "set_field", "path": "intelligence.sampling.temperature", "value": 0.8},
    {"op": "set_system_prompt", "prompt": "You write long, detailed stories."},
]))


def test_a_message_is_answered_and_traced(worker_factory, rclient, home):
    worker = worker_factory("w1")
    worker.start(rclient)
    # Not "What is the capital of France?": the capitals table answers that without the model.
    final = ask(rclient, "Tell me the capital of France in one short sentence.",
                message_id="cap-1")
    assert "Paris" in final.text
    assert final.status == "ok" and final.completion_tokens > 0 and final.prompt_tokens > 0
    worker.stop()
    with MemoryStore(home / "worker-w1.duckdb", chat_salt=chat_salt(home)) as memory:
        trace = memory.traces.get("cap-1")
    assert trace is not None
    assert trace.spec_id == default_spec().id and trace.model == "smollm2-135m-instruct"
    assert trace.completion_tokens == final.completion_tokens
    assert trace.first_token_ms and trace.total_ms and trace.total_ms >= trace.first_token_ms
    assert trace.tokens_per_s and trace.tokens_per_s > 1
    assert trace.reply_text == final.text and trace.error is None


def test_the_calculator_answers_through_the_agent_loop(worker_factory, rclient, home):
    worker = worker_factory("w1", spec=TOOLS)
    worker.start(rclient)
    final = ask(rclient, "What is 1234*5678?", message_id="calc-1")
    assert "7006652" in final.text.replace(",", "")
    worker.stop()
    with MemoryStore(home / "worker-w1.duckdb", chat_salt=chat_salt(home)) as memory:
        trace = memory.traces.get("calc-1")
    assert trace is not None
    assert [(c.name, c.ok, c.result) for c in trace.tool_calls] == [
        ("calculator", True, "7006652")]


NO_CALCULATOR = apply(default_spec(), parse_edits([{"op": "disable_tool", "name": "calculator"}]))


def test_a_disabled_tool_never_runs(worker_factory, rclient, home):
    worker = worker_factory("w1", spec=NO_CALCULATOR)  # routed to it, but off: chat answers
    worker.start(rclient)
    ask(rclient, "Use the calculator: what is 1234*5678?", message_id="nocalc")
    worker.stop()
    with MemoryStore(home / "worker-w1.duckdb", chat_salt=chat_salt(home)) as memory:
        trace = memory.traces.get("nocalc")
    assert trace is not None and trace.tool_calls == ()


def test_a_fact_told_earlier_is_recalled(worker_factory, rclient):
    worker = worker_factory("w1")
    worker.start(rclient)
    ask(rclient, "My dog is called Biscuit.", chat_id="mem")
    for i in range(3):
        ask(rclient, f"Tell me a fun fact about the number {i + 3}.", chat_id="mem")
    final = ask(rclient, "What is my dog called?", chat_id="mem")
    assert "biscuit" in final.text.lower()


def test_kill_9_mid_reply_gives_exactly_one_complete_reply(worker_factory, rclient):
    worker = worker_factory("w1", spec=LONG)
    worker.start(rclient)
    message_id = f"crash-{uuid.uuid4().hex}"
    enqueue_chat(rclient, Inbound(message_id=message_id, chat_id="c-crash", user_id="u",
                                  text="Tell me a long story about a dragon and a baker.",
                                  channel="api"))
    seen = ""
    for state in read_reply(rclient, message_id, timeout_s=120):
        seen = state.text
        if len(seen) > 40:
            break
    assert seen and not finals_in(rclient, message_id)
    pid = worker.proc.pid
    worker.kill()
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
    worker.start(rclient)
    shown = []
    final = None
    for state in read_reply(rclient, message_id, timeout_s=180):
        shown.append(state.text)
        final = state.final
    assert final is not None and final.attempt == 2 and final.status in ("ok", "truncated")
    assert shown[-1] == final.text
    assert len(finals_in(rclient, message_id)) == 1
    # The restarted worker answers new messages too.
    assert ask(rclient, "Hi!", chat_id="c-crash").text


def test_a_job_that_runs_past_its_timeout_apologises(worker_factory, rclient):
    spec = apply(LONG, parse_edits([
        {"op": "set_field", "path": "agent.job_timeout_s", "value": 1},
        {"op": "set_field", "path": "intelligence.sampling.max_tokens", "value": 2000},
        {"op": "set_field", "path": "engine.n_threads", "value": 1},
    ]))
    worker = worker_factory("w1", spec=spec)
    worker.start(rclient)
    final = ask(rclient, "Write a very long story about the sea.", chat_id="slow")
    assert final.status == "timeout"
    assert "ran out of time" in final.text


def test_a_reply_cut_by_max_tokens_says_so(worker_factory, rclient):
    spec = apply(LONG, parse_edits([
        {"op": "set_field", "path": "intelligence.sampling.max_tokens", "value": 8}]))
    worker = worker_factory("w1", spec=spec)
    worker.start(rclient)
    final = ask(rclient, "Tell me a long story about a dragon.", chat_id="cut")
    assert final.status == "truncated" and "length limit" in final.text


def test_a_conversation_longer_than_the_context_is_trimmed(worker_factory, rclient, home):
    spec = apply(default_spec(), parse_edits([
        {"op": "set_field", "path": "engine.n_ctx", "value": 256},
        {"op": "set_field", "path": "intelligence.sampling.max_tokens", "value": 32},
        {"op": "set_field", "path": "tools.memory.history_window", "value": 100},
    ]))
    worker = worker_factory("w1", spec=spec)
    worker.start(rclient)
    padding = "The weather report says it will be cloudy with light rain later. " * 6
    for i in range(4):
        assert ask(rclient, f"{padding} Note {i}.", chat_id="long").status in ("ok", "truncated")
    final = ask(rclient, "x " * 600 + "What is two plus two?", chat_id="long")
    assert final.status in ("ok", "truncated") and final.text
    assert worker.proc is not None and worker.proc.poll() is None


AUDIT = """
import socket, sys
log = open(sys.argv[1], "a")
def hook(event, args):
    if event == "socket.connect":
        log.write(repr(args[1]) + "\\n"); log.flush()
sys.addaudithook(hook)
sys.argv = ["hearth", "worker"]
from hearth.cli import main
sys.exit(main())
"""


def test_the_chat_path_opens_no_connection_but_redis(worker_factory, rclient, home,
                                                      redis_server):
    log = home / "connections.log"
    worker = worker_factory("w1", spec=TOOLS)
    worker.args = [str(log)]
    script = home / "audited_worker.py"
    script.write_text(AUDIT)
    import subprocess

    worker.proc = subprocess.Popen([sys.executable, str(script), str(log)], env=worker.env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not online_workers(rclient):
        assert time.monotonic() < deadline
        time.sleep(0.1)
    ask(rclient, "What is 12*12?", chat_id="net")
    ask(rclient, "Hello!", chat_id="net")
    worker.stop()
    targets = {line.strip() for line in log.read_text().splitlines()}
    port = int(redis_server.url.rsplit(":", 1)[1])
    assert targets, "the audit hook saw no connection at all"
    assert targets <= {repr(("127.0.0.1", port))}, targets


def test_sigterm_lets_the_current_reply_finish(worker_factory, rclient):
    worker = worker_factory("w1", spec=LONG)
    worker.start(rclient)
    message_id = f"term-{uuid.uuid4().hex}"
    enqueue_chat(rclient, Inbound(message_id=message_id, chat_id="c-term", user_id="u",
                                  text="Tell me a story about a lighthouse.", channel="api"))
    for state in read_reply(rclient, message_id, timeout_s=60):
        if state.text:
            break
    assert worker.stop(timeout=120) == 0
    final = wait_final(rclient, message_id, timeout=5)
    assert final.status in ("ok", "truncated") and final.attempt == 1
