"""Who may talk to Hearth: allowed users, and pairing strangers with a one-time code.

A stranger gets one polite refusal with their user id (so the owner can add
them) and nothing of theirs is queued, stored or traced. `hearth pair`
prints a code; a stranger who sends ``/pair CODE`` within 10 minutes joins.
A stranger gets at most one answer an hour, whatever they send (a message,
a wrong or a rate-limited code), so a flood of them costs one Redis round
trip each and never a paced Telegram send. `hearth pair --list` shows who
paired and `hearth unpair ID` removes one. Paired users are guests: only
HEARTH_ALLOWED_USERS may approve specs or see the workers' host names.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

import redis.asyncio as aioredis

#: Seconds a pairing code stays valid.
PAIR_TTL_S = 600
#: Wrong pairing codes a user may send per hour before being ignored.
PAIR_MAX_FAILURES = 5
#: Seconds between two answers to the same stranger (refusal or pairing failure).
REFUSAL_INTERVAL_S = 3600

PAIRED = "hearth:paired"
PAIR_CODE = "hearth:pair:code"


def _digest(code: str) -> str:
    return hashlib.sha256(code.strip().upper().encode()).hexdigest()


def new_pair_code() -> str:
    """A fresh human-friendly code, e.g. ``K7QF-2MXD``."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    raw = "".join(secrets.choice(alphabet) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


class Gate:
    """Decides who may chat, and runs the pairing flow."""

    def __init__(self, client: aioredis.Redis, allowed: frozenset[int]) -> None:
        self.client = client
        self.allowed = allowed

    async def is_allowed(self, user_id: int) -> bool:
        """Listed in HEARTH_ALLOWED_USERS, or paired earlier."""
        if user_id in self.allowed:
            return True
        return bool(await self.client.sismember(PAIRED, str(user_id)))

    def is_owner(self, user_id: int) -> bool:
        """Listed in HEARTH_ALLOWED_USERS (not merely paired)."""
        return user_id in self.allowed

    async def paired(self) -> list[int]:
        """The user ids that joined with a pairing code, sorted."""
        return sorted(int(m) for m in await self.client.smembers(PAIRED))

    async def unpair(self, user_id: int) -> bool:
        """Remove a paired user; False when they were not paired."""
        return bool(await self.client.srem(PAIRED, str(user_id)))

    async def should_refuse_loudly(self, user_id: int) -> bool:
        """True once an hour per stranger: answering every message would be spam."""
        key = f"hearth:refused:{user_id}"
        return bool(await self.client.set(key, "1", nx=True, ex=REFUSAL_INTERVAL_S))

    async def issue_code(self) -> str:
        """Store a new one-time code (hashed) and return it."""
        code = new_pair_code()
        await self.client.set(PAIR_CODE, _digest(code), ex=PAIR_TTL_S)
        return code

    async def pair(self, user_id: int, code: str) -> str:
        """Try a code; return "paired", "wrong", or "limited"."""
        failures_key = f"hearth:pair:failures:{user_id}"
        failures = int(await self.client.get(failures_key) or 0)
        if failures >= PAIR_MAX_FAILURES:
            return "limited"
        expected = await self.client.get(PAIR_CODE)
        if expected and hmac.compare_digest(expected.decode(), _digest(code)):
            pipe = self.client.pipeline()
            pipe.sadd(PAIRED, str(user_id))
            pipe.delete(PAIR_CODE, failures_key)
            await pipe.execute()
            return "paired"
        pipe = self.client.pipeline()
        pipe.incr(failures_key)
        pipe.expire(failures_key, 3600)
        await pipe.execute()
        return "wrong"
