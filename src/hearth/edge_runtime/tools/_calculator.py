"""The calculator tool: exact arithmetic by walking the expression's syntax tree.

Python never evaluates the text: it is parsed with `ast` and only numbers,
+ - * / // % **, unary signs, parentheses, pi, e and a few functions are
interpreted. Rationals stay exact (`Fraction`), so 1234*5678 is 7006652 and
0.1+0.2 is 0.3; only sqrt and fractional powers fall back to floats.
"""

from __future__ import annotations

import ast
import math
import operator
import re
from collections.abc import Callable
from fractions import Fraction
from typing import Any

from hearth.edge_runtime.tools._arguments import text_argument
from hearth.edge_runtime.tools._types import ToolContext, ToolDefinition, ToolResult
from hearth.errors import ToolError

#: Longest expression accepted, in characters.
MAX_EXPRESSION_CHARS = 200
#: Largest magnitude of any intermediate or final result.
MAX_MAGNITUDE = 10**100
#: Largest integer exponent accepted.
MAX_EXPONENT = 10_000
#: Largest exact power computed, in bits of its numerator or denominator: a
#: Fraction power costs time in the size of its result, which the magnitude
#: check cannot see ((1-.1**99)**9999 is close to 1 but has ~3 million bits).
#: 200,000 bits take about 10 ms; 1.0001**10000 (140,000 bits) still fits.
MAX_POWER_BITS = 200_000
#: Significant digits shown for results that are not whole numbers.
SIGNIFICANT_DIGITS = 12

_ALLOWED = "numbers, + - * / // % ** ( ), pi, e and sqrt, round, abs, min, max"
_OPS: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
    ast.Div: operator.truediv, ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod,
}
_CONSTANTS = {"pi": math.pi, "e": math.e}
_REWRITES = (
    (re.compile(r"(\d+(?:\.\d+)?)\s*%\s*of\b", re.IGNORECASE), r"(\1/100)*"),
    (re.compile(r"(\d+(?:\.\d+)?)\s*%(?=\s*(?:$|[),]))"), r"(\1/100)"),
    (re.compile(r"(?<=[\d)])\s*x\s*(?=[\d(])"), "*"),
    (re.compile(r"\^"), "**"),
)
_SYMBOLS = str.maketrans({"×": "*", "÷": "/", "−": "-"})

Number = Fraction | float


def evaluate(expression: str) -> int | float:
    """The value of an arithmetic expression; `ToolError` says why one is refused."""
    text = expression.translate(_SYMBOLS).strip().rstrip("=?").strip()
    if not text:
        raise ToolError("the expression is empty; give one such as 1234*5678")
    if len(text) > MAX_EXPRESSION_CHARS:
        raise ToolError(f"the expression is too long ({len(text)} > {MAX_EXPRESSION_CHARS} chars)")
    for pattern, replacement in _REWRITES:
        text = pattern.sub(replacement, text)
    try:
        tree = ast.parse(text, mode="eval")
    except (SyntaxError, ValueError):
        raise ToolError(f"cannot read {expression!r} as arithmetic; use {_ALLOWED}") from None
    try:
        value = _eval(tree.body)
    except ZeroDivisionError:
        raise ToolError("division by zero is undefined") from None
    except OverflowError:
        raise ToolError("the result is too large; the calculator stops at 1e100") from None
    if isinstance(value, Fraction) and value.denominator == 1:
        return value.numerator
    return float(value)


def format_number(value: int | float) -> str:
    """A result as the model should read it: whole numbers without a decimal point."""
    if isinstance(value, int):
        return str(value)
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return format(value, f".{SIGNIFICANT_DIGITS}g")


def _eval(node: ast.AST) -> Number:
    match node:
        case ast.Constant(value=bool()):
            raise ToolError(f"booleans are not numbers; use {_ALLOWED}")
        case ast.Constant(value=int() | float() as number):
            return _checked(Fraction(str(number)) if math.isfinite(number) else float(number))
        case ast.UnaryOp(op=ast.USub(), operand=operand):
            return -_eval(operand)
        case ast.UnaryOp(op=ast.UAdd(), operand=operand):
            return _eval(operand)
        case ast.BinOp(left=left, op=ast.Pow(), right=right):
            return _checked(_power(_eval(left), _eval(right)))
        case ast.BinOp(left=left, op=op, right=right) if type(op) in _OPS:
            return _checked(_OPS[type(op)](_eval(left), _eval(right)))
        case ast.Call(func=ast.Name(id=name), args=args, keywords=keywords) if name in _FUNCTIONS:
            if keywords:
                raise ToolError(f"{name}() takes positional arguments only, e.g. round(2.345, 2)")
            return _checked(_call(name, [_eval(a) for a in args]))
        case ast.Name(id=name) if name in _CONSTANTS:
            return _CONSTANTS[name]
        case ast.Name(id=name) | ast.Call(func=ast.Name(id=name)):
            raise ToolError(f"unknown name {name!r}; only {_ALLOWED} are allowed")
        case ast.Attribute() | ast.Call(func=ast.Attribute()):
            raise ToolError(f"attribute access is not allowed; only {_ALLOWED} are allowed")
        case ast.Constant(value=value):
            raise ToolError(f"{value!r} is not a number; only {_ALLOWED} are allowed")
    raise ToolError(f"{type(node).__name__} is not arithmetic; only {_ALLOWED} are allowed")


def _checked(value: Number) -> Number:
    if isinstance(value, float) and not math.isfinite(value):
        raise OverflowError
    if abs(float(value)) > MAX_MAGNITUDE:
        raise OverflowError
    if isinstance(value, Fraction) and value.denominator > MAX_MAGNITUDE:
        return float(value)
    return value


def _power(base: Number, exponent: Number) -> Number:
    if isinstance(exponent, Fraction) and exponent.denominator == 1:
        n = exponent.numerator
        if abs(n) > MAX_EXPONENT:
            raise ToolError(f"the exponent {n} is too large; at most {MAX_EXPONENT}")
        if base != 0 and n * math.log10(abs(float(base))) > math.log10(MAX_MAGNITUDE):
            raise OverflowError
        if isinstance(base, Fraction):
            bits = abs(n) * max(base.numerator.bit_length(), base.denominator.bit_length())
            if bits > MAX_POWER_BITS:
                raise ToolError(f"the exact power would have about {int(bits * 0.30103)} digits "
                                f"(at most {int(MAX_POWER_BITS * 0.30103)}); use fewer decimals "
                                "or a smaller exponent")
        power: Number = base**n
        return power
    result: complex | float = float(base) ** float(exponent)
    if isinstance(result, complex):
        raise ToolError("a negative number to a fractional power has no real value")
    return result


def _sqrt(args: list[Number]) -> Number:
    (x,) = args
    if x < 0:
        raise ToolError("sqrt of a negative number has no real value")
    if isinstance(x, Fraction):
        num, den = math.isqrt(x.numerator), math.isqrt(x.denominator)
        if num * num == x.numerator and den * den == x.denominator:
            return Fraction(num, den)
    return math.sqrt(x)


def _round(args: list[Number]) -> Number:
    digits = args[1] if len(args) == 2 else Fraction(0)
    if not (isinstance(digits, Fraction) and digits.denominator == 1 and -15 <= digits <= 15):
        raise ToolError("round(x, n) needs a whole number of digits n from -15 to 15 "
                        "(-3 rounds to the nearest thousand)")
    # Half away from zero, as people round by hand (Python's round() is half-to-even).
    scale = Fraction(10) ** int(digits)
    x = Fraction(args[0])
    rounded = math.floor(abs(x) * scale + Fraction(1, 2)) / scale
    return rounded if x >= 0 else -rounded


# name -> (fewest arguments, most arguments or None, implementation)
_FUNCTIONS: dict[str, tuple[int, int | None, Callable[[list[Number]], Number]]] = {
    "sqrt": (1, 1, _sqrt),
    "round": (1, 2, _round),
    "abs": (1, 1, lambda args: -args[0] if args[0] < 0 else args[0]),
    "min": (1, None, min),
    "max": (1, None, max),
}


def _call(name: str, args: list[Number]) -> Number:
    low, high, function = _FUNCTIONS[name]
    if len(args) < low or (high is not None and len(args) > high):
        wanted = f"{low} or more" if high is None else str(low) if low == high else f"{low}-{high}"
        raise ToolError(f"{name}() takes {wanted} argument(s), got {len(args)}")
    return function(args)


def calculator(arguments: dict[str, Any], ctx: ToolContext) -> ToolResult:
    """Evaluate `arguments["expression"]`; the content is the result alone."""
    expression = text_argument(arguments, "expression", max_chars=MAX_EXPRESSION_CHARS)
    result = format_number(evaluate(expression))
    return ToolResult(True, result, {"expression": expression, "result": result})


CALCULATOR = ToolDefinition(
    name="calculator",
    description="Evaluate an arithmetic expression exactly, e.g. 1234*5678 or (3+4)/2.",
    parameters={
        "type": "object",
        "properties": {
            "expression": {"type": "string", "description": "e.g. 1234*5678 or 15% of 80"}
        },
        "required": ["expression"],
        "additionalProperties": False,
    },
    run=calculator,
)
