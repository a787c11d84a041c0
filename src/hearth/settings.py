"""Hearth's settings: one object, built once from the environment, passed down.

Every variable has the `HEARTH_` prefix except the two that other tools already
know by name, `REDIS_URL` and `TELEGRAM_BOT_TOKEN`. Secrets are `SecretStr`, so
printing or logging the settings shows `**********` instead of the value.
"""

from __future__ import annotations

import os
import secrets
import socket
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from hearth.errors import ConfigError

#: Default Bot API root; requests go to ``{root}/bot{token}/{method}``.
DEFAULT_TELEGRAM_API_URL = "https://api.telegram.org"


class Settings(BaseSettings):
    """Everything Hearth reads from the environment."""

    model_config = SettingsConfigDict(
        env_prefix="HEARTH_",
        env_nested_delimiter="__",
        extra="ignore",
        # `TELEGRAM_BOT_TOKEN=` in a compose file means unset, not an empty token.
        env_ignore_empty=True,
        frozen=True,
    )

    home: Path = Field(
        default_factory=lambda: Path.home() / ".hearth",
        description="Where Hearth keeps its data: specs, memory, traces, embedded Redis.",
    )
    redis_url: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("REDIS_URL", "HEARTH_REDIS_URL"),
        description="redis:// or rediss:// URL; unset: `hearth up` starts a private server.",
    )
    telegram_bot_token: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("TELEGRAM_BOT_TOKEN", "HEARTH_TELEGRAM_BOT_TOKEN"),
        description="Bot token from @BotFather; unset: the console channel is used.",
    )
    telegram_api_url: str = Field(default=DEFAULT_TELEGRAM_API_URL)
    allowed_users: Annotated[frozenset[int], NoDecode] = Field(default=frozenset())
    webhook_url: str | None = Field(
        default=None, description="public https URL of this bridge; unset: long polling")
    http_host: str = "127.0.0.1"
    http_port: int = Field(default=8080, ge=0, le=65535)
    spec_secret: SecretStr | None = None
    teacher_url: str | None = None
    teacher_model: str | None = None
    teacher_api_key: SecretStr | None = None
    worker_id: str = Field(default_factory=lambda: socket.gethostname().split(".")[0] or "worker")
    timezone: str = "UTC"
    nightly_at: str = Field(
        default="03:00",
        description="HH:MM in HEARTH_TIMEZONE when the nightly search starts; `off` disables it.")
    max_pending_per_chat: int = Field(default=5, ge=1, le=1000)
    reply_timeout_s: float = Field(
        default=3900.0, gt=0, le=7 * 86_400,
        description="seconds the bridge waits for a worker's reply before telling the user "
                    "it gave up (default: RQ's backstop limit of a job)")
    reply_owed_s: float = Field(
        default=86_400.0, gt=0, le=30 * 86_400,
        description="seconds a reply Telegram did not take stays owed and is tried again")
    worker_lock_wait_s: float = Field(default=60.0, ge=0, le=3600)
    trace_retention_days: int = Field(
        default=90, ge=1, le=3650, description="traces older than this are deleted daily")
    log_level: str = "INFO"
    extra_job_modules: tuple[str, ...] = Field(
        default=(), description="modules whose functions this worker also runs as jobs, beside "
        "Hearth's own (a JSON list); for the benchmarks' instant job, never needed otherwise")

    @field_validator("allowed_users", mode="before")
    @classmethod
    def _split_users(cls, value: Any) -> Any:
        if isinstance(value, str):
            parts = [p.strip() for p in value.split(",") if p.strip()]
            try:
                return frozenset(int(p) for p in parts)
            except ValueError:
                raise ValueError(
                    "must be comma-separated numeric Telegram user ids, e.g. 12345,67890"
                ) from None
        return value

    @field_validator("telegram_api_url", "teacher_url", "webhook_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not value.startswith(("http://", "https://")):
            raise ValueError("must be an http:// or https:// URL")
        return value.rstrip("/")

    @field_validator("redis_url")
    @classmethod
    def _redis_url(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value():
            return None
        if not value.get_secret_value().startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("must start with redis://, rediss:// or unix://")
        return value

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("must be an IANA time zone name such as Europe/Berlin") from None
        return value

    @field_validator("nightly_at")
    @classmethod
    def _nightly_at(cls, value: str) -> str:
        text = value.strip().lower()
        if text == "off":
            return text
        hour, sep, minute = text.partition(":")
        if not (sep and hour.isdigit() and minute.isdigit() and len(minute) == 2
                and 0 <= int(hour) <= 23 and 0 <= int(minute) <= 59):
            raise ValueError("must be HH:MM (24-hour clock, e.g. 03:00) or `off`")
        return f"{int(hour):02d}:{minute}"

    @field_validator("worker_id")
    @classmethod
    def _worker_id(cls, value: str) -> str:
        if not value or not all(c.isalnum() or c in "-_." for c in value) or len(value) > 64:
            raise ValueError("must be 1-64 letters, digits, '-', '_' or '.'")
        return value

    @field_validator("log_level")
    @classmethod
    def _log_level(cls, value: str) -> str:
        upper = value.upper()
        if upper not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
            raise ValueError("must be one of DEBUG, INFO, WARNING, ERROR")
        return upper


def _variable_for(field: str) -> str:
    """The environment variable behind a field (or an alias pydantic reports instead)."""
    for name, info in Settings.model_fields.items():
        alias = info.validation_alias
        if isinstance(alias, AliasChoices) and (field == name or field in alias.choices):
            choices = [c for c in alias.choices if isinstance(c, str)]
            # Name the variable the user actually set, not always the first alias.
            return next((c for c in choices if c in os.environ), choices[0])
    return f"HEARTH_{field.upper()}"


#: The spec secret kept in the Hearth home when HEARTH_SPEC_SECRET is unset (mode 0600).
SPEC_SECRET_FILE = "spec-secret"


def ensure_spec_secret(settings: Settings) -> Settings:
    """Settings with a spec secret: HEARTH_SPEC_SECRET, else the home's file, made if missing.

    Without a secret, workers refuse every published spec and the nightly
    search cannot push its result; a fresh install must not need a manual step.
    Machines that share a Redis but not a home still need one HEARTH_SPEC_SECRET.
    """
    if settings.spec_secret is not None:
        return settings
    path = settings.home / SPEC_SECRET_FILE
    if not path.exists():
        settings.home.mkdir(parents=True, exist_ok=True)
        # O_EXCL: two processes starting at once keep the first one's secret.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as out:
                out.write(secrets.token_hex(32) + "\n")
    return _with_secret_file(settings)


def _with_secret_file(settings: Settings) -> Settings:
    path = settings.home / SPEC_SECRET_FILE
    if settings.spec_secret is not None or not path.exists():
        return settings
    try:
        value = path.read_text().strip()
    except OSError as exc:
        raise ConfigError(f"cannot read the spec secret {path}: {exc}; fix its permissions or "
                          "set HEARTH_SPEC_SECRET", variable="HEARTH_SPEC_SECRET") from None
    if not value:
        raise ConfigError(f"the spec secret file {path} is empty; delete it (a new one is made) "
                          "or set HEARTH_SPEC_SECRET", variable="HEARTH_SPEC_SECRET")
    return settings.model_copy(update={"spec_secret": SecretStr(value)})


def load_settings(**overrides: Any) -> Settings:
    """Build the settings from the environment, or raise `ConfigError` naming the variable.

    An unset HEARTH_SPEC_SECRET is read from the home's `spec-secret` file when
    one exists (`ensure_spec_secret` makes it).
    """
    try:
        return _with_secret_file(Settings(**overrides))
    except ValidationError as exc:
        first = exc.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else ""
        variable = _variable_for(field)
        message = str(first["msg"]).removeprefix("Value error, ")
        raise ConfigError(f"{variable}: {message}", variable=variable) from None


__all__ = [
    "DEFAULT_TELEGRAM_API_URL",
    "SPEC_SECRET_FILE",
    "Settings",
    "ensure_spec_secret",
    "load_settings",
]
