"""The tools the edge agent may call: built-ins and the user's HTTP tools.

`ToolBox.from_spec(spec.tools)` holds exactly the enabled tools, gives their
OpenAI function schemas, and `call`s them with a `ToolContext` without ever
raising: every failure is a `ToolResult` with `ok=False` the model can read.
"""

from hearth.edge_runtime.tools._box import BUILTIN_DEFINITIONS, ToolBox
from hearth.edge_runtime.tools._calculator import evaluate
from hearth.edge_runtime.tools._reminder import parse_when
from hearth.edge_runtime.tools._types import (
    FactMemory,
    RecalledFact,
    ReminderScheduler,
    ToolContext,
    ToolDefinition,
    ToolFunction,
    ToolResult,
)

__all__ = [
    "BUILTIN_DEFINITIONS",
    "FactMemory",
    "RecalledFact",
    "ReminderScheduler",
    "ToolBox",
    "ToolContext",
    "ToolDefinition",
    "ToolFunction",
    "ToolResult",
    "evaluate",
    "parse_when",
]
