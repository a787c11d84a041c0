"""Fixtures for the queue tests: an asyncio client, echo-engine workers that clean up."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import redis.asyncio as aioredis


@pytest.fixture
async def aclient(redis_url: str) -> AsyncIterator[aioredis.Redis]:
    """An asyncio client of the test server."""
    client = aioredis.Redis.from_url(redis_url)
    yield client
    await client.aclose()
