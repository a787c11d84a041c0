"""The search benchmark: does a search with the offline proposer raise the gate score?

Issue 4's goal, run on this machine with the bundled SmolLM2-135M: a search
from the default spec, with no teacher (the offline proposer) and a fresh
HEARTH_HOME, raises the held-out gate score; no category ends below its
starting score minus eps; and each session takes under 30 minutes.

The gate is the held-out part of the built-in tasks (its stable subsample of
`learning.gate_subsample` tasks); the proposer only ever sees the search part.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from benchmarks.perf_results import Result
from hearth.search._log import SessionLog
from hearth.settings import Settings
from hearth.specs import default_spec

#: Sessions of a full run (about 8 minutes each here): the first one alone
#: already tries a candidate for every failing cluster.
SESSIONS = 2
#: The session time limit of the goal, in minutes.
SESSION_LIMIT_MIN = 30.0


def search_benchmarks(sessions: int = SESSIONS) -> list[Result]:
    """Run a search from the default spec in a temporary home; three goals."""
    from hearth.search._run import search_now

    eps = default_spec().learning.epsilon
    with tempfile.TemporaryDirectory(prefix="hearth-bench-search-") as tmp:
        # No Redis and no teacher: the offline proposer, as on a machine with
        # no network; `review` autonomy leaves the result pending.
        settings = Settings(home=Path(tmp), redis_url=None, teacher_url=None,
                            teacher_model=None, teacher_api_key=None)
        began = time.monotonic()
        result = search_now(settings, sessions=sessions)
        took_min = (time.monotonic() - began) / 60
        records = SessionLog(Path(tmp) / "search.duckdb").sessions()
        report = (Path(tmp) / "search-report" / "report.md").read_text()
    first, last = records[0], records[-1]
    before, after = first.gate_before, last.gate_after
    drops = {c: before[c] - after.get(c, before[c]) for c in before}
    worst = max(drops, key=lambda c: drops[c])
    accepted = [c.rationale for s in records for c in s.candidates
                if s.accepted and c.spec_id == s.result_spec]
    minutes = [s.minutes or 0.0 for s in records]
    details = {"gate_before": before, "gate_after": after, "accepted_edits": accepted,
               "sessions": len(records), "session_minutes": minutes,
               "final_spec": result.final.id, "teacher_tokens": 0, "report": report}
    gain = last.overall_after - first.overall_before
    return [
        Result("search_gate_gain", gain, "score", 0.01, "min",
               f"gate {first.overall_before:.3f} -> {last.overall_after:.3f} in "
               f"{len(records)} sessions, {len(accepted)} edits accepted "
               f"(offline proposer, 0 teacher calls)", details),
        Result("search_worst_category", drops[worst], "score", eps, "max",
               f"largest drop of a category from its start: {worst} "
               f"{before[worst]:.3f} -> {after.get(worst, before[worst]):.3f}",
               {"drops": drops}),
        Result("search_session_minutes", max(minutes), "min", SESSION_LIMIT_MIN, "max",
               f"longest of {len(records)} sessions; whole search {took_min:.1f} min",
               {"session_minutes": minutes}),
    ]
