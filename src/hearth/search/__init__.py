"""The nightly spec search: traces to lessons, teacher, gate, publish, morning report."""

from hearth.search._gate import Decision, gate_ok
from hearth.search._guard import guard
from hearth.search._log import CandidateRecord, SessionLog, SessionRecord
from hearth.search._loop import SearchResult, run_search
from hearth.search._morning import morning_report
from hearth.search._night import Night, chat_busy
from hearth.search._nightly import ensure_schedule, next_run, scheduled_nights
from hearth.search._proposer import Candidate, propose_offline
from hearth.search._publish import approve, publish, reject, rollback
from hearth.search._report import write_report
from hearth.search._session import (
    Cluster,
    Outcome,
    Scorer,
    ScoreSheet,
    SearchContext,
    diagnose,
    run_session,
)

__all__ = [
    "Candidate",
    "CandidateRecord",
    "Cluster",
    "Decision",
    "Night",
    "Outcome",
    "ScoreSheet",
    "Scorer",
    "SearchContext",
    "SearchResult",
    "SessionLog",
    "SessionRecord",
    "approve",
    "chat_busy",
    "diagnose",
    "ensure_schedule",
    "gate_ok",
    "guard",
    "morning_report",
    "next_run",
    "propose_offline",
    "publish",
    "reject",
    "rollback",
    "run_search",
    "run_session",
    "scheduled_nights",
    "write_report",
]
