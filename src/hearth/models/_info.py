"""What reports and `hearth models list` show about one model: entry, file, speed."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from hearth.models._entries import CatalogEntry
from hearth.models._state import BenchRecord, FileRecord


class FileStatus(StrEnum):
    """Where a model's file stands, judged from the recorded stat (nothing is hashed)."""

    VERIFIED = "verified"  # present, and unchanged since it hashed to its digest
    UNVERIFIED = "unverified"  # present, not hashed yet (or changed since): checked at load
    MISSING = "not pulled"


def file_status(path: Path | None, record: FileRecord | None) -> FileStatus:
    """The status of `path` given what was recorded when it was last verified."""
    if path is None:
        return FileStatus.MISSING
    stat = path.stat()
    if record is not None and record.path == str(path) and \
            (record.size, record.mtime_ns) == (stat.st_size, stat.st_mtime_ns):
        return FileStatus.VERIFIED
    return FileStatus.UNVERIFIED


@dataclass(frozen=True)
class ModelInfo:
    """One catalog entry as this machine sees it."""

    entry: CatalogEntry
    path: Path | None
    status: FileStatus
    sha256: str | None
    size: int | None
    bench: BenchRecord | None

    @property
    def name(self) -> str:
        """The catalog name."""
        return self.entry.name

    def as_json(self) -> dict[str, Any]:
        """A JSON-ready dict for `hearth models list --json` and reports."""
        entry = self.entry
        return {
            "name": entry.name,
            "source": entry.source_text,
            "status": self.status.value,
            "path": str(self.path) if self.path else None,
            "sha256": self.sha256,
            "size": self.size,
            "chat_template": entry.chat_template,
            "context_length": entry.context_length,
            "licence": entry.licence,
            "description": entry.description,
            "default": entry.default,
            "bench": self.bench.model_dump(mode="json") if self.bench else None,
        }
