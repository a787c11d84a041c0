"""Structured logs: JSON lines off a terminal, a readable line on one, secrets redacted.

`configure_logging(settings)` is called once by the `hearth` command. It puts a
single handler on the root logger:

* on a terminal, ``2026-01-02 03:04:05 INFO hearth.x: message key=value``;
* otherwise (systemd's journal, ``docker logs``, a file) one JSON object per
  line: ``ts``, ``level``, ``logger``, ``msg``, the record's ``extra`` fields
  and ``exc`` for a traceback.

Every record passes `RedactFilter` first, whatever library logged it: the values
of the settings' secrets (`SecretStr` fields), anything shaped like a Telegram
bot token (httpx logs request URLs such as ``/bot<token>/getUpdates``) and the
password of any ``redis://user:password@host`` URL become ``***``.

Message text rule: library code logs what a user wrote or what the model
answered only at DEBUG, never at INFO or above. As a safety net, `extra` fields
named in `TEXT_FIELDS` are replaced by their length on records above DEBUG.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Iterable, Sized
from datetime import UTC, datetime
from typing import Any, TextIO

from pydantic import SecretStr

from hearth.settings import Settings

#: What replaces a secret in a log line.
MASK = "***"
#: A Telegram bot token: the bot's numeric id, a colon, 30+ URL-safe characters.
BOT_TOKEN = re.compile(r"\b\d{3,}:[A-Za-z0-9_-]{30,}")
#: The password part of a URL's credentials (redis://user:password@host, https too).
URL_PASSWORD = re.compile(r"(?P<head>\b[a-z][a-z0-9+.-]*://[^:@/\s]*:)(?P<pw>[^@/\s]+)(?=@)")
#: `extra` fields that carry chat text; above DEBUG they are replaced by their length.
TEXT_FIELDS = frozenset({"text", "user_text", "reply_text", "message_text", "prompt"})
#: `extra` fields that carry a job's whole arguments (RQ logs a failed job's
#: `arguments` and `kwargs` at ERROR); above DEBUG they are replaced by their size.
PAYLOAD_FIELDS = frozenset({"arguments", "kwargs"})
#: Secrets shorter than this are not masked on their own: "1" would mask every digit.
MIN_SECRET_CHARS = 6
#: Chatty libraries whose INFO lines (one per HTTP request) are noise in production.
QUIET_LOGGERS = ("httpx", "httpcore", "apscheduler")

# Attributes every LogRecord has; anything else on a record came from `extra`.
_STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message", "asctime", "taskName",
}  # fmt: skip


def settings_secrets(settings: Settings) -> list[str]:
    """The values of every `SecretStr` setting that is set.

    For a URL (REDIS_URL) only its password is secret: the host stays readable.
    """
    found: list[str] = []
    for name in type(settings).model_fields:
        value = getattr(settings, name)
        if not isinstance(value, SecretStr) or not value.get_secret_value():
            continue
        secret = value.get_secret_value()
        match = URL_PASSWORD.search(secret)
        if match:
            found.append(match.group("pw"))
        elif "://" not in secret:
            found.append(secret)
    return found


class Redactor:
    """Replaces known secret values and secret-shaped strings in text."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        # Longest first, so a secret that contains another is masked whole.
        unique = {s for s in secrets if len(s) >= MIN_SECRET_CHARS}
        self._secrets = sorted(unique, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        """`text` with every secret masked."""
        for secret in self._secrets:
            if secret in text:
                text = text.replace(secret, MASK)
        text = BOT_TOKEN.sub(MASK, text)
        return URL_PASSWORD.sub(lambda m: m.group("head") + MASK, text)


class RedactFilter(logging.Filter):
    """Masks secrets in a record's message, arguments, extras and traceback.

    Attach it to handlers (as `configure_logging` does), not loggers: a
    logger's filters do not see records that propagate from child loggers.
    """

    def __init__(self, redactor: Redactor) -> None:
        super().__init__()
        self.redact = redactor

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record in place; never drops it."""
        record.msg = self.redact(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        for key, value in list(vars(record).items()):
            if key in _STANDARD:
                continue
            if key in TEXT_FIELDS and record.levelno > logging.DEBUG and value is not None:
                setattr(record, key, f"<{len(str(value))} chars>")
            elif key in PAYLOAD_FIELDS and record.levelno > logging.DEBUG and value:
                setattr(record, key, f"<{len(value) if isinstance(value, Sized) else 1} items>")
            elif isinstance(value, str):
                setattr(record, key, self.redact(value))
        return True


def extras(record: logging.LogRecord) -> dict[str, Any]:
    """The `extra` fields of a record."""
    return {k: v for k, v in vars(record).items() if k not in _STANDARD}


class JsonFormatter(logging.Formatter):
    """One JSON object per record, on one line."""

    def format(self, record: logging.LogRecord) -> str:
        """Serialize `record`; values JSON cannot hold become their `str`."""
        data: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        data.update(extras(record))
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            data["exc"] = record.exc_text
        if record.stack_info:
            data["stack"] = record.stack_info
        return json.dumps(data, ensure_ascii=False, default=str)


class HumanFormatter(logging.Formatter):
    """``time LEVEL logger: message key=value ...`` for a person at a terminal."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s", "%Y-%m-%d %H:%M:%S")

    def formatMessage(self, record: logging.LogRecord) -> str:  # noqa: N802 - stdlib name
        """The standard line, followed by the record's extras."""
        line = super().formatMessage(record)
        fields = " ".join(f"{k}={v}" for k, v in extras(record).items())
        return f"{line} {fields}" if fields else line


def configure_logging(
    settings: Settings | None = None,
    *,
    level: str | None = None,
    stream: TextIO | None = None,
    json_lines: bool | None = None,
    secrets: Iterable[str] = (),
) -> logging.Handler:
    """Send every log record to `stream` (stderr), redacted, in the right format.

    `json_lines` defaults to "stream is not a terminal". `level` defaults to
    ``settings.log_level``. Replaces handlers a previous call installed, so it
    is safe to call twice. Returns the handler.
    """
    stream = stream if stream is not None else sys.stderr
    if json_lines is None:
        json_lines = not (hasattr(stream, "isatty") and stream.isatty())
    known = [*secrets, *(settings_secrets(settings) if settings is not None else [])]
    handler = logging.StreamHandler(stream)
    handler.set_name("hearth")
    handler.addFilter(RedactFilter(Redactor(known)))
    handler.setFormatter(JsonFormatter() if json_lines else HumanFormatter())
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == "hearth"]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level or (settings.log_level if settings is not None else "INFO"))
    if root.level > logging.DEBUG:
        for name in QUIET_LOGGERS:
            logging.getLogger(name).setLevel(logging.WARNING)
    return handler


__all__ = [
    "BOT_TOKEN",
    "MASK",
    "PAYLOAD_FIELDS",
    "TEXT_FIELDS",
    "HumanFormatter",
    "JsonFormatter",
    "RedactFilter",
    "Redactor",
    "configure_logging",
    "extras",
    "settings_secrets",
]
