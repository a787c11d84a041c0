"""The morning report of one night: short enough for a phone, the full report attached."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from hearth.queue import MorningReport
from hearth.search._gate import target_label
from hearth.search._log import SessionRecord
from hearth.search._loop import SearchResult

#: Kept edits listed in the short message; the rest are in the attached report.
MAX_KEPT_LINES = 5


def _kept(records: list[SessionRecord]) -> list[str]:
    lines = []
    for record in records:
        if not record.accepted:
            continue
        kept = [c for c in record.candidates
                if c.decision == "accepted" and c.spec_id == record.result_spec]
        for candidate in kept or [c for c in record.candidates if c.decision == "accepted"]:
            lines.append(f"• {target_label(candidate.target)}: {candidate.rationale} "
                         f"({candidate.reason})")
    return lines


def _scores(before_by: dict[str, float], after_by: dict[str, float]) -> list[str]:
    lines = []
    for category in sorted(before_by):
        before = before_by[category]
        after = after_by.get(category, before)
        mark = "▲" if after > before else "▼" if after < before else "="
        lines.append(f"{category} {before:.2f}→{after:.2f} {mark}")
    return lines


def morning_report(result: SearchResult | None, *, started: datetime, ended: datetime,
                   timezone: str, report_md: Path, error: str | None = None) -> MorningReport:
    """The report of a night that ran from `started` to `ended` (or failed with `error`)."""
    zone = ZoneInfo(timezone)
    local_start, local_end = started.astimezone(zone), ended.astimezone(zone)
    minutes = (ended - started).total_seconds() / 60
    when = f"{local_start:%H:%M}–{local_end:%H:%M}, {minutes:.0f} min"
    markdown = report_md.read_text(encoding="utf-8") if report_md.exists() else ""
    night = local_start.date().isoformat()
    if result is None or error is not None:
        text = (f"🌙 Last night's search failed ({when}): {error or 'no result'}.\n"
                "Nothing changed; the next night is scheduled. Run `hearth doctor` on the "
                "search machine for details.")
        return MorningReport(night=night, text=text[:4000],
                             markdown=markdown or f"# Night of {night}\n\nFailed: {error}\n",
                             failed=True)
    records = [s.record for s in result.sessions]
    tried = sum(r.tried for r in records)
    pruned = sum(r.count("pruned") for r in records)
    tokens = sum(r.teacher_tokens for r in records)
    teacher_kept = sum(c.decision == "accepted" and c.source == "teacher"
                       for r in records for c in r.candidates)
    per_edit = f", {tokens / teacher_kept:.0f} per accepted teacher edit" if teacher_kept else ""
    lines = [f"🌙 Last night's search ({when}, {tokens} teacher tokens{per_edit})",
             f"Tried {tried} edit(s) in {len(records)} session(s), {pruned} pruned early; "
             + ("kept:" if result.improved else "kept none.")]
    kept = _kept(records)
    lines += kept[:MAX_KEPT_LINES]
    if len(kept) > MAX_KEPT_LINES:
        lines.append(f"… and {len(kept) - MAX_KEPT_LINES} more in the report")
    if records:
        first, last = records[0], records[-1]
        if first.test_overall_before is not None and last.test_overall_after is not None:
            lines.append(f"Test score (untouched tasks) {first.test_overall_before:.2f} → "
                         f"{last.test_overall_after:.2f}")
            lines.append("By category: " + ", ".join(_scores(first.test_before,
                                                             last.test_after)))
        lines.append(f"Selection score (the gate that chose) {first.overall_before:.2f} → "
                     f"{last.overall_after:.2f}")
        if first.test_overall_before is None:  # no test part: say so, show the gate's
            lines.append("No untouched test tasks; by category (selection score): "
                         + ", ".join(_scores(first.gate_before, last.gate_after)))
    lines.append(f"Stopped: {result.stopped_because}.")
    pending = result.final.id if result.pending else None
    if pending:
        lines.append(f"Spec {result.final.short_id} waits for your review: approve or reject "
                     "below.")
    elif result.improved and result.published_to is not None:
        lines.append(f"Now running spec {result.final.short_id}; /rollback undoes it.")
    lines.append("Full report attached.")
    return MorningReport(night=night, text="\n".join(lines)[:4000],
                         markdown=markdown or "# (no report written)\n", pending_spec=pending,
                         gate_before=records[0].gate_before if records else {},
                         gate_after=records[-1].gate_after if records else {},
                         test_before=records[0].test_before if records else {},
                         test_after=records[-1].test_after if records else {},
                         spec_before=result.start.id, spec_after=result.final.id)
