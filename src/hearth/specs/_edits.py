"""Typed spec edits: a closed, discriminated union keyed by `op`.

Edits are what the nightly search proposes and what `hearth spec apply` reads.
The union is closed on purpose: a teacher cannot invent an operation, and an
edit with an unknown `op` fails validation with the list of known ones.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, TypeAdapter

from hearth.specs._primitives import _Frozen

_DOTTED = r"^[a-z_][a-z0-9_]*(\.([a-z_][a-z0-9_]*|[0-9]+))*$"


class SetField(_Frozen):
    """Set any field by its dotted path, e.g. ``intelligence.sampling.temperature``."""

    op: Literal["set_field"] = "set_field"
    path: str = Field(pattern=_DOTTED, max_length=200)
    value: Any


class SetSystemPrompt(_Frozen):
    """Replace the agent's system prompt."""

    op: Literal["set_system_prompt"] = "set_system_prompt"
    prompt: str = Field(max_length=20_000)


class AddFewShot(_Frozen):
    """Add one example exchange; at `index`, or at the end when omitted."""

    op: Literal["add_few_shot"] = "add_few_shot"
    user: str = Field(min_length=1, max_length=4000)
    assistant: str = Field(min_length=1, max_length=4000)
    index: int | None = Field(None, ge=0, le=31)
    when: str = Field("", max_length=2000, description="shown only to messages this "
                      "regular expression matches; empty: to every message")


class RemoveFewShot(_Frozen):
    """Remove the example exchange at `index` (0-based)."""

    op: Literal["remove_few_shot"] = "remove_few_shot"
    index: int = Field(ge=0, le=31)


class EnableTool(_Frozen):
    """Let the agent call a tool the spec already lists."""

    op: Literal["enable_tool"] = "enable_tool"
    name: str = Field(min_length=1, max_length=64)


class DisableTool(_Frozen):
    """Stop the agent from calling a tool."""

    op: Literal["disable_tool"] = "disable_tool"
    name: str = Field(min_length=1, max_length=64)


class SetToolDescription(_Frozen):
    """Rewrite the description the model reads for a tool."""

    op: Literal["set_tool_description"] = "set_tool_description"
    name: str = Field(min_length=1, max_length=64)
    description: str = Field(max_length=2000)


class SetModel(_Frozen):
    """Switch the model; optionally set its chat template in the same step."""

    op: Literal["set_model"] = "set_model"
    model: str = Field(min_length=1, max_length=4096)
    chat_template: str | None = Field(None, max_length=20_000)


class AddRoute(_Frozen):
    """Add a query class and its path (`agent.routes`), after the routes the spec has.

    Appending keeps every other route at its index, so edits that name a
    route by position (`agent.routes.2.model`) still mean the same route.
    """

    op: Literal["add_route"] = "add_route"
    route: dict[str, Any] = Field(description="a route: name, path, patterns, model, ...")


Edit = Annotated[
    SetField
    | SetSystemPrompt
    | AddFewShot
    | RemoveFewShot
    | EnableTool
    | DisableTool
    | SetToolDescription
    | SetModel
    | AddRoute,
    Field(discriminator="op"),
]

#: Validates one edit or a list of them from JSON-ready data.
EDIT_ADAPTER: TypeAdapter[Edit] = TypeAdapter(Edit)
EDITS_ADAPTER: TypeAdapter[list[Edit]] = TypeAdapter(list[Edit])

#: The known operation names, for error messages and the teacher's schema.
EDIT_OPS = (
    "set_field",
    "set_system_prompt",
    "add_few_shot",
    "remove_few_shot",
    "enable_tool",
    "disable_tool",
    "set_tool_description",
    "set_model",
    "add_route",
)
