""""Add X to the list": the item and its count, read for a function that takes an item."""

from __future__ import annotations

from typing import Any

import pytest

from hearth.edge_runtime.routing._list_items import list_items
from hearth.edge_runtime.routing._readers import corrected

SHOPPING: dict[str, Any] = {"type": "object", "properties": {
    "item": {"type": "string", "description": "The product to buy."},
    "quantity": {"type": "integer", "description": "How many units (default 1)."}},
    "required": ["item"]}


@pytest.mark.parametrize(("message", "read"), [
    ("Add oat milk to the shopping list, we need 2 cartons.", {"item": "oat milk", "quantity": 2}),
    ("Please add 2 cartons of oat milk to my shopping list", {"item": "oat milk", "quantity": 2}),
    ("Add 3 lemons to the shopping list", {"item": "lemons", "quantity": 3}),
    ("Add milk (2 bottles) to the list", {"item": "milk", "quantity": 2}),
    ("add eggs to our grocery list", {"item": "eggs"}),
    ("Add a bag of rice to the list", {"item": "rice"}),
    ("Could you put some butter on the shopping list?", {"item": "butter"}),
    ("Add eggs to the list, we need a dozen", {"item": "eggs", "quantity": 12}),
    ("Add a dozen eggs to the list", {"item": "eggs", "quantity": 12}),
    # A number that names the thing or measures it is no count.
    ("Add 2 percent milk to the shopping list", {"item": "2 percent milk"}),
    ("Add 9 volt batteries to the list", {"item": "9 volt batteries"}),
    ("Add 500 g of flour to the list", {"item": "500 g of flour"}),
    ("Add 'call mum' to my to-do list", {"item": "call mum"}),
])
def test_the_item_added_and_its_count(message: str, read: dict[str, Any]) -> None:
    assert list_items(SHOPPING, message) == read


@pytest.mark.parametrize("message", [
    "Put it on the list",                   # the item is in another turn
    "Add bread to the basket",              # no list
    "What's on the shopping list?",         # no adding
    "I added eggs to the list yesterday",   # no request
])
def test_no_item_read_where_the_request_has_none(message: str) -> None:
    assert list_items(SHOPPING, message) == {}


def test_a_function_without_one_item_argument_gets_nothing() -> None:
    two = {"properties": {"name": {"type": "string"}, "title": {"type": "string"}}}
    assert list_items(two, "Add eggs to the list") == {}
    assert list_items({"properties": {"city": {"type": "string"}}}, "Add eggs to the list") == {}


def test_the_read_item_replaces_the_models_wrong_span() -> None:
    given = {"item": "the shopping list, we need 2 cartons"}
    fixed = corrected(SHOPPING, "Add oat milk to the shopping list, we need 2 cartons.",
                      "create_shopping_item", given, stated=True)
    assert fixed == {"item": "oat milk", "quantity": 2}
