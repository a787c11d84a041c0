"""Signed specs: HMAC-SHA256 over the canonical JSON, keyed by HEARTH_SPEC_SECRET.

A worker only runs a published spec whose signature checks out, so someone
who can write to Redis still cannot make the assistant run their prompt.
Each publication also signs a sequence number, and a worker refuses one
lower than the one it runs: an old signed spec copied out of Redis cannot be
replayed to roll every worker back (the owner rolls back by publishing the
old spec again, under a new number).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from hearth.errors import SpecSignatureError
from hearth.specs._canonical import spec_to_json
from hearth.specs._model import Spec

#: Largest publication number (a 63-bit counter never wraps in practice).
MAX_SEQUENCE = 2**62


class SignedSpec(BaseModel):
    """A spec, its publication's sequence number and the hex HMAC of both.

    Sequence 0 is a publication from before sequences (its HMAC covers the
    spec alone); a worker that has run a numbered one refuses it.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    spec: Spec
    signature: str
    sequence: int = Field(0, ge=0, le=MAX_SEQUENCE)


def _mac(spec: Spec, secret: str, sequence: int = 0) -> str:
    if not secret:
        raise SpecSignatureError("no spec secret: set HEARTH_SPEC_SECRET on every Hearth machine")
    message = spec_to_json(spec).encode("utf-8")
    if sequence:
        # Canonical JSON starts with "{", so no spec's message looks like this prefix.
        message = f"hearth-spec-sequence:{sequence}\n".encode() + message
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def sign(spec: Spec, secret: str, sequence: int = 0) -> SignedSpec:
    """Sign `spec` as publication number `sequence` with `secret`."""
    return SignedSpec(spec=spec, signature=_mac(spec, secret, sequence), sequence=sequence)


def verify(payload: SignedSpec | dict[str, Any] | str | bytes, secret: str) -> Spec:
    """Return the spec if its signature matches, else raise `SpecSignatureError`."""
    return verify_signed(payload, secret).spec


def verify_signed(payload: SignedSpec | dict[str, Any] | str | bytes, secret: str) -> SignedSpec:
    """Return the signed publication (spec and sequence) if its signature matches."""
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
    expected = _mac(signed.spec, secret, signed.sequence)
    if not hmac.compare_digest(expected, signed.signature):
        raise SpecSignatureError(
            f"signature mismatch for spec {signed.spec.short_id}: it was tampered with or "
            "signed with another HEARTH_SPEC_SECRET"
        )
    return signed
