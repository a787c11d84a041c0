"""Three parts, successive halving and stacking against the start.

The scorers here are tables (a spec's score is a function of its edits) that
record which tasks they were asked for, so these tests check the session's
decisions and what each role saw, not the model.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pytest

from hearth.bench import Task, builtin_tasks, split_parts
from hearth.search._halving import planned_evaluations, rungs, stratified_sample
from hearth.search._log import SessionLog
from hearth.search._proposer import Candidate
from hearth.search._session import Outcome, ScoreSheet, SearchContext, run_session
from hearth.specs import Spec, apply, parse_edits
from tests.search.test_gate_and_loop import TableScorer, _with_autonomy


def _sheet(outcomes: list[Outcome]) -> ScoreSheet:
    cats = sorted({o.category for o in outcomes})
    by = {c: sum(o.passed for o in outcomes if o.category == c)
          / sum(o.category == c for o in outcomes) for c in cats}
    return ScoreSheet(by, sum(o.passed for o in outcomes) / len(outcomes), tuple(outcomes))


class RecordingScorer:
    """TableScorer's scores; the test part passes or fails as told; every call recorded."""

    def __init__(self, test_ids: set[str], test_passes: bool) -> None:
        self.table = TableScorer()
        self.test_ids, self.test_passes = test_ids, test_passes
        self.calls: list[tuple[str, frozenset[str]]] = []

    def score(self, spec: Spec, tasks: Sequence[Task]) -> ScoreSheet:
        self.calls.append((spec.id, frozenset(t.id for t in tasks)))
        sheet = self.table.score(spec, tasks)
        return _sheet([Outcome(o.task_id, o.category, o.prompt, o.reply,
                               self.test_passes if o.task_id in self.test_ids else o.passed)
                       for o in sheet.outcomes])


class RecordingPlanner:
    """A planner that records the failures it is shown and proposes the calculator."""

    def __init__(self) -> None:
        self.seen: set[str] = set()

    def plan(self, spec: Spec, cluster: str, failures: Sequence[Outcome]) -> list[Candidate]:
        self.seen |= {o.task_id for o in failures}
        return [Candidate(cluster, parse_edits([
            {"op": "set_field", "path": "agent.kind", "value": "tools"},
            {"op": "enable_tool", "name": "calculator"}]), "calculator", "teacher")]


def _session(tmp_path, test_passes: bool):
    tasks = [t for t in builtin_tasks() if t.category in ("arithmetic", "factual")]
    search, gate, test = split_parts(tasks)
    test_ids = {t.id for t in test}
    scorer, planner = RecordingScorer(test_ids, test_passes), RecordingPlanner()
    ctx = SearchContext(scorer=scorer, search_tasks=search, gate_tasks=gate, test_tasks=test,
                        log=SessionLog(tmp_path / f"log-{test_passes}.duckdb"), planner=planner)
    outcome = run_session(ctx, _with_autonomy("manual"))
    return outcome, scorer, planner, test_ids, {t.id for t in search}


def test_the_test_part_is_never_shown_to_proposers_nor_used_to_decide(tmp_path):
    outcome, scorer, planner, test_ids, search_ids = _session(tmp_path, test_passes=True)
    # The proposer (the planner here) saw failures of the search part only.
    assert planner.seen and planner.seen <= search_ids
    # The test tasks were scored in exactly two calls, for the start and the
    # result spec, as the very last calls of the session (after every decision).
    with_test = [i for i, (_, ids) in enumerate(scorer.calls) if ids & test_ids]
    assert with_test == [len(scorer.calls) - 2, len(scorer.calls) - 1]
    assert all(ids == test_ids for _, ids in scorer.calls[-2:])
    assert [spec for spec, _ in scorer.calls[-2:]] == [outcome.record.base_spec,
                                                       outcome.record.result_spec]
    # No candidate record carries a test-part score, and flipping every test
    # result changes no decision: acceptance never read the test part.
    flipped, *_ = _session(tmp_path, test_passes=False)
    decisions = [(c.spec_id, c.decision, c.reason) for c in outcome.record.candidates]
    assert decisions == [(c.spec_id, c.decision, c.reason) for c in flipped.record.candidates]
    assert outcome.accepted and outcome.spec.id == flipped.spec.id
    assert outcome.record.test_overall_after == 1.0 and flipped.record.test_overall_after == 0.0


def test_split_keeps_near_duplicates_in_one_part():
    search, gate, test = split_parts(builtin_tasks())
    part_of = {t.id: n for n, part in enumerate((search, gate, test)) for t in part}
    # Twins by question text: every task whose normalised question repeats
    # sits in the same part as its twin.
    from hearth.bench._split import question_words

    by_question: dict[str, set[int]] = {}
    for task in builtin_tasks():
        by_question.setdefault(" ".join(question_words(task)), set()).add(part_of[task.id])
    assert all(len(parts) == 1 for parts in by_question.values())
    assert search and gate and test


def test_rungs_are_nested_stratified_samples_ending_with_the_whole_gate():
    _, gate, _ = split_parts(builtin_tasks())
    ladder = rungs(gate)
    categories = {t.category for t in gate}
    assert [len(r) for r in ladder] == sorted(len(r) for r in ladder)
    assert ladder[-1] == gate
    assert {t.category for t in ladder[0]} == categories and len(ladder[0]) == len(categories)
    assert {t.id for t in ladder[0]} <= {t.id for t in ladder[1]}
    assert stratified_sample(gate, 1) == stratified_sample(list(gate), 1)  # stable


def test_planned_evaluations_count_nested_rungs_once():
    # 80 candidates, rungs of 9, 18 and 49 tasks, a quarter kept: 80*9 + 20*9 + 5*31.
    assert planned_evaluations(80, [9, 18, 49]) == 80 * 9 + 20 * 9 + 5 * 31
    assert planned_evaluations(10, [49]) == 490


class FewShotScorer:
    """Only the calculator helps arithmetic; any other edit changes nothing."""

    def __init__(self) -> None:
        self.full_gate_calls = 0
        self.gate_size = 0

    def score(self, spec: Spec, tasks: Sequence[Task]) -> ScoreSheet:
        if len(tasks) == self.gate_size:
            self.full_gate_calls += 1
        calc = spec.tools.get("calculator").enabled and spec.agent.kind == "tools"
        return _sheet([Outcome(t.id, t.category, "q", "a",
                               t.category == "factual" or (t.category == "arithmetic" and calc))
                       for t in tasks])


def test_weak_candidates_are_pruned_before_the_whole_gate(tmp_path):
    tasks = [t for t in builtin_tasks() if t.category in ("arithmetic", "factual")]
    search, gate, test = split_parts(tasks)
    scorer = FewShotScorer()
    scorer.gate_size = len(gate)
    ctx = SearchContext(scorer=scorer, search_tasks=search, gate_tasks=gate, test_tasks=test,
                        log=SessionLog(tmp_path / "search.duckdb"))
    outcome = run_session(ctx, _with_autonomy("manual"))
    records = outcome.record.candidates
    scored = [c for c in records if c.rung is not None]
    pruned = [c for c in records if c.decision == "pruned"]
    assert len(scored) >= 4 and pruned and all(c.rung is not None for c in pruned)
    # Only survivors (plus the base spec once) ran on the whole gate.
    survivors = [c for c in records if c.decision in ("accepted", "rejected")]
    assert scorer.full_gate_calls == 1 + len(survivors) < 1 + len(scored)
    assert len(survivors) <= math.ceil(len(scored) * 0.25 ** 2) + 1
    assert outcome.accepted and outcome.spec.tools.get("calculator").enabled
    assert outcome.record.count("pruned") == len(pruned)


class DriftScorer:
    """Calculator and clock each help their category, each costs factual one task."""

    def score(self, spec: Spec, tasks: Sequence[Task]) -> ScoreSheet:
        on = ({t.name for t in spec.tools.tools if t.enabled}
              if spec.agent.kind == "tools" else set())
        factual = sorted(t.id for t in tasks if t.category == "factual")
        lost = set(factual[:1] if "calculator" in on else []) | set(
            factual[1:2] if "clock" in on else [])
        return _sheet([Outcome(t.id, t.category, "q", "a",
                               (t.category == "factual" and t.id not in lost)
                               or (t.category == "arithmetic" and "calculator" in on)
                               or (t.category == "dates_times" and "clock" in on))
                       for t in tasks])


def test_stacked_edits_are_gated_against_the_sessions_start(tmp_path):
    tasks = [t for t in builtin_tasks()
             if t.category in ("arithmetic", "dates_times", "factual")]
    search, gate, _ = split_parts(tasks)
    n_factual = sum(t.category == "factual" for t in gate)
    # eps lets one lost factual task through, not two.
    eps = 1.5 / n_factual
    start = apply(_with_autonomy("manual"), parse_edits(
        {"op": "set_field", "path": "learning.epsilon", "value": eps}))
    ctx = SearchContext(scorer=DriftScorer(), search_tasks=search, gate_tasks=gate,
                        log=SessionLog(tmp_path / "search.duckdb"))
    outcome = run_session(ctx, start)
    assert outcome.accepted
    # Each tool alone passes; together they lose two factual tasks against
    # the start, so the second is not stacked (gated against the start,
    # it would have passed against the already-stacked spec).
    on = {t.name for t in outcome.spec.tools.tools if t.enabled}
    assert len(on & {"calculator", "clock"}) == 1
    stacked = [c for c in outcome.record.candidates if "(added to" in c.rationale]
    assert stacked and all(c.decision == "rejected" and "factual" in c.reason
                           for c in stacked if {"calculator", "clock"} & {
                               str(e.get("name")) for e in c.edits})
    assert outcome.record.gate_after["factual"] >= outcome.record.gate_before["factual"] - eps



def _small_search(tmp_path, **options):
    """Arithmetic and factual tasks in three parts, scored by `FewShotScorer`."""
    tasks = [t for t in builtin_tasks() if t.category in ("arithmetic", "factual")]
    search, gate, test = split_parts(tasks)
    scorer = FewShotScorer()
    scorer.gate_size = len(gate)
    return scorer, SearchContext(scorer=scorer, search_tasks=search, gate_tasks=gate,
                                 test_tasks=test, log=SessionLog(tmp_path / "search.duckdb"),
                                 **options)


def test_morning_report_quotes_the_test_part_and_counts_pruned(tmp_path):
    from datetime import UTC, datetime

    from hearth.search._loop import SearchResult
    from hearth.search._morning import morning_report
    from hearth.search._session import SessionOutcome

    _, ctx = _small_search(tmp_path)
    start = _with_autonomy("manual")
    outcome: SessionOutcome = run_session(ctx, start)
    result = SearchResult(start=start, final=outcome.spec, sessions=[outcome])
    now = datetime.now(UTC)
    text = morning_report(result, started=now, ended=now, timezone="UTC",
                          report_md=tmp_path / "none.md").text
    record = outcome.record
    assert record.test_overall_before is not None and record.test_overall_after is not None
    assert (f"Test score (untouched tasks) {record.test_overall_before:.2f} → "
            f"{record.test_overall_after:.2f}") in text
    assert f"{record.count('pruned')} pruned early" in text and record.count("pruned")
    assert "By category: arithmetic" in text and "Selection score" in text


def test_the_session_time_limit_stops_scoring_and_says_why(tmp_path):
    scorer, ctx = _small_search(tmp_path, session_minutes=1e-9)
    outcome = run_session(ctx, _with_autonomy("manual"))
    limited = [c for c in outcome.record.candidates if "time limit" in c.reason]
    assert limited and all(c.decision == "refused" and c.rung is None for c in limited)
    assert not outcome.accepted and outcome.record.tried == 0
    assert scorer.full_gate_calls == 1  # the base spec only
    # Refused by the clock, so the next session may score them.
    assert not ctx.log.scored_specs()


def test_each_rung_gets_the_share_of_the_session_its_planned_work_has():
    from hearth.search._halving import rung_deadlines

    # 38 candidates on rungs of 9/18/49 tasks, a quarter kept (38, 10, 3):
    # 342, 90 and 93 task evaluations, so the first rung may start candidates
    # only until 342/525 of the session, and the whole gate keeps the rest.
    stops = rung_deadlines(38, [9, 18, 49], start=100.0, deadline=1100.0)
    assert stops[0] == pytest.approx(100.0 + 1000.0 * 342 / 525)
    assert stops[1] == pytest.approx(100.0 + 1000.0 * 432 / 525)
    assert stops[2] == 1100.0
    assert rung_deadlines(0, [9, 18, 49], start=0.0, deadline=60.0)[-1] == 60.0


class TargetScorer:
    """The calculator fixes arithmetic; every other edit changes nothing. Calls recorded."""

    def __init__(self, always: str = "") -> None:
        self.calls: list[tuple[str, frozenset[str]]] = []
        self.always = always  # a task every spec passes

    def score(self, spec: Spec, tasks: Sequence[Task]) -> ScoreSheet:
        self.calls.append((spec.id, frozenset(t.id for t in tasks)))
        calc = spec.tools.get("calculator").enabled and spec.agent.kind == "tools"
        return _sheet([Outcome(t.id, t.category, "q", "a",
                               t.category == "factual" or t.id == self.always
                               or (t.category == "arithmetic" and calc))
                       for t in tasks])


def test_the_target_check_prunes_an_edit_that_fixes_no_failing_gate_task(tmp_path):
    from hearth.search._halving import Entry, halve
    from hearth.search._log import CandidateRecord

    tasks = [t for t in builtin_tasks() if t.category in ("arithmetic", "factual")]
    _, gate, _ = split_parts(tasks)
    # One arithmetic gate task passes already: the check runs only the others.
    passing = next(t.id for t in gate if t.category == "arithmetic")
    scorer = TargetScorer(always=passing)
    start = _with_autonomy("manual")
    base = scorer.score(start, gate)
    scorer.calls.clear()
    calculator = parse_edits([{"op": "set_field", "path": "agent.kind", "value": "tools"},
                              {"op": "enable_tool", "name": "calculator"}])
    greedy = parse_edits({"op": "set_field", "path": "intelligence.sampling.temperature",
                          "value": 0.0})
    cooler = parse_edits({"op": "set_field", "path": "intelligence.sampling.temperature",
                          "value": 0.1})
    entries = [Entry(Candidate(target, e, why), apply(start, e),
                     CandidateRecord("offline", target, [], why, "invalid", ""))
               for target, e, why in (("arithmetic", calculator, "calculator"),
                                      ("arithmetic", greedy, "greedy"),
                                      ("factual", cooler, "cooler for factual"))]
    survivors = halve(entries, rungs(gate), base.outcomes, scorer.score)
    arithmetic_fails = {t.id for t in gate if t.category == "arithmetic"} - {passing}
    useless, no_room = entries[1].record, entries[2].record
    # Scored first on exactly the failing arithmetic gate tasks, then pruned
    # there: GateOK could never accept it.
    assert scorer.calls[1] == (entries[1].spec.id, frozenset(arithmetic_fails))
    assert useless.decision == "pruned" and useless.rung == 0
    assert "target check" in useless.reason and "arithmetic" in useless.reason
    # Every factual gate task already passes: pruned with no scoring at all.
    assert entries[2].spec.id not in {spec for spec, _ in scorer.calls}
    assert no_room.decision == "refused" and "cannot rise" in no_room.reason
    assert no_room.rung is None  # not scored, so not counted as tried
    # Each later rung is its stratified sample plus the target-check tasks.
    first_rung = {t.id for t in rungs(gate)[0]} | arithmetic_fails
    assert (entries[0].spec.id, frozenset(first_rung)) in scorer.calls
    # The calculator climbs every rung to the whole gate.
    assert [e.candidate.rationale for e in survivors] == ["calculator"]
    assert entries[0].sheet is not None and len(entries[0].sheet.outcomes) == len(gate)


def test_rung_deadlines_start_with_the_target_check():
    from hearth.search._halving import rung_deadlines

    # 40 candidates, 2 target-check tasks each (80), a quarter (10) on 9 tasks
    # (90), 3 on 9 more (27), 1 on 31 more (31): 228 evaluations in all.
    stops = rung_deadlines(40, [9, 18, 49], start=0.0, deadline=228.0, first=2.0)
    assert stops == pytest.approx([80.0, 170.0, 197.0, 228.0])
    assert planned_evaluations(40, [9, 18, 49], first=2.0) == 228


def test_halving_ends_its_progress_at_what_it_scored():
    from hearth.search._halving import Entry, halve
    from hearth.search._log import CandidateRecord

    tasks = [t for t in builtin_tasks() if t.category in ("arithmetic", "factual")]
    _, gate, _ = split_parts(tasks)
    scorer, start = TargetScorer(), _with_autonomy("manual")
    base = scorer.score(start, gate)
    useless = parse_edits({"op": "set_field", "path": "intelligence.sampling.temperature",
                           "value": 0.0})
    entries = [Entry(Candidate("arithmetic", useless, "greedy"), apply(start, useless),
                     CandidateRecord("offline", "arithmetic", [], "greedy", "invalid", ""))]
    calls: list[tuple[int, int]] = []
    halve(entries, rungs(gate), base.outcomes, scorer.score,
          on_scored=lambda done, total: calls.append((done, total)))
    # Pruned at the target check: planned for more rungs, ended at 1 of 1.
    assert calls[0][1] > 1 and calls[-1] == (1, 1)
