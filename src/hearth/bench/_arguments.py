"""Comparing a tool call's arguments with accepted values, the way BFCL's AST checker does.

The accepted values follow the possible-answer format of the Berkeley
Function-Calling Leaderboard (BFCL): each argument has a list of accepted
values, and ``""`` among them means the argument may be left out. A value is
compared by its kind:

* numbers: equal as numbers (``21``, ``21.0`` and ``"21"`` are one value);
  booleans are not numbers;
* strings: under the ``"bfcl"`` rule, case, spaces and the characters
  ``, . / - _ * ^`` are ignored and ``'`` reads as ``"`` (BFCL's
  ``standardize_string``: "April 1, 2024" is "april 1 2024"); under the
  ``"plain"`` rule only case and whitespace are ignored, for values such as
  arithmetic expressions where ``-`` and ``*`` carry the meaning;
* lists: the same length, item by item, in order;
* objects: each accepted object maps a key to its list of accepted values, as
  a whole call does (a value that is not a list is the one accepted value);
  every key given must be listed, and a key left out must accept ``""``.

A JSON ``null`` for an argument counts as leaving it out, and an accepted
``null`` accepts leaving it out.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import Literal

from pydantic import JsonValue

StringRule = Literal["bfcl", "plain"]
"""How strings compare: BFCL's normalisation, or only case and whitespace ignored."""
ExtraRule = Literal["allow", "forbid"]
"""Whether arguments (and object keys) that the accepted values do not list fail the call."""

# BFCL's standardize_string drops these; we drop any whitespace, not only spaces.
_BFCL_DROPPED = re.compile(r"[\s,./\-_*^]")
_WHITESPACE = re.compile(r"\s+")


def normalise(text: str, strings: StringRule) -> str:
    """`text` as the string rule compares it."""
    if strings == "bfcl":
        return _BFCL_DROPPED.sub("", text).casefold().replace("'", '"')
    return _WHITESPACE.sub("", text).casefold()


def _as_number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _scalar_text(value: object) -> str:
    # JSON spelling: True reads "true" as a model would write it in a string.
    if isinstance(value, bool):
        return "true" if value else "false"
    return "null" if value is None else str(value)


def value_matches(actual: object, accepted: JsonValue, strings: StringRule = "bfcl",
                  extra: ExtraRule = "forbid") -> bool:
    """Whether one argument value equals one accepted value under the rules above."""
    if isinstance(accepted, dict):
        return isinstance(actual, Mapping) and arguments_problem(
            actual, accepted, strings, extra) is None
    if isinstance(accepted, list):
        return (isinstance(actual, list | tuple) and len(actual) == len(accepted)
                and all(value_matches(a, b, strings, extra) for a, b in zip(actual, accepted,
                                                                              strict=True)))
    if isinstance(actual, Mapping | list | tuple):
        return False
    a, b = _as_number(actual), _as_number(accepted)
    if a is not None and b is not None:
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    return normalise(_scalar_text(actual), strings) == normalise(_scalar_text(accepted), strings)


def _shown(accepted: Sequence[JsonValue]) -> str:
    return ", ".join(repr(ok) for ok in accepted if ok != "") or "nothing (leave it out)"


def arguments_problem(actual: Mapping[str, object], accepted: Mapping[str, JsonValue],
                      strings: StringRule = "bfcl", extra: ExtraRule = "forbid") -> str | None:
    """What is wrong with `actual` against `accepted` (name -> accepted values), or None.

    An `accepted` value that is not a list is read as the one accepted value.
    """
    for name, options in accepted.items():
        choices = options if isinstance(options, list) else [options]
        value = actual.get(name)
        if value is None:
            if "" not in choices and None not in choices:
                return f"argument {name!r} missing"
        elif not any(value_matches(value, ok, strings, extra) for ok in choices):
            return f"argument {name!r} was {value!r}, expected one of {_shown(choices)}"
    if extra == "forbid":
        unexpected = sorted(k for k, v in actual.items() if k not in accepted and v is not None)
        if unexpected:
            return f"unexpected argument(s) {', '.join(map(repr, unexpected))}"
    return None


def accepted_problem(accepted: list[JsonValue]) -> str | None:
    """Why accepted values cannot be matched, or None.

    An accepted object maps each key to its list of accepted values (a value
    that is not a list is the one accepted value, as BFCL's data nests them);
    an empty list would accept nothing at all.
    """
    for item in accepted:
        if isinstance(item, dict):
            for key, choices in item.items():
                if choices == []:
                    return (f"in an accepted object, key {key!r} lists no accepted value; "
                            f'add one, or "" if it may be left out')
                if isinstance(choices, list) and (problem := accepted_problem(choices)):
                    return problem
        elif isinstance(item, list) and (problem := accepted_problem(
                [i for i in item if isinstance(i, dict)])):
            return problem
    return None
