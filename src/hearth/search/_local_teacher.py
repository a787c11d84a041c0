"""A local teacher: a catalog model served by llama.cpp's OpenAI-compatible server.

With no ``HEARTH_TEACHER_URL``, the search may start ``python -m
llama_cpp.server`` itself on a free loopback port, serving the largest
installed catalog model (or ``HEARTH_TEACHER_MODEL``, a catalog name or a
GGUF path), and stop it when the search ends. The server needs
llama-cpp-python's ``server`` extra (fastapi, uvicorn, sse-starlette).
"""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType

from hearth.errors import ConfigError, TeacherError
from hearth.models import resolve_model
from hearth.search.proposers import installed_options
from hearth.settings import Settings

log = logging.getLogger(__name__)

#: Seconds the server may take to load the model and answer /v1/models.
DEFAULT_READY_TIMEOUT_S = 180.0
#: Context the teacher is served with, in tokens: lessons plus the spec brief fit.
DEFAULT_N_CTX = 8192
#: Seconds to wait for the server to exit after SIGTERM before killing it.
STOP_TIMEOUT_S = 10.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def local_teacher_model(settings: Settings) -> str | None:
    """The model a local teacher serves: HEARTH_TEACHER_MODEL, else the largest installed."""
    if settings.teacher_model:
        return settings.teacher_model
    options = installed_options(settings.home)
    return max(options, key=lambda o: o.size_bytes).name if options else None


class LocalTeacher:
    """``python -m llama_cpp.server`` serving one model; use as ``with LocalTeacher(...)``."""

    def __init__(self, model: str, home: Path, *, n_ctx: int = DEFAULT_N_CTX,
                 n_threads: int | None = None,
                 ready_timeout_s: float = DEFAULT_READY_TIMEOUT_S) -> None:
        self.model = model
        self.path = resolve_model(model, home)
        self.home = home
        self.n_ctx, self.ready_timeout_s = n_ctx, ready_timeout_s
        self.n_threads = n_threads or max(1, (os.cpu_count() or 2))
        self.port = 0
        self.log_path = home / "teacher-server.log"
        self._proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """The API base, for HEARTH_TEACHER_URL."""
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self) -> None:
        """Start the server and wait until it answers; raises `TeacherError` if it cannot."""
        self.port = _free_port()
        self.home.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("wb") as out:
            self._proc = subprocess.Popen(
                [sys.executable, "-m", "llama_cpp.server", "--model", str(self.path),
                 "--model_alias", self.model, "--host", "127.0.0.1", "--port", str(self.port),
                 "--n_ctx", str(self.n_ctx), "--n_threads", str(self.n_threads),
                 "--verbose", "False"], stdout=out, stderr=subprocess.STDOUT)
        log.info("local teacher %s starting on port %d", self.model, self.port)
        deadline = time.monotonic() + self.ready_timeout_s
        while time.monotonic() < deadline:
            code = self._proc.poll()
            if code is not None:
                tail = self.log_path.read_text(errors="replace")[-1500:]
                self._proc = None
                raise TeacherError(
                    f"the local teacher server exited with code {code}; it "
                    "needs llama-cpp-python's server extra: pip install "
                    f"'llama-cpp-python[server]' (log {self.log_path}):\n{tail}")
            try:
                with urllib.request.urlopen(f"{self.url}/models", timeout=2) as resp:
                    if resp.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.25)
        self.stop()
        raise TeacherError(f"the local teacher did not answer within {self.ready_timeout_s:.0f} "
                           f"s; see {self.log_path}")

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL after `STOP_TIMEOUT_S`)."""
        proc, self._proc = self._proc, None
        if proc is None:
            return
        proc.terminate()
        try:
            proc.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.info("local teacher %s stopped", self.model)

    @property
    def running(self) -> bool:
        """Whether the server process is alive."""
        return self._proc is not None and self._proc.poll() is None

    def __enter__(self) -> LocalTeacher:
        self.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()


@contextmanager
def teacher_settings(settings: Settings, proposer: str) -> Iterator[tuple[Settings, str]]:
    """Settings and proposer for a search, with a local teacher running where one is due.

    ``--proposer local`` always starts one (HEARTH_TEACHER_MODEL, else the
    largest installed model); ``auto`` starts one only when HEARTH_TEACHER_MODEL
    is set and HEARTH_TEACHER_URL is not: on two cores one answer of a 0.5B
    teacher takes minutes, so a night does not start one unasked.
    """
    if proposer == "local" and settings.teacher_url:
        raise ConfigError("--proposer local starts a teacher on this machine, but "
                          "HEARTH_TEACHER_URL is set: unset it, or use --proposer teacher",
                          variable="HEARTH_TEACHER_URL")
    wanted = proposer == "local" or (proposer == "auto" and not settings.teacher_url
                                     and bool(settings.teacher_model))
    model = local_teacher_model(settings) if wanted else None
    if model is None:
        if proposer == "local":
            raise ConfigError("--proposer local needs an installed model to teach: run "
                              "`hearth models pull qwen2.5-coder-0.5b-instruct` or set "
                              "HEARTH_TEACHER_MODEL", variable="HEARTH_TEACHER_MODEL")
        yield settings, proposer
        return
    with LocalTeacher(model, settings.home) as server:
        yield settings.model_copy(update={"teacher_url": server.url,
                                          "teacher_model": model}), "both"


__all__ = ["LocalTeacher", "local_teacher_model", "teacher_settings"]
