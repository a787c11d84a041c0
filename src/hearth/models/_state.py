"""The catalog's state on disk: added entries, verified files, measured speeds.

One JSON file per models folder (``HEARTH_HOME/models/catalog.json``). Every
change is read-modify-write under an exclusive `flock` and lands with an
atomic rename, so a worker verifying a file and `hearth models bench` writing
speeds at the same moment never lose each other's update or leave half a file.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError

from hearth.errors import ModelError
from hearth.models._entries import CatalogEntry

#: The state file's name inside a models folder.
STATE_FILE = "catalog.json"
#: Bump when the layout changes incompatibly.
STATE_SCHEMA_VERSION = 1


def now_iso() -> str:
    """The current UTC time, ISO 8601, to the second."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


class FileRecord(BaseModel):
    """A model file that hashed to its pinned digest, and the stat it had then.

    While size and mtime stay the same the file is not hashed again: hashing
    500 MB on every load would cost seconds on a laptop.
    """

    path: str
    sha256: str
    size: int
    mtime_ns: int
    verified_at: str = Field(default_factory=now_iso)


class BenchRecord(BaseModel):
    """Speed and memory measured on this machine by `hearth models bench`."""

    prompt_tokens_per_s: float
    decode_tokens_per_s: float
    first_token_s: float
    rss_delta_mb: float
    prompt_tokens: int
    decode_tokens: int
    n_threads: int
    n_gpu_layers: int
    measured_at: str = Field(default_factory=now_iso)


class CatalogState(BaseModel):
    """Everything the catalog remembers about one models folder."""

    schema_version: int = STATE_SCHEMA_VERSION
    entries: dict[str, CatalogEntry] = Field(default_factory=dict)
    files: dict[str, FileRecord] = Field(default_factory=dict)
    bench: dict[str, BenchRecord] = Field(default_factory=dict)


class StateFile:
    """The state file of one models folder."""

    def __init__(self, models_dir: Path) -> None:
        self.models_dir = models_dir
        self.path = models_dir / STATE_FILE

    def read(self) -> CatalogState:
        """The current state (empty when nothing was recorded yet)."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return CatalogState()
        try:
            state = CatalogState.model_validate(json.loads(text))
        except (json.JSONDecodeError, ValidationError) as exc:
            raise ModelError(
                f"{self.path} is not a valid model catalog ({str(exc).splitlines()[0]}); "
                "move it aside and run `hearth models pull NAME` again for your models"
            ) from exc
        if state.schema_version != STATE_SCHEMA_VERSION:
            raise ModelError(f"{self.path} has schema version {state.schema_version}, this "
                             f"Hearth reads {STATE_SCHEMA_VERSION}; upgrade Hearth")
        return state

    @contextlib.contextmanager
    def lock(self, name: str = ".catalog") -> Iterator[None]:
        """Hold an exclusive lock named `name` in the folder (other processes wait)."""
        locks = self.models_dir / ".locks"
        locks.mkdir(parents=True, exist_ok=True)
        with (locks / f"{name}.lock").open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    @contextlib.contextmanager
    def update(self) -> Iterator[CatalogState]:
        """Yield the state to change in place; it is written back atomically on exit."""
        with self.lock():
            state = self.read()
            yield state
            self._write(state)

    def _write(self, state: CatalogState) -> None:
        text = json.dumps(state.model_dump(mode="json"), indent=2, sort_keys=True)
        fd, tmp = tempfile.mkstemp(dir=self.models_dir, prefix=".catalog-", suffix=".tmp")
        try:
            os.fchmod(fd, 0o644)  # mkstemp makes it private; the catalog holds no secrets
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(text + "\n")
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
