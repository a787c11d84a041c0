"""User HTTP tools against a real HTTP server on loopback."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from hearth.edge_runtime.tools import ToolBox
from hearth.specs import HttpEndpoint, Tool, Tools
from tests.conftest import free_port
from tests.edge_runtime.test_tools_support import make_ctx

LIGHTS_SCHEMA = {
    "type": "object",
    "properties": {
        "room": {"type": "string"},
        "on": {"type": "boolean"},
        "level": {"type": "integer"},
    },
    "required": ["room", "on"],
}


@dataclass
class Home:
    """What the fake home-automation server saw, and its address."""

    base: str
    port: int
    requests: list[tuple[str, str, dict[str, str], bytes]] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)


class Handler(BaseHTTPRequestHandler):
    server: ThreadingHTTPServer

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _reply(self, status: int, body: bytes, ctype: str, **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _record(self) -> bytes:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        home: Home = self.server.home  # type: ignore[attr-defined]
        home.requests.append((self.command, self.path, dict(self.headers), body))
        return body

    def do_GET(self) -> None:
        self._record()
        self._reply(200, b"followed the redirect", "text/plain")

    def do_POST(self) -> None:
        body = self._record()
        home: Home = self.server.home  # type: ignore[attr-defined]
        if self.path == "/lights":
            answer = {"done": True, "got": json.loads(body)}
            self._reply(200, json.dumps(answer).encode(), "application/json")
        elif self.path == "/fail":
            self._reply(500, b"database is down", "text/plain")
        elif self.path == "/slow":
            home.release.wait(5)
            # The tool gave up waiting, as the test expects: the socket is gone.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self._reply(200, b"too late", "text/plain")
        elif self.path == "/long":
            self._reply(200, ("word " * 2000).encode(), "text/plain; charset=utf-8")
        elif self.path == "/away":
            self._reply(302, b"", "text/plain", Location="http://elsewhere.invalid/steal")
        elif self.path == "/home":
            self._reply(303, b"", "text/plain", Location="/landing")
        elif self.path == "/empty":
            self.send_response(204)
            self.end_headers()
        else:
            self._reply(404, b"no such path", "text/plain")


@pytest.fixture
def home() -> Iterator[Home]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    port = server.server_address[1]
    state = Home(base=f"http://127.0.0.1:{port}", port=port)
    server.home = state  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield state
    state.release.set()
    server.shutdown()
    server.server_close()
    thread.join(5)


def box_for(url: str, timeout_s: float = 2.0) -> ToolBox:
    tool = Tool(
        name="lights",
        enabled=True,
        description="Switch the lights in a room.",
        parameters=LIGHTS_SCHEMA,
        endpoint=HttpEndpoint(url=url, timeout_s=timeout_s),
    )
    return ToolBox.from_spec(Tools(tools=(tool,), allowed_hosts=("127.0.0.1",)))


CTX = make_ctx(allowed_hosts=("127.0.0.1",))


def test_posts_the_arguments_and_returns_the_reply(home: Home) -> None:
    result = box_for(f"{home.base}/lights").call(
        "lights", {"room": "kitchen", "on": True, "level": 70}, CTX
    )
    assert result.ok, result.content
    assert json.loads(result.content) == {
        "done": True,
        "got": {"room": "kitchen", "on": True, "level": 70},
    }
    assert result.data["status"] == 200
    [(method, path, headers, body)] = home.requests
    assert (method, path) == ("POST", "/lights")
    assert headers["Content-Type"] == "application/json"
    assert json.loads(body) == {"room": "kitchen", "on": True, "level": 70}


def test_arguments_may_arrive_as_json_text(home: Home) -> None:
    result = box_for(f"{home.base}/lights").call("lights", '{"room": "hall", "on": false}', CTX)
    assert result.ok
    assert json.loads(home.requests[0][3]) == {"room": "hall", "on": False}


def test_server_error_becomes_a_failed_result(home: Home) -> None:
    result = box_for(f"{home.base}/fail").call("lights", {"room": "a", "on": True}, CTX)
    assert not result.ok
    assert result.content == "127.0.0.1 answered HTTP 500 Internal Server Error: database is down"
    assert result.data["status"] == 500


def test_timeout(home: Home) -> None:
    started = time.monotonic()
    box = box_for(f"{home.base}/slow", timeout_s=0.3)
    result = box.call("lights", {"room": "a", "on": True}, CTX)
    elapsed = time.monotonic() - started
    assert not result.ok
    assert result.content == "127.0.0.1 did not answer within 0.3 s (endpoint.timeout_s)"
    assert result.data["error"] == "timeout"
    assert elapsed < 2.0


def test_host_not_allowlisted_is_never_contacted(home: Home) -> None:
    ctx = make_ctx(allowed_hosts=("home.local",))
    result = box_for(f"{home.base}/lights").call("lights", {"room": "a", "on": True}, ctx)
    assert not result.ok
    assert result.content == "host 127.0.0.1 is not in tools.allowed_hosts"
    assert home.requests == []


def test_host_with_port_may_be_allowlisted(home: Home) -> None:
    ctx = make_ctx(allowed_hosts=(f"127.0.0.1:{home.port}",))
    assert box_for(f"{home.base}/lights").call("lights", {"room": "a", "on": True}, ctx).ok
    other_port = make_ctx(allowed_hosts=(f"127.0.0.1:{home.port + 1}",))
    assert not box_for(f"{home.base}/lights").call("lights", {"room": "a", "on": 1}, other_port).ok


def test_redirect_to_another_host_is_refused(home: Home) -> None:
    result = box_for(f"{home.base}/away").call("lights", {"room": "a", "on": True}, CTX)
    assert not result.ok
    assert "refused redirect from 127.0.0.1 to elsewhere.invalid" in result.content
    assert [r[1] for r in home.requests] == ["/away"]


def test_redirect_within_the_host_is_followed(home: Home) -> None:
    result = box_for(f"{home.base}/home").call("lights", {"room": "a", "on": True}, CTX)
    assert result.ok
    assert result.content == "followed the redirect"
    assert [r[:2] for r in home.requests] == [("POST", "/home"), ("GET", "/landing")]


@pytest.mark.parametrize(
    ("arguments", "says"),
    [
        ({"room": "kitchen"}, "missing required argument(s): on"),
        ({"room": "kitchen", "on": "yes"}, "argument 'on' must be boolean, got string"),
        ({"room": 3, "on": True}, "argument 'room' must be string, got integer"),
        ({"room": "a", "on": True, "level": 2.5}, "argument 'level' must be integer"),
        (["kitchen", True], "must be a JSON object, got array"),
        ("{room: kitchen}", "are not valid JSON"),
    ],
)
def test_bad_arguments_are_not_sent(home: Home, arguments: Any, says: str) -> None:
    result = box_for(f"{home.base}/lights").call("lights", arguments, CTX)
    assert not result.ok
    assert says in result.content
    assert home.requests == []


def test_long_reply_is_truncated(home: Home) -> None:
    result = box_for(f"{home.base}/long").call("lights", {"room": "a", "on": True}, CTX)
    assert result.ok
    assert len(result.content) == 2000
    assert result.content.endswith("…[truncated]")
    assert result.data["truncated"] is True


def test_empty_reply(home: Home) -> None:
    result = box_for(f"{home.base}/empty").call("lights", {"room": "a", "on": True}, CTX)
    assert result.ok
    assert result.content == "(empty reply, HTTP 204)"


def test_nobody_listening() -> None:
    port = free_port()
    box = box_for(f"http://127.0.0.1:{port}/lights")
    result = box.call("lights", {"room": "a", "on": True}, CTX)
    assert not result.ok
    assert result.content.startswith("could not reach 127.0.0.1: ")
    assert result.data["error"] == "unreachable"
