""""Halfway", "to half", "half brightness" on the argument's own scale."""

from __future__ import annotations

from typing import Any

import pytest

from hearth.edge_runtime.routing._portions import portion_arguments
from hearth.edge_runtime.routing._readers import corrected

BLINDS: dict[str, Any] = {"type": "object", "properties": {
    "room": {"type": "string"},
    "position": {"type": "integer", "description":
                 "How far the blinds are open: 0 = fully closed, 100 = fully open."}},
    "required": ["room", "position"]}


@pytest.mark.parametrize(("schema", "message", "read"), [
    (BLINDS, "Close the living room blinds halfway.", {"position": 50}),
    ({"properties": {"level": {"type": "integer", "description": "Brightness from 0 to 255"}}},
     "Set the lamp to half brightness", {"level": 128}),
    ({"properties": {"volume": {"type": "number", "description": "Volume in percent"}}},
     "Turn the volume to half", {"volume": 50}),
    ({"properties": {"speed": {"type": "integer", "minimum": 0, "maximum": 10}}},
     "Run the fan at half speed", {"speed": 5}),
])
def test_a_portion_on_the_arguments_scale(schema: dict[str, Any], message: str,
                                          read: dict[str, Any]) -> None:
    assert portion_arguments(schema, message) == read


@pytest.mark.parametrize(("schema", "message"), [
    (BLINDS, "Open the blinds to 30%"),          # the message says its number
    (BLINDS, "I ate half a pizza"),              # no portion of a scale
    (BLINDS, "Turn on the lights at half past six"),    # a clock time
    (BLINDS, "Close the blinds three-quarters of the way"),  # from which end?
    ({"properties": {"level": {"type": "integer", "description": "1=low, 2=medium, 3=high"}}},
     "Set the fan to half"),                     # choices, not a scale
    ({"properties": {"position": {"type": "integer"}}}, "Close the blinds halfway"),  # no scale
])
def test_no_portion_read(schema: dict[str, Any], message: str) -> None:
    assert portion_arguments(schema, message) == {}


def test_the_portion_replaces_the_models_number() -> None:
    fixed = corrected(BLINDS, "Close the living room blinds halfway.", "set_blinds",
                      {"room": "living room", "position": 10}, stated=True)
    assert fixed == {"room": "living room", "position": 50}
