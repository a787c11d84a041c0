"""Redis Sentinel from one URL: ``sentinel://`` clients that follow the current primary.

redis-py speaks Sentinel (`redis.sentinel.Sentinel`) but has no URL for it, and
Hearth configures Redis with one URL. This module reads

    sentinel://[user:password@]host1:26379[,host2:26379,...]/SERVICE[/DB][?options]

* ``user:password`` authenticate to the Redis primary and replicas (the Hearth
  ACL user), not to the Sentinels;
* ``sentinel_username`` / ``sentinel_password`` options authenticate to the
  Sentinels, when they require it;
* ``ssl=true`` uses TLS to the primary, ``sentinel_ssl=true`` to the Sentinels;
  ``ssl_ca_certs=PATH`` applies to both.

`sentinel_client` and `async_sentinel_client` return ordinary `redis.Redis`
clients whose connections ask the Sentinels for the primary and reconnect to the
new one after a failover. Not wired in yet: `hearth.queue.connect` and the
bridge still call `Redis.from_url` (see deploy/README.md for the proxy way).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import redis
import redis.asyncio as aioredis
from redis.asyncio.sentinel import Sentinel as AsyncSentinel
from redis.sentinel import Sentinel

from hearth.errors import ConfigError

#: The URL scheme this module reads.
SCHEME = "sentinel"
#: Port of a Sentinel named without one.
DEFAULT_SENTINEL_PORT = 26379
_TRUE = {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class SentinelTarget:
    """What a ``sentinel://`` URL names."""

    sentinels: list[tuple[str, int]]
    service: str
    db: int = 0
    username: str | None = None
    password: str | None = None
    ssl: bool = False
    sentinel_kwargs: dict[str, Any] = field(default_factory=dict)
    ca_certs: str | None = None

    def connection_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for connections to the primary."""
        kwargs: dict[str, Any] = {"db": self.db, "username": self.username,
                                  "password": self.password, "socket_connect_timeout": 5,
                                  "socket_keepalive": True}
        if self.ssl:
            kwargs["ssl"] = True
            if self.ca_certs:
                kwargs["ssl_ca_certs"] = self.ca_certs
        return kwargs


def _fail(why: str) -> ConfigError:
    return ConfigError(f"REDIS_URL: {why}; expected sentinel://[user:password@]host:26379"
                       "[,host:26379]/SERVICE[/DB]", variable="REDIS_URL")


def parse_sentinel_url(url: str) -> SentinelTarget:
    """Read a ``sentinel://`` URL, or raise `ConfigError` saying what is wrong."""
    parts = urlsplit(url)
    if parts.scheme != SCHEME:
        raise _fail(f"scheme {parts.scheme!r} is not sentinel")
    credentials, _, hosts = parts.netloc.rpartition("@")
    user, _, password = credentials.partition(":")
    sentinels = []
    for item in filter(None, hosts.split(",")):
        host, _, port = item.rpartition(":") if ":" in item else (item, "", "")
        try:
            sentinels.append((host or item, int(port) if port else DEFAULT_SENTINEL_PORT))
        except ValueError:
            raise _fail(f"port {port!r} of {item!r} is not a number") from None
    if not sentinels:
        raise _fail("no Sentinel host")
    path = [p for p in parts.path.split("/") if p]
    if not path or len(path) > 2 or (len(path) == 2 and not path[1].isdigit()):
        raise _fail("the path must be /SERVICE or /SERVICE/DB")
    options = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    ca_certs = options.get("ssl_ca_certs")
    sentinel_kwargs: dict[str, Any] = {"socket_connect_timeout": 5}
    if "sentinel_username" in options:
        sentinel_kwargs["username"] = options["sentinel_username"]
    if "sentinel_password" in options:
        sentinel_kwargs["password"] = options["sentinel_password"]
    if options.get("sentinel_ssl", "").lower() in _TRUE:
        sentinel_kwargs["ssl"] = True
        if ca_certs:
            sentinel_kwargs["ssl_ca_certs"] = ca_certs
    return SentinelTarget(
        sentinels=sentinels, service=unquote(path[0]), db=int(path[1]) if len(path) == 2 else 0,
        username=unquote(user) or None, password=unquote(password) or None,
        ssl=options.get("ssl", "").lower() in _TRUE, sentinel_kwargs=sentinel_kwargs,
        ca_certs=ca_certs)


# redis-py counts as untyped here (see pyproject), hence the ignores on subclassing it.
class _SentinelRedis(redis.Redis):  # type: ignore[misc]
    """Closing the client also closes its connections to the Sentinels."""

    def close(self) -> None:
        super().close()
        for client in self.connection_pool.sentinel_manager.sentinels:
            client.close()


class _AsyncSentinelRedis(aioredis.Redis):  # type: ignore[misc]
    """Closing the client also closes its connections to the Sentinels."""

    async def aclose(self, close_connection_pool: bool | None = None) -> None:
        await super().aclose(close_connection_pool)
        for client in self.connection_pool.sentinel_manager.sentinels:
            await client.aclose()


def sentinel_client(url: str, **kwargs: Any) -> redis.Redis:
    """A client of the primary that `url` names; follows failovers.

    `kwargs` go to the client (timeouts, retry); `close()` closes everything.
    """
    target = parse_sentinel_url(url)
    sentinel = Sentinel(target.sentinels, sentinel_kwargs=target.sentinel_kwargs)
    client: redis.Redis = sentinel.master_for(
        target.service, redis_class=_SentinelRedis, **{**target.connection_kwargs(), **kwargs})
    return client


def async_sentinel_client(url: str, **kwargs: Any) -> aioredis.Redis:
    """The asyncio twin of `sentinel_client`, for the bridge; `aclose()` closes everything."""
    target = parse_sentinel_url(url)
    sentinel = AsyncSentinel(target.sentinels, sentinel_kwargs=target.sentinel_kwargs)
    client: aioredis.Redis = sentinel.master_for(
        target.service, redis_class=_AsyncSentinelRedis,
        **{**target.connection_kwargs(), **kwargs})
    return client


__all__ = ["SentinelTarget", "async_sentinel_client", "parse_sentinel_url", "sentinel_client"]
