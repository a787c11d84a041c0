"""Publishing signed specs to every worker.

A publication is stored under `SPEC_CURRENT` (so a worker that starts later
finds it) and announced on `SPEC_CHANNEL` (so running workers switch now).
Each carries a signed sequence number from `SPEC_SEQUENCE`, so that workers
can refuse a replayed older one.
"""

from __future__ import annotations

import json

import redis

from hearth.queue._names import SPEC_CHANNEL, SPEC_CURRENT, SPEC_SEQUENCE
from hearth.specs import SignedSpec, Spec, sign
from hearth.specs._signing import MAX_SEQUENCE


def next_spec_sequence(client: redis.Redis) -> int:
    """The next publication number: above the counter and the current publication.

    The current publication counts too, so a counter lost with Redis data
    (or reset by hand) never makes workers refuse the owner's next spec. A
    number nobody signed only moves the counter up, which harms nothing.
    """
    sequence = int(client.incr(SPEC_SEQUENCE))
    published = _sequence_of(client.get(SPEC_CURRENT))
    if published >= sequence and published < MAX_SEQUENCE:
        sequence = published + 1
        client.set(SPEC_SEQUENCE, sequence)
    return sequence


def _sequence_of(body: bytes | None) -> int:
    try:
        value = json.loads(body or b"{}").get("sequence", 0)
    except (ValueError, AttributeError):
        return 0
    return value if isinstance(value, int) and 0 <= value <= MAX_SEQUENCE else 0


def sign_and_publish(client: redis.Redis, spec: Spec, secret: str) -> int:
    """Sign `spec` as the next publication and publish it; return the listeners reached."""
    return publish_spec(client, sign(spec, secret, next_spec_sequence(client)))


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
