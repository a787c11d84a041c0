"""The morning report in Telegram: one night end to end, the review buttons, /rollback.

Everything is real: a `hearth worker` process runs the nightly job (the search
with the real model on a tiny task set), the bridge reads the report from
Redis and sends it through python-telegram-bot to the local Bot API server,
where the test presses the inline buttons.
"""

from __future__ import annotations

import asyncio
import json
from importlib import resources
from pathlib import Path

import pytest
import redis

from hearth.bench import BUILTIN_TASKS_FILE
from hearth.bridge._reports import NOT_OWNER, ROLLBACK_SENT
from hearth.queue import SEARCH_QUEUE, SPEC_CURRENT, MorningReport, post_report, rq_queue
from hearth.search._nightly import NIGHTLY_JOB
from hearth.specs import Spec, SpecStore, apply, default_spec, parse_edits
from tests.bridge.botapi import BotApiServer
from tests.bridge.conftest import OWNER, STRANGER, wait_redis, wait_texts

#: One task of the search part and one of the gate (the split is by id).
TINY_TASKS = ("arithmetic-02", "arithmetic-01")


def tiny_tasks(path: Path) -> Path:
    builtin = resources.files("hearth.bench.data") / BUILTIN_TASKS_FILE
    lines = [line for line in builtin.read_text().splitlines()
             if line.startswith("{") and json.loads(line)["id"] in TINY_TASKS]
    path.write_text("\n".join(lines) + "\n")
    return path


def morning_messages(botapi: BotApiServer) -> list[dict]:
    return [m for m in botapi.sent_messages(OWNER) if m.get("text", "").startswith("🌙")]


async def owner_says_hello(botapi: BotApiServer) -> None:
    # Telegram lets a bot write only to people who wrote to it first.
    botapi.push_text(OWNER, OWNER, "/start")
    await wait_texts(botapi, OWNER, 1)


@pytest.mark.model
@pytest.mark.timeout(900)
async def test_one_night_end_to_end_reaches_the_owner_with_the_report(
        bridge_factory, botapi: BotApiServer, echo_worker, rclient: redis.Redis, tmp_path: Path):
    worker = echo_worker("w1")
    await asyncio.to_thread(worker.start, rclient)
    await bridge_factory(allowed_users=frozenset({OWNER})).start()
    await owner_says_hello(botapi)
    rq_queue(rclient, SEARCH_QUEUE).enqueue(NIGHTLY_JOB, {
        "at": "03:00", "timezone": "UTC", "tasks_file": str(tiny_tasks(tmp_path / "t.jsonl")),
        "sessions": 1})
    await botapi.wait_for(lambda: botapi.documents, timeout=840)
    [morning] = morning_messages(botapi)
    text = morning["text"]
    assert "Last night's search" in text and "teacher tokens" in text
    # Two tasks: a search and a gate one, no test part; the message says so.
    assert "Selection score" in text and "by category (selection score): arithmetic" in text
    [document] = botapi.documents
    assert document["chat_id"] == OWNER and document["filename"].startswith("hearth-search-")
    assert document["content"].decode().startswith("# Hearth spec search report")
    store = SpecStore(worker.home / "specs.duckdb")
    pending = [v for v in store.history() if v.status == "pending"]
    if pending:  # the night kept an edit: it waits for review under the message
        [version] = pending
        buttons = morning["reply_markup"]["inline_keyboard"][0]
        assert [b["callback_data"] for b in buttons] == [f"spec:approve:{version.id}",
                                                         f"spec:reject:{version.id}"]
    else:
        assert "reply_markup" not in morning and "kept none" in text
    worker.stop()


async def test_review_buttons_and_rollback_change_the_running_spec(
        bridge_factory, botapi: BotApiServer, echo_worker, rclient: redis.Redis, home: Path):
    store = SpecStore(home / "specs.duckdb")
    kept = apply(default_spec(), parse_edits([{"op": "enable_tool", "name": "clock"}]))
    other = apply(default_spec(), parse_edits([{"op": "disable_tool", "name": "calculator"}]))
    for spec in (kept, other):
        store.save(spec, note="search session 1")
        store.set_status(spec.id, "pending")
    await bridge_factory(allowed_users=frozenset({OWNER})).start()
    await owner_says_hello(botapi)

    post_report(rclient, MorningReport(night="2026-12-04", text="🌙 Last night: kept one edit",
                                       markdown="# Hearth spec search report\n",
                                       pending_spec=kept.id))
    await botapi.wait_for(lambda: len(botapi.documents) == 1, timeout=20)
    [morning] = morning_messages(botapi)
    assert botapi.documents[0]["content"] == b"# Hearth spec search report\n"
    # Someone else's press is refused and changes nothing.
    botapi.push_callback_query(OWNER, STRANGER, morning["message_id"], f"spec:approve:{kept.id}")
    await botapi.wait_for(lambda: botapi.callback_answers, timeout=10)
    assert botapi.callback_answers[0]["text"] == NOT_OWNER
    botapi.push_callback_query(OWNER, OWNER, morning["message_id"], f"spec:approve:{kept.id}")
    await botapi.wait_for(lambda: len(botapi.callback_answers) == 2, timeout=10)
    assert botapi.callback_answers[1]["text"].startswith("✅ Approved")
    [edited] = await botapi.wait_for(
        lambda: [m for m in morning_messages(botapi) if "Approved" in m["text"]], timeout=10)
    assert "reply_markup" not in edited  # one decision per message

    post_report(rclient, MorningReport(night="2026-12-05", text="🌙 Another night",
                                       markdown="# r\n", pending_spec=other.id))
    await botapi.wait_for(lambda: len(botapi.documents) == 2, timeout=20)
    second = morning_messages(botapi)[-1]
    botapi.push_callback_query(OWNER, OWNER, second["message_id"], f"spec:reject:{other.id}")
    await botapi.wait_for(lambda: len(botapi.callback_answers) == 3, timeout=10)
    assert botapi.callback_answers[2]["text"].startswith("✖ Rejected")

    # The decisions run on the search machine: a real worker takes them from the queue.
    worker = echo_worker("w1")
    await asyncio.to_thread(worker.start, rclient)
    search = rq_queue(rclient, SEARCH_QUEUE)
    # Both decisions are done when the worker has finished both jobs; an empty queue alone
    # is not enough (a job popped but not yet in the started registry is in neither).
    await wait_redis(lambda: search.count == 0 and search.finished_job_registry.count == 2, 60)
    assert store.active().id == kept.id
    published = json.loads(rclient.get(SPEC_CURRENT) or b"{}")
    assert Spec.model_validate(published["spec"]).id == kept.id
    assert store.get(other.id).status == "rejected"

    botapi.push_text(OWNER, OWNER, "/rollback")
    await botapi.wait_for(lambda: [m for m in botapi.sent_messages(OWNER)
                                   if m.get("text") == ROLLBACK_SENT], timeout=10)
    await wait_redis(lambda: store.active().id == default_spec().id, 60)
    worker.stop()
