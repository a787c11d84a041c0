"""Redis with a password and the limited ACL user of deploy/redis.conf runs all of Hearth.

The server is started from deploy/redis.conf itself (passwords, port and
directory swapped for the test's). Every test ends by reading the server's
ACL LOG: a command, key or channel Hearth needs but the ACL refuses shows
up there even where the caller swallowed the error (heartbeats only warn).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from datetime import timedelta

import pytest
import redis
import redis.asyncio as aioredis
from rq.job import Job, JobStatus
from rq.serializers import JSONSerializer
from rq.worker import SimpleWorker

from hearth.errors import QueueUnavailable
from hearth.queue import (
    SPEC_CHANNEL,
    Control,
    ControlKind,
    Inbound,
    Outbound,
    ReplyFinal,
    ReplyWriter,
    WorkerInfo,
    assign_home,
    beat,
    clear_beat,
    connect,
    current_spec,
    enqueue_chat,
    enqueue_control,
    enqueue_outbound_at,
    final_of,
    home_of,
    mark_answered,
    next_attempt,
    online_workers,
    pending_count,
    pin,
    publish_spec,
    read_reply,
    rq_queue,
    set_home,
    utcnow,
    worker_queue,
)
from hearth.specs import SetField, apply, default_spec, sign
from tests.bridge.botapi import BotApiServer
from tests.bridge.conftest import OWNER, RunningBridge, bridge_settings
from tests.conftest import run_cli
from tests.deploy.conftest import HEARTH_PASSWORD, ProductionRedis, TlsProxy
from tests.workers import SECRET, make_worker


def add(a: int, b: int) -> int:
    """An RQ job function, found by import path like Hearth's own."""
    return a + b


def fail() -> None:
    raise ValueError("this job fails on purpose")


def test_the_acl_user_gets_only_what_hearth_needs(production_redis: ProductionRedis) -> None:
    with pytest.raises(redis.AuthenticationError):
        redis.Redis(port=production_redis.port).ping()  # the default user is off
    with pytest.raises(redis.AuthenticationError):
        redis.Redis.from_url(production_redis.url.replace(HEARTH_PASSWORD, "wrong")).ping()
    client = connect(production_redis.url)
    assert client.set("hearth:probe", "1") and client.set("rq:probe", "1")
    for refused in (("FLUSHALL",), ("KEYS", "*"), ("CONFIG", "GET", "save"), ("SCAN", "0"),
                    ("GET", "someone-else:key"), ("PUBLISH", "other-channel", "x"),
                    ("CLIENT", "LIST"), ("CLIENT", "KILL", "ID", "1"), ("SHUTDOWN",),
                    ("ACL", "LIST"), ("MONITOR",)):
        with pytest.raises(redis.exceptions.NoPermissionError):
            client.execute_command(*refused)
    client.close()
    # Denials land in the ACL LOG, which the other tests read to prove they had none.
    assert {"flushall", "keys", "config|get", "someone-else:key"} <= {
        e["object"] for e in production_redis.denied()}


def test_hearth_queue_operations_and_rq_work_with_the_acl_user(
        production_redis: ProductionRedis) -> None:
    client = connect(production_redis.url)
    info = WorkerInfo(worker_id="w1", host="box", pid=1, spec_id="s", model="m", load=0,
                      busy=False, started_at=time.time(), last_seen=time.time())
    beat(client, info)
    assert [w.worker_id for w in online_workers(client)] == ["w1"]
    pin(client, "user", "u2", "w2")
    assert assign_home(client, "chat-2", "u2") == "w2"
    assert assign_home(client, "chat-1", "u1") == "w1"  # least loaded online worker
    set_home(client, "chat-2", "w1")
    assert home_of(client, "chat-2") == "w1"

    message = Inbound(message_id=f"m-{uuid.uuid4().hex}", chat_id="chat-1", user_id="u1",
                      text="hello", channel="api")
    job = enqueue_chat(client, message)
    assert job.origin == worker_queue("w1") and pending_count(client, "chat-1") == 1
    enqueue_control(client, Control(kind=ControlKind.RESET, chat_id="chat-1"))
    enqueue_outbound_at(client, worker_queue("w1"), utcnow() + timedelta(hours=1),
                        Outbound(chat_id="chat-1", text="reminder"))

    writer = ReplyWriter(client, message.message_id, next_attempt(client, message.message_id))
    writer.write("hel")
    writer.final(ReplyFinal(attempt=writer.attempt, text="hello back"))
    states = list(read_reply(client, message.message_id, timeout_s=5))
    assert states[-1].final is not None and states[-1].final.text == "hello back"
    assert final_of(client, message.message_id) is not None
    mark_answered(client, "chat-1", message.message_id)

    listener = client.pubsub(ignore_subscribe_messages=True)
    listener.subscribe(SPEC_CHANNEL)
    signed = sign(default_spec(), SECRET)
    assert publish_spec(client, signed) == 1
    deadline = time.monotonic() + 5
    while (got := listener.get_message(timeout=0.5)) is None and time.monotonic() < deadline:
        pass
    assert got is not None and got["data"] == signed.model_dump_json().encode()
    assert current_spec(client) == signed.model_dump_json().encode()
    listener.close()

    # RQ: enqueue and dequeue through a SimpleWorker, success and failure.
    queue = rq_queue(client, "hearth-acl-test")
    ok_job = queue.enqueue(f"{__name__}.add", 2, 3, result_ttl=60)
    bad_job = queue.enqueue(f"{__name__}.fail", failure_ttl=60)
    worker = SimpleWorker([queue], connection=client, serializer=JSONSerializer)
    assert worker.work(burst=True, logging_level="WARNING")
    assert Job.fetch(ok_job.id, connection=client, serializer=JSONSerializer).return_value() == 5
    assert bad_job.get_status(refresh=True) == JobStatus.FAILED
    assert queue.failed_job_registry.count == 1

    clear_beat(client, "w1")
    client.close()
    assert production_redis.denied() == []


@pytest.fixture(params=["redis", "rediss"])
def hearth_url(request: pytest.FixtureRequest, production_redis: ProductionRedis) -> str:
    """The ACL user's URL, plain or through TLS."""
    if request.param == "redis":
        return production_redis.url
    proxy: TlsProxy = request.getfixturevalue("tls_proxy")
    return f"rediss://hearth:{HEARTH_PASSWORD}@localhost:{proxy.port}/0?ssl_ca_certs={proxy.cert}"


async def test_a_real_worker_bridge_and_cli_run_on_the_acl_user(
        hearth_url: str, production_redis: ProductionRedis, home, settings,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    client = connect(hearth_url)
    worker = make_worker(home, hearth_url, "acl-w1", engine="echo")
    await asyncio.to_thread(worker.start, client)
    try:
        async with BotApiServer() as botapi:
            bridge = RunningBridge(bridge_settings(home, botapi), hearth_url)
            await bridge.start()
            try:
                botapi.push_text(OWNER, OWNER, "hello through the acl")
                await botapi.wait_for(lambda: [m for m in botapi.sent_messages(OWNER)
                                               if m["text"] == "echo: hello through the acl"],
                                      timeout=30)
            finally:
                await bridge.stop()
        # A signed spec reaches the running worker over the spec channel.
        spec = apply(default_spec(), [SetField(path="intelligence.sampling.temperature",
                                               value=0.55)])
        publish_spec(client, sign(spec, SECRET))
        deadline = time.monotonic() + 20
        while not any(w.spec_id == spec.id for w in online_workers(client)):
            assert time.monotonic() < deadline, worker.output()
            await asyncio.sleep(0.1)
        env = {"REDIS_URL": hearth_url, "HEARTH_HOME": str(home)}
        for argv in (["status", "--json"], ["chats", "pin", "user", "42", "acl-w1"]):
            done = await asyncio.to_thread(run_cli, *argv, env=env)
            assert done.returncode == 0, done.stderr
        assert "acl-w1" in (await asyncio.to_thread(run_cli, "status", env=env)).stdout
    finally:
        assert await asyncio.to_thread(worker.stop) == 0
        client.close()
    output = worker.output()
    assert "NOPERM" not in output and "no permissions" not in output.lower(), output
    assert production_redis.denied() == []


async def test_rediss_is_really_tls(production_redis: ProductionRedis,
                                    tls_proxy: TlsProxy) -> None:
    good = f"rediss://hearth:{HEARTH_PASSWORD}@localhost:{tls_proxy.port}/0"
    client = connect(f"{good}?ssl_ca_certs={tls_proxy.cert}")
    assert client.ping() and tls_proxy.handshakes >= 1
    client.close()
    async_client = aioredis.Redis.from_url(f"{good}?ssl_ca_certs={tls_proxy.cert}")
    await async_client.xadd("hearth:tls-test", {"data": "1"})
    assert len(await async_client.xread({"hearth:tls-test": "0-0"}, count=10)) == 1
    await async_client.aclose()
    with pytest.raises(QueueUnavailable, match="certificate verify failed"):
        connect(good)  # the system trust store does not know our test CA
    with pytest.raises(QueueUnavailable):
        connect(good.replace("rediss://", "redis://"))  # plain text to a TLS port
    with contextlib.closing(production_redis.admin()) as admin:
        assert admin.type("hearth:tls-test") == b"stream"
