"""The tool box: only enabled tools exist, schemas are valid, and calls never raise."""

from __future__ import annotations

import json
from typing import Any

import pytest
from llama_cpp.llama_grammar import LlamaGrammar, json_schema_to_gbnf

from hearth.edge_runtime.tools import (
    BUILTIN_DEFINITIONS,
    ToolBox,
    ToolContext,
    ToolDefinition,
    ToolResult,
)
from hearth.errors import ToolError
from hearth.specs import BUILTIN_TOOLS, HttpEndpoint, Tool, Tools, gemma_spec
from tests.edge_runtime.test_tools_support import make_ctx


def test_every_builtin_is_implemented() -> None:
    assert set(BUILTIN_DEFINITIONS) == set(BUILTIN_TOOLS)


def test_a_spec_without_enabled_tools_has_none() -> None:
    box = ToolBox.from_spec(gemma_spec().tools)
    assert box.names == ()
    assert box.schemas() == []
    result = box.call("calculator", {"expression": "1+1"}, make_ctx())
    assert result == ToolResult(
        False,
        "tool 'calculator' is not available (available tools: none)",
        {"tool": "calculator", "error": "unavailable"},
    )


def test_disabled_tool_is_absent_and_refused() -> None:
    tools = Tools(
        tools=(
            Tool(name="clock", enabled=False),
            Tool(name="calculator", enabled=True),
            Tool(name="remember", enabled=True, description="Note a fact about the user."),
        )
    )
    box = ToolBox.from_spec(tools)
    assert box.names == ("calculator", "remember")
    assert "clock" not in box
    assert [s["function"]["name"] for s in box.schemas()] == ["calculator", "remember"]
    refused = box.call("clock", {"operation": "now"}, make_ctx())
    assert not refused.ok
    assert refused.content.startswith("tool 'clock' is not available")
    assert "calculator, remember" in refused.content
    assert not box.call("rm_rf", {}, make_ctx()).ok


def test_schema_shape_and_descriptions() -> None:
    tools = Tools(
        tools=(
            Tool(name="calculator", enabled=True, description="Do sums."),
            Tool(name="clock", enabled=True),
        )
    )
    calculator, clock = ToolBox.from_spec(tools).schemas()
    assert calculator == {
        "type": "function",
        "function": {
            "name": "calculator",
            "description": "Do sums.",
            "parameters": dict(BUILTIN_DEFINITIONS["calculator"].parameters),
        },
    }
    assert clock["function"]["description"] == BUILTIN_DEFINITIONS["clock"].description
    json.dumps([calculator, clock])


@pytest.mark.parametrize("name", BUILTIN_TOOLS)
def test_builtin_schemas_compile_to_a_llama_grammar(name: str) -> None:
    parameters = BUILTIN_DEFINITIONS[name].parameters
    assert set(parameters["required"]) <= set(parameters["properties"])
    grammar = json_schema_to_gbnf(json.dumps(parameters))
    LlamaGrammar.from_string(grammar, verbose=False)


def test_user_tool_schema_uses_the_spec() -> None:
    parameters = {"type": "object", "properties": {"room": {"type": "string"}}}
    tool = Tool(
        name="lights",
        enabled=True,
        parameters=parameters,
        endpoint=HttpEndpoint(url="http://home.local/lights"),
    )
    [schema] = ToolBox.from_spec(Tools(tools=(tool,))).schemas()
    assert schema["function"]["parameters"] == parameters
    assert schema["function"]["description"] == "Call the user's lights service."


def test_an_endpoint_overrides_a_builtin_of_the_same_name() -> None:
    parameters = {"type": "object", "properties": {"zone": {"type": "string"}}}
    tool = Tool(
        name="clock",
        enabled=True,
        parameters=parameters,
        endpoint=HttpEndpoint(url="http://home.local/clock"),
    )
    box = ToolBox.from_spec(Tools(tools=(tool,)))
    assert box.schemas()[0]["function"]["parameters"] == parameters
    result = box.call("clock", {"zone": "x"}, make_ctx())
    assert result.content == "host home.local is not in tools.allowed_hosts"


def boom(arguments: dict[str, Any], ctx: ToolContext) -> ToolResult:
    raise RuntimeError("the relay is stuck")


def refuse(arguments: dict[str, Any], ctx: ToolContext) -> ToolResult:
    raise ToolError("the garage is already open")


def test_exceptions_inside_tools_become_results() -> None:
    schema = {"type": "object", "properties": {}}
    box = ToolBox(
        [
            ToolDefinition("boom", "Always breaks.", schema, boom),
            ToolDefinition("garage", "Opens the garage.", schema, refuse),
        ]
    )
    broken = box.call("boom", {}, make_ctx())
    assert broken == ToolResult(
        False,
        "tool 'boom' failed: RuntimeError: the relay is stuck",
        {"tool": "boom", "error": "RuntimeError"},
    )
    refused = box.call("garage", {}, make_ctx())
    assert (refused.ok, refused.content) == (False, "the garage is already open")


def test_broken_context_becomes_a_result() -> None:
    box = ToolBox.from_spec(Tools(tools=(Tool(name="clock", enabled=True),)))
    result = box.call("clock", {"operation": "now"}, make_ctx(timezone="Mars/Olympus_Mons"))
    assert not result.ok
    assert "ZoneInfoNotFoundError" in result.content


@pytest.mark.parametrize(
    ("arguments", "says"),
    [
        ('{"expression": "6*7"}', None),
        ("", "missing required argument(s): expression"),
        ("not json", "not valid JSON"),
        (None, "must be a JSON object, got null"),
        ({"expression": "1", "precision": 3}, "has no argument 'precision'"),
    ],
)
def test_argument_forms(arguments: Any, says: str | None) -> None:
    box = ToolBox.from_spec(Tools(tools=(Tool(name="calculator", enabled=True),)))
    result = box.call("calculator", arguments, make_ctx())
    if says is None:
        assert (result.ok, result.content) == (True, "42")
    else:
        assert not result.ok
        assert says in result.content


def test_duplicate_names_are_refused() -> None:
    definition = BUILTIN_DEFINITIONS["calculator"]
    with pytest.raises(ToolError, match="two tools are called 'calculator'"):
        ToolBox([definition, definition])
