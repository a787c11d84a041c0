"""Versioned payloads: the only things that cross Redis between bridge and worker.

Each payload carries `schema_version`. A worker accepts every version up to
its own and upgrades older ones in `upgrade`, so messages queued before an
upgrade are still answered after it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from hearth.errors import PayloadInvalid

#: Current payload schema version.
PAYLOAD_SCHEMA_VERSION = 1

#: Longest inbound text we queue (Telegram's own limit is 4096).
MAX_TEXT_CHARS = 16_000


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


class _Payload(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    schema_version: int = Field(PAYLOAD_SCHEMA_VERSION, ge=1)


class Inbound(_Payload):
    """A chat message from a user, ready for a worker."""

    message_id: str = Field(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9:_.-]+$")
    chat_id: str = Field(min_length=1, max_length=64)
    user_id: str = Field(min_length=1, max_length=64)
    text: str = Field(min_length=1, max_length=MAX_TEXT_CHARS)
    sent_at: datetime = Field(default_factory=utcnow)
    queued_at: datetime = Field(default_factory=utcnow)
    channel: Literal["telegram", "console", "bench", "api"] = "telegram"


class ControlKind(StrEnum):
    """What a control job asks a worker to do with a chat."""

    RESET = "reset"
    FORGET = "forget"
    FEEDBACK = "feedback"
    EXPORT = "export"
    IMPORT = "import"
    MOVE = "move"


class Control(_Payload):
    """A command about a chat: /reset, /forget, feedback, moving memory."""

    kind: ControlKind
    chat_id: str = Field(min_length=1, max_length=64)
    message_id: str | None = None
    feedback: Literal["up", "down", "bad"] | None = None
    target_worker: str | None = None
    data: dict[str, Any] | None = None


class ReplyStatus(StrEnum):
    """How a reply ended."""

    OK = "ok"
    TRUNCATED = "truncated"
    TIMEOUT = "timeout"
    ERROR = "error"


class ReplyChunk(_Payload):
    """Some new text of a reply, in order; `attempt` restarts after a crash."""

    kind: Literal["chunk"] = "chunk"
    attempt: int = Field(ge=1)
    seq: int = Field(ge=0)
    text: str


class ReplyFinal(_Payload):
    """The end of a reply: the whole text and how it ended."""

    kind: Literal["final"] = "final"
    attempt: int = Field(ge=1)
    text: str
    status: ReplyStatus = ReplyStatus.OK
    spec_id: str | None = None
    worker_id: str | None = None
    prompt_tokens: int = 0
    completion_tokens: int = 0


class Outbound(_Payload):
    """A message a worker sends on its own (a reminder), delivered by the bridge."""

    chat_id: str
    text: str = Field(min_length=1)
    channel: str = "telegram"
    reason: Literal["reminder", "notice"] = "reminder"


P = TypeVar("P", bound=_Payload)


def upgrade(data: dict[str, Any]) -> dict[str, Any]:
    """Bring an older payload up to the current schema (none are older yet)."""
    version = int(data.get("schema_version", 1))
    if version > PAYLOAD_SCHEMA_VERSION:
        raise PayloadInvalid(
            f"payload schema {version} is newer than this Hearth ({PAYLOAD_SCHEMA_VERSION}); "
            "upgrade Hearth on this machine"
        )
    return {**data, "schema_version": PAYLOAD_SCHEMA_VERSION}


def parse(model: type[P], data: Any) -> P:
    """Validate a payload from Redis, raising `PayloadInvalid` that names the field."""
    if not isinstance(data, dict):
        raise PayloadInvalid(f"{model.__name__} payload must be a JSON object")
    try:
        return model.model_validate(upgrade(data))
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise PayloadInvalid(f"{model.__name__}.{where}: {first['msg']}") from None
