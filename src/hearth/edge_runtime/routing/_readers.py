"""The model's arguments for an offered function, corrected by what the message states.

Each reader (`_choices`, `_date_arguments`, `_places`, ...) reads one kind of
value the message writes out; what they read beats the model's reading. The
model's optional values the message never states are then left out (see
`_stated`), but never what a reader read: the message states that.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hearth.edge_runtime.routing._choices import mentioned_choices
from hearth.edge_runtime.routing._date_arguments import date_arguments
from hearth.edge_runtime.routing._described import described_codes
from hearth.edge_runtime.routing._ends import end_pairs
from hearth.edge_runtime.routing._examples import example_arguments
from hearth.edge_runtime.routing._flags import flag_arguments
from hearth.edge_runtime.routing._labelled import labelled_arguments
from hearth.edge_runtime.routing._name_lists import name_lists
from hearth.edge_runtime.routing._number_lists import number_lists
from hearth.edge_runtime.routing._percent import percent_arguments
from hearth.edge_runtime.routing._persons import person_arguments
from hearth.edge_runtime.routing._places import place_arguments, without_other_areas
from hearth.edge_runtime.routing._proper import proper_names, without_request_words
from hearth.edge_runtime.routing._quoted import quoted_arguments
from hearth.edge_runtime.routing._ranges import range_arguments, signed
from hearth.edge_runtime.routing._ratings import rating_arguments
from hearth.edge_runtime.routing._repeated import (
    one_holder,
    value_key,
    without_other_tails,
    without_repeats,
)
from hearth.edge_runtime.routing._shaped import shaped_arguments
from hearth.edge_runtime.routing._stated import stated_only
from hearth.edge_runtime.routing._units import unit_arguments
from hearth.edge_runtime.routing._url_arguments import url_arguments
from hearth.edge_runtime.routing._us_cities import city_state_arguments


def read_arguments(schema: Mapping[str, Any], user: str, name: str,
                   given: Mapping[str, Any]) -> dict[str, Any]:
    """What the message states outright for function `name`, by every reader.

    One value fills one argument: the identifier reader's guess (the message's
    only code-like token) does not take a value another reader placed, and a
    value it gives several arguments stays only in the one required of them.
    """
    read = {**shaped_arguments(schema, user),
            **mentioned_choices(schema, user), **date_arguments(schema, user),
            **quoted_arguments(schema, user), **url_arguments(schema, user),
            **described_codes(schema, user), **flag_arguments(schema, user),
            **rating_arguments(schema, user), **number_lists(schema, user),
            **name_lists(schema, user, given), **person_arguments(schema, user),
            **place_arguments(schema, user, given), **percent_arguments(schema, user, given),
            **range_arguments(schema, user, given), **signed(schema, user, given),
            **city_state_arguments(schema, user, given), **end_pairs(schema, user, given),
            **unit_arguments(schema, user), **example_arguments(schema, user, given)}
    read = {**proper_names(schema, user, given), **read}
    placed = {value_key(v): k for k, v in read.items() if isinstance(v, str)}
    labelled = {k: v for k, v in labelled_arguments(schema, user, name, given).items()
                if placed.get(value_key(v), k) == k}
    return {**read, **one_holder(schema, labelled)}


def corrected(schema: Mapping[str, Any], user: str, name: str, given: Mapping[str, Any], *,
              stated: bool) -> dict[str, Any]:
    """The model's arguments `given`, with what the readers read in their place.

    With `stated` (the spec's `grounded_calls`), optional values the message
    never states are left out, except those a reader read.
    """
    read = read_arguments(schema, user, name, given)
    arguments = without_request_words(schema, user, without_other_areas(
        schema, user, without_repeats(schema, without_other_tails({**given, **read}), read)))
    if not stated:
        return arguments
    kept = stated_only(user, schema, arguments)
    return {**kept, **{k: arguments[k] for k in read if k in arguments}}
