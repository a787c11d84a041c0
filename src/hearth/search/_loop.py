"""The search loop: sessions until k in a row bring no gain or the budget is spent.

Autonomy (from the spec's learning primitive): `auto` activates and publishes
the accepted spec, `review` holds it as pending until the owner approves it
(`hearth spec approve ID` or /approve), `manual` only reports.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from hearth.search._session import SearchContext, SessionOutcome, run_session
from hearth.specs import Spec, SpecStore

log = logging.getLogger(__name__)


@dataclass
class SearchResult:
    """What a search run did."""

    start: Spec
    final: Spec
    sessions: list[SessionOutcome] = field(default_factory=list)
    stopped_because: str = ""
    published_to: int | None = None
    pending: bool = False

    @property
    def improved(self) -> bool:
        """Whether any session was accepted."""
        return self.final.id != self.start.id


def run_search(ctx: SearchContext, store: SpecStore, start: Spec, *, max_sessions: int,
               budget_left: Callable[[], bool] = lambda: True,
               publish: Callable[[Spec], int] | None = None) -> SearchResult:
    """Repeat sessions from `start`; store, and activate/publish per the spec's autonomy."""
    result = SearchResult(start=start, final=start)
    spec, stagnant = start, 0
    for _ in range(max_sessions):
        if not budget_left():
            result.stopped_because = "budget spent"
            break
        outcome = run_session(ctx, spec)
        result.sessions.append(outcome)
        if outcome.accepted:
            stagnant = 0
            spec = outcome.spec
            store.save(spec, note=f"search session {outcome.record.session_id}",
                       gate_scores=outcome.record.gate_after)
        else:
            stagnant += 1
            if stagnant >= spec.learning.stagnation_k:
                result.stopped_because = f"{stagnant} sessions in a row without gain"
                break
    else:
        result.stopped_because = result.stopped_because or f"{max_sessions} sessions run"
    result.final = spec
    if not result.improved:
        return result
    autonomy = start.learning.autonomy
    if autonomy == "auto":
        store.activate(spec)
        result.published_to = publish(spec) if publish is not None else None
    elif autonomy == "review":
        store.set_status(spec.id, "pending")
        result.pending = True
    return result
