"""The tool box: the tools one spec enables, their schemas, and a call that never raises.

The spec's tool list is the whole truth: a tool that is not enabled there does
not exist here, whatever the model asks for. Every failure (unknown tool, bad
arguments, a `ToolError`, any other exception inside a tool) comes back as a
failed `ToolResult` the model can read, never as an exception in the loop.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from hearth.edge_runtime.tools._arguments import check_arguments, parse_arguments
from hearth.edge_runtime.tools._calculator import CALCULATOR
from hearth.edge_runtime.tools._clock import CLOCK
from hearth.edge_runtime.tools._http import http_definition
from hearth.edge_runtime.tools._memory_tools import RECALL, REMEMBER
from hearth.edge_runtime.tools._reminder import REMINDER
from hearth.edge_runtime.tools._types import ToolContext, ToolDefinition, ToolResult
from hearth.errors import ToolError
from hearth.specs import Tool, Tools

logger = logging.getLogger(__name__)

#: The built-in tools by name, with their default descriptions and schemas.
BUILTIN_DEFINITIONS: Mapping[str, ToolDefinition] = {
    d.name: d for d in (CALCULATOR, CLOCK, RECALL, REMEMBER, REMINDER)
}


def _definition(tool: Tool) -> ToolDefinition:
    # An endpoint wins over a built-in of the same name: the owner asked for HTTP.
    if tool.endpoint is not None:
        return http_definition(tool)
    builtin = BUILTIN_DEFINITIONS.get(tool.name)
    if builtin is None:
        raise ToolError(f"tool {tool.name!r} is neither built in nor bound to an endpoint")
    return ToolDefinition(
        name=builtin.name,
        description=tool.description or builtin.description,
        parameters=builtin.parameters,
        run=builtin.run,
    )


class ToolBox:
    """The callable tools of one spec, by name, in the spec's order."""

    def __init__(self, definitions: Iterable[ToolDefinition]) -> None:
        self._tools: dict[str, ToolDefinition] = {}
        for definition in definitions:
            if definition.name in self._tools:
                raise ToolError(f"two tools are called {definition.name!r}; names must be unique")
            self._tools[definition.name] = definition

    @classmethod
    def from_spec(cls, tools: Tools) -> ToolBox:
        """The box of the spec's enabled tools; disabled ones do not exist in it."""
        return cls(_definition(tool) for tool in tools.enabled)

    @property
    def names(self) -> tuple[str, ...]:
        """Names of the tools in the box, in the spec's order."""
        return tuple(self._tools)

    def __contains__(self, name: object) -> bool:
        return name in self._tools

    def __len__(self) -> int:
        return len(self._tools)

    def schemas(self) -> list[dict[str, Any]]:
        """OpenAI function schemas of the tools, for the prompt and the call grammar."""
        return [definition.schema() for definition in self._tools.values()]

    def function(self, name: str) -> dict[str, Any]:
        """The OpenAI function schema of tool `name` (name, description, parameters)."""
        function: dict[str, Any] = self._tools[name].schema()["function"]
        return function

    def call(self, name: str, arguments: Mapping[str, Any] | str, ctx: ToolContext) -> ToolResult:
        """Run tool `name`; never raises (KeyboardInterrupt and SystemExit aside).

        `arguments` is the model's JSON object, parsed or as text. Failures come
        back as `ToolResult(ok=False, ...)` whose content says what went wrong.
        """
        definition = self._tools.get(name)
        if definition is None:
            available = ", ".join(self._tools) or "none"
            return ToolResult(
                False,
                f"tool {name!r} is not available (available tools: {available})",
                {"tool": name, "error": "unavailable"},
            )
        try:
            parsed = parse_arguments(name, arguments)
            checked = check_arguments(name, definition.parameters, parsed)
            return definition.run(checked, ctx)
        except ToolError as e:
            return ToolResult(False, str(e), {"tool": name, "error": "ToolError"})
        except Exception as e:
            # A broken tool must not kill the job: the model sees the failure instead.
            logger.warning("tool %r raised", name, exc_info=True)
            return ToolResult(
                False,
                f"tool {name!r} failed: {type(e).__name__}: {e}",
                {"tool": name, "error": type(e).__name__},
            )
