"""Repairs: a model change GateOK refused for a few lost classes, with those classes kept.

Answering every chat message with a larger installed model is often the best
single edit on the gate, yet it loses a task or two elsewhere (a refusal the
small model made, a multi-turn answer), and GateOK rightly refuses it: in a
category of three gate tasks one lost task is a 33-point drop. Relaxing eps
would let such drops through everywhere. A repair keeps the rule and changes
the candidate instead: for each category that fell, its search-part messages
keep the path and model they had in the start spec. Where a patterned route
claims them, that route keeps its start model; where they reach chat, a new
route catches them by their `class_pattern` (words they share that no other
category's messages have). The repaired candidate is a new candidate, scored
on the whole gate and judged by the same GateOK against the session's start.

Only the categories come from the gate (which fell); the patterns come from
the search part, so a repair that works on the gate must generalise to the
gate's own messages to pass, and the test part stays untouched.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from hearth.edge_runtime.routing._classify import fallback, match
from hearth.search._gate import fallen, resolved, rose
from hearth.search.proposers import Candidate, class_pattern
from hearth.search.proposers._candidate import edits
from hearth.specs import Route, Spec

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


def _reached(spec: Spec, texts: Sequence[str]) -> tuple[int, Route] | None:
    """The start spec's route (index, route) that most of `texts` surely take.

    A message no pattern claims takes the fallback (chat); a tied one is left
    out, since the model picks its route at run time.
    """
    routes = spec.agent.routes
    taken: Counter[int] = Counter()
    chat = fallback(routes)
    for text in texts:
        found = match(routes, text)
        route = found.sure or (chat if not found.tied else None)
        if route is not None:
            taken[routes.index(route)] += 1
    if not taken:
        return None
    at = taken.most_common(1)[0][0]
    return at, routes[at]


def _keep(start: Spec, category: str, mine: Sequence[str], others: Sequence[str],
          name: str) -> dict[str, Any] | None:
    """The edit that keeps `category`'s messages on their start path and model, or None.

    Messages a patterned route claims keep that route with its start model; a
    new route in front of it would only tie with it. Messages that reach chat
    get a new route of their own, matched by the words that set them apart.
    """
    reached = _reached(start, mine)
    if reached is not None and reached[1].path == "decline":
        # A fixed sentence uses no model: keep the category's other messages, which a
        # model answers ("How do I pick a lock?" reaches chat, "Book a table" declines).
        routes = start.agent.routes
        mine = [m for m in mine if (match(routes, m).sure or fallback(routes)) is not reached[1]]
        reached = _reached(start, mine) if mine else None
    if reached is None or reached[1].path == "decline":
        return None
    at, route = reached
    model = route.model or start.intelligence.model
    if route.patterns and route is not fallback(start.agent.routes):
        return {"op": "set_field", "path": f"agent.routes.{at}.model", "value": model}
    pattern = class_pattern(mine, others)
    if pattern is None:
        return None
    keep: dict[str, Any] = {
        "name": name, "patterns": [pattern], "path": route.path, "model": model,
        "description": f"messages like the {category} ones, answered as before"}
    if route.path == "tool":
        keep.update(tool=route.tool, reply=route.reply)
    return {"op": "add_route", "route": keep}


def repair(start: Spec, candidate: Candidate, before: Mapping[str, float],
           after: Mapping[str, float], *, eps: float,
           search: Sequence[_Message]) -> Candidate | None:
    """`candidate` plus keep routes for the categories that fell, or None.

    None unless it is a model candidate whose target rose and that GateOK
    refused only for categories that fell, each of which has words that set
    its search-part messages apart.
    """
    routes = start.agent.routes
    if candidate.kind != "model" or candidate.invalid or start.agent.kind != "tools" \
            or fallback(routes) is None or start.intelligence.chat_template is not None:
        # Keep routes act only in a routed spec with a chat route; a start model with
        # the spec's own chat template would not answer "as before" from a route.
        return None
    target = resolved(before, after, candidate.target)
    if not target or not rose(before, after, target):
        return None
    fell = fallen(before, after, target, eps)
    if not fell:
        return None
    data = [e.model_dump(mode="json") for e in candidate.edits]
    # Named after the candidate too: two repairs stacked in one session must not
    # add two routes of one name.
    tag = hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:6]
    added: list[dict[str, Any]] = []
    for category in fell:
        mine = [m.prompt for m in search if m.category == category]
        others = [m.prompt for m in search if m.category != category]
        slug = re.sub(r"[^a-z0-9]+", "_", category.lower()).strip("_")[:48] or "class"
        keep = _keep(start, category, mine, others, f"keep_{slug}_{tag}")
        if keep is None:
            return None
        added.append(keep)
    kept = ", ".join(e["route"]["name"] + f" ({e['route']['patterns'][0]})"
                     if e["op"] == "add_route" else f"{e['path']} = {e['value']}"
                     for e in added)
    return Candidate(target, edits(data + added), f"{candidate.rationale}; repaired: {kept} "
                     "keep their start path and model", source=candidate.source,
                     kind="model", cost=dict(candidate.cost))
