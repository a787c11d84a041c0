"""A session planned by the teacher over real HTTP: refusals recorded, tokens counted."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from pydantic import SecretStr

from hearth.bench import builtin_tasks, split
from hearth.search._budget import Budget
from hearth.search._log import SessionLog
from hearth.search._report import write_report
from hearth.search._run import TeacherPlanner
from hearth.search._session import SearchContext, run_session
from hearth.settings import Settings
from hearth.specs import apply, default_spec, parse_edits
from tests.search.conftest import RecordingTeacher, Reply, completion
from tests.search.test_gate_and_loop import TableScorer

USAGE = {"prompt_tokens": 1200, "completion_tokens": 80}
CALCULATOR = {"target": "arithmetic", "rationale": "let the calculator do sums",
              "edits": [{"op": "set_field", "path": "agent.kind", "value": "tools"},
                        {"op": "enable_tool", "name": "calculator"}]}
TELEPORT = {"target": "arithmetic", "rationale": "beam it",
            "edits": [{"op": "enable_tool", "name": "teleport"}]}


async def test_teacher_proposals_are_scored_and_refusals_recorded(
        recording_teacher: RecordingTeacher, home: Path) -> None:
    recording_teacher.default = Reply(body=completion(
        json.dumps({"proposals": [TELEPORT, CALCULATOR]}), usage=USAGE))
    settings = Settings(home=home, teacher_url=recording_teacher.url, teacher_model="t",
                        teacher_api_key=SecretStr("sk-secret"))
    budget = Budget(100_000, 10.0)
    tasks = [t for t in builtin_tasks() if t.category in ("arithmetic", "factual")]
    search, gate = split(tasks)
    ctx = SearchContext(scorer=TableScorer(), search_tasks=search, gate_tasks=gate,
                        log=SessionLog(home / "search.duckdb"),
                        planner=TeacherPlanner(settings, budget), use_offline=False,
                        teacher_usage=lambda: (budget.used_tokens, budget.used_usd))
    # A plain-chat start: the default spec already routes sums to the calculator.
    start = apply(default_spec(), parse_edits([
        {"op": "set_field", "path": "learning.autonomy", "value": "manual"},
        {"op": "set_field", "path": "agent.kind", "value": "chat"},
        {"op": "disable_tool", "name": "calculator"}]))

    # The planner runs its own event loop; the recording server needs this one.
    outcome = await asyncio.to_thread(run_session, ctx, start)

    records = outcome.record.candidates
    refused = [c for c in records if c.decision == "invalid"]
    assert [c.source for c in refused] == ["teacher"]
    assert "no tool named 'teleport'" in refused[0].reason and "teleport" in refused[0].rationale
    accepted = [c for c in records if c.decision == "accepted"]
    assert [c.source for c in accepted] == ["teacher"] and outcome.accepted
    assert outcome.record.teacher_tokens == 1280 * len(recording_teacher.requests)
    assert all("sk-secret" not in r.raw.decode() for r in recording_teacher.requests)
    report = write_report(ctx.log, home / "report")[0].read_text()
    assert f"({1280 * len(recording_teacher.requests)} per accepted teacher edit)" in report
