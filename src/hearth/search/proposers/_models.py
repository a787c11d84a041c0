"""Model choice: every catalog model installed here, for the whole spec or per route.

Each candidate carries what the model costs (file size, measured decode
speed where `hearth models bench` ran), so the report can show what quality
a model buys at what speed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from hearth.search.proposers._candidate import Candidate, Failure, edits
from hearth.search.proposers._tools import caught_by
from hearth.specs import Spec


@dataclass(frozen=True)
class ModelOption:
    """An installed catalog model and what it costs to run."""

    name: str
    size_bytes: int = 0
    decode_tokens_per_s: float | None = None

    def cost(self) -> dict[str, float]:
        """The cost, as a candidate records it."""
        out = {"size_bytes": float(self.size_bytes)}
        if self.decode_tokens_per_s is not None:
            out["decode_tokens_per_s"] = self.decode_tokens_per_s
        return out

    def label(self) -> str:
        """Name, size and speed for people."""
        speed = (f", {self.decode_tokens_per_s:.0f} tok/s" if self.decode_tokens_per_s
                 else "")
        return f"{self.name} ({self.size_bytes / 1e6:.0f} MB{speed})"


def installed_options(home: Path) -> list[ModelOption]:
    """The catalog models present on this machine (nothing is hashed), smallest first."""
    from hearth.models import TEMPLATE_IN_FILE, FileStatus, list_models

    # A model whose file lacks a chat template needs one from its own spec: a
    # bare set_model cannot supply it, so the search leaves such models out.
    out = [ModelOption(m.name, m.size or m.entry.size or 0,
                       m.bench.decode_tokens_per_s if m.bench else None)
           for m in list_models(home)
           if m.status is not FileStatus.MISSING and m.entry.chat_template == TEMPLATE_IN_FILE]
    return sorted(out, key=lambda o: (o.size_bytes, o.name))


def propose_models(spec: Spec, target: str, options: Sequence[ModelOption],
                   failures: Sequence[Failure] = ()) -> list[Candidate]:
    """For each other installed model: the route that serves the failures, then the whole spec."""
    current = spec.intelligence.model
    prompts = [f.prompt for f in failures]
    routes = spec.agent.routes
    # The route the failing messages reach: the one whose patterns catch most of
    # them, else the chat route (what nothing else catches).
    caught = sorted(((sum(caught_by(r, p) for p in prompts), i) for i, r in enumerate(routes)),
                    key=lambda c: -c[0])
    route_at = caught[0][1] if caught and caught[0][0] else next(
        (i for i, r in enumerate(routes) if r.path == "chat"), None)
    out = []
    for option in options:
        if option.name == current:
            continue
        if route_at is not None and routes[route_at].model != option.name:
            route = routes[route_at]
            out.append(Candidate(target, edits([{"op": "set_field", "value": option.name,
                                                 "path": f"agent.routes.{route_at}.model"}]),
                                 f"route {route.name} answered by {option.label()}",
                                 kind="model", cost=option.cost()))
        out.append(Candidate(target, edits([{"op": "set_model", "model": option.name}]),
                             f"every message answered by {option.label()}", kind="model",
                             cost=option.cost()))
    return out
