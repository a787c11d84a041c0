"""Workers on two "hosts" (own UTS namespaces, so own host names) share one Redis.

Each worker runs under `unshare --uts` with its own host name and reaches
Redis (deploy/redis.conf, ACL user) over TCP. `hearth status` lists both
hosts, a pin routes a user's new chat, and `hearth chats move` carries a
chat's memory from one host to the other.

Separate network namespaces would need a veth pair or a unix socket; the
unix-socket way is blocked by a bug in `hearth.queue.connect` (see the xfail
test at the end).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from hearth.edge_runtime import MemoryStore, chat_salt
from hearth.queue import connect, home_of, online_workers
from tests.conftest import free_port, run_cli
from tests.deploy.conftest import (
    ADMIN_PASSWORD,
    HEARTH_PASSWORD,
    ProductionRedis,
    production_config,
    valkey_binary,
)
from tests.workers import SECRET, ask


def _namespaces_work() -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(["unshare", "--uts", "true"], capture_output=True, check=False)
    return probe.returncode == 0


needs_namespaces = pytest.mark.skipif(not _namespaces_work(),
                                      reason="needs `unshare --uts` (root or user namespaces)")


@pytest.fixture
def socket_redis(tmp_path: Path) -> Iterator[str]:
    """deploy/redis.conf, also on a unix socket; yields the ACL user's unix:// URL."""
    data = tmp_path / "valkey"
    data.mkdir()
    config = production_config(data, free_port())
    sock = data / "redis.sock"
    with open(config, "a") as out:
        out.write(f"unixsocket {sock}\nunixsocketperm 700\n")
    with open(data / "valkey.log", "wb") as log:
        proc = subprocess.Popen([valkey_binary(), str(config)], stdout=log,
                                stderr=subprocess.STDOUT, cwd=data)
    admin = redis.Redis(unix_socket_path=str(sock), username="admin", password=ADMIN_PASSWORD)
    deadline = time.monotonic() + 20
    while True:
        try:
            admin.ping()
            break
        except redis.ConnectionError:
            assert proc.poll() is None and time.monotonic() < deadline, "valkey did not start"
            time.sleep(0.05)
    yield f"unix://hearth:{HEARTH_PASSWORD}@{sock}?db=0"
    assert [e for e in admin.acl_log(count=1000) if e.get("username") == "hearth"] == []
    admin.close()
    proc.terminate()
    proc.wait(timeout=10)


class HostWorker:
    """`hearth worker` in its own UTS namespace, on a host named `host`."""

    def __init__(self, tmp_path: Path, url: str, host: str, worker_id: str) -> None:
        self.home = tmp_path / host
        self.home.mkdir()
        self.worker_id = worker_id
        self.log = self.home / "worker.log"
        env = {**os.environ, "REDIS_URL": url, "HEARTH_HOME": str(self.home),
               "HEARTH_WORKER_ID": worker_id, "HEARTH_SPEC_SECRET": SECRET}
        script = f'hostname {host} && exec "$0" -m hearth worker --engine echo'
        with open(self.log, "wb") as out:
            self.proc = subprocess.Popen(["unshare", "--uts", "sh", "-c", script,
                                          sys.executable], env=env, stdout=out,
                                         stderr=subprocess.STDOUT)

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout=60)

    def memory(self) -> MemoryStore:
        return MemoryStore(self.home / f"worker-{self.worker_id}.duckdb",
                           chat_salt=chat_salt(self.home))


def wait_until(check, timeout: float = 30) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


@needs_namespaces
def test_two_hosts_share_one_redis_pin_and_move(tmp_path: Path,
                                                production_redis: ProductionRedis) -> None:
    url = production_redis.url
    client = connect(url)
    desk = HostWorker(tmp_path, url, "desk", "desktop-gpu")
    laptop = HostWorker(tmp_path, url, "laptop", "laptop")
    try:
        wait_until(lambda: len(online_workers(client)) == 2)
        env = {"REDIS_URL": url, "HEARTH_HOME": str(tmp_path / "cli")}
        status = run_cli("status", "--json", env=env)
        assert status.returncode == 0, status.stderr
        hosts = {w["worker_id"]: w["host"] for w in json.loads(status.stdout)["workers"]}
        assert hosts == {"desktop-gpu": "desk", "laptop": "laptop"}

        assert run_cli("chats", "pin", "user", "u-ana", "laptop", env=env).returncode == 0
        assert ask(client, "hi", chat_id="c-ana", user_id="u-ana").worker_id == "laptop"

        assert run_cli("chats", "pin", "chat", "c-bo", "desktop-gpu", env=env).returncode == 0
        first = ask(client, "my dog is Rex", chat_id="c-bo", message_id=f"m-{uuid.uuid4().hex}")
        assert first.worker_id == "desktop-gpu"
        moved = run_cli("chats", "move", "c-bo", "laptop", env=env)
        assert moved.returncode == 0, moved.stderr
        wait_until(lambda: home_of(client, "c-bo") == "laptop")
        assert ask(client, "what is my dog called", chat_id="c-bo").worker_id == "laptop"
    finally:
        codes = [desk.stop(), laptop.stop()]
        client.close()
    assert codes == [0, 0], desk.log.read_text() + laptop.log.read_text()
    with laptop.memory() as memory:
        texts = [m.text for m in memory.history("c-bo", 10)]
    assert texts[:2] == ["my dog is Rex", "echo: my dog is Rex"]
    with desk.memory() as memory:
        assert memory.history("c-bo", 10) == []
    assert production_redis.denied() == []


def test_unix_socket_urls_connect(socket_redis: str) -> None:
    client = connect(socket_redis)
    assert client.ping()
    client.close()
