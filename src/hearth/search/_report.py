"""`hearth search report`: a Markdown report and a matplotlib chart of the sessions."""

from __future__ import annotations

from pathlib import Path

from hearth.search._chart import gate_chart
from hearth.search._log import SessionLog, SessionRecord


def _table(first: SessionRecord, last: SessionRecord, eps: float) -> list[str]:
    lines = ["| category | before | after | change |", "|---|---|---|---|"]
    for category in sorted(first.gate_before):
        before = first.gate_before[category]
        after = last.gate_after.get(category, before)
        flag = " ⚠" if after < before - eps else ""
        lines.append(f"| {category} | {before:.3f} | {after:.3f} | {after - before:+.3f}{flag} |")
    lines.append(f"| **overall** | {first.overall_before:.3f} | {last.overall_after:.3f} | "
                 f"{last.overall_after - first.overall_before:+.3f} |")
    fell = [c for c, before in first.gate_before.items()
            if last.gate_after.get(c, before) < before - eps]
    lines += ["", f"Categories below their starting score minus eps ({eps:g}): "
              + (", ".join(sorted(fell)) + " ⚠" if fell else "none.")]
    return lines


def write_report(log: SessionLog, out_dir: Path, *, eps: float = 0.01) -> tuple[Path, Path]:
    """Write report.md and gate.png into `out_dir`; return both paths."""
    sessions = log.sessions()
    out_dir.mkdir(parents=True, exist_ok=True)
    md, png = out_dir / "report.md", out_dir / "gate.png"
    accepted = [s.accepted for s in sessions]
    gate_chart(png, sessions)
    lines = ["# Hearth spec search report", ""]
    if not sessions:
        lines.append("No search session has run yet: `hearth search run`.")
    else:
        # Tokens per accepted edit counts the teacher's own accepted edits:
        # one the offline proposer found cost the teacher nothing.
        teacher_accepted = sum(1 for s in sessions for c in s.candidates
                               if c.decision == "accepted" and c.source == "teacher")
        tokens = sum(s.teacher_tokens for s in sessions)
        per_edit = (f" ({tokens / teacher_accepted:.0f} per accepted teacher edit)"
                    if teacher_accepted else " (no teacher edit accepted)" if tokens else "")
        lines += [f"Sessions: {len(sessions)}, accepted: {sum(accepted)}, "
                  f"teacher tokens: {tokens}{per_edit}",
                  "", f"![gate score per session]({png.name})", "",
                  "## Gate score by category (first session's start to last session's end)",
                  "", *_table(sessions[0], sessions[-1], eps), "", "## Sessions", ""]
        for s in sessions:
            took = f", {s.minutes:.1f} min" if s.minutes is not None else ""
            lines.append(f"### Session {s.session_id} ({s.started_at:%Y-%m-%d %H:%M}{took}): "
                         f"{s.overall_before:.3f} -> {s.overall_after:.3f}"
                         f"{' accepted ' + s.result_spec[:12] if s.accepted else ''}")
            lines.append(f"Clusters: {s.note or '-'}")
            lines += [f"- {c.decision}: [{c.source}] {c.target}: {c.rationale} — {c.reason}"
                      for c in s.candidates]
            lines.append("")
    md.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return md, png
