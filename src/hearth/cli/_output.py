"""Printing results for people, or as JSON for machines (`--json`)."""

from __future__ import annotations

import json
from typing import Any


def emit(data: Any, *, as_json: bool, text: str) -> None:
    """Print `data` as JSON when asked, else the human `text`."""
    print(json.dumps(data, indent=2, ensure_ascii=False) if as_json else text)
