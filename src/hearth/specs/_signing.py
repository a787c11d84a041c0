"""Signed specs: HMAC-SHA256 over the canonical JSON, keyed by HEARTH_SPEC_SECRET.

A worker only runs a published spec whose signature checks out, so someone
who can write to Redis still cannot make the assistant run their prompt.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from hearth.errors import SpecSignatureError
from hearth.specs._canonical import spec_to_json
from hearth.specs._model import Spec


class SignedSpec(BaseModel):
    """A spec and the hex HMAC of its canonical JSON, as published on the spec channel."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    spec: Spec
    signature: str


def _mac(spec: Spec, secret: str) -> str:
    if not secret:
        raise SpecSignatureError("no spec secret: set HEARTH_SPEC_SECRET on every Hearth machine")
    message = spec_to_json(spec).encode("utf-8")
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def sign(spec: Spec, secret: str) -> SignedSpec:
    """Sign `spec` with `secret`."""
    return SignedSpec(spec=spec, signature=_mac(spec, secret))


def verify(payload: SignedSpec | dict[str, Any] | str | bytes, secret: str) -> Spec:
    """Return the spec if its signature matches, else raise `SpecSignatureError`."""
    data: Any = payload
    if isinstance(data, str | bytes):
        try:
            data = json.loads(data)
        except ValueError as exc:
            raise SpecSignatureError(f"published spec is not JSON: {exc}") from None
    if isinstance(data, dict):
        if not data.get("signature"):
            raise SpecSignatureError("spec is unsigned; publish it with `hearth spec activate`")
        try:
            data = SignedSpec.model_validate(data)
        except ValidationError as exc:
            raise SpecSignatureError(f"published spec does not validate: {exc}") from None
    if not isinstance(data, SignedSpec):
        raise SpecSignatureError(
            f"published spec must be a JSON object with 'spec' and 'signature', "
            f"not {type(data).__name__}"
        )
    signed = data
    expected = _mac(signed.spec, secret)
    if not hmac.compare_digest(expected, signed.signature):
        raise SpecSignatureError(
            f"signature mismatch for spec {signed.spec.short_id}: it was tampered with or "
            "signed with another HEARTH_SPEC_SECRET"
        )
    return signed.spec
