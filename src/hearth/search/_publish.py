"""Publishing an accepted spec to every worker, and the owner's approval in review mode."""

from __future__ import annotations

import redis

from hearth.errors import SpecError
from hearth.queue import sign_and_publish
from hearth.settings import Settings
from hearth.specs import Spec, SpecStore


def store_for(settings: Settings) -> SpecStore:
    """The spec store under HEARTH_HOME."""
    return SpecStore(settings.home / "specs.duckdb")


def publish(settings: Settings, spec: Spec, client: redis.Redis | None) -> int:
    """Sign `spec` with HEARTH_SPEC_SECRET and publish it; return the listeners reached."""
    if settings.spec_secret is None:
        raise SpecError("cannot publish: set HEARTH_SPEC_SECRET on every Hearth machine")
    if client is None:
        return 0
    return sign_and_publish(client, spec, settings.spec_secret.get_secret_value())


def approve(settings: Settings, ref: str, *, client: redis.Redis | None = None) -> Spec:
    """Approve a spec the search held for review: activate and publish it."""
    store = store_for(settings)
    version = store.get(ref)
    if version.status != "pending":
        raise SpecError(f"spec {version.spec.short_id} is {version.status}, not pending review;"
                        " see `hearth spec history`")
    store.set_status(version.id, "approved")
    spec = store.activate(version.id)
    publish(settings, spec, client)
    return spec


def reject(settings: Settings, ref: str) -> Spec:
    """Reject a spec the search held for review; the active spec stays."""
    store = store_for(settings)
    version = store.get(ref)
    if version.status != "pending":
        raise SpecError(f"spec {version.spec.short_id} is {version.status}, not pending review;"
                        " see `hearth spec history`")
    return store.set_status(version.id, "rejected").spec


def rollback(settings: Settings, *, client: redis.Redis | None = None) -> Spec:
    """Undo the last activation and publish the spec that is active again."""
    spec = store_for(settings).rollback()
    publish(settings, spec, client)
    return spec
