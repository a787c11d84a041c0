"""Canonical JSON and content ids: the same spec has the same id everywhere.

Canonical form: keys sorted, no insignificant whitespace, UTF-8, floats in
Python's shortest round-trip repr (identical on every IEEE-754 machine).
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hearth.specs._model import Spec


def canonical_json(data: Any) -> str:
    """Serialize JSON-ready data in the one canonical form."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False)


def content_id(spec: Spec) -> str:
    """sha256 of the canonical JSON of the spec's content (lineage excluded)."""
    return hashlib.sha256(canonical_json(spec.content()).encode("utf-8")).hexdigest()


def spec_to_json(spec: Spec) -> str:
    """The full spec, lineage included, in canonical JSON: what is stored and signed."""
    return canonical_json(spec.model_dump(mode="json"))
