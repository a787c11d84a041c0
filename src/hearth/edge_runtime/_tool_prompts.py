"""The prompts of tool choice: which tool (or none), then its arguments under a grammar.

Both steps are grammar-constrained JSON, so even a 135M model emits a valid
call; worked examples per built-in tool make small models pick tools far more
reliably than descriptions alone.
"""

from __future__ import annotations

import json
import re
from typing import Any

from hearth.edge_runtime._engine import Message
from hearth.edge_runtime.routing import IMPLICIT_CONSTANTS, message_numbers, words
from hearth.edge_runtime.tools import ToolBox

#: One worked example per built-in tool: small models pick tools far more
#: reliably after seeing a call than after reading a description.
_EXAMPLES: dict[str, tuple[str, dict[str, Any]]] = {
    "calculator": ("How much is 15 + 27?", {"expression": "15+27"}),
    "clock": ("What day of the week is it?", {"operation": "now"}),
    "remember": ("Please remember that my car is blue.", {"fact": "The user's car is blue."}),
    "recall": ("What did I tell you about my car?", {"query": "car"}),
    "reminder": ("Remind me to call mum in 20 minutes.",
                 {"text": "call mum", "when": "in 20 minutes"}),
}
#: Messages that need no tool, shown first and last around the tool examples:
#: a small model leans towards copying the example it saw last.
_NO_TOOL = ("Hi! How are you?", "Write a short poem about the sea.")
#: Longest string argument a decision may produce; stops a runaway string.
MAX_ARGUMENT_CHARS = 300
#: Characters an arithmetic expression may use (the calculator's grammar).
_EXPRESSION_PATTERN = r"^[0-9a-z.,+\-*/%^()x× ÷]{1,200}$"
#: Operators and functions an expression may combine the message's numbers with.
_EXPRESSION_PARTS = (r"[-+*/%^() .]", "sqrt", "of")
#: Numbers a message may give in words ("12 squared" is 12^2).
_NUMBER_WORDS = {
    "zero": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
    "seven": "7", "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12",
    "twenty": "20", "thirty": "30", "fifty": "50", "hundred": "100", "thousand": "1000",
    "dozen": "12", "half": "2", "twice": "2", "double": "2", "triple": "3", "quarter": "4",
    "squared": "2", "cubed": "3", "percent": "100",
}


def choice_messages(box: ToolBox, user: str, notes: tuple[str, ...]) -> list[Message]:
    """Stage 1: which tool (or none) serves the message."""
    lines = [f"- {s['function']['name']}: {s['function']['description']}" for s in box.schemas()]
    system = ("Pick the tool that answers the user's message, or none.\nTools:\n"
              + "\n".join(lines)
              + "\n- none: no tool needed (greetings, chit-chat, general knowledge, writing)."
              + "".join(f"\n{n}" for n in notes))
    shots: list[Message] = [{"role": "user", "content": _NO_TOOL[0]},
                            {"role": "assistant", "content": '{"tool": "none"}'}]
    for name in box.names:
        question = _EXAMPLES.get(name, (None, None))[0]
        if question:
            shots += [{"role": "user", "content": question},
                      {"role": "assistant", "content": json.dumps({"tool": name})}]
    shots += [{"role": "user", "content": _NO_TOOL[1]},
              {"role": "assistant", "content": '{"tool": "none"}'}]
    return [{"role": "system", "content": system}, *shots, {"role": "user", "content": user}]


def expression_pattern(user: str) -> str:
    """A regex for a calculator expression built from the message's numbers.

    A 135M model copies the numbers of the worked example ("12*7+3") into
    any question; a grammar that only offers the numbers the user gave (in
    digits or words, "squared" giving a 2), plus the constants people leave
    unsaid (60 minutes in an hour, 100 for a percent, ...), makes that
    impossible while "minutes in 3.5 hours" can still become 3.5*60.
    Without numbers in the message, any expression goes.
    """
    numbers = set(message_numbers(user))
    numbers |= {n for w, n in _NUMBER_WORDS.items() if re.search(rf"\b{w}\b", user, re.I)}
    if not numbers:
        return _EXPRESSION_PATTERN
    numbers |= set(IMPLICIT_CONSTANTS)
    # Longest first: an alternation tries its options in order. A dot goes in
    # brackets: llama.cpp's schema-to-grammar converter rejects an escaped one.
    options = [n.replace(".", "[.]") for n in sorted(numbers, key=lambda n: (-len(n), n))]
    return "^(" + "|".join([*options, *_EXPRESSION_PARTS]) + ")+$"


#: Longest span, in words, that `copy_spans` offers as a string argument.
MAX_SPAN_WORDS = 8
#: Most choices of a switch ("on"/"off", "open"/"close"/"stop") kept out of free strings.
MAX_SWITCH = 3
#: Most spans offered per string argument; a longer message offers its shorter spans.
MAX_SPANS = 400
_SPAN_EDGE = " \t\n.,;:!?\"'()[]{}"


def message_spans(user: str) -> list[str]:
    """Every run of one to `MAX_SPAN_WORDS` words of the message, edges trimmed, shortest first."""
    words = user.split()
    spans: dict[str, None] = {}
    for size in range(1, MAX_SPAN_WORDS + 1):
        for start in range(len(words) - size + 1):
            span = " ".join(words[start:start + size]).strip(_SPAN_EDGE)
            # llama-cpp-python's schema-to-grammar converter mangles an enum
            # value with a quote or a backslash inside (a grammar that fails).
            if span and '"' not in span and "\\" not in span and len(spans) < MAX_SPANS:
                spans.setdefault(span, None)
    return list(spans)


def bounded(schema: dict[str, Any], tool: str, user: str = "", *,
            copy_spans: bool = False) -> dict[str, Any]:
    """The tool's argument schema with every string bounded, for the grammar.

    With `copy_spans`, a free string argument must be a span of the message: a
    135M model invents "./en-us" for a city the user named, but picks the
    right words when only the user's words are on offer.
    """
    schema = json.loads(json.dumps(schema))
    spans = message_spans(user) if copy_spans else []
    if copy_spans:
        _from_message(schema, user)
        # "off" is the state's value, never the room's: a switch's few choices are not
        # offered as a free string ("Now switch them off": room "off"). Longer lists
        # ("USD", "EUR", ...) name things a free argument may hold too.
        chosen = {str(c).lower() for p in schema.get("properties", {}).values()
                  if isinstance(p, dict) and 0 < len(p.get("enum") or ()) <= MAX_SWITCH
                  for c in p["enum"]}
        spans = [s for s in spans if s.lower() not in chosen] or spans
    for key, prop in schema.get("properties", {}).items():
        if isinstance(prop, dict) and prop.get("type") == "string" and "enum" not in prop:
            prop.setdefault("maxLength", MAX_ARGUMENT_CHARS)
            if tool == "calculator" and key == "expression":
                prop["pattern"] = expression_pattern(user)
            elif spans and "pattern" not in prop and "format" not in prop:
                prop.pop("maxLength")
                prop["enum"] = spans
        elif spans and isinstance(prop, dict) and prop.get("type") == "array":
            # A list of the message's things ("two Big Macs and one McFlurry"): each
            # item one of its spans, or a 135M model lists things nobody said.
            items = prop.get("items")
            if isinstance(items, dict) and items.get("type") == "string" and not (
                    {"enum", "pattern", "format"} & items.keys()):
                items["enum"] = spans
    return schema


def _from_message(schema: dict[str, Any], user: str) -> None:
    """Arguments a small model may only take from the message (see `copy_spans`).

    An optional argument the message does not name is left out: a 135M model
    fills every field it is offered, and a guessed unit or timeout is wrong
    where leaving it out takes the function's default. A number argument may
    only be one of the message's numbers, when it gives any.
    """
    said = words(user)
    # A schema with no "required" list says nothing about what is optional.
    required = set(schema.get("required", schema.get("properties") or ()))
    properties = schema.get("properties") or {}
    for key in list(properties):
        prop = properties[key]
        if key not in required and not (words(key) & said):
            del properties[key]  # an enum value the message names is set afterwards
            continue
        kind = prop.get("type") if isinstance(prop, dict) else None
        if kind in ("integer", "number") and "enum" not in prop:
            values = [float(n) for n in message_numbers(user)]
            if kind == "integer":
                values = [v for v in values if v.is_integer()]
            if values:
                prop["enum"] = sorted({int(v) if v.is_integer() else v for v in values})


def argument_messages(box: ToolBox, name: str, user: str) -> list[Message]:
    """Stage 2: the arguments for the chosen tool."""
    function = box.function(name)
    system = (f"Fill in the arguments of the tool {name}: {function['description']}\n"
              f"Arguments schema: {json.dumps(function['parameters'])}\nAnswer with JSON only.")
    messages: list[Message] = [{"role": "system", "content": system}]
    if name in _EXAMPLES:
        question, arguments = _EXAMPLES[name]
        messages += [{"role": "user", "content": question},
                     {"role": "assistant", "content": json.dumps(arguments)}]
    return [*messages, {"role": "user", "content": user}]


