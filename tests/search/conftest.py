"""Teacher servers for the search tests.

* `recording_teacher`: a tiny aiohttp server speaking ``/v1/chat/completions``
  that answers from a script and records every request (a double of an
  outside service, speaking the real protocol);
* `llama_teacher`: llama-cpp-python's own OpenAI-compatible server serving
  SmolLM2 on a free loopback port, as a real subprocess.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from hearth.models import resolve_model
from tests.conftest import free_port


def completion(content: str, *, usage: dict[str, int] | None = None,
               finish_reason: str = "stop") -> dict[str, Any]:
    """A chat completion response body as OpenAI sends it."""
    body: dict[str, Any] = {
        "id": "chatcmpl-test", "object": "chat.completion", "created": 0, "model": "teacher",
        "choices": [{"index": 0, "finish_reason": finish_reason,
                     "message": {"role": "assistant", "content": content}}],
    }
    if usage is not None:
        body["usage"] = {**usage, "total_tokens": sum(usage.values())}
    return body


@dataclass
class Reply:
    """One scripted answer: a status, a body (JSON data or text), headers, a delay."""

    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0


@dataclass
class Request:
    """What the server received."""

    raw: bytes
    headers: dict[str, str]
    at: float

    @property
    def json(self) -> Any:
        """The body as JSON."""
        return json.loads(self.raw)


class RecordingTeacher:
    """An OpenAI-compatible endpoint that answers from `script` and records requests.

    `script` items are `Reply`s or callables taking the request's JSON and
    returning one; when it runs out, `default` answers.
    """

    def __init__(self) -> None:
        self.requests: list[Request] = []
        self.script: list[Reply | Callable[[Any], Reply]] = []
        self.default: Reply | Callable[[Any], Reply] = Reply(body=completion("{}"))
        self._runner: web.AppRunner | None = None
        self.url = ""

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        import asyncio

        raw = await request.read()
        self.requests.append(Request(raw, dict(request.headers), time.monotonic()))
        step = self.script.pop(0) if self.script else self.default
        reply = step(json.loads(raw)) if callable(step) else step
        if reply.delay_s:
            await asyncio.sleep(reply.delay_s)
        if isinstance(reply.body, str):
            return web.Response(status=reply.status, text=reply.body, headers=reply.headers)
        return web.json_response(reply.body, status=reply.status, headers=reply.headers)

    async def start(self) -> None:
        """Listen on a free loopback port."""
        app = web.Application()
        app.router.add_post("/v1/chat/completions", self._handle)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        port = free_port()
        await web.TCPSite(self._runner, "127.0.0.1", port).start()
        self.url = f"http://127.0.0.1:{port}"

    async def stop(self) -> None:
        """Stop listening."""
        if self._runner is not None:
            await self._runner.cleanup()

    def bodies(self) -> bytes:
        """Every request body received, joined: for checking what left the machine."""
        return b"\n".join(r.raw for r in self.requests)


@pytest.fixture
async def recording_teacher() -> AsyncIterator[RecordingTeacher]:
    """A started `RecordingTeacher`, stopped after the test."""
    server = RecordingTeacher()
    await server.start()
    yield server
    await server.stop()


def _wait_ready(url: str, proc: subprocess.Popen[bytes], log: Path, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"llama_cpp.server exited with {proc.returncode}:\n"
                        f"{log.read_text()[-3000:]}\nIt needs llama-cpp-python's server extra: "
                        "pip install 'llama-cpp-python[server]'")
        try:
            with urllib.request.urlopen(f"{url}/v1/models", timeout=2) as resp:
                if resp.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    pytest.fail(f"llama_cpp.server did not answer within {timeout_s} s:\n"
                f"{log.read_text()[-3000:]}")


@pytest.fixture(scope="session")
def llama_teacher(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The URL (no /v1) of llama-cpp-python's OpenAI-compatible server serving SmolLM2."""
    home = tmp_path_factory.mktemp("teacher-home")
    model = resolve_model("smollm2-135m-instruct", home)
    port = free_port()
    log = home / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "llama_cpp.server", "--model", str(model),
             "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "4096",
             "--n_threads", "2", "--verbose", "False"],
            stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(url, proc, log, timeout_s=120)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
