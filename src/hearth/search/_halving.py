"""Successive halving: many candidates on a small gate sample, few on the whole gate.

Every candidate is first scored on a small sample of the gate stratified by
category (one task of each); the best fraction goes on to a larger sample
(two of each), and only those left are scored on the whole gate, where GateOK
decides. The samples are nested and every result is cached per (spec, task,
model), so a survivor's full-gate run only scores the tasks it has not run yet.

Why not Optuna: its pruners (SuccessiveHalvingPruner, HyperbandPruner) judge
one trial's intermediate values of a single objective against other trials'
values at the same step. Here a candidate is a fixed edit (no sampled
parameters), and what decides is per category (the target must rise, no
other category may fall by more than eps), not one number; the rungs are
task samples whose base scores we already hold. Optuna would add a study
store and a dependency for what is a ranking and a cut per rung (~50 lines).
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from hearth.bench import Task
from hearth.search._log import CandidateRecord
from hearth.search._proposer import Candidate
from hearth.specs import Spec

if TYPE_CHECKING:
    from hearth.search._session import Outcome, ScoreSheet

#: Tasks per category in each rung's sample; the last rung is the whole gate.
RUNG_PER_CATEGORY = (1, 2)
#: Share of a rung's candidates that go on to the next rung (at least one does).
KEEP_FRACTION = 0.25


@dataclass(frozen=True)
class SubScores:
    """Per-category and overall pass rates on some tasks (a `ScoreSheet`'s numbers)."""

    by_category: dict[str, float]
    overall: float


@dataclass
class Entry:
    """A candidate that applies cleanly and passed the guard rails, on its way up the rungs."""

    candidate: Candidate
    spec: Spec
    record: CandidateRecord
    sheet: ScoreSheet | None = None
    """The last `ScoreSheet` scored for it (on the rung it reached)."""


def stratified_sample(gate: Sequence[Task], per_category: int) -> list[Task]:
    """`per_category` tasks of each category, the same ones every night, in gate order.

    Within a category tasks are ranked by a sha256 of their id, so the sample
    for 1 per category is inside the sample for 2 (the rungs are nested).
    """
    by_category: dict[str, list[Task]] = {}
    for task in gate:
        by_category.setdefault(task.category, []).append(task)
    chosen = {t.id for tasks in by_category.values()
              for t in sorted(tasks, key=lambda t: hashlib.sha256(t.id.encode()).hexdigest())
              [:per_category]}
    return [t for t in gate if t.id in chosen]


def rungs(gate: Sequence[Task], per_category: Sequence[int] = RUNG_PER_CATEGORY
          ) -> list[list[Task]]:
    """The task sets of each rung, smallest first, ending with the whole gate."""
    out: list[list[Task]] = []
    for n in per_category:
        sample = stratified_sample(gate, n)
        if len(sample) < len(gate) and (not out or len(sample) > len(out[-1])):
            out.append(sample)
    return [*out, list(gate)]


def sub_scores(outcomes: Sequence[Outcome], task_ids: set[str]) -> SubScores:
    """Pass rates of `outcomes` restricted to `task_ids`."""
    kept = [o for o in outcomes if o.task_id in task_ids]
    cats = sorted({o.category for o in kept})
    by = {c: sum(o.passed for o in kept if o.category == c)
          / sum(o.category == c for o in kept) for c in cats}
    overall = sum(o.passed for o in kept) / len(kept) if kept else 0.0
    return SubScores(by, overall)


def _rank_key(base: SubScores, after: SubScores, target: str) -> tuple[float, float, float]:
    """Higher is better: target gain, then the worst other category's change, then overall."""
    gain = after.by_category.get(target, 0.0) - base.by_category.get(target, 1.0)
    others = [after.by_category.get(c, 0.0) - v for c, v in base.by_category.items()
              if c != target]
    return gain, min(others, default=0.0), after.overall - base.overall


def planned_evaluations(n: int, sizes: Sequence[int], keep: float = KEEP_FRACTION) -> int:
    """Task evaluations successive halving needs for `n` candidates, cache reuse counted.

    Rungs are nested, so a candidate moving up only runs the new tasks.
    """
    total, alive, previous = 0, n, 0
    for i, size in enumerate(sizes):
        total += alive * (size - previous)
        previous = size
        if i < len(sizes) - 1:
            alive = max(1, math.ceil(alive * keep)) if alive else 0
    return total


def rung_deadlines(n: int, sizes: Sequence[int], start: float, deadline: float,
                   keep: float = KEEP_FRACTION) -> list[float]:
    """When each rung must stop starting candidates, in shares of the planned work.

    Without this a slow machine spends the whole session on the first rung
    and no survivor ever reaches the whole gate (seen: 34 candidates scored on
    9 tasks, 0 on the gate, 20 minutes gone). Each rung gets the share of the
    session its planned task evaluations have, so the survivors are left time.
    """
    work, alive, previous = [], n, 0
    for i, size in enumerate(sizes):
        work.append(alive * (size - previous))
        previous = size
        if i < len(sizes) - 1:
            alive = max(1, math.ceil(alive * keep)) if alive else 0
    total = sum(work) or 1
    out, used = [], 0
    for share in work:
        used += share
        out.append(start + (deadline - start) * used / total)
    out[-1] = deadline
    return out


def halve(entries: list[Entry], rung_tasks: Sequence[Sequence[Task]], base_outcomes:
          Sequence[Outcome], score: Callable[[Spec, Sequence[Task]], ScoreSheet], *,
          keep: float = KEEP_FRACTION, deadline: float | None = None,
          on_scored: Callable[[int, int], None] = lambda done, total: None) -> list[Entry]:
    """Entries that reach the last rung (the whole gate), each with its full-gate sheet.

    At each rung the best `keep` share goes on (ranked by target gain, then
    the worst other category, then overall, against the base spec on the
    same tasks), and so does every entry whose target rises on the sample
    while the sample's overall score does not fall: the cut is for the
    undecided many, not for the few that already look like a gain. (On a
    sample of one or two tasks a category, one lost task reads as a drop of
    50-100 points, far beyond eps; the whole gate judges that, with GateOK.)
    Pruned entries get decision "pruned" and the rung they fell at; entries
    left unscored when their rung's share of the time up to `deadline` (a
    `time.monotonic()` value; see `rung_deadlines`) is spent get "refused"
    with the reason (a later session may score them), those scored on a
    lower rung "pruned".
    `on_scored(done, total)` follows candidate scorings (total as planned).
    """
    alive = list(entries)
    total = sum(max(1, math.ceil(len(entries) * keep ** i)) if entries else 0
                for i in range(len(rung_tasks)))
    done = 0
    stops = (rung_deadlines(len(entries), [len(t) for t in rung_tasks], time.monotonic(),
                            deadline, keep) if deadline is not None and rung_tasks else None)
    for level, tasks in enumerate(rung_tasks):
        ids = {t.id for t in tasks}
        base = sub_scores(base_outcomes, ids)
        scored: list[tuple[tuple[float, float, float], Entry]] = []
        for entry in alive:
            if stops is not None and time.monotonic() > stops[level]:
                # Scored on an earlier rung: it counts as tried, cut by the clock.
                entry.record.decision = "refused" if entry.record.rung is None else "pruned"
                entry.record.reason = (f"session time limit reached before rung {level + 1} "
                                       f"({len(tasks)} gate tasks)")
                continue
            sheet = score(entry.spec, tasks)
            entry.sheet = sheet
            done += 1
            on_scored(done, total)
            after = sub_scores(sheet.outcomes, ids)
            entry.record.rung = level
            entry.record.scores, entry.record.overall = after.by_category, after.overall
            scored.append((_rank_key(base, after, entry.candidate.target), entry))
        if level == len(rung_tasks) - 1:
            return [entry for _, entry in scored]
        scored.sort(key=lambda pair: pair[0], reverse=True)
        cut = max(1, math.ceil(len(scored) * keep)) if scored else 0
        alive = []
        for rank, (key, entry) in enumerate(scored):
            if (rank < cut and key[0] >= 0) or (key[0] > 0 and key[2] >= -1e-9):
                alive.append(entry)
            else:
                entry.record.decision = "pruned"
                entry.record.reason = (
                    f"pruned at rung {level + 1} ({len(tasks)} gate tasks): target "
                    f"{key[0]:+.2f}, worst other {key[1]:+.2f}"
                    + ("" if key[0] < 0 else f"; not in the best {cut} of {len(scored)}"))
        total = done + sum(max(1, math.ceil(len(alive) * keep ** i)) if alive else 0
                           for i in range(len(rung_tasks) - level - 1))
    return []
