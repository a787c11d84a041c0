"""One search session: diagnose -> plan -> execute -> record; and the loop of sessions.

Diagnose: failures of the search part (and eligible traces) grouped into
clusters with the student's failure rate. Plan: candidate edits for the worst
clusters, from the teacher and/or the offline proposer. Execute: apply each
candidate, refuse it by the guard rails, score the rest by successive
halving on gate samples (`_halving`), accept iff GateOK on the whole gate.
Report: the untouched test part is scored for the start and the result spec
after every decision is made; nothing decides on it. Record: everything goes
to the session log; an accepted spec becomes a new version with its parent
and edits.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol

from hearth.bench import Task
from hearth.errors import SpecInvalid
from hearth.search._gate import gate_ok, resolved
from hearth.search._guard import guard, teacher_refusal
from hearth.search._halving import Entry, halve, rungs
from hearth.search._log import CandidateRecord, SessionLog, SessionRecord
from hearth.search._repair import MAX_REPAIRS, repair
from hearth.search.proposers import Candidate, ModelOption, propose_offline
from hearth.specs import Spec, apply

log = logging.getLogger(__name__)

#: Clusters planned for per session (worst first).
CLUSTERS_PER_SESSION = 3
#: Candidates scored per session. Successive halving scores most of them on
#: one gate task per category only, so 80 cost about what 10 did on the whole
#: gate (see `_halving.planned_evaluations` and benchmarks/search_bench.py).
CANDIDATES_PER_SESSION = 80
#: A session stops scoring new candidates after this many minutes.
SESSION_MINUTES = 25.0


@dataclass(frozen=True)
class Outcome:
    """One task's result, as the search needs it."""

    task_id: str
    category: str
    prompt: str
    reply: str
    passed: bool
    reason: str = ""


@dataclass(frozen=True)
class ScoreSheet:
    """Scores of one spec on one task set."""

    by_category: dict[str, float]
    overall: float
    outcomes: tuple[Outcome, ...] = ()


class Scorer(Protocol):
    """Scores a spec on tasks, on this device (the bench runner)."""

    def score(self, spec: Spec, tasks: Sequence[Task]) -> ScoreSheet:
        """Per-category and overall pass rates."""
        ...


class Planner(Protocol):
    """Something that proposes candidates for a cluster (the teacher)."""

    def plan(self, spec: Spec, cluster: str, failures: Sequence[Outcome]) -> list[Candidate]:
        """Validated candidates; rejected proposals are the planner's to record."""
        ...


@dataclass(frozen=True)
class Cluster:
    """A group of failures and the student's failure rate there."""

    name: str
    failures: int
    total: int

    @property
    def failure_rate(self) -> float:
        """Share of the cluster's tasks that failed."""
        return self.failures / self.total if self.total else 0.0


def diagnose(sheet: ScoreSheet, extra: Sequence[str] = ()) -> list[Cluster]:
    """Clusters by category, worst first; `extra` adds failures from traces by category."""
    totals: Counter[str] = Counter(o.category for o in sheet.outcomes)
    failed: Counter[str] = Counter(o.category for o in sheet.outcomes if not o.passed)
    for category in extra:
        failed[category] += 1
        totals[category] += 1
    clusters = [Cluster(name, failed[name], totals[name]) for name in totals if failed[name]]
    return sorted(clusters, key=lambda c: (-c.failures * c.failure_rate, c.name))


@dataclass
class SessionOutcome:
    """What one session did."""

    record: SessionRecord
    spec: Spec
    accepted: bool


@dataclass
class SearchContext:
    """Everything a session needs, passed down (no globals)."""

    scorer: Scorer
    search_tasks: Sequence[Task]
    gate_tasks: Sequence[Task]
    log: SessionLog
    test_tasks: Sequence[Task] = ()
    """Only ever scored for the report, after a session's decisions."""
    planner: Planner | None = None
    use_offline: bool = True
    trace_clusters: Sequence[str] = ()
    models: Sequence[ModelOption] = ()
    teacher_usage: Callable[[], tuple[int, float]] = lambda: (0, 0.0)
    on_progress: Callable[[str], None] = field(default=lambda message: None)
    on_candidates: Callable[[int, int], None] = field(default=lambda done, total: None)
    """Candidate scorings done so far and planned, for a progress bar."""
    candidates_per_session: int = CANDIDATES_PER_SESSION
    session_minutes: float = SESSION_MINUTES


def _passing_examples(sheet: ScoreSheet, category: str) -> list[tuple[str, str]]:
    return [(o.prompt, o.reply) for o in sheet.outcomes if o.passed and o.category == category]


def _plan(ctx: SearchContext, spec: Spec, search: ScoreSheet,
          clusters: Sequence[Cluster]) -> tuple[list[Candidate], int]:
    """Candidates for every failing cluster, interleaved, without duplicates.

    Also returns how many were left out because an earlier session scored
    the spec they make (scoring is deterministic: it would repeat the decision).

    The teacher (tokens cost money) is asked about the worst clusters only;
    the offline proposer covers all of them, so a later session moves on to
    other clusters once the worst ones have nothing new to try.
    """
    per_cluster: list[list[Candidate]] = []
    for n, cluster in enumerate(clusters):
        failures = [o for o in search.outcomes if o.category == cluster.name and not o.passed]
        mine: list[Candidate] = []
        if ctx.planner is not None and n < CLUSTERS_PER_SESSION:
            mine += ctx.planner.plan(spec, cluster.name, failures)
        if ctx.use_offline:
            mine += propose_offline(spec, cluster.name,
                                    passing_examples=_passing_examples(search, cluster.name),
                                    failures=failures, models=ctx.models,
                                    others=[o.prompt for o in search.outcomes
                                            if o.category != cluster.name])
        per_cluster.append(mine)
    unique, ids, earlier, skipped = [], set(), ctx.log.scored_specs(), 0
    for candidate in _interleave(per_cluster):
        try:
            key = apply(spec, candidate.edits).id if not candidate.invalid else repr(candidate)
        except SpecInvalid:
            key = repr(candidate.edits)  # kept: `_try` records why it is invalid
        if key in earlier:
            skipped += 1
        elif key not in ids:
            ids.add(key)
            unique.append(candidate)
    return unique, skipped


def run_session(ctx: SearchContext, spec: Spec) -> SessionOutcome:
    """Run one session from `spec`; the result spec is `spec` unless an edit passed."""
    session_id = ctx.log.next_session_id()
    started, clock = datetime.now(UTC), time.monotonic()
    tokens_before, usd_before = ctx.teacher_usage()
    ctx.on_progress(f"session {session_id}: scoring spec {spec.short_id} on the gate")
    before = ctx.scorer.score(spec, ctx.gate_tasks)
    ctx.on_progress(f"session {session_id}: diagnosing on the search part")
    search = ctx.scorer.score(spec, ctx.search_tasks)
    clusters = [c for c in diagnose(search, ctx.trace_clusters) if c.name in before.by_category]
    records: list[CandidateRecord] = []
    entries: list[Entry] = []
    seen: set[str] = set()
    candidates, skipped = _plan(ctx, spec, search, clusters)
    for candidate in candidates:
        if len(entries) >= ctx.candidates_per_session:
            break
        record, new = _prepare(spec, candidate, seen)
        records.append(record)
        if new is not None:
            entries.append(Entry(candidate, new, record))
    ladder = rungs(ctx.gate_tasks)
    ctx.on_progress(f"session {session_id}: {len(entries)} candidates: target check, then rungs of "
                    + "/".join(str(len(r)) for r in ladder) + " gate tasks")
    survivors = halve(entries, ladder, before.outcomes, ctx.scorer.score,
                      deadline=clock + ctx.session_minutes * 60, on_scored=ctx.on_candidates)
    passed: list[tuple[Candidate, Spec, ScoreSheet]] = []
    refused: list[tuple[Entry, ScoreSheet]] = []
    for entry in survivors:
        if entry.sheet is None:
            continue
        if _judge(entry.record, before, entry.sheet, entry.candidate.target,
                  spec.learning.epsilon):
            passed.append((entry.candidate, entry.spec, entry.sheet))
        else:
            refused.append((entry, entry.sheet))
    passed += _repairs(ctx, spec, before, search, refused, records=records, seen=seen,
                       rung=len(ladder), deadline=clock + ctx.session_minutes * 60)
    result, after = _stack(ctx, spec, before, passed, records=records, seen=seen)
    result, after = result or spec, after or before
    tokens_after, usd_after = ctx.teacher_usage()
    accepted = result.id != spec.id
    test_before, test_after = _test_part(ctx, session_id, spec, result)
    session = SessionRecord(
        session_id=session_id, started_at=started, base_spec=spec.id, result_spec=result.id,
        gate_before=before.by_category, gate_after=after.by_category,
        overall_before=before.overall, overall_after=after.overall, accepted=accepted,
        teacher_tokens=tokens_after - tokens_before, teacher_usd=usd_after - usd_before,
        note=", ".join(f"{c.name} {c.failure_rate:.0%}" for c in clusters[:CLUSTERS_PER_SESSION])
        + (f"; {skipped} candidate(s) scored in an earlier session skipped" if skipped else ""),
        candidates=records,
        test_before=test_before.by_category if test_before else {},
        test_after=test_after.by_category if test_after else {},
        test_overall_before=test_before.overall if test_before else None,
        test_overall_after=test_after.overall if test_after else None)
    ctx.log.record(session)
    return SessionOutcome(record=session, spec=result, accepted=accepted)


def _repairs(ctx: SearchContext, spec: Spec, before: ScoreSheet, search: ScoreSheet,
             refused: Sequence[tuple[Entry, ScoreSheet]], *, records: list[CandidateRecord],
             seen: set[str], rung: int,
             deadline: float) -> list[tuple[Candidate, Spec, ScoreSheet]]:
    """Model candidates GateOK refused on the whole gate (the halving's last `rung`),
    repaired (`_repair`), scored and judged the same way."""
    out: list[tuple[Candidate, Spec, ScoreSheet]] = []
    tried = 0
    for entry, refused_sheet in sorted(refused, key=lambda pair: -pair[1].overall):
        if tried >= MAX_REPAIRS or time.monotonic() > deadline:
            break
        fixed = repair(spec, entry.candidate, before.by_category, refused_sheet.by_category,
                       eps=spec.learning.epsilon, search=search.outcomes)
        if fixed is None:
            continue
        record, new = _prepare(spec, fixed, seen)
        records.append(record)
        if new is None:
            continue
        tried += 1  # only scored repairs count: each costs a whole-gate scoring
        ctx.on_progress(f"repair: {fixed.rationale}")
        sheet = ctx.scorer.score(new, ctx.gate_tasks)
        record.rung = rung
        if _judge(record, before, sheet, fixed.target, spec.learning.epsilon):
            out.append((fixed, new, sheet))
    return out


def _test_part(ctx: SearchContext, session_id: int, start: Spec,
               result: Spec) -> tuple[ScoreSheet | None, ScoreSheet | None]:
    """The untouched test part's scores of `start` and `result`, for the report only.

    Scored after every decision of the session, and returned to nothing that
    decides: the search never sees which test tasks pass.
    """
    if not ctx.test_tasks:
        return None, None
    ctx.on_progress(f"session {session_id}: scoring the untouched test part (report only)")
    before = ctx.scorer.score(start, ctx.test_tasks)
    after = before if result.id == start.id else ctx.scorer.score(result, ctx.test_tasks)
    return before, after


def _stack(ctx: SearchContext, spec: Spec, start: ScoreSheet,
           passed: list[tuple[Candidate, Spec, ScoreSheet]], *, records: list[CandidateRecord],
           seen: set[str]) -> tuple[Spec | None, ScoreSheet | None]:
    """The best accepted candidate, with the other accepted ones added if they still pass.

    Each addition is scored on the whole gate and gated against the session's
    *start* (`start`), not the spec it is added to: small drops of a category
    within eps cannot add up over additions. It must also raise its own
    target above the stacked spec's, so an addition that brings nothing more
    is not kept.
    """
    if not passed:
        return None, None
    ranked = sorted(passed, key=lambda p: -p[2].overall)
    first, current, sheet = ranked[0]
    kept = list(first.edits)
    for candidate, _, _ in ranked[1:]:
        stacked = Candidate(candidate.target, candidate.edits,
                            f"{candidate.rationale} (added to {current.short_id})",
                            candidate.source)
        record, new = _prepare(current, stacked, seen)
        records.append(record)
        if new is None:
            continue
        ctx.on_progress(f"stacking: {stacked.rationale}")
        new_sheet = ctx.scorer.score(new, ctx.gate_tasks)
        record.scores, record.overall = new_sheet.by_category, new_sheet.overall
        ok = _judge(record, start, new_sheet, candidate.target, spec.learning.epsilon)
        target = resolved(sheet.by_category, new_sheet.by_category, candidate.target)
        if ok and not (target and new_sheet.by_category.get(target, 0.0)
                       > sheet.by_category.get(target, 0.0)):
            record.decision = "rejected"
            record.reason = f"adds nothing to {target} over {current.short_id}"
            ok = False
        if ok:
            current, sheet = new, new_sheet
            kept += candidate.edits
    # One version with the session's base as parent and every kept edit, not a
    # chain of intermediate specs that were never stored.
    # Applying edits in sequence is applying their concatenation, so the ids match.
    final = apply(spec, kept)
    return (final if final.id == current.id else current), sheet


def _interleave(groups: Sequence[Sequence[Candidate]]) -> list[Candidate]:
    """First candidate of every cluster, then the second of each, and so on.

    Without this the worst cluster's long list used up a session's candidates
    and the other clusters were never tried.
    """
    longest = max((len(g) for g in groups), default=0)
    return [g[i] for i in range(longest) for g in groups if i < len(g)]


def _prepare(spec: Spec, candidate: Candidate,
             seen: set[str]) -> tuple[CandidateRecord, Spec | None]:
    """The candidate's record and spec, or no spec when it is invalid, a duplicate or refused."""
    edits = [e.model_dump(mode="json") for e in candidate.edits]
    base = CandidateRecord(source=candidate.source, target=candidate.target, edits=edits,
                           rationale=candidate.rationale, decision="invalid", reason="",
                           kind=candidate.kind, cost=dict(candidate.cost))
    if candidate.invalid:
        base.reason = candidate.invalid
        return base, None
    if candidate.source == "teacher":  # also when a planner forgot to check
        refusals = [r for r in map(teacher_refusal, candidate.edits) if r]
        if refusals:
            base.reason = refusals[0]
            return base, None
    try:
        new = apply(spec, candidate.edits)
    except SpecInvalid as exc:
        base.reason = str(exc)
        return base, None
    base.spec_id = new.id
    if new.id in seen or new.id == spec.id:
        base.decision, base.reason = "refused", "duplicate of a candidate already scored"
        return base, None
    seen.add(new.id)
    refusal = guard(new)
    if refusal:
        base.decision, base.reason = "refused", f"guard rail: {refusal}"
        return base, None
    return base, new


def _judge(record: CandidateRecord, before: ScoreSheet, after: ScoreSheet, target: str,
           eps: float) -> bool:
    """GateOK on whole-gate selection scores; the decision and its reason go to `record`."""
    decision = gate_ok(before.by_category, after.by_category, target, eps)
    record.scores, record.overall = after.by_category, after.overall
    record.decision = "accepted" if decision.accepted else "rejected"
    record.reason = decision.reason
    return decision.accepted
