"""Repairs: a model change GateOK refused for a few lost classes, with those classes kept.

Answering every chat message with a larger installed model is often the best
single edit on the gate, yet it loses a task or two elsewhere (a refusal the
small model made, a multi-turn answer), and GateOK rightly refuses it: in a
category of three gate tasks one lost task is a 33-point drop. Relaxing eps
would let such drops through everywhere. A repair keeps the rule and changes
the candidate instead: for each category that fell, one route sends messages
like that category's search-part messages (their `class_pattern`: words they
share that no other category's messages have) down the path and model they
had in the start spec. The repaired candidate is a new candidate, scored on
the whole gate and judged by the same GateOK against the session's start.

Only the categories come from the gate (which fell); the patterns come from
the search part, so a repair that works on the gate must generalise to the
gate's own messages to pass, and the test part stays untouched.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from hearth.edge_runtime.routing._classify import fallback, match
from hearth.search.proposers import Candidate, class_pattern
from hearth.search.proposers._candidate import edits
from hearth.specs import Route, Spec

#: Float noise when a score sits exactly at eps (as in GateOK).
_SLACK = 1e-9
#: Candidates repaired per session, best whole-gate overall first: each costs a
#: whole-gate scoring.
MAX_REPAIRS = 2


class _Message(Protocol):
    @property
    def category(self) -> str:
        """The task's category."""
        ...

    @property
    def prompt(self) -> str:
        """The last user message."""
        ...


def fallen(before: Mapping[str, float], after: Mapping[str, float], target: str,
           eps: float) -> list[str]:
    """The categories other than `target` that dropped by more than eps (GateOK's refusals)."""
    return [k for k in sorted(before) if k != target
            and after.get(k, 0.0) < before[k] - eps - _SLACK]


def _reached(spec: Spec, texts: Sequence[str]) -> Route | None:
    """The start spec's route that most of `texts` take by their patterns (else chat)."""
    routes = spec.agent.routes
    taken: Counter[str] = Counter()
    for text in texts:
        sure = match(routes, text).sure
        route = sure or fallback(routes)
        if route is not None:
            taken[route.name] += 1
    if not taken:
        return None
    name = taken.most_common(1)[0][0]
    return next(r for r in routes if r.name == name)


def _keep_route(start: Spec, category: str, mine: Sequence[str], others: Sequence[str],
                taken: set[str]) -> dict[str, Any] | None:
    pattern = class_pattern(mine, others)
    if pattern is None:
        return None
    reached = _reached(start, mine)
    slug = re.sub(r"[^a-z0-9]+", "_", category.lower()).strip("_") or "class"
    name = f"keep_{slug}"[:64]
    if name in taken:
        return None
    route: dict[str, Any] = {
        "name": name, "patterns": [pattern],
        "description": f"messages like the {category} ones, answered as before",
        "path": reached.path if reached is not None else "chat"}
    if route["path"] != "decline":  # a decline route's fixed sentence uses no model
        route["model"] = (reached.model if reached is not None and reached.model
                          else start.intelligence.model)
    if reached is not None and reached.path == "tool":
        route["tool"] = reached.tool
        route["reply"] = reached.reply
    return route


def repair(start: Spec, candidate: Candidate, before: Mapping[str, float],
           after: Mapping[str, float], *, eps: float,
           search: Sequence[_Message]) -> Candidate | None:
    """`candidate` plus keep routes for the categories that fell, or None.

    None unless it is a model candidate whose target rose and that GateOK
    refused only for categories that fell, each of which has words that set
    its search-part messages apart.
    """
    if candidate.kind != "model" or candidate.invalid:
        return None
    target = candidate.target
    if not after.get(target, 0.0) > before.get(target, 0.0) + _SLACK:
        return None
    fell = fallen(before, after, target, eps)
    if not fell:
        return None
    taken = {r.name for r in start.agent.routes}
    added: list[dict[str, Any]] = []
    for category in fell:
        mine = [m.prompt for m in search if m.category == category]
        others = [m.prompt for m in search if m.category != category]
        route = _keep_route(start, category, mine, others, taken)
        if route is None:
            return None
        taken.add(route["name"])
        added.append(route)
    data = [e.model_dump(mode="json") for e in candidate.edits]
    data += [{"op": "add_route", "route": r} for r in added]
    kept = ", ".join(f"{r['name']} ({r['patterns'][0]})" for r in added)
    return Candidate(target, edits(data), f"{candidate.rationale}; repaired: {kept} keep their "
                     "start path and model", source=candidate.source, kind="model",
                     cost=dict(candidate.cost))
