"""Unit conversions set up for the calculator with exact factors, and routed to it."""

from __future__ import annotations

import pytest

from hearth.edge_runtime.routing import match
from hearth.edge_runtime.routing._math import explicit_expression
from hearth.edge_runtime.tools import ToolBox
from hearth.specs import Tool, Tools, default_spec
from tests.edge_runtime.test_tools_support import make_ctx

BOX = ToolBox.from_spec(Tools(tools=(Tool(name="calculator", enabled=True),)))


def value(text: str) -> float:
    expression = explicit_expression(text)
    assert expression is not None, text
    result = BOX.call("calculator", {"expression": expression}, make_ctx())
    assert result.ok, result.content
    return float(result.data["result"])


@pytest.mark.parametrize(("question", "answer"), [
    ("Convert 5 miles to kilometres.", 8.04672),
    ("How many ounces in a pound?", 16),
    ("What is 72 degrees Fahrenheit in Celsius?", 22.2222222222),
    ("What is 20°C in Fahrenheit?", 68),
    ("Convert 300 kelvin to celsius", 26.85),
    ("How many cm in 3 feet?", 91.44),
    ("I am 5 feet 10 inches. How tall is that in cm?", 177.8),
    ("Convert 2 cups to ml", 473.176473),
    ("3 imperial pints in litres", 1.70478375),
    ("How many teaspoons in a tablespoon?", 3),
    ("100 km/h in mph", 62.1371192237),
    ("10 kg in lbs", 22.0462262185),
    ("Convert five miles to km", 8.04672),
    ("What's 18 degrees in Fahrenheit?", 64.4),     # degrees of the other scale
    ("What is 100 degrees in celsius?", 37.7777777778),
    ("What's 5 foot 2 in cm?", 157.48),
    ("What's 40% of 1,250?", 500),
])
def test_conversions_use_exact_factors(question: str, answer: float) -> None:
    assert value(question) == pytest.approx(answer, rel=1e-9)


@pytest.mark.parametrize("question", [
    "Convert 5 pounds to euros",            # money, not mass
    "I walked 5 km in an hour",             # no conversion asked
    "Convert 20 kg to kilograms please, in kg",  # the same unit
])
def test_other_kinds_are_no_conversion(question: str) -> None:
    from hearth.edge_runtime.routing._conversions import unit_conversion

    assert unit_conversion(question.lower()) is None


@pytest.mark.parametrize("question", [
    "Convert 5 miles to kilometres.", "How many ounces in a pound?",
    "What is 72 degrees Fahrenheit in Celsius?", "Round 3.14159 to two decimal places.",
    "What's half of 350?", "Split 120 euros between 4 people.",
])
def test_conversions_and_everyday_sums_go_to_the_calculator(question: str) -> None:
    found = match(default_spec().agent.routes, question)
    assert found.sure is not None and found.sure.tool == "calculator"


def test_a_conversion_reply_names_the_unit_and_rounds_long_decimals() -> None:
    from hearth.edge_runtime.routing._replies import template

    def reply(user: str, expression: str, result: str) -> str:
        return template("calculator", {"expression": expression, "result": result}, "", user)

    assert reply("How many ounces in a pound?", "1*0.45359237/0.028349523125", "16") == \
        "16 ounces (1*0.45359237/0.028349523125)"
    assert reply("What is 72 degrees Fahrenheit in Celsius?", "(72-32)*5/9", "22.2222222222") \
        == "about 22.22 °C ((72-32)*5/9)"
    # Another expression than the conversion's is no conversion.
    assert reply("Convert 5 miles to km", "5+1", "6") == "6 (5+1)"


def test_a_conversion_always_gets_its_template_not_the_models_rounding() -> None:
    from hearth.edge_runtime.routing._replies import agrees

    data = {"expression": "250*0.001/0.028349523125", "result": "8.8184904874"}
    assert not agrees("calculator", data, "The answer is 8.82.", "How much is 250 grams in ounces?")
