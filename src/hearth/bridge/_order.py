"""Per chat, replies take turns in the order their messages came.

A reply that is ready may still have to wait: after a bridge restart every
owed delivery resumes at once, and their final texts are read in whatever
order Redis answers; a preview could also go out before an earlier reply
that Telegram has not taken yet. Each delivery joins its chat's line when it
starts and may show anything only when it is first in that line.
"""

from __future__ import annotations

import asyncio
import bisect


class ChatLines:
    """Deliveries waiting per chat, ordered by when their message was received."""

    def __init__(self) -> None:
        self._lines: dict[int, list[tuple[float, str]]] = {}
        self._moved: dict[int, asyncio.Event] = {}

    def join(self, chat_id: int, received_at: float, key: str) -> None:
        """Put a delivery in its chat's line (again: no-op)."""
        line = self._lines.setdefault(chat_id, [])
        if all(k != key for _, k in line):
            bisect.insort(line, (received_at, key))

    def first(self, chat_id: int, key: str) -> bool:
        """Whether the delivery is at the head of its chat's line (or not in one)."""
        line = self._lines.get(chat_id)
        return not line or line[0][1] == key or all(k != key for _, k in line)

    async def turn(self, chat_id: int, key: str) -> None:
        """Wait until every earlier delivery of the chat has left its line."""
        while not self.first(chat_id, key):
            await self._moved.setdefault(chat_id, asyncio.Event()).wait()

    def leave(self, chat_id: int, key: str) -> None:
        """Take a delivery out of its line (done, given up or cancelled); wake the next."""
        line = self._lines.get(chat_id, [])
        line[:] = [entry for entry in line if entry[1] != key]
        if not line:
            self._lines.pop(chat_id, None)
        moved = self._moved.pop(chat_id, None)
        if moved is not None:
            moved.set()

    def waiting(self) -> int:
        """Deliveries in all lines."""
        return sum(len(line) for line in self._lines.values())
