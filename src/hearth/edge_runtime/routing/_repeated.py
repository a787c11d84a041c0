"""One value of the message fills one argument.

A model that found a name in the message tends to put it in every string
argument that could hold a name: "a thriller directed by Alexander
Mackendrick" gets `directed_by` and `cast` both set to him, and the search
looks for films he acted in. A value the readers read for one argument, or
that a required argument holds, is dropped from the optional arguments that
repeat it: their default ("any cast") is what the user asked for.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any


def one_holder(schema: Mapping[str, Any], read: Mapping[str, Any]) -> dict[str, Any]:
    """`read` less values that fill several arguments, kept only in the one required of them.

    A reader that finds one value for two arguments (an identifier for `botId`
    and `localeId`, coordinates for a ride's origin and destination) cannot
    tell which is meant; the one required argument is, or none of them.
    """
    required = set(schema.get("required") or ())
    out = dict(read)
    for value in {value_key(v) for v in read.values()}:
        holders = [k for k, v in read.items() if value_key(v) == value]
        needed = [k for k in holders if k in required]
        if len(holders) > 1:
            for key in holders:
                if needed != [key]:
                    del out[key]
    return out


def value_key(value: object) -> str:
    """A value as compared for sameness: trimmed, case folded."""
    return str(value).strip().casefold()


def without_repeats(
    schema: Mapping[str, Any], arguments: Mapping[str, Any], read: Collection[str] = ()
) -> dict[str, Any]:
    """`arguments` less optional strings that repeat a read or required argument's value.

    `read` names the arguments a reader took from the message as written.
    """
    required = set(schema.get("required") or ())
    owners: dict[str, str] = {}
    for key, value in arguments.items():
        if isinstance(value, str) and value.strip() and (key in read or key in required):
            owners.setdefault(value_key(value), key)
    return {
        key: value
        for key, value in arguments.items()
        if key in read
        or key in required
        or not isinstance(value, str)
        or owners.get(value_key(value), key) == key
    }
