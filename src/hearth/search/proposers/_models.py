"""Model choice: every catalog model installed here, for the whole spec or per route.

Each candidate carries what the model costs (file size, measured decode
speed where `hearth models bench` ran), so the report can show what quality
a model buys at what speed.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hearth.edge_runtime.routing._relevance import STOP_WORDS
from hearth.search._gate import ANY_CATEGORY
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


_PLAIN_WORD = re.compile(r"[a-z]+(?:'[a-z]+)*")
#: Marker words a class pattern may use: at most this many, each in this share of its messages.
_MAX_MARKERS, _MIN_SHARE = 8, 0.2


def class_pattern(mine: Sequence[str], others: Sequence[str]) -> str | None:
    """A pattern for messages like `mine` and unlike `others`, from their words alone.

    Its words are in none of `others`, and in at least half of `mine` when
    some word is (else in two of them, and a fifth): "json" and "keys" for
    extraction requests, "letters" and "word" for formatting instructions.
    A word matches with or without a plural s (`\\b(jsons?|keys?)\\b`).
    None when no word sets the class apart.
    """
    def plain(text: str) -> set[str]:
        # A word and its plural count as one ("word", "words"): the messages a
        # route meets are not the ones its pattern came from.
        return {_singular(w) for w in _PLAIN_WORD.findall(text.lower())
                if len(w) > 2 and w not in STOP_WORDS}

    counts = Counter(w for text in mine for w in plain(text))
    elsewhere = set().union(*(plain(t) for t in others)) if others else set()
    apart = {w: n for w, n in counts.items() if w not in elsewhere}
    need = max(2, round(len(mine) * _MIN_SHARE))
    most = max(need, -(-len(mine) // 2))
    if any(n >= most for n in apart.values()):
        need = most
    markers = sorted((w for w, n in apart.items() if n >= need),
                     key=lambda w: (-apart[w], w))[:_MAX_MARKERS]
    if not markers:
        return None
    return r"\b(" + "|".join(sorted(re.escape(w) + "s?" for w in markers)) + r")\b"


def _singular(word: str) -> str:
    """A crude singular: one trailing s off ("keys" -> "key"; "class", "bus", "news" stay)."""
    keep = word.endswith(("ss", "us", "is", "ews"))
    return word[:-1] if len(word) > 3 and word.endswith("s") and not keep else word


def _route_name(target: str, model: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "_", f"{target} {model.partition('-')[0]}".lower()).strip("_")
    return ("like_" + slug)[:64]


def _class_route(spec: Spec, target: str, option: ModelOption, mine: Sequence[str],
                 others: Sequence[str]) -> Candidate | None:
    """A new route: messages like this cluster's answered by `option` (model per class)."""
    pattern = class_pattern(mine, others)
    if pattern is None or len(spec.agent.routes) >= 32:
        return None
    route: dict[str, Any] = {"name": _route_name(target, option.name), "path": "model",
                             "model": option.name, "patterns": [pattern],
                             "description": f"messages like the {target} ones"}
    if any(r.name == route["name"] for r in spec.agent.routes):
        return None
    # add_route appends: other routes keep their index, so this stacks with
    # edits that name a route by position.
    return Candidate(target, edits([{"op": "add_route", "route": route}]),
                     f"messages matching {pattern} (like the {target} ones) answered by "
                     f"{option.label()}", kind="model", cost=option.cost())


def propose_models(spec: Spec, target: str, options: Sequence[ModelOption],
                   failures: Sequence[Failure] = (), *, mine: Sequence[str] = (),
                   others: Sequence[str] = ()) -> list[Candidate]:
    """For each other installed model: a route for messages like the cluster's (when `mine`,
    the cluster's messages, have words that `others`, the rest, lack), the route that
    serves the failures, then the whole spec."""
    current = spec.intelligence.model
    prompts = [f.prompt for f in failures]
    routes = spec.agent.routes
    # The route the failing messages reach: the one whose patterns catch most of
    # them, else the chat route (what nothing else catches).
    # A decline route answers with a fixed sentence: no model to choose there.
    caught = sorted(((sum(caught_by(r, p) for p in prompts), i) for i, r in enumerate(routes)
                     if r.path != "decline"), key=lambda c: -c[0])
    route_at = caught[0][1] if caught and caught[0][0] else next(
        (i for i, r in enumerate(routes) if r.path == "chat"), None)
    out: list[Candidate] = []
    for option in options:
        if option.name == current:
            continue
        routed = _class_route(spec, target, option, mine, others) if mine else None
        if routed is not None:
            out.append(routed)
        if route_at is not None and routes[route_at].model != option.name:
            route = routes[route_at]
            out.append(Candidate(target, edits([{"op": "set_field", "value": option.name,
                                                 "path": f"agent.routes.{route_at}.model"}]),
                                 f"route {route.name} answered by {option.label()}",
                                 kind="model", cost=option.cost()))
        # Every message on another model is aimed at no one cluster: it is judged by
        # whichever category it raises most (GateOK's other conditions unchanged).
        out.append(Candidate(ANY_CATEGORY, edits([{"op": "set_model", "model": option.name}]),
                             f"every message answered by {option.label()}", kind="model",
                             cost=option.cost()))
    return out
