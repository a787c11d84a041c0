"""Loading a spec from JSON text or a file, with errors that name the field."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from hearth.errors import SpecInvalid
from hearth.specs._apply import format_validation_error
from hearth.specs._model import Spec


def load_spec(data: str | bytes | dict[str, Any]) -> Spec:
    """Validate a spec from JSON text or data; raise `SpecInvalid` naming the field."""
    if isinstance(data, str | bytes):
        try:
            data = json.loads(data)
        except json.JSONDecodeError as exc:
            raise SpecInvalid("", f"not valid JSON: {exc.msg} at line {exc.lineno} "
                                  f"column {exc.colno}") from None
        except UnicodeDecodeError:
            raise SpecInvalid("", "not valid JSON: the bytes are not UTF-8 text") from None
    if not isinstance(data, dict):
        raise SpecInvalid("", "a spec must be a JSON object")
    try:
        return Spec.model_validate(data)
    except ValidationError as exc:
        raise format_validation_error(exc) from None


def load_spec_file(path: Path) -> Spec:
    """Read and validate a spec file."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SpecInvalid("", f"cannot read {path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise SpecInvalid("", f"{path} is not UTF-8 text; save it as UTF-8 JSON") from None
    return load_spec(text)
