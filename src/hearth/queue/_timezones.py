"""Each chat's time zone (/tz), read by the worker for the clock, reminders and the prompt."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import redis

from hearth.errors import ConfigError


def timezone_key(chat_id: str) -> str:
    """The IANA time zone name a chat chose with /tz."""
    return f"hearth:tz:{chat_id}"


def valid_timezone(name: str) -> str:
    """`name` if it is an IANA time zone, else `ConfigError` saying what to give."""
    name = name.strip()
    try:
        if not name or name.startswith(("/", ".")):
            raise ValueError(name)
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"unknown time zone {name!r}: give an IANA name such as "
                          "Europe/Berlin, America/New_York or UTC") from None
    return name


def set_chat_timezone(client: redis.Redis, chat_id: str, name: str) -> str:
    """Store a chat's time zone (validated); returns it."""
    name = valid_timezone(name)
    client.set(timezone_key(chat_id), name)
    return name


def chat_timezone(client: redis.Redis, chat_id: str) -> str | None:
    """The chat's own time zone, or None when it has not chosen one."""
    return stored_timezone(client.get(timezone_key(chat_id)))


def stored_timezone(value: bytes | str | None) -> str | None:
    """The zone stored under `timezone_key`, or None when unset or unknown here."""
    if value is None:
        return None
    name = value.decode() if isinstance(value, bytes) else str(value)
    try:
        return valid_timezone(name)
    except ConfigError:
        return None  # a zone this machine's tz database lacks: fall back to the spec's
