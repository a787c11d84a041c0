"""Every Redis key and RQ queue name Hearth uses, in one place.

All keys start with ``hearth:`` so Hearth can share a Redis with other
programs, and nothing here ever flushes a database.
"""

from __future__ import annotations

#: RQ queue that holds jobs for chats not yet assigned to a worker.
SHARED_CHAT_QUEUE = "hearth-chat"
#: RQ queue for the search job (nightly, runs on an edge worker).
SEARCH_QUEUE = "hearth-search"
#: Pub/sub channel where signed specs are published.
SPEC_CHANNEL = "hearth:spec"
#: Key holding the latest published signed spec, for workers that start later.
SPEC_CURRENT = "hearth:spec:current"
#: Counter of spec publications; each signed publication carries the next number.
SPEC_SEQUENCE = "hearth:spec:sequence"
#: Set of worker ids that have ever sent a heartbeat.
WORKERS = "hearth:workers"
#: Stream of messages workers send without a request (reminders), read by the bridge.
OUTBOX = "hearth:outbox"

#: Seconds a worker heartbeat lives without being refreshed.
HEARTBEAT_TTL_S = 30
#: Seconds between heartbeats.
HEARTBEAT_INTERVAL_S = 5
#: Seconds a finished reply stream is kept for late readers.
REPLY_TTL_S = 3600


def worker_queue(worker_id: str) -> str:
    """The RQ queue a worker takes its own chats' jobs from."""
    return f"hearth-chat-{worker_id}"


def heartbeat_key(worker_id: str) -> str:
    """Hash with a worker's id, host, spec, model and load; expires when it dies."""
    return f"hearth:worker:{worker_id}"


def worker_lock_key(worker_id: str) -> str:
    """Held by the one live process that runs as `worker_id`."""
    return f"hearth:worker:{worker_id}:lock"


def home_key(chat_id: str) -> str:
    """The worker id that owns this chat's memory."""
    return f"hearth:home:{chat_id}"


def pin_key(kind: str, ident: str) -> str:
    """An owner's pin of a chat or a user to a named worker."""
    return f"hearth:pin:{kind}:{ident}"


def reply_stream(message_id: str) -> str:
    """Stream of reply chunks, then one final record, for one inbound message."""
    return f"hearth:reply:{message_id}"


def attempt_key(message_id: str) -> str:
    """Counter of processing attempts for one message."""
    return f"hearth:attempt:{message_id}"


def pending_key(chat_id: str) -> str:
    """Sorted set of message ids queued but not yet answered for a chat."""
    return f"hearth:pending:{chat_id}"


def pending_payloads_key(chat_id: str) -> str:
    """Hash of the payloads of a chat's pending messages, by message id.

    The chat's home worker answers earlier pending messages before a later one
    (see `EdgeRuntime`), whichever job or queue carries them: per-chat order.
    """
    return f"hearth:pending-payload:{chat_id}"
