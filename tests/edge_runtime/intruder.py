"""An importable function a stranger could name as an RQ callback (never Hearth's own)."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def touch_marker(job: Any, *rest: Any) -> None:
    """Create the file named in the job's meta: proof that a callback ran."""
    Path(job.meta["marker"]).touch()
