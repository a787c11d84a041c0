"""Publishing signed specs to every worker.

A publication is stored under `SPEC_CURRENT` (so a worker that starts later
finds it) and announced on `SPEC_CHANNEL` (so running workers switch now).
"""

from __future__ import annotations

import redis

from hearth.queue._names import SPEC_CHANNEL, SPEC_CURRENT
from hearth.specs import SignedSpec


def publish_spec(client: redis.Redis, signed: SignedSpec) -> int:
    """Store and announce a signed spec; return how many listeners got it."""
    body = signed.model_dump_json()
    pipe = client.pipeline()
    pipe.set(SPEC_CURRENT, body)
    pipe.publish(SPEC_CHANNEL, body)
    return int(pipe.execute()[1])


def current_spec(client: redis.Redis) -> bytes | None:
    """The latest published signed spec, unverified (the caller verifies)."""
    value = client.get(SPEC_CURRENT)
    return bytes(value) if value is not None else None
