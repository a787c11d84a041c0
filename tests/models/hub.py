"""A local stand-in for the Hugging Face hub: the endpoints `huggingface_hub` downloads with.

``HEAD /{owner}/{repo}/resolve/{revision}/{file}`` answers with the headers
the hub sends for an LFS file (``X-Repo-Commit``, an ``ETag`` that is the
file's sha256, ``Content-Length``); ``GET`` serves the bytes and honours
``Range: bytes=N-``. Switches make it misbehave the ways real networks do:
`cut_after` drops the connection mid-body, `stall_after` hangs mid-body,
`refuse` answers 503 to every GET, `lie_etag` announces a digest the bytes
do not have.
"""

from __future__ import annotations

import hashlib
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

COMMIT = "0123456789abcdef0123456789abcdef01234567"
_RANGE = re.compile(r"^bytes=(\d+)-$")


@dataclass
class HubState:
    """The files served, the switches, and what the clients asked for."""

    files: dict[str, bytes] = field(default_factory=dict)
    cut_after: int | None = None  # bytes sent before the next GET's connection is dropped
    refuse: bool = False
    lie_etag: bool = False
    stall_after: int | None = None  # bytes sent before the next GET hangs until `release`
    release: threading.Event = field(default_factory=threading.Event)
    gets: list[str | None] = field(default_factory=list)  # Range header of each GET
    auth: list[str | None] = field(default_factory=list)  # Authorization of every request

    def add(self, repo_file: str, data: bytes) -> str:
        """Serve `data` as ``owner/repo/file``; return its sha256."""
        self.files[repo_file] = data
        return hashlib.sha256(data).hexdigest()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    state: HubState

    def log_message(self, format: str, *args: Any) -> None:  # quiet tests
        del format, args

    def _find(self) -> bytes | None:
        match = re.match(r"^/([^/]+/[^/]+)/resolve/[^/]+/(.+)$", self.path.split("?")[0])
        return self.state.files.get(f"{match[1]}/{match[2]}") if match else None

    def _headers(self, data: bytes, status: int, length: int, extra: dict[str, str]) -> None:
        digest = hashlib.sha256(b"other" if self.state.lie_etag else data).hexdigest()
        self.send_response(status)
        self.send_header("X-Repo-Commit", COMMIT)
        self.send_header("ETag", f'"{digest}"')
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("Content-Length", str(length))
        for key, value in extra.items():
            self.send_header(key, value)
        self.end_headers()

    def _missing(self) -> None:
        self.send_response(404)
        self.send_header("X-Error-Code", "EntryNotFound")
        self.send_header("X-Repo-Commit", COMMIT)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_HEAD(self) -> None:
        self.state.auth.append(self.headers.get("Authorization"))
        data = self._find()
        if data is None:
            self._missing()
            return
        self._headers(data, 200, len(data), {})

    def do_GET(self) -> None:
        data = self._find()
        if data is None:
            self._missing()
            return
        header = self.headers.get("Range")
        self.state.gets.append(header)
        self.state.auth.append(self.headers.get("Authorization"))
        if self.state.refuse:
            self.send_response(503)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        start = 0
        if header and (match := _RANGE.match(header)):
            start = int(match[1])
        body = data[start:]
        if start:
            self._headers(data, 206, len(body),
                          {"Content-Range": f"bytes {start}-{len(data) - 1}/{len(data)}"})
        else:
            self._headers(data, 200, len(body), {})
        stall = self.state.stall_after
        if stall is not None:
            # Send part of the body, then hang: the client is killed meanwhile.
            self.state.stall_after = None
            self.wfile.write(body[:stall])
            self.wfile.flush()
            self.state.release.wait(timeout=120)
            self.close_connection = True
            return
        cut = self.state.cut_after
        if cut is not None:
            # Send part of the body, then drop the connection, and refuse what follows
            # (huggingface_hub retries at once; a real outage lasts longer than that).
            self.state.cut_after = None
            self.state.refuse = True
            self.wfile.write(body[:cut])
            self.wfile.flush()
            self.close_connection = True
            return
        self.wfile.write(body)


class LocalHub:
    """The stand-in hub on a free loopback port, in a thread; use as a context manager."""

    def __init__(self) -> None:
        self.state = HubState()
        handler = type("Handler", (_Handler,), {"state": self.state})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """The endpoint to put in HF_ENDPOINT."""
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> LocalHub:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.state.release.set()
        self._server.shutdown()
        self._server.server_close()
