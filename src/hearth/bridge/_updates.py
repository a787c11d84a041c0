"""The getUpdates connection, which keeps one unreadable update from stopping the bridge.

python-telegram-bot parses a getUpdates answer as a whole: one update it
cannot read (a missing field, a type it does not know) raises, the poll loop
never gets past it and the bridge stops answering everyone. This request
class checks each update first; one that does not parse is replaced by its
bare `update_id` (no handler matches it, so it is acknowledged like any
other) and logged with what was wrong.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram import Update
from telegram.request import HTTPXRequest

log = logging.getLogger(__name__)


def readable(update: Any) -> Any:
    """`update` if python-telegram-bot can read it; else only its id (or None without one)."""
    try:
        Update.de_json(dict(update), None)
    except Exception as exc:  # noqa: BLE001 - any parse failure: PTB raises KeyError, TypeError, ...
        update_id = update.get("update_id") if isinstance(update, dict) else None
        log.error("update %s cannot be read (%s: %s); acknowledged and skipped", update_id,
                  type(exc).__name__, exc)
        return {"update_id": update_id} if isinstance(update_id, int) else None
    return update


class UpdatesRequest(HTTPXRequest):
    """`HTTPXRequest` for getUpdates alone, with unreadable updates taken out."""

    @staticmethod
    def parse_json_payload(payload: bytes) -> dict[str, Any]:
        """Telegram's answer, each update checked by `readable`."""
        data: dict[str, Any] = HTTPXRequest.parse_json_payload(payload)
        result = data.get("result") if isinstance(data, dict) else None
        if isinstance(result, list):
            data["result"] = [u for u in map(readable, result) if u is not None]
        return data
