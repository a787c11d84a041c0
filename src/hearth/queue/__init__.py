"""Redis connection, RQ queues and job payloads, reply streams, spec publication.

The bridge and the edge workers meet only here: through the payload models,
the queue names and the reply streams.
"""

from hearth.queue._batch import ChatBatcher, Queued
from hearth.queue._connection import connect, redact
from hearth.queue._embedded import EmbeddedRedis
from hearth.queue._jobs import (
    DELIVER,
    HANDLE_CHAT,
    HANDLE_CHATS,
    HANDLE_CONTROL,
    Command,
    enqueue_chat,
    enqueue_control,
    enqueue_outbound_at,
    mark_answered,
    pending_count,
    queue_for,
    rq_queue,
)
from hearth.queue._names import (
    OUTBOX,
    SEARCH_QUEUE,
    SHARED_CHAT_QUEUE,
    SPEC_CHANNEL,
    SPEC_CURRENT,
    worker_queue,
)
from hearth.queue._payloads import (
    PAYLOAD_SCHEMA_VERSION,
    Control,
    ControlKind,
    Inbound,
    Outbound,
    ReplyChunk,
    ReplyFinal,
    ReplyStatus,
    parse,
    utcnow,
)
from hearth.queue._reader import ReplyReader
from hearth.queue._reports import REPORTS, MorningReport, post_report
from hearth.queue._snapshot import status_snapshot
from hearth.queue._spec_channel import (
    current_spec,
    next_spec_sequence,
    publish_spec,
    sign_and_publish,
)
from hearth.queue._streams import (
    ReplyState,
    ReplyWriter,
    aread_reply,
    final_of,
    next_attempt,
    read_reply,
)
from hearth.queue._timezones import chat_timezone, set_chat_timezone, valid_timezone
from hearth.queue._workers import (
    WorkerInfo,
    assign_home,
    beat,
    claim_home,
    clear_beat,
    home_of,
    known_workers,
    online_workers,
    pin,
    seconds_since,
    set_home,
)

__all__ = [
    "DELIVER",
    "HANDLE_CHAT",
    "HANDLE_CHATS",
    "HANDLE_CONTROL",
    "OUTBOX",
    "PAYLOAD_SCHEMA_VERSION",
    "REPORTS",
    "SEARCH_QUEUE",
    "SHARED_CHAT_QUEUE",
    "SPEC_CHANNEL",
    "SPEC_CURRENT",
    "ChatBatcher",
    "Command",
    "Control",
    "ControlKind",
    "EmbeddedRedis",
    "Inbound",
    "MorningReport",
    "Outbound",
    "Queued",
    "ReplyChunk",
    "ReplyFinal",
    "ReplyReader",
    "ReplyState",
    "ReplyStatus",
    "ReplyWriter",
    "WorkerInfo",
    "aread_reply",
    "assign_home",
    "beat",
    "chat_timezone",
    "claim_home",
    "clear_beat",
    "connect",
    "current_spec",
    "enqueue_chat",
    "enqueue_control",
    "enqueue_outbound_at",
    "final_of",
    "home_of",
    "known_workers",
    "mark_answered",
    "next_attempt",
    "next_spec_sequence",
    "online_workers",
    "parse",
    "pending_count",
    "pin",
    "post_report",
    "publish_spec",
    "queue_for",
    "read_reply",
    "redact",
    "rq_queue",
    "seconds_since",
    "set_chat_timezone",
    "set_home",
    "sign_and_publish",
    "status_snapshot",
    "utcnow",
    "valid_timezone",
    "worker_queue",
]
