"""`hearth search report`: a Markdown report and a matplotlib chart of the sessions.

The headline numbers are the untouched test part's: no decision of the search
used them. The gate's numbers are shown as the "selection score", the score
the search chose edits by (and so biased upwards).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from hearth.search._chart import gate_chart
from hearth.search._gate import target_label
from hearth.search._log import SessionLog, SessionRecord


def _table(before: Mapping[str, float], after: Mapping[str, float], overall: tuple[float, float],
           eps: float) -> list[str]:
    lines = ["| category | before | after | change |", "|---|---|---|---|"]
    for category in sorted(before):
        start = before[category]
        end = after.get(category, start)
        flag = " ⚠" if end < start - eps else ""
        lines.append(f"| {category} | {start:.3f} | {end:.3f} | {end - start:+.3f}{flag} |")
    lines.append(f"| **overall** | {overall[0]:.3f} | {overall[1]:.3f} | "
                 f"{overall[1] - overall[0]:+.3f} |")
    fell = [c for c, start in before.items() if after.get(c, start) < start - eps]
    lines += ["", f"Categories below their starting score minus eps ({eps:g}): "
              + (", ".join(sorted(fell)) + " ⚠" if fell else "none.")]
    return lines


def _test_table(first: SessionRecord, last: SessionRecord, eps: float) -> list[str]:
    if first.test_overall_before is None or last.test_overall_after is None:
        return ["No test-part score was recorded (an empty test part, or a log from before "
                "the three-part split)."]
    return _table(first.test_before, last.test_after,
                  (first.test_overall_before, last.test_overall_after), eps)


def _counts(sessions: list[SessionRecord]) -> str:
    tried = sum(s.tried for s in sessions)
    pruned = sum(s.count("pruned") for s in sessions)
    accepted = sum(s.count("accepted") for s in sessions)
    return (f"Candidates tried: {tried} (pruned on a gate sample: {pruned}, accepted: "
            f"{accepted}, invalid or refused: "
            f"{sum(len(s.candidates) for s in sessions) - tried})")


def _session_lines(s: SessionRecord) -> list[str]:
    took = f", {s.minutes:.1f} min" if s.minutes is not None else ""
    test = (f"test {s.test_overall_before:.3f} -> {s.test_overall_after:.3f}, "
            if s.test_overall_before is not None and s.test_overall_after is not None else "")
    lines = [f"### Session {s.session_id} ({s.started_at:%Y-%m-%d %H:%M}{took}): {test}"
             f"selection score {s.overall_before:.3f} -> {s.overall_after:.3f}"
             f"{' accepted ' + s.result_spec[:12] if s.accepted else ''}",
             f"Clusters: {s.note or '-'}",
             f"Candidates: {s.tried} tried, {s.count('pruned')} pruned, "
             f"{s.count('accepted')} accepted; teacher tokens {s.teacher_tokens}"]
    if s.test_before:
        lines.append("Test part by category: " + ", ".join(
            f"{c} {v:.2f}→{s.test_after.get(c, v):.2f}" for c, v in sorted(s.test_before.items())))
    lines += [f"- {c.decision}: [{c.source}] {target_label(c.target)}: {c.rationale} — {c.reason}"
              for c in s.candidates]
    return [*lines, ""]


def _model_lines(sessions: list[SessionRecord]) -> list[str]:
    """What each model candidate scored and what it costs: quality bought at what speed."""
    tried = [c for s in sessions for c in s.candidates if c.kind == "model"]
    if not tried:
        return []
    lines = ["## Models tried", "",
             "| candidate | decision | selection score (rung) | size | decode |",
             "|---|---|---|---|---|"]
    for c in tried:
        score = f"{c.overall:.3f} ({c.rung})" if c.overall is not None else "-"
        size = f"{c.cost['size_bytes'] / 1e6:.0f} MB" if "size_bytes" in c.cost else "-"
        speed = (f"{c.cost['decode_tokens_per_s']:.0f} tok/s"
                 if "decode_tokens_per_s" in c.cost else "not measured")
        lines.append(f"| {c.rationale} | {c.decision} | {score} | {size} | {speed} |")
    return [*lines, ""]


def write_report(log: SessionLog, out_dir: Path, *, eps: float = 0.01) -> tuple[Path, Path]:
    """Write report.md and gate.png into `out_dir`; return both paths."""
    sessions = log.sessions()
    out_dir.mkdir(parents=True, exist_ok=True)
    md, png = out_dir / "report.md", out_dir / "gate.png"
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
        first, last = sessions[0], sessions[-1]
        lines += [f"Sessions: {len(sessions)}, kept an edit: {sum(s.accepted for s in sessions)}, "
                  f"teacher tokens: {tokens}{per_edit}", "", _counts(sessions),
                  "", f"![test-part score per session]({png.name})", "",
                  "## Test part by category (untouched: no decision used it)", "",
                  "First session's start to last session's end.", "",
                  *_test_table(first, last, eps), "",
                  "## Selection score by category (the gate that chose the edits)", "",
                  *_table(first.gate_before, last.gate_after,
                          (first.overall_before, last.overall_after), eps),
                  "", *_model_lines(sessions), "## Sessions", ""]
        for s in sessions:
            lines += _session_lines(s)
    md.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return md, png
