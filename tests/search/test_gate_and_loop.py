"""GateOK edge cases, guard rails, the offline proposer and the session loop's rules.

The loop tests score specs with a table (a spec's score is a function of its
edits), so they test the loop's decisions, not the model.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence

import matplotlib.image
import numpy

from hearth.bench import Task, builtin_tasks, split_parts
from hearth.search._chart import draw_chart, gate_chart
from hearth.search._gate import gate_ok
from hearth.search._guard import guard
from hearth.search._log import SessionLog
from hearth.search._loop import run_search
from hearth.search._proposer import Candidate, propose_offline
from hearth.search._report import write_report
from hearth.search._session import Outcome, ScoreSheet, SearchContext, run_session
from hearth.specs import SpecStore, apply, default_spec, parse_edits


def test_gate_accepts_a_target_gain_with_no_regression():
    before = {"arithmetic": 0.2, "factual": 0.5, "recall": 0.4}
    after = {"arithmetic": 0.6, "factual": 0.5, "recall": 0.4}
    assert gate_ok(before, after, "arithmetic", 0.01).accepted


def test_gate_refuses_a_tie_on_the_target():
    before = {"arithmetic": 0.5, "factual": 0.5}
    decision = gate_ok(before, dict(before), "arithmetic", 0.01)
    assert not decision.accepted and "did not improve" in decision.reason


def test_gate_allows_a_drop_of_exactly_eps():
    before = {"arithmetic": 0.2, "factual": 0.50}
    after = {"arithmetic": 0.4, "factual": 0.49}
    assert gate_ok(before, after, "arithmetic", 0.01).accepted


def test_gate_refuses_a_target_gain_while_another_cluster_drops():
    before = {"arithmetic": 0.2, "factual": 0.50, "recall": 0.9}
    after = {"arithmetic": 0.9, "factual": 0.48, "recall": 0.9}
    decision = gate_ok(before, after, "arithmetic", 0.01)
    assert not decision.accepted and "factual" in decision.reason


def test_gate_refuses_an_unknown_target():
    assert not gate_ok({"a": 0.1}, {"a": 0.9}, "b", 0.01).accepted


def test_guard_refuses_oversized_prompts_and_descriptions():
    spec = default_spec()
    assert guard(spec) is None
    long_prompt = apply(spec, parse_edits({"op": "set_system_prompt", "prompt": "x" * 2500}))
    assert "system prompt" in (guard(long_prompt) or "")
    long_tool = apply(spec, parse_edits({"op": "set_tool_description", "name": "clock",
                                         "description": "y" * 500}))
    assert "clock" in (guard(long_tool) or "")


def test_offline_proposer_turns_on_the_tools_a_cluster_needs():
    candidates = propose_offline(default_spec(), "arithmetic")
    first = apply(default_spec(), candidates[0].edits)
    assert first.agent.kind == "tools" and first.tools.get("calculator").enabled
    recall = propose_offline(default_spec(), "recall")
    assert any(apply(default_spec(), c.edits).tools.memory.retrieval_k > 3 for c in recall)
    shots = propose_offline(default_spec(), "factual", passing_examples=[("Q?", "A.")])
    assert any(apply(default_spec(), c.edits).agent.few_shot for c in shots)


class TableScorer:
    """Scores from the edits a spec carries: calculator on -> arithmetic 1.0."""

    def __init__(self, regress: bool = False) -> None:
        self.regress = regress
        self.calls = 0

    def score(self, spec, tasks: Sequence[Task]) -> ScoreSheet:
        self.calls += 1
        calc = spec.tools.get("calculator").enabled and spec.agent.kind == "tools"
        outcomes = []
        for task in tasks:
            passed = task.category == "factual" or (task.category == "arithmetic" and calc)
            if self.regress and calc and task.category == "factual":
                passed = False
            outcomes.append(Outcome(task.id, task.category, "q", "a", passed))
        cats = sorted({o.category for o in outcomes})
        by = {c: sum(o.passed for o in outcomes if o.category == c)
              / sum(o.category == c for o in outcomes) for c in cats}
        return ScoreSheet(by, sum(o.passed for o in outcomes) / len(outcomes), tuple(outcomes))


def _ctx(tmp_path, scorer):
    tasks = [t for t in builtin_tasks() if t.category in ("arithmetic", "factual")]
    search, gate, test = split_parts(tasks)
    return SearchContext(scorer=scorer, search_tasks=search, gate_tasks=gate, test_tasks=test,
                         log=SessionLog(tmp_path / "search.duckdb"))


def _with_autonomy(value):
    # A plain-chat start: the default spec already routes sums to the calculator.
    return apply(default_spec(), parse_edits([
        {"op": "set_field", "path": "learning.autonomy", "value": value},
        {"op": "set_field", "path": "agent.kind", "value": "chat"},
        {"op": "disable_tool", "name": "calculator"},
        {"op": "disable_tool", "name": "clock"}]))


def test_auto_mode_accepts_activates_and_publishes(tmp_path):
    store = SpecStore(tmp_path / "specs.duckdb")
    published = []
    result = run_search(_ctx(tmp_path, TableScorer()), store, _with_autonomy("auto"),
                        max_sessions=3, publish=lambda s: published.append(s) or 1)
    assert result.improved and store.active().id == result.final.id
    assert published == [result.final] and result.final.tools.get("calculator").enabled
    assert result.final.lineage.parent_id == _with_autonomy("auto").id


def test_review_mode_holds_the_spec_until_approved(tmp_path):
    store = SpecStore(tmp_path / "specs.duckdb")
    start = _with_autonomy("review")
    result = run_search(_ctx(tmp_path, TableScorer()), store, start, max_sessions=2)
    assert result.pending and store.active().id != result.final.id
    assert store.get(result.final.id).status == "pending"


def test_a_regressing_edit_is_rejected_and_search_stops_after_k_stagnant_sessions(tmp_path):
    spec = apply(_with_autonomy("auto"), parse_edits({"op": "set_field",
                                                      "path": "learning.stagnation_k",
                                                      "value": 2}))
    ctx = _ctx(tmp_path, TableScorer(regress=True))
    result = run_search(ctx, SpecStore(tmp_path / "specs.duckdb"), spec, max_sessions=10)
    assert not result.improved and len(result.sessions) == 2
    assert "2 sessions in a row" in result.stopped_because
    decisions = [c for s in ctx.log.sessions() for c in s.candidates]
    assert any(c.decision == "rejected" and "factual" in c.reason for c in decisions)


def test_the_budget_stops_the_loop(tmp_path):
    result = run_search(_ctx(tmp_path, TableScorer()), SpecStore(tmp_path / "s.duckdb"),
                        _with_autonomy("manual"), max_sessions=5, budget_left=lambda: False)
    assert result.sessions == [] and result.stopped_because == "budget spent"


def test_report_writes_markdown_and_a_chart_with_axes_and_legend(tmp_path):
    ctx = _ctx(tmp_path, TableScorer())
    run_search(ctx, SpecStore(tmp_path / "specs.duckdb"), _with_autonomy("manual"),
               max_sessions=2)
    md, png = write_report(ctx.log, tmp_path / "report")
    text = md.read_text()
    assert "| arithmetic |" in text and "accepted" in text
    assert "## Test part by category (untouched" in text and "Selection score" in text
    assert "Candidates tried:" in text
    data = png.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1000, 800)
    # Drawn, not blank: a chart with lines, text and a legend has many colours.
    image = matplotlib.image.imread(png)
    assert len(numpy.unique(image.reshape(-1, image.shape[-1]), axis=0)) > 50


def test_chart_axes_labels_and_legend_per_category(tmp_path):
    ctx = _ctx(tmp_path, TableScorer())
    run_search(ctx, SpecStore(tmp_path / "specs.duckdb"), _with_autonomy("manual"),
               max_sessions=2)
    figure = draw_chart(ctx.log.sessions())
    overall, by_category = figure.axes[:2]
    assert overall.get_ylabel() and by_category.get_xlabel().startswith("session")
    legend = [t.get_text() for t in by_category.get_legend().get_texts()]
    assert legend == sorted(ctx.log.sessions()[0].test_before)
    assert by_category.get_title() == "by category, test part"
    shown = [t.get_text() for t in overall.get_legend().get_texts()]
    assert "test part (overall, untouched)" in shown and "selection score (gate, overall)" in shown


def test_chart_of_no_session_says_so(tmp_path):
    path = gate_chart(tmp_path / "c.png", [])
    assert path.read_bytes()[:4] == b"\x89PNG"


def test_a_later_session_does_not_score_a_candidate_again(tmp_path):
    # Regressing scorer: nothing is accepted, so session 2 starts from the
    # same spec and would repeat session 1 exactly.
    scorer = TableScorer(regress=True)
    ctx = _ctx(tmp_path, scorer)
    spec = _with_autonomy("manual")
    first = run_session(ctx, spec)
    calls_after_first = scorer.calls
    second = run_session(ctx, spec)
    scored = [c.spec_id for c in first.record.candidates if c.decision != "refused"]
    again = [c.spec_id for c in second.record.candidates if c.spec_id in scored]
    assert scored and again == []
    # Session 2 scored only the base (gate, search and test part) plus new
    # candidates, once per rung each reached (rung 0, 1, 2 is the whole gate).
    assert scorer.calls - calls_after_first == 3 + sum(
        (c.rung or 0) + 1 for c in second.record.candidates if c.rung is not None)
    assert "scored in an earlier session skipped" in second.record.note


def test_every_failing_cluster_gets_a_candidate_before_any_gets_a_second():
    from hearth.search._session import _interleave

    a = [Candidate("a", (), f"a{i}") for i in range(3)]
    b = [Candidate("b", (), "b0")]
    c = [Candidate("c", (), f"c{i}") for i in range(2)]
    order = [x.rationale for x in _interleave([a, b, c])]
    assert order == ["a0", "b0", "c0", "a1", "c1", "a2"]


class TwoToolScorer:
    """Calculator helps arithmetic, clock helps dates_times, each on its own."""

    def score(self, spec, tasks: Sequence[Task]) -> ScoreSheet:
        loop = spec.agent.kind == "tools"
        on = {t.name for t in spec.tools.tools if t.enabled} if loop else set()
        outcomes = [Outcome(t.id, t.category, "q", "a",
                            (t.category == "arithmetic" and "calculator" in on)
                            or (t.category == "dates_times" and "clock" in on))
                    for t in tasks]
        cats = sorted({o.category for o in outcomes})
        by = {c: sum(o.passed for o in outcomes if o.category == c)
              / sum(o.category == c for o in outcomes) for c in cats}
        return ScoreSheet(by, sum(o.passed for o in outcomes) / len(outcomes), tuple(outcomes))


def test_edits_that_pass_on_their_own_are_stacked_into_one_version(tmp_path):
    tasks = [t for t in builtin_tasks() if t.category in ("arithmetic", "dates_times")]
    search, gate, _ = split_parts(tasks)
    ctx = SearchContext(scorer=TwoToolScorer(), search_tasks=search, gate_tasks=gate,
                        log=SessionLog(tmp_path / "search.duckdb"))
    start = _with_autonomy("manual")
    outcome = run_session(ctx, start)
    final = outcome.spec
    assert outcome.accepted
    assert final.tools.get("calculator").enabled and final.tools.get("clock").enabled
    assert outcome.record.gate_after == {"arithmetic": 1.0, "dates_times": 1.0}
    assert final.lineage.parent_id == start.id and len(final.lineage.edits) >= 3
    assert any("(added to" in c.rationale and c.decision == "accepted"
               for c in outcome.record.candidates)


def test_a_model_candidate_keeps_its_proposer_and_cost_and_the_report_shows_them(tmp_path):
    from datetime import UTC, datetime

    from hearth.search._log import CandidateRecord, SessionRecord

    log = SessionLog(tmp_path / "search.duckdb")
    model = CandidateRecord(
        source="offline", target="arithmetic",
        edits=[{"op": "set_model", "model": "qwen2.5-coder-0.5b-instruct"}],
        rationale="every message answered by qwen2.5-coder-0.5b-instruct (491 MB)",
        decision="rejected", reason="factual fell", overall=0.61, rung=2, kind="model",
        cost={"size_bytes": 491_400_064.0, "decode_tokens_per_s": 31.5})
    other = CandidateRecord(source="offline", target="arithmetic", edits=[], rationale="x",
                            decision="pruned", reason="weak", kind="sampling")
    log.record(SessionRecord(log.next_session_id(), datetime.now(UTC), "a" * 64, "a" * 64,
                             {"arithmetic": 0.5}, {"arithmetic": 0.5}, 0.5, 0.5, False,
                             candidates=[model, other]))
    (session,) = log.sessions()
    assert [(c.kind, c.cost) for c in session.candidates] == [
        ("model", model.cost), ("sampling", {})]
    text = write_report(log, tmp_path / "report")[0].read_text()
    assert "## Models tried" in text
    assert "| every message answered by qwen2.5-coder-0.5b-instruct (491 MB) | rejected | " \
           "0.610 (2) | 491 MB | 32 tok/s |" in text
