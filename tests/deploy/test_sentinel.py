"""`sentinel://` URLs (hearth._sentinel) against a real Sentinel, across a real failover."""

from __future__ import annotations

import contextlib
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from hearth._sentinel import async_sentinel_client, parse_sentinel_url, sentinel_client
from hearth.errors import ConfigError
from hearth.queue import rq_queue
from tests.conftest import free_port
from tests.deploy.conftest import (
    ADMIN_PASSWORD,
    HEARTH_PASSWORD,
    ProductionRedis,
    production_config,
    valkey_binary,
)

SERVICE = "hearth-main"


def _start(config: Path, *extra: str) -> subprocess.Popen[bytes]:
    with open(config.with_suffix(".log"), "wb") as log:
        return subprocess.Popen([valkey_binary(), str(config), *extra], stdout=log,
                                stderr=subprocess.STDOUT, cwd=config.parent)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    proc.wait(timeout=10)


def _wait(check, timeout: float = 20) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while True:
        with contextlib.suppress(redis.RedisError):
            if check():
                return
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


@pytest.fixture
def replica(tmp_path: Path, production_redis: ProductionRedis) -> Iterator[int]:
    """A second server from deploy/redis.conf, replicating the first."""
    data = tmp_path / "replica"
    data.mkdir()
    port = free_port()
    config = production_config(data, port)
    with open(config, "a") as out:
        out.write(f"replicaof 127.0.0.1 {production_redis.port}\nmasteruser admin\n"
                  f"masterauth {ADMIN_PASSWORD}\n")
    proc = _start(config)
    admin = redis.Redis(port=port, username="admin", password=ADMIN_PASSWORD)
    _wait(lambda: admin.info("replication")["master_link_status"] == "up")
    yield port
    admin.close()
    _stop(proc)


@pytest.fixture
def sentinel(tmp_path: Path, production_redis: ProductionRedis) -> Iterator[int]:
    """One Sentinel watching the production-config primary (quorum 1)."""
    data = tmp_path / "sentinel"
    data.mkdir()
    port = free_port()
    config = data / "sentinel.conf"
    config.write_text(
        f"port {port}\nbind 127.0.0.1\ndir {data}\n"
        f"sentinel monitor {SERVICE} 127.0.0.1 {production_redis.port} 1\n"
        f"sentinel auth-user {SERVICE} admin\nsentinel auth-pass {SERVICE} {ADMIN_PASSWORD}\n"
        f"sentinel down-after-milliseconds {SERVICE} 1000\n"
        f"sentinel failover-timeout {SERVICE} 5000\n")
    proc = _start(config, "--sentinel")
    client = redis.Redis(port=port)
    _wait(lambda: client.sentinel_master(SERVICE)["port"] == production_redis.port)
    yield port
    client.close()
    _stop(proc)


def url_for(sentinel_port: int) -> str:
    return f"sentinel://hearth:{HEARTH_PASSWORD}@127.0.0.1:{sentinel_port}/{SERVICE}/0"


def test_parse_sentinel_urls() -> None:
    target = parse_sentinel_url("sentinel://hearth:p%40ss@s1:26379,s2/main/2?ssl=true"
                                "&sentinel_password=sp&ssl_ca_certs=/ca.pem")
    assert target.sentinels == [("s1", 26379), ("s2", 26379)]
    assert (target.service, target.db, target.username, target.password) == (
        "main", 2, "hearth", "p@ss")
    assert target.ssl and target.connection_kwargs()["ssl_ca_certs"] == "/ca.pem"
    assert target.sentinel_kwargs["password"] == "sp" and "ssl" not in target.sentinel_kwargs
    for bad in ("redis://h:1/0", "sentinel:///main", "sentinel://h:x/main",
                "sentinel://h:26379", "sentinel://h:26379/main/x"):
        with pytest.raises(ConfigError, match="REDIS_URL"):
            parse_sentinel_url(bad)


async def test_clients_reach_the_primary_through_sentinel(
        production_redis: ProductionRedis, sentinel: int) -> None:
    client = sentinel_client(url_for(sentinel))
    queue = rq_queue(client, "hearth-sentinel-test")
    job = queue.enqueue("tests.deploy.test_redis_acl.add", 1, 2)
    assert queue.count == 1 and job.id
    async_client = async_sentinel_client(url_for(sentinel))
    await async_client.xadd("hearth:sentinel", {"data": "x"})
    assert len(await async_client.xread({"hearth:sentinel": "0-0"})) == 1
    await async_client.aclose()
    client.close()
    assert production_redis.denied() == []


def test_the_client_follows_a_failover(production_redis: ProductionRedis, replica: int,
                                       sentinel: int) -> None:
    client = sentinel_client(url_for(sentinel))
    client.set("hearth:before", "1")
    watcher = redis.Redis(port=sentinel)
    # Promotable only once Sentinel has talked to the replica itself.
    _wait(lambda: [r for r in watcher.sentinel_slaves(SERVICE)
                   if r["master-link-status"] == "ok" and r["is_slave"] and
                   not r["is_disconnected"] and r["info-refresh"] < 2000])
    watcher.execute_command("SENTINEL", "FAILOVER", SERVICE)
    _wait(lambda: watcher.sentinel_master(SERVICE)["port"] == replica)
    with contextlib.closing(production_redis.admin()) as old:
        _wait(lambda: old.info("replication")["role"] == "slave")
    # The same client object now writes to the promoted replica.
    _wait(lambda: client.set("hearth:after", "2"))
    with contextlib.closing(redis.Redis(port=replica, username="admin",
                                        password=ADMIN_PASSWORD)) as promoted:
        assert promoted.get("hearth:after") == b"2" and promoted.get("hearth:before") == b"1"
        assert promoted.info("replication")["role"] == "master"
    watcher.close()
    client.close()
