"""REDIS_URL for the commands that need a running Redis."""

from __future__ import annotations

from hearth.errors import ConfigError
from hearth.settings import Settings


def redis_url(settings: Settings) -> str:
    """REDIS_URL, or a clear error telling how to get one."""
    if settings.redis_url is None:
        raise ConfigError("REDIS_URL is not set: point it at your Redis, or run `hearth up`, "
                          "which starts a private one", variable="REDIS_URL")
    return settings.redis_url.get_secret_value()
