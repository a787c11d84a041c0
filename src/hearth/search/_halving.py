"""Successive halving: many candidates on a small gate sample, few on the whole gate.

Every candidate is first scored on the gate tasks of its target category
that the base spec fails (the target check: an edit that fixes none of them
cannot pass GateOK, so this cut is exact). Those left are scored on a
sample of the gate stratified by category (one task of each, plus their
target-check tasks); the best fraction goes on to a larger sample (two of
each), and only those left are scored on the whole gate, where GateOK
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
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from hearth.bench import Task
from hearth.search._gate import ANY_CATEGORY, resolved
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
    own: list[Task] = field(default_factory=list)
    """The gate tasks of its target that the base spec fails (`target_check`)."""


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


def _rank_key(base: SubScores, after: SubScores, target: str) -> tuple[float, float]:
    """Higher is better: target gain, then the worst other category's change (for
    `ANY_CATEGORY` the target is the category that gained most)."""
    if target == ANY_CATEGORY:
        target = resolved(base.by_category, after.by_category, target)
        if not target:  # nothing rose: no gain, and the worst change of all
            return 0.0, min((after.by_category.get(c, 0.0) - v
                             for c, v in base.by_category.items()), default=0.0)
    gain = after.by_category.get(target, 0.0) - base.by_category.get(target, 1.0)
    others = [after.by_category.get(c, 0.0) - v for c, v in base.by_category.items()
              if c != target]
    return gain, min(others, default=0.0)


def _rung_work(n: int, sizes: Sequence[int], keep: float, first: float) -> list[float]:
    """Task evaluations of each rung for `n` candidates, the target check first when `first`."""
    work: list[float] = []
    alive = n
    if first:
        work.append(alive * first)
        alive = max(1, math.ceil(alive * keep)) if alive else 0
    previous = 0
    for i, size in enumerate(sizes):
        work.append(alive * (size - previous))
        previous = size
        if i < len(sizes) - 1:
            alive = max(1, math.ceil(alive * keep)) if alive else 0
    return work


def planned_evaluations(n: int, sizes: Sequence[int], keep: float = KEEP_FRACTION,
                        first: float = 0.0) -> float:
    """Task evaluations successive halving needs for `n` candidates, cache reuse counted.

    Rungs are nested, so a candidate moving up only runs the new tasks.
    `first` is the mean number of tasks of the target check (0: none), which
    is assumed to let `keep` of the candidates through.
    """
    return sum(_rung_work(n, sizes, keep, first))


def rung_deadlines(n: int, sizes: Sequence[int], start: float, deadline: float,
                   keep: float = KEEP_FRACTION, *, first: float = 0.0) -> list[float]:
    """When each rung must stop starting candidates, in shares of the planned work.

    Without this a slow machine spends the whole session on the first rung
    and no survivor ever reaches the whole gate (seen: 34 candidates scored on
    9 tasks, 0 on the gate, 20 minutes gone). Each rung gets the share of the
    session its planned task evaluations have, so the survivors are left time.
    With `first` the list starts with the target check's deadline.
    """
    work = _rung_work(n, sizes, keep, first)
    total = sum(work) or 1
    out, used = [], 0.0
    for share in work:
        used += share
        out.append(start + (deadline - start) * used / total)
    out[-1] = deadline
    return out


def target_check(entries: Sequence[Entry], gate: Sequence[Task],
                 base_outcomes: Sequence[Outcome]) -> None:
    """Give each entry the gate tasks of its target that the base spec fails.

    GateOK accepts an edit only when its target category rises on the gate,
    and scoring is deterministic, so an edit that turns none of these tasks
    into a pass can never be accepted: scoring it on them first prunes with
    no risk of losing a good edit, at the cost of a few tasks each.
    """
    failing = {o.task_id for o in base_outcomes if not o.passed}
    for entry in entries:
        target = entry.candidate.target
        entry.own = [t for t in gate if t.id in failing
                     and target in (ANY_CATEGORY, t.category)]


def _with_own(entry: Entry, tasks: Sequence[Task], gate: Sequence[Task]) -> list[Task]:
    """`tasks` plus the entry's target-check tasks, in gate order."""
    ids = {t.id for t in tasks} | {t.id for t in entry.own}
    return [t for t in gate if t.id in ids]


def _prune(entry: Entry, reason: str) -> None:
    entry.record.decision, entry.record.reason = "pruned", reason


def halve(entries: list[Entry], rung_tasks: Sequence[Sequence[Task]], base_outcomes:
          Sequence[Outcome], score: Callable[[Spec, Sequence[Task]], ScoreSheet], *,
          keep: float = KEEP_FRACTION, deadline: float | None = None,
          on_scored: Callable[[int, int], None] = lambda done, total: None) -> list[Entry]:
    """Entries that reach the last rung (the whole gate), each with its full-gate sheet.

    Rung 0 is the target check (`target_check`): each entry is scored on the
    gate tasks of its target that the base spec fails, and pruned when it
    turns none of them into a pass; that cut is exact, not a guess. Every
    later rung adds a stratified sample (`rungs`) to those tasks.
    At each later rung the best `keep` share goes on (ranked by target gain
    and the worst other category on its tasks, then the overall change on
    the shared sample alone, against the base spec), and so does every entry
    whose target rises while the shared sample's overall score does not fall
    (with its target-check tasks every survivor would look like a net gain):
    the cut is for the undecided many, not for the few that look like a gain.
    (On a sample of one or two tasks a category, one lost task reads as a
    drop of 50-100 points, far beyond eps; the whole gate judges that, with
    GateOK.) An entry whose target has no failing gate task is "refused"
    unscored: it cannot rise.
    Pruned entries get decision "pruned" and the rung they fell at; entries
    left unscored when their rung's share of the time up to `deadline` (a
    `time.monotonic()` value; see `rung_deadlines`) is spent get "refused"
    with the reason (a later session may score them), those scored on a
    lower rung "pruned".
    `on_scored(done, total)` follows candidate scorings (total as planned).
    """
    if not rung_tasks:
        return []
    gate = rung_tasks[-1]
    target_check(entries, gate, base_outcomes)
    for entry in entries:
        if not entry.own:  # decided without scoring: not "tried"
            entry.record.decision = "refused"
            entry.record.reason = (f"{entry.candidate.target} has no gate task the base spec "
                                   "fails, so it cannot rise (GateOK needs the target to rise)")
    checked = [e for e in entries if e.own]
    first = (sum(len(e.own) for e in checked) / len(checked)) if checked else 0.0
    levels: list[Sequence[Task]] = [[], *rung_tasks]
    total = len(checked) + sum(max(1, math.ceil(len(checked) * keep ** i)) if checked else 0
                               for i in range(1, len(levels)))
    stops = (rung_deadlines(len(checked), [len(t) for t in rung_tasks], time.monotonic(),
                            deadline, keep, first=first or 1.0)
             if deadline is not None else None)
    alive, done = checked, 0
    for level, shared in enumerate(levels):
        scored: list[tuple[tuple[float, float, float], Entry]] = []
        for entry in alive:
            target = entry.candidate.target
            if stops is not None and time.monotonic() > stops[level]:
                # Scored on an earlier rung: it counts as tried, cut by the clock.
                entry.record.decision = "refused" if entry.record.rung is None else "pruned"
                entry.record.reason = ("session time limit reached before "
                                       + (f"rung {level} ({len(shared)} gate tasks)" if level
                                          else "the target check"))
                continue
            tasks = _with_own(entry, shared, gate)
            ids = {t.id for t in tasks}
            sheet = score(entry.spec, tasks)
            entry.sheet = sheet
            done += 1
            on_scored(done, total)
            base, after = sub_scores(base_outcomes, ids), sub_scores(sheet.outcomes, ids)
            entry.record.rung = level
            entry.record.scores, entry.record.overall = after.by_category, after.overall
            # Overall on the shared sample only: on the union every survivor of
            # the target check looks like a net gain (its own fixed tasks).
            common = {t.id for t in shared}
            net = (sub_scores(sheet.outcomes, common).overall
                   - sub_scores(base_outcomes, common).overall) if common else 0.0
            scored.append(((*_rank_key(base, after, target), net), entry))
        if level == len(levels) - 1:
            if done:  # the plan shrank to what was scored: progress ends at N/N
                on_scored(done, done)
            return [entry for _, entry in scored]
        if level == 0:
            alive = []
            for key, entry in scored:
                if key[0] > 0:
                    alive.append(entry)
                else:
                    _prune(entry, f"target check: turns none of the {len(entry.own)} "
                                  f"failing gate task(s) of {entry.candidate.target} into a "
                                  "pass, so GateOK cannot accept it")
        else:
            scored.sort(key=lambda pair: pair[0], reverse=True)
            cut = max(1, math.ceil(len(scored) * keep)) if scored else 0
            alive = []
            for rank, (key, entry) in enumerate(scored):
                if (rank < cut and key[0] >= 0) or (key[0] > 0 and key[2] >= -1e-9):
                    alive.append(entry)
                else:
                    _prune(entry, f"pruned at rung {level} ({len(shared)} gate tasks): target "
                                  f"{key[0]:+.2f}, worst other {key[1]:+.2f}"
                                  + ("" if key[0] < 0
                                     else f"; not in the best {cut} of {len(scored)}"))
        total = done + sum(max(1, math.ceil(len(alive) * keep ** i)) if alive else 0
                           for i in range(len(levels) - level - 1))
    return []
