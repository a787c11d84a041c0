"""The nightly spec search: traces to lessons, teacher, gate, publish."""

from hearth.search._gate import Decision, gate_ok
from hearth.search._guard import guard
from hearth.search._log import CandidateRecord, SessionLog, SessionRecord
from hearth.search._loop import SearchResult, run_search
from hearth.search._proposer import Candidate, propose_offline
from hearth.search._publish import approve, publish
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
    "Outcome",
    "ScoreSheet",
    "Scorer",
    "SearchContext",
    "SearchResult",
    "SessionLog",
    "SessionRecord",
    "approve",
    "diagnose",
    "gate_ok",
    "guard",
    "propose_offline",
    "publish",
    "run_search",
    "run_session",
    "write_report",
]
