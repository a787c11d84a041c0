"""Fuzz scenarios: random Telegram updates through the bridge, random job payloads into Redis."""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from rq.registry import FailedJobRegistry, StartedJobRegistry
from rq.serializers import JSONSerializer

from hearth.queue import (
    DELIVER,
    HANDLE_CHAT,
    HANDLE_CHATS,
    HANDLE_CONTROL,
    rq_queue,
    set_home,
    worker_queue,
)
from tests.chaos.harness import Rig, Row
from tests.workers import ask

ALLOWED = list(range(20_000, 20_200))


def collect(strategy: st.SearchStrategy[Any], count: int) -> list[Any]:
    """`count` examples of `strategy` (fewer if it runs dry), drawn by hypothesis."""
    found: list[Any] = []

    @settings(max_examples=count, database=None, deadline=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(strategy)
    def draw(example: Any) -> None:
        found.append(example)

    draw()
    return found


_json = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
                     | st.text(max_size=50),
                     lambda inner: st.lists(inner, max_size=4)
                     | st.dictionaries(st.text(max_size=10), inner, max_size=4), max_leaves=12)
_huge = st.builds(lambda c, n: c * n, st.characters(), st.integers(0, 20_000))
_text = st.one_of(st.text(max_size=200), _huge, st.sampled_from(
    ["/start", "/reset", "/forget yes", "/reminders cancel 1", "/status", "/pair 123", "@x"]))
_entity = st.fixed_dictionaries({"type": st.sampled_from(
    ["bold", "mention", "bot_command", "text_link", "weird", "pre", "custom_emoji"]),
    "offset": st.integers(-5, 30_000), "length": st.integers(-5, 30_000)},
    optional={"url": st.text(max_size=30), "language": st.text(max_size=10)})
_user = st.fixed_dictionaries({"id": st.one_of(st.sampled_from(ALLOWED),
                                               st.integers(1, 2**40)),
                               "is_bot": st.booleans(), "first_name": st.text(max_size=20)})


@st.composite
def _update(draw: st.DrawFn) -> dict[str, Any]:
    user = draw(_user)
    chat = draw(st.fixed_dictionaries({"id": st.one_of(st.just(user["id"]),
                                                       st.integers(-2**40, 2**40)),
                                       "type": st.sampled_from(
                                           ["private", "group", "supergroup", "channel", "?"])}))
    message = draw(st.fixed_dictionaries({}, optional={
        "message_id": st.integers(-1, 2**31), "date": st.integers(0, 2**31),
        "chat": st.just(chat), "from": st.just(user), "text": _text,
        "entities": st.lists(_entity, max_size=5), "sticker": _json, "photo": _json}))
    kind = draw(st.sampled_from(["message", "edited_message", "message_reaction",
                                 "channel_post", "callback_query", "something_new"]))
    if kind == "message_reaction":
        return {kind: {"chat": chat, "user": user, "message_id": draw(st.integers(0, 99)),
                       "date": 0, "old_reaction": [], "new_reaction": draw(st.lists(
                           st.fixed_dictionaries({"type": st.sampled_from(["emoji", "x"]),
                                                  "emoji": st.sampled_from(["👍", "👎", "?"])}),
                           max_size=3))}}
    return {kind: message if draw(st.booleans()) else draw(_json)}


async def fuzz_updates(root: Path, count: int) -> list[Row]:
    """Random updates through a bridge process: it stays up and acknowledges every one."""
    updates = collect(_update(), count)
    rig = Rig(root, ALLOWED)
    async with rig.running():
        began = time.monotonic()
        for update in updates:
            rig.botapi.push_update(update)
        deadline = time.monotonic() + 300
        while rig.botapi.pending_updates() and time.monotonic() < deadline:
            assert rig.bridge is not None and rig.bridge.proc is not None
            if rig.bridge.proc.poll() is not None:
                break
            await asyncio.sleep(0.5)
        row = Row(f"fuzz: {len(updates)} random Telegram updates", messages=len(updates),
                  lost=len(rig.botapi.pending_updates()))
        row.max_delay_s = time.monotonic() - began
        assert rig.bridge is not None
        if rig.bridge.proc is None or rig.bridge.proc.poll() is not None:
            row.notes.append("the bridge died")
            print(rig.bridge.output()[-3000:], file=sys.stderr)
        skipped = rig.bridge.output().count("could not be handled; skipped")
        if skipped:
            row.notes.append(f"{skipped} updates skipped with an error line (a bug to look at)")
    return [row]


async def fuzz_payloads(root: Path, count: int) -> Row:
    """Random payloads for Hearth's job functions: the worker stays up and answers the rest."""
    payloads = collect(st.tuples(st.sampled_from([HANDLE_CHAT, HANDLE_CHATS, HANDLE_CONTROL,
                                                  DELIVER]), _json), count)
    rig = Rig(root, ALLOWED)
    async with rig.running():
        assert rig.client is not None
        set_home(rig.client, "fuzz", "w1")
        queue = rq_queue(rig.client, worker_queue("w1"))
        began = time.monotonic()
        with rig.client.pipeline() as pipe:
            queue.enqueue_many([queue.prepare_data(func, args=(payload,))
                                for func, payload in payloads], pipeline=pipe)
            pipe.execute()
        registry = StartedJobRegistry(queue=queue, serializer=JSONSerializer)
        deadline = time.monotonic() + 400
        worker = rig.workers[0]
        while (queue.count or registry.count) and time.monotonic() < deadline:
            if worker.proc is None or worker.proc.poll() is not None:
                break
            await asyncio.sleep(0.5)
        row = Row(f"fuzz: {len(payloads)} random job payloads", messages=len(payloads),
                  lost=queue.count)
        row.max_delay_s = time.monotonic() - began
        if worker.proc is None or worker.proc.poll() is not None:
            row.notes.append("the worker died")
        failed = FailedJobRegistry(queue=queue, serializer=JSONSerializer).count
        row.scenario += f" ({failed} refused as invalid)"
        # After all that, a real message is still answered.
        final = await asyncio.to_thread(ask, rig.client, "still here?", chat_id="fuzz",
                                        timeout=60)
        if final.text != "echo: still here?":
            row.notes.append("the worker no longer answers")
    return row
