"""What the update handlers need from the bridge that runs them.

A protocol rather than the `TelegramBridge` class itself, so that the handlers
module does not import the module that imports it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Protocol, TypeVar

from telegram.ext import Application

from hearth.bridge._delivery import Deliverer
from hearth.bridge._metrics import Metrics
from hearth.bridge._sender import Sender
from hearth.settings import Settings

T = TypeVar("T")


class BridgeParts(Protocol):
    """The running bridge as its handlers see it."""

    settings: Settings
    app: Application[Any, Any, Any, Any, Any, Any]
    metrics: Metrics
    sender: Sender
    deliverer: Deliverer

    async def retrying(self, chat_id: int | None, call: Callable[[], Awaitable[T]]) -> T:
        """Run a Redis operation until it succeeds, telling the chat once that we wait."""
        ...
