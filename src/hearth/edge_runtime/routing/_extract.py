"""Deterministic arguments for the built-in tools, read from the message.

The model fills in arguments only when these readers find none: they are
exact where the phrasing is regular, and a 135M model is not.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hearth.edge_runtime.routing._dates import clock_arguments
from hearth.edge_runtime.routing._math import explicit_expression
from hearth.edge_runtime.routing._notes import (
    recall_arguments,
    remember_arguments,
    reminder_arguments,
)

Arguments = dict[str, Any]


def _calculator(text: str) -> Arguments | None:
    expression = explicit_expression(text)
    return {"expression": expression} if expression else None


_READERS: dict[str, Callable[[str], Arguments | None]] = {
    "calculator": _calculator,
    "clock": clock_arguments,
    "remember": remember_arguments,
    "recall": recall_arguments,
    "reminder": reminder_arguments,
}


def extract(tool: str, text: str) -> Arguments | None:
    """The arguments of built-in `tool` that `text` spells out, or None."""
    reader = _READERS.get(tool)
    return reader(text) if reader is not None else None
