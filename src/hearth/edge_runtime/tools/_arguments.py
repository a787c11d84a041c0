"""Checks a tool call's arguments against the tool's declared JSON schema.

Only what a small model gets wrong is checked: the arguments are an object,
required keys are present, top-level values have the declared basic type and
enum. A JSON `null` for an optional argument counts as "not given".
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from hearth.errors import ToolError

_TYPE_CHECKS: dict[str, Callable[[object], bool]] = {
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: (isinstance(v, int) and not isinstance(v, bool))
    or (isinstance(v, float) and v.is_integer()),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "array": lambda v: isinstance(v, list | tuple),
    "object": lambda v: isinstance(v, Mapping),
    "null": lambda v: v is None,
}


def json_type(value: object) -> str:
    """The JSON type name of a Python value, for error messages."""
    for name in ("null", "boolean", "integer", "number", "string", "array", "object"):
        if _TYPE_CHECKS[name](value):
            return name
    return type(value).__name__


def parse_arguments(tool: str, arguments: object) -> dict[str, Any]:
    """`arguments` as a dict: a mapping as is, a string parsed as a JSON object."""
    if isinstance(arguments, str):
        try:
            arguments = json.loads(arguments) if arguments.strip() else {}
        except json.JSONDecodeError as e:
            raise ToolError(f"arguments of {tool!r} are not valid JSON ({e.msg})") from None
    if not isinstance(arguments, Mapping):
        raise ToolError(
            f"arguments of {tool!r} must be a JSON object, got {json_type(arguments)}"
        )
    return {str(k): v for k, v in arguments.items()}


def check_arguments(
    tool: str, schema: Mapping[str, Any], arguments: Mapping[str, Any]
) -> dict[str, Any]:
    """Validated arguments, without nulls for optional keys; `ToolError` names the problem."""
    properties: Mapping[str, Any] = schema.get("properties") or {}
    required = [str(k) for k in schema.get("required") or ()]
    checked: dict[str, Any] = {}
    for key, value in arguments.items():
        prop = properties.get(key)
        if prop is None:
            if schema.get("additionalProperties") is False:
                takes = ", ".join(properties) or "no arguments"
                raise ToolError(f"{tool} has no argument {key!r}; it takes: {takes}")
            checked[key] = value
            continue
        types = _declared_types(prop)
        if value is None and key not in required and "null" not in types:
            continue
        if types and not any(_TYPE_CHECKS.get(t, _anything)(value) for t in types):
            raise ToolError(
                f"{tool}: argument {key!r} must be {' or '.join(types)}, "
                f"got {json_type(value)} {json.dumps(value, default=str)[:60]}"
            )
        enum = prop.get("enum") if isinstance(prop, Mapping) else None
        if enum is not None and value not in enum:
            choices = ", ".join(json.dumps(c) for c in enum)
            raise ToolError(f"{tool}: argument {key!r} must be one of {choices}, got {value!r}")
        checked[key] = value
    missing = [k for k in required if k not in checked]
    if missing:
        raise ToolError(f"{tool}: missing required argument(s): {', '.join(missing)}")
    return checked


def _declared_types(prop: object) -> list[str]:
    if not isinstance(prop, Mapping):
        return []
    declared = prop.get("type")
    if isinstance(declared, str):
        return [declared]
    if isinstance(declared, list | tuple):
        return [str(t) for t in declared]
    return []


def _anything(_value: object) -> bool:
    return True


def text_argument(arguments: Mapping[str, Any], key: str, *, max_chars: int) -> str:
    """A required, non-blank string argument, stripped and at most `max_chars` long."""
    value = arguments.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ToolError(f"argument {key!r} must be a non-empty string")
    value = value.strip()
    if len(value) > max_chars:
        raise ToolError(f"argument {key!r} is {len(value)} characters; at most {max_chars}")
    return value
