"""User tools: a spec's function schema bound to an HTTP endpoint.

The JSON arguments are POSTed to the endpoint with the endpoint's timeout,
only to a host named in `tools.allowed_hosts`; a redirect may not leave that
host. The reply body (JSON or text, cut to `MAX_CONTENT_CHARS`) is what the
model sees; every HTTP or network failure becomes a failed `ToolResult`.
"""

from __future__ import annotations

import http.client
import json
import time
import urllib.error
import urllib.request
from typing import IO, Any
from urllib.parse import urlsplit

from hearth.edge_runtime.tools._types import ToolContext, ToolDefinition, ToolResult
from hearth.errors import ToolError
from hearth.specs import Tool

#: Longest content the model sees from a reply, in characters.
MAX_CONTENT_CHARS = 2000
#: Most reply bytes read; the rest is dropped unread.
MAX_BODY_BYTES = 64 * 1024
_TRUNCATED = " …[truncated]"


def host_allowed(url: str, allowed_hosts: tuple[str, ...]) -> bool:
    """Whether `url`'s host (or host:port) is one of `allowed_hosts`."""
    parts = urlsplit(url)
    host = (parts.hostname or "").rstrip(".").lower()
    try:
        port = parts.port
    except ValueError:
        return False
    if not host:
        return False
    names = {host} if port is None else {host, f"{host}:{port}"}
    return any(entry.strip().rstrip(".").lower() in names for entry in allowed_hosts)


class _SameHostRedirects(urllib.request.HTTPRedirectHandler):
    """Follows a redirect only to the same, allowlisted host."""

    def __init__(self, host: str, allowed_hosts: tuple[str, ...]) -> None:
        super().__init__()
        self._host = host
        self._allowed = allowed_hosts

    def redirect_request(  # noqa: PLR0917 (urllib's signature)
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: http.client.HTTPMessage,
        newurl: str,
    ) -> urllib.request.Request | None:
        target = urlsplit(newurl)
        same_host = (target.hostname or "").lower() == self._host
        if not (same_host and target.scheme in ("http", "https")) or not host_allowed(
            newurl, self._allowed
        ):
            fp.close()
            raise ToolError(
                f"refused redirect from {self._host} to {target.hostname or newurl}: "
                "a tool's endpoint may only redirect within its own host"
            )
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class HttpTool:
    """Runs a user tool: POSTs the arguments to `tool.endpoint` and reads the reply."""

    def __init__(self, tool: Tool) -> None:
        if tool.endpoint is None:
            raise ToolError(f"tool {tool.name!r} has no endpoint; give it endpoint.url")
        self.name = tool.name
        self.url = tool.endpoint.url
        self.timeout_s = tool.endpoint.timeout_s
        self.host = (urlsplit(self.url).hostname or "").lower()

    def __call__(self, arguments: dict[str, Any], ctx: ToolContext) -> ToolResult:
        """POST `arguments` as JSON; the reply body becomes the content."""
        if not host_allowed(self.url, ctx.allowed_hosts):
            return ToolResult(
                False,
                f"host {self.host or self.url} is not in tools.allowed_hosts",
                {"url": self.url, "error": "host_not_allowed"},
            )
        request = urllib.request.Request(
            self.url,
            data=json.dumps(arguments, ensure_ascii=False).encode(),
            method="POST",
            headers={
                "Content-Type": "application/json",
                "Accept": "application/json, text/plain;q=0.9, */*;q=0.1",
                "User-Agent": "hearth-tool",
            },
        )
        # No proxies: a user tool talks to its own allowlisted host directly.
        opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({}), _SameHostRedirects(self.host, ctx.allowed_hosts)
        )
        deadline = time.monotonic() + self.timeout_s
        info: dict[str, Any] = {"url": self.url}
        try:
            with opener.open(request, timeout=self.timeout_s) as response:
                body = _read(response, deadline)
                info["status"] = response.status
                info["content_type"] = response.headers.get_content_type()
                charset = response.headers.get_content_charset() or "utf-8"
        except urllib.error.HTTPError as e:
            try:
                detail = _decode(e.read(500), e.headers.get_content_charset() or "utf-8")
            except OSError:
                detail = ""  # the status says enough when the error body will not come
            finally:
                e.close()
            message = f"{self.host} answered HTTP {e.code} {e.reason}"
            message += f": {detail.strip()[:300]}" if detail.strip() else ""
            return ToolResult(False, message, {**info, "status": e.code, "error": "http_status"})
        except urllib.error.URLError as e:
            if isinstance(e.reason, TimeoutError):
                return self._timed_out(info)
            return ToolResult(
                False, f"could not reach {self.host}: {e.reason}", {**info, "error": "unreachable"}
            )
        except TimeoutError:
            return self._timed_out(info)
        except (OSError, http.client.HTTPException) as e:
            return ToolResult(
                False,
                f"{self.host} broke off the reply: {type(e).__name__}: {e}",
                {**info, "error": "connection"},
            )
        return ToolResult(True, _content(body, charset, info), info)

    def _timed_out(self, info: dict[str, Any]) -> ToolResult:
        return ToolResult(
            False,
            f"{self.host} did not answer within {self.timeout_s:g} s (endpoint.timeout_s)",
            {**info, "error": "timeout"},
        )


def _read(response: IO[bytes], deadline: float) -> bytes:
    # The socket timeout bounds each read; the deadline bounds a slow trickle.
    chunks: list[bytes] = []
    size = 0
    while size < MAX_BODY_BYTES:
        chunk = response.read(min(8192, MAX_BODY_BYTES - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
        if time.monotonic() > deadline:
            raise TimeoutError
    return b"".join(chunks)


def _decode(body: bytes, charset: str) -> str:
    try:
        return body.decode(charset, errors="replace")
    except LookupError:
        return body.decode("utf-8", errors="replace")


def _content(body: bytes, charset: str, info: dict[str, Any]) -> str:
    text = _decode(body, charset)
    if not text.strip():
        return f"(empty reply, HTTP {info.get('status')})"
    try:
        parsed: object = json.loads(text)
        text = json.dumps(parsed, ensure_ascii=False)
        info["json"] = True
    except ValueError:
        info["json"] = False
    info["chars"] = len(text)
    info["truncated"] = len(text) > MAX_CONTENT_CHARS or len(body) >= MAX_BODY_BYTES
    if len(text) > MAX_CONTENT_CHARS:
        text = text[: MAX_CONTENT_CHARS - len(_TRUNCATED)] + _TRUNCATED
    return text


def http_definition(tool: Tool) -> ToolDefinition:
    """The `ToolDefinition` of a spec tool that has an endpoint."""
    return ToolDefinition(
        name=tool.name,
        description=tool.description or f"Call the user's {tool.name} service.",
        parameters=tool.parameters or {"type": "object", "properties": {}},
        run=HttpTool(tool),
    )
