"""Publishing the active spec to running workers, when Redis and a secret are set."""

from __future__ import annotations

from hearth.errors import QueueUnavailable
from hearth.settings import Settings
from hearth.specs import Spec


def publish_if_possible(settings: Settings, spec: Spec) -> str:
    """Sign and publish `spec`; say what happened in one line."""
    if settings.spec_secret is None:
        return "not published: set HEARTH_SPEC_SECRET to push specs to running workers"
    if settings.redis_url is None:
        return "not published: no REDIS_URL; workers started later load the active spec"
    from hearth.queue import connect, sign_and_publish

    try:
        client = connect(settings.redis_url.get_secret_value())
    except QueueUnavailable as exc:
        return f"not published: {exc}"
    try:
        listeners = sign_and_publish(client, spec, settings.spec_secret.get_secret_value())
    finally:
        client.close()
    return f"published to {listeners} running worker(s)"
