"""The calculator: exact answers, precedence, and refusals of anything but arithmetic."""

from __future__ import annotations

import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hearth.edge_runtime.tools import ToolBox, evaluate
from hearth.errors import ToolError
from hearth.specs import Tool, Tools
from tests.edge_runtime.test_tools_support import make_ctx


@pytest.fixture
def box() -> ToolBox:
    return ToolBox.from_spec(Tools(tools=(Tool(name="calculator", enabled=True),)))


def calc(box: ToolBox, expression: str) -> tuple[bool, str]:
    result = box.call("calculator", {"expression": expression}, make_ctx())
    return result.ok, result.content


def test_product_is_exact_integer(box: ToolBox) -> None:
    assert evaluate("1234*5678") == 7006652
    assert isinstance(evaluate("1234*5678"), int)
    assert calc(box, "1234*5678") == (True, "7006652")
    assert calc(box, "123456789 * 987654321") == (True, "121932631112635269")


@pytest.mark.parametrize(
    ("expression", "shown"),
    [
        ("2+3*4", "14"),
        ("(2+3)*4", "20"),
        ("-3**2", "-9"),
        ("2**3**2", "512"),
        ("10-4-3", "3"),
        ("100/10/5", "2"),
        ("7/2", "3.5"),
        ("17//5", "3"),
        ("17 % 5", "2"),
        ("-(-4)", "4"),
        ("0.1+0.2", "0.3"),
        ("1/3", "0.333333333333"),
        ("2**-2", "0.25"),
        ("sqrt(16)", "4"),
        ("sqrt(2)", "1.41421356237"),
        ("round(2.5)", "3"),
        ("round(3.14159, 2)", "3.14"),
        ("abs(-7)", "7"),
        ("min(3, 1, 2) + max(4, 9)", "10"),
        ("15% of 80", "12"),
        ("50%", "0.5"),
        ("2^10", "1024"),
        ("3 x 4", "12"),
        ("6 ÷ 4", "1.5"),
        ("1234*5678 =", "7006652"),
        ("(" * 90 + "1" + ")" * 90, "1"),
    ],
)
def test_arithmetic(box: ToolBox, expression: str, shown: str) -> None:
    assert calc(box, expression) == (True, shown)


@pytest.mark.parametrize("expression", ["1/0", "5//0", "5 % 0", "0**-1", "1/(2-2)"])
def test_division_by_zero(box: ToolBox, expression: str) -> None:
    ok, content = calc(box, expression)
    assert not ok
    assert "division by zero" in content


@pytest.mark.parametrize(
    ("expression", "says"),
    [
        ("__import__('os')", "unknown name '__import__'"),
        ("__import__('os').system('true')", "attribute access"),
        ("x + 1", "unknown name 'x'"),
        ("exp(1)", "unknown name 'exp'"),
        ("(1).__class__", "attribute access"),
        ("math.pi", "attribute access"),
        ("[1, 2] * 3", "List is not arithmetic"),
        ("'a' * 3", "'a' is not a number"),
        ("lambda: 1", "Lambda is not arithmetic"),
        ("True + 1", "booleans are not numbers"),
        ("1 if 1 else 2", "IfExp is not arithmetic"),
        ("round(2.5, ndigits=1)", "positional arguments only"),
        ("sqrt(-1)", "no real value"),
        ("(-8) ** 0.5", "no real value"),
        ("1 +", "cannot read"),
        ("", "non-empty"),
    ],
)
def test_refuses_what_is_not_arithmetic(box: ToolBox, expression: str, says: str) -> None:
    ok, content = calc(box, expression)
    assert not ok
    assert says in content


def test_refuses_huge_powers_quickly(box: ToolBox) -> None:
    started = time.monotonic()
    ok, content = calc(box, "9**9**9")
    assert not ok
    assert "exponent 387420489 is too large" in content
    for expression in ("10**101", "2**1000", "1e300*1e300", "99999999999**99"):
        ok, content = calc(box, expression)
        assert (ok, "too large" in content) == (False, True), expression
    assert time.monotonic() - started < 1.0


@pytest.mark.parametrize("expression", [
    "(1-.1**99)**9999", "(1-.1**99)**-9999", "(1+.1**90)**9000", "(0.999999999-.1**80)**5000",
])
def test_refuses_exact_powers_too_big_to_compute(expression: str) -> None:
    # Close to 1 in magnitude, so only a bound on the operands' size stops
    # these (before the bound, each spent seconds of CPU under the runtime lock).
    with pytest.raises(ToolError, match="exact power would have about"):
        evaluate(expression)


def test_compound_interest_sized_powers_still_exact() -> None:
    assert evaluate("1.5**2") == 2.25
    assert evaluate("1.0001**10000") == pytest.approx(2.718145926825225)


def test_refuses_long_input(box: ToolBox) -> None:
    ok, content = calc(box, "1+" * 150 + "1")
    assert not ok
    assert "at most 200" in content
    with pytest.raises(ToolError, match="too long"):
        evaluate("1+" * 150 + "1")


def test_evaluate_never_calls_python() -> None:
    # If eval() were used anywhere, this would raise SystemExit instead of ToolError.
    with pytest.raises(ToolError):
        evaluate("exit(3)")


@given(
    a=st.integers(-(10**12), 10**12),
    b=st.integers(-(10**12), 10**12),
    op=st.sampled_from(["+", "-", "*"]),
)
def test_matches_python_on_integers(a: int, b: int, op: str) -> None:
    expected = {"+": a + b, "-": a - b, "*": a * b}[op]
    assert evaluate(f"({a}) {op} ({b})") == expected
