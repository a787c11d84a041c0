"""Tools and routes: for a failing cluster, each installed tool or route that fits its failures.

A tool fits when its name or description shares words with the failing
messages; a route fits when its patterns catch them or its description
shares their words. No table says which tool serves which category: the
fit is read from the spec the owner runs and the failures themselves.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from hearth.edge_runtime.routing._classify import evidence, pattern_score
from hearth.search.proposers._candidate import Candidate, Failure, edits, fit, words
from hearth.specs import Route, Spec

#: Tools (and routes) tried per cluster, best fitting first.
MAX_FITTING = 3
#: Ways a tool route may phrase its reply (see `Route.reply`).
REPLY_MODES = ("checked", "template", "model")


def caught_by(route: Route, text: str) -> bool:
    """Whether one of the route's patterns matches `text`'s request (as the classifier does)."""
    return pattern_score(route, evidence(text)) > 0


def _tool_text(spec: Spec, name: str) -> str:
    tool = spec.tools.get(name)
    return f"{name.replace('_', ' ')} {tool.description if tool else ''}"


def _tool_candidates(spec: Spec, target: str, texts: Sequence[str]) -> list[Candidate]:
    scored = [(fit(texts, _tool_text(spec, t.name)), t.name) for t in spec.tools.tools]
    fitting = [name for n, name in sorted(scored, key=lambda s: -s[0]) if n > 0][:MAX_FITTING]
    out = []
    loop = [] if spec.agent.kind == "tools" else [
        {"op": "set_field", "path": "agent.kind", "value": "tools"}]
    for name in fitting:
        tool = spec.tools.get(name)
        wanted = loop + ([] if tool is not None and tool.enabled else [
            {"op": "enable_tool", "name": name}])
        if wanted:
            out.append(Candidate(target, edits(wanted), f"use the {name} tool: its description "
                                 "fits the failing messages", kind="tools"))
    if loop and not fitting:
        out.append(Candidate(target, edits(loop), "use the tool loop: the task may offer a "
                             "function that answers these messages", kind="tools"))
    return out


def _route_candidates(spec: Spec, target: str, texts: Sequence[str]) -> list[Candidate]:
    out = []
    routes = spec.agent.routes
    caught = [(sum(caught_by(r, t) for t in texts), i) for i, r in enumerate(routes)]
    for n, i in sorted(caught, key=lambda c: -c[0])[:MAX_FITTING]:
        route = routes[i]
        if n == 0 or route.path != "tool":
            continue
        # The failing messages reach this tool: perhaps its reply is what goes wrong.
        for mode in REPLY_MODES:
            if mode != route.reply:
                out.append(Candidate(target, edits([{"op": "set_field", "value": mode,
                                                     "path": f"agent.routes.{i}.reply"}]),
                                     f"route {route.name}: catches {n} failing message(s); "
                                     f"reply {mode}", kind="routes"))
                break
        tool = spec.tools.get(route.tool or "")
        if tool is not None and tool.enabled:
            out.append(Candidate(target, edits([{"op": "disable_tool", "name": tool.name}]),
                                 f"route {route.name} catches {n} failing message(s): answer "
                                 f"them without the {tool.name} tool", kind="routes"))
    out += _new_patterns(spec, target, texts)
    return out


def _new_patterns(spec: Spec, target: str, texts: Sequence[str]) -> list[Candidate]:
    """Failing messages no route catches: a pattern for the route whose description fits."""
    missed = [t for t in texts if not any(caught_by(r, t) for r in spec.agent.routes)]
    if not missed or not spec.agent.routes:
        return []
    best: tuple[int, int] | None = None
    for i, route in enumerate(spec.agent.routes):
        text = route.description + (" " + _tool_text(spec, route.tool)
                                    if route.tool and route.tool != "*" else "")
        score = fit(missed, text)
        if route.path == "tool" and route.tool != "*" and score and (
                best is None or score > best[0]):
            best = (score, i)
    if best is None:
        return []
    route = spec.agent.routes[best[1]]
    shared = words(" ".join(missed)) & words(route.description + " " + _tool_text(
        spec, route.tool or ""))
    if not shared or len(route.patterns) >= 32:
        return []
    pattern = r"\b(" + "|".join(sorted(re.escape(w) for w in shared)[:8]) + r")"
    value: list[Any] = [*route.patterns, pattern]
    return [Candidate(target, edits([{"op": "set_field", "value": value,
                                      "path": f"agent.routes.{best[1]}.patterns"}]),
                      f"route {route.name}: also catch messages with {', '.join(sorted(shared))}",
                      kind="routes")]


def propose_tools(spec: Spec, target: str, failures: Sequence[Failure],
                  examples: Sequence[tuple[str, str]] = ()) -> list[Candidate]:
    """Tool and route candidates that fit the cluster's messages: the failing ones, then the
    passing ones, and the words of its name (a user's own name says what it is about)."""
    texts = [f.prompt for f in failures] or [u for u, _ in examples]
    texts.append(target.replace("_", " "))
    return [*_tool_candidates(spec, target, texts), *_route_candidates(spec, target, texts)]
