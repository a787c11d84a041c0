"""The Redis connection, from REDIS_URL or the embedded server's URL."""

from __future__ import annotations

import redis
from redis.backoff import ExponentialBackoff
from redis.retry import Retry

from hearth.errors import QueueUnavailable


def redact(url: str) -> str:
    """The URL with any password replaced, safe for logs."""
    if "@" not in url:
        return url
    scheme, rest = url.split("://", 1)
    creds, host = rest.rsplit("@", 1)
    user = creds.split(":", 1)[0] if ":" in creds else ""
    return f"{scheme}://{user}:***@{host}"


def connect(url: str, *, check: bool = True) -> redis.Redis:
    """A Redis client for `url` that retries briefly on connection errors.

    Works for ``redis://``, ``rediss://`` (TLS) and ``unix://`` URLs.
    Raises `QueueUnavailable` (without the password) when `check` fails.
    """
    # TCP keepalive only for TCP: redis-py's unix-socket connection rejects it.
    tcp = {} if url.startswith("unix://") else {"socket_keepalive": True}
    client = redis.Redis.from_url(
        url,
        socket_connect_timeout=5,
        **tcp,
        health_check_interval=30,
        retry=Retry(ExponentialBackoff(cap=2.0, base=0.1), 3),
        retry_on_error=[redis.ConnectionError, redis.TimeoutError],
    )
    if check:
        try:
            client.ping()
        except redis.RedisError as exc:
            client.close()
            raise QueueUnavailable(
                f"cannot reach Redis at {redact(url)}: {exc}; check REDIS_URL "
                "or unset it to use the embedded server"
            ) from None
    return client
