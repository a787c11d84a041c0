"""A value shaped like the example its description gives: "such as '36.2522, -105.3437'".

A description's example shows the shape a value takes: a latitude and a
longitude in one string, an IP address, a phone number. A model keeps one
number of the pair ("34.0522" for "34.0522, -118.2437"). Where the example is
numbers joined by punctuation (two or more groups, no letters) and the
message writes exactly one value of that shape, it is the value, as written.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from hearth.edge_runtime.routing._date_arguments import is_time_argument
from hearth.edge_runtime.routing._repeated import one_holder

_EXAMPLE = re.compile(r"['\"`]([-+]?\d[\d\s.,:/+-]*\d)['\"`]")
_GROUP = re.compile(r"\d+(?:\.\d+)?")


def _joint(text: str) -> str:
    """The pattern of what joins two numbers: ", -" is a comma and maybe a sign."""
    core = text.strip()
    if not core:
        return r"\s+"
    if len(core) > 1 and core[-1] in "+-":  # a sign after the separator is the number's
        return r"\s*" + re.escape(core[:-1].strip()) + r"\s*[-+]?"
    return r"\s*" + re.escape(core) + r"\s*"


def _shape(example: str) -> re.Pattern[str] | None:
    """A pattern for values shaped like `example`, or None when it is no such example."""
    groups = _GROUP.findall(example)
    if len(groups) < 2:
        return None
    joints = _GROUP.split(example)[1:-1]
    numbers = [r"\d+\.\d+" if "." in g else r"\d+" for g in groups]
    pattern = r"[-+]?" + numbers[0]
    for joint, number in zip(joints, numbers[1:], strict=True):
        pattern += _joint(joint) + number
    return re.compile(rf"(?<![\w.,:/+-]){pattern}(?![\w.,:/+-]*\d)")


def shaped_arguments(schema: Mapping[str, Any], user: str) -> dict[str, str]:
    """{argument: value} for string arguments whose example's shape the message writes once."""
    out: dict[str, str] = {}
    for key, prop in (schema.get("properties") or {}).items():
        if not isinstance(prop, Mapping) or prop.get("type", "string") != "string" \
                or {"enum", "format"} & prop.keys() or is_time_argument(prop):
            continue  # a clock time is the date readers' ("2:30 pm" is 14:30)
        example = _EXAMPLE.search(str(prop.get("description", "")))
        if example is None or (shape := _shape(example.group(1))) is None:
            continue
        found = {m.group(0) for m in shape.finditer(user)}
        if len(found) == 1:
            out[str(key)] = found.pop()
    # One value fills one argument: a ride's origin, not its destination too.
    return one_holder(schema, out)
