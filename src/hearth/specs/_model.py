"""The Spec: a frozen, validated description of the on-device assistant."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from hearth.specs._edits import Edit
from hearth.specs._primitives import (
    Agent,
    EngineSettings,
    Intelligence,
    Learning,
    Tools,
    _Frozen,
)

#: Current schema version of the spec document; bumped on incompatible changes.
SPEC_SCHEMA_VERSION = 1


class Lineage(_Frozen):
    """Where a spec came from: its parent's id and the edits applied to it."""

    parent_id: str | None = None
    edits: tuple[Edit, ...] = ()


class Spec(_Frozen):
    """The whole on-device assistant, as data.

    Two specs are equal when their content is: `lineage` records history but
    does not change behaviour, so it takes no part in the id or in `==`.
    """

    schema_version: Literal[1] = 1
    name: str = Field("custom", min_length=1, max_length=64)
    intelligence: Intelligence
    engine: EngineSettings = EngineSettings()
    agent: Agent = Agent()
    tools: Tools = Tools()
    learning: Learning = Learning()
    lineage: Lineage = Lineage()

    @model_validator(mode="after")
    def _routes_reach_tools(self) -> Spec:
        # A route to a tool the spec does not list is a typo; one to a listed but
        # disabled tool is allowed (disabling a tool turns its class into chat).
        listed = {t.name for t in self.tools.tools}
        for route in self.agent.routes:
            if route.path == "tool" and route.tool != "*" and route.tool not in listed:
                raise ValueError(
                    f"agent.routes: route {route.name!r} sends messages to tool "
                    f"{route.tool!r}, which tools.tools does not list; add the tool or "
                    "change the route")
        return self

    def content(self) -> dict[str, Any]:
        """The spec as JSON-ready data, without lineage: what the id hashes."""
        return self.model_dump(mode="json", exclude={"lineage"})

    @property
    def id(self) -> str:
        """The content id: sha256 of the canonical JSON, as 64 hex digits."""
        from hearth.specs._canonical import content_id

        return content_id(self)

    @property
    def short_id(self) -> str:
        """The first 12 hex digits of the id, for people."""
        return self.id[:12]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Spec):
            return NotImplemented
        return self.content() == other.content()

    def __hash__(self) -> int:
        return hash(self.id)

    def summary(self) -> str:
        """One line for people: name, model, agent kind and enabled tools."""
        tools = ",".join(t.name for t in self.tools.enabled) or "no tools"
        return (
            f"{self.name} {self.short_id}: {self.intelligence.model}, {self.agent.kind} agent, "
            f"{tools}, temp {self.intelligence.sampling.temperature}"
        )
