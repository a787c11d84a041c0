"""The model's arguments for an offered function, corrected by what the message states.

Each reader (`_choices`, `_date_arguments`, `_places`, ...) reads one kind of
value the message writes out; what they read beats the model's reading. The
model's optional values the message never states are then left out (see
`_stated`), but never what a reader read: the message states that.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from datetime import date
from typing import Any

from hearth.edge_runtime.routing._choices import mentioned_choices
from hearth.edge_runtime.routing._date_arguments import date_arguments
from hearth.edge_runtime.routing._described import described_codes
from hearth.edge_runtime.routing._ends import end_pairs
from hearth.edge_runtime.routing._examples import example_arguments
from hearth.edge_runtime.routing._flags import flag_arguments
from hearth.edge_runtime.routing._labelled import explicit_labels, labelled_arguments
from hearth.edge_runtime.routing._list_items import list_items
from hearth.edge_runtime.routing._name_lists import name_lists
from hearth.edge_runtime.routing._number_lists import number_lists
from hearth.edge_runtime.routing._percent import percent_arguments
from hearth.edge_runtime.routing._persons import person_arguments
from hearth.edge_runtime.routing._places import place_arguments, without_other_areas
from hearth.edge_runtime.routing._portions import portion_arguments
from hearth.edge_runtime.routing._proper import proper_names, without_request_words
from hearth.edge_runtime.routing._quoted import quoted_arguments
from hearth.edge_runtime.routing._ranges import range_arguments, signed
from hearth.edge_runtime.routing._ratings import rating_arguments
from hearth.edge_runtime.routing._region_codes import region_codes
from hearth.edge_runtime.routing._repeated import (
    one_holder,
    value_key,
    without_other_tails,
    without_repeats,
)
from hearth.edge_runtime.routing._shaped import shaped_arguments
from hearth.edge_runtime.routing._songs import song_queries
from hearth.edge_runtime.routing._stated import stated_only
from hearth.edge_runtime.routing._units import unit_arguments
from hearth.edge_runtime.routing._url_arguments import url_arguments
from hearth.edge_runtime.routing._us_cities import city_state_arguments

#: Shortest copy that is snapped back to the message's own text.
_MIN_COPY = 8
#: Most words of a quoted name a model's first words are completed to.
_MAX_QUOTED_WORDS = 6
_PLACEHOLDER = re.compile(r"\{(\w{1,30})\}")
_CALLED = re.compile(r"\b(?:called|named|titled)\s+['\"‘“]([^'\"’”]{1,100})['\"’”]", re.IGNORECASE)


def _completed(value: str, user: str, others: Collection[str] = ()) -> str | None:
    """The model's copy of the message, repaired, or None when it needs no repair.

    * an end mark the message lacks: "Hey bunny, How are you doing?" for the
      message "Hey bunny, How are you doing";
    * the first words of a short quoted name: "chicken" for "the dish called
      'chicken dish'";
    * a placeholder the message fills (`_filled`).
    """
    bare = value.rstrip("?!.")
    if value not in user and len(bare) >= _MIN_COPY and bare != value and \
            re.search(rf"{re.escape(bare)}(?![?!.\w])", user):
        return bare
    # Only a name the message introduces as one ("the dish called 'chicken dish'").
    named: set[str] = {m.group(1).strip() for m in _CALLED.finditer(user)}
    longer = [q for q in named if len(q.split()) <= _MAX_QUOTED_WORDS and q != value
              and q.lower().startswith(value.lower() + " ")]
    if value.strip() and value not in named and len(longer) == 1 and \
            longer[0] not in others:
        return longer[0]
    return _filled(value, user)


def _filled(value: str, user: str) -> str | None:
    """An address with the placeholders the message fills ("https://{ip}/api" where "{ip}
    is the IP address '192.168.1.1'"), or None; a message template keeps its own."""
    if "/" not in value:
        return None
    filled = value
    for name in set(_PLACEHOLDER.findall(value)):
        # "where {ip} is the IP address '192.168.1.1'": the braces, then a quote soon after.
        said = re.search(rf"\{{{re.escape(name)}\}}\s+(?:is|=|:)\s+[^'\"]{{0,40}}?"
                         r"['\"]([^'\"\s{}]{1,200})['\"]", user)
        if said is not None:
            filled = filled.replace("{" + name + "}", said.group(1).rstrip("."))
    return filled if filled != value else None


def _copied(given: Mapping[str, Any], user: str) -> dict[str, str]:
    """The model's string values that copy the message with a slip, repaired (`_completed`)."""
    return {str(k): fixed for k, v in given.items()
            if isinstance(v, str) and (fixed := _completed(
                v, user, [o for j, o in given.items() if j != k and isinstance(o, str)]))}


#: An argument named for a part of a home: its value names the part without an article.
_AREA = re.compile(r"room|area|zone|floor", re.IGNORECASE)
_ARTICLE = re.compile(r"(?:the|my|our)\s+(?=\w)", re.IGNORECASE)


def _areas(schema: Mapping[str, Any], given: Mapping[str, Any]) -> dict[str, str]:
    """Room-like values without the message's article: "living room" for "the living room"."""
    properties = schema.get("properties") or {}
    found: dict[str, str] = {}
    for key, value in given.items():
        about = properties.get(key)
        if not isinstance(value, str) or not isinstance(about, Mapping) or about.get("enum"):
            continue
        if _AREA.search(str(key)) and \
                (article := _ARTICLE.match(value)):
            found[str(key)] = value[article.end():]
    return found


def read_arguments(schema: Mapping[str, Any], user: str, name: str,
                   given: Mapping[str, Any], today: date | None = None) -> dict[str, Any]:
    """What the message states outright for function `name`, by every reader.

    One value fills one argument: the identifier reader's guess (the message's
    only code-like token) does not take a value another reader placed, and a
    value it gives several arguments stays only in the one required of them.
    """
    read = {**_copied(given, user), **_areas(schema, given), **shaped_arguments(schema, user),
            **mentioned_choices(schema, user), **date_arguments(schema, user, today),
            **quoted_arguments(schema, user), **url_arguments(schema, user),
            **described_codes(schema, user), **flag_arguments(schema, user),
            **rating_arguments(schema, user), **number_lists(schema, user),
            **name_lists(schema, user, given), **person_arguments(schema, user),
            **place_arguments(schema, user, given), **percent_arguments(schema, user, given),
            **range_arguments(schema, user, given), **signed(schema, user, given),
            **city_state_arguments(schema, user, given), **end_pairs(schema, user, given),
            **unit_arguments(schema, user), **example_arguments(schema, user, given),
            **region_codes(schema, user, given), **song_queries(schema, user),
            **list_items(schema, user), **portion_arguments(schema, user)}
    read = {**proper_names(schema, user, given), **read}
    placed = {value_key(v): k for k, v in read.items() if isinstance(v, str)}
    labelled = {k: v for k, v in labelled_arguments(schema, user, name, given).items()
                if placed.get(value_key(v), k) == k}
    read = {**read, **one_holder(schema, labelled)}
    explicit = explicit_labels(schema, user, given, name)
    for key, value in explicit.items():
        # An explicit label wins: the value leaves any other argument a reader put it in.
        read = {k: v for k, v in read.items()
                if k in explicit or value_key(v) != value_key(value)}
        read[key] = value
    # A placeholder a reader copied from the message is filled as the model's would be.
    return {k: (_filled(v, user) or v) if isinstance(v, str) else v for k, v in read.items()}


def corrected(schema: Mapping[str, Any], user: str, name: str, given: Mapping[str, Any], *,
              stated: bool, today: date | None = None) -> dict[str, Any]:
    """The model's arguments `given`, with what the readers read in their place.

    With `stated` (the spec's `grounded_calls`), optional values the message
    never states are left out, except those a reader read.
    """
    read = read_arguments(schema, user, name, given, today)
    arguments = without_request_words(schema, user, without_other_areas(
        schema, user, without_repeats(schema, without_other_tails({**given, **read}), read)))
    if not stated:
        return arguments
    kept = stated_only(user, schema, arguments)
    return {**kept, **{k: arguments[k] for k in read if k in arguments}}
