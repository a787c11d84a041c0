"""Worker heartbeats, and which worker is home to which chat.

Memory stays home: each chat's memory lives in one worker's DuckDB file, so
every message of that chat goes to that worker's own queue. A new chat is
given to the least loaded online worker, unless the owner pinned the chat or
its user to a named worker.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass

import redis

from hearth.queue._names import (
    HEARTBEAT_TTL_S,
    WORKERS,
    heartbeat_key,
    home_key,
    pin_key,
)


@dataclass(frozen=True)
class WorkerInfo:
    """What a worker says about itself in its heartbeat."""

    worker_id: str
    host: str
    pid: int
    spec_id: str
    model: str
    load: int
    busy: bool
    started_at: float
    last_seen: float

    @classmethod
    def from_hash(cls, data: dict[bytes, bytes]) -> WorkerInfo:
        """Parse a heartbeat hash."""
        text = {k.decode(): v.decode() for k, v in data.items()}
        return cls(
            worker_id=text["worker_id"],
            host=text.get("host", "?"),
            pid=int(text.get("pid", 0)),
            spec_id=text.get("spec_id", ""),
            model=text.get("model", ""),
            load=int(text.get("load", 0)),
            busy=text.get("busy") == "1",
            started_at=float(text.get("started_at", 0)),
            last_seen=float(text.get("last_seen", 0)),
        )


def beat(client: redis.Redis, info: WorkerInfo) -> None:
    """Write a heartbeat that expires after `HEARTBEAT_TTL_S` unless refreshed."""
    fields = {k: ("1" if v is True else "0" if v is False else str(v))
              for k, v in asdict(info).items()}
    pipe = client.pipeline()
    pipe.hset(heartbeat_key(info.worker_id), mapping=fields)
    pipe.expire(heartbeat_key(info.worker_id), HEARTBEAT_TTL_S)
    pipe.sadd(WORKERS, info.worker_id)
    pipe.execute()


def clear_beat(client: redis.Redis, worker_id: str) -> None:
    """Remove a worker's heartbeat at a clean shutdown."""
    client.delete(heartbeat_key(worker_id))


def online_workers(client: redis.Redis) -> list[WorkerInfo]:
    """Workers whose heartbeat has not expired, by id."""
    ids = sorted(m.decode() for m in client.smembers(WORKERS))
    pipe = client.pipeline()
    for worker_id in ids:
        pipe.hgetall(heartbeat_key(worker_id))
    return [WorkerInfo.from_hash(h) for h in pipe.execute() if h]


def known_workers(client: redis.Redis) -> list[str]:
    """Every worker id that ever sent a heartbeat."""
    return sorted(m.decode() for m in client.smembers(WORKERS))


def home_of(client: redis.Redis, chat_id: str) -> str | None:
    """The worker that owns the chat, if it has one."""
    value = client.get(home_key(chat_id))
    return value.decode() if value else None


def set_home(client: redis.Redis, chat_id: str, worker_id: str) -> None:
    """Record that `worker_id` now owns the chat (after its memory moved there)."""
    client.set(home_key(chat_id), worker_id)


def claim_home(client: redis.Redis, chat_id: str, worker_id: str) -> str:
    """Make `worker_id` the chat's home unless it has one; return the home."""
    client.set(home_key(chat_id), worker_id, nx=True)
    home = home_of(client, chat_id)
    assert home is not None  # set just above, and homes are never deleted here
    return home


def pin(client: redis.Redis, kind: str, ident: str, worker_id: str | None) -> None:
    """Pin a chat or user (`kind` "chat" or "user") to a worker; None unpins."""
    if worker_id is None:
        client.delete(pin_key(kind, ident))
    else:
        client.set(pin_key(kind, ident), worker_id)


def assign_home(client: redis.Redis, chat_id: str, user_id: str) -> str | None:
    """The chat's home worker: existing, pinned, or the least loaded online one.

    Returns None when the chat has no home and no worker is online; its
    messages then wait in the shared queue for the first worker that starts.
    """
    home = home_of(client, chat_id)
    if home:
        return home
    for kind, ident in (("chat", chat_id), ("user", user_id)):
        pinned = client.get(pin_key(kind, ident))
        if pinned:
            return claim_home(client, chat_id, pinned.decode())
    workers = online_workers(client)
    if not workers:
        return None
    best = min(workers, key=lambda w: (w.load + int(w.busy), w.worker_id))
    return claim_home(client, chat_id, best.worker_id)


def seconds_since(info: WorkerInfo) -> float:
    """How long ago the worker's last heartbeat was written."""
    return max(0.0, time.time() - info.last_seen)
