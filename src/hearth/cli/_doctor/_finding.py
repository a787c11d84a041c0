"""One result of `hearth doctor`: a status, what was checked, what was found, the fix."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any


class Status(StrEnum):
    """How bad a finding is; only `ERROR` makes `hearth doctor` exit 1."""

    OK = "ok"
    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True)
class Finding:
    """One line of the report: ``status: check: detail — fix: how``."""

    status: Status
    check: str
    detail: str
    fix: str = ""

    def line(self) -> str:
        """The finding as one line of text."""
        text = f"{self.status.value}: {self.check}: {self.detail}"
        return f"{text} — fix: {self.fix}" if self.fix else text

    def as_json(self) -> dict[str, Any]:
        """JSON-ready form for ``--json``."""
        return {**asdict(self), "status": self.status.value}


def ok(check: str, detail: str) -> Finding:
    """A check that passed."""
    return Finding(Status.OK, check, detail)


def warning(check: str, detail: str, fix: str) -> Finding:
    """Something that works but should be fixed."""
    return Finding(Status.WARNING, check, detail, fix)


def error(check: str, detail: str, fix: str) -> Finding:
    """Something that stops Hearth from working."""
    return Finding(Status.ERROR, check, detail, fix)
