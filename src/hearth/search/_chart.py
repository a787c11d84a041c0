"""The search report's chart, drawn with matplotlib.

Two panels over the sessions: the overall untouched test-part score beside
the selection score (the gate's, which chose the edits; accepted sessions
marked, rejected candidates as crosses), and the test-part score of each
category (the selection score's when no test part was recorded). The
Figure API with the Agg canvas is used, not pyplot, so nothing global is
kept and no display is needed.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from hearth.search._log import SessionRecord

#: Size of the chart in inches and its resolution (1000 x 800 pixels).
FIGSIZE_IN = (10.0, 8.0)
DPI = 100


def gate_chart(path: Path, sessions: Sequence[SessionRecord]) -> Path:
    """Write the chart of `sessions` as a PNG at `path`; return `path`."""
    figure = draw_chart(sessions)
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, format="png")
    return path


def draw_chart(sessions: Sequence[SessionRecord]) -> Figure:
    """The chart of `sessions`: overall test and selection scores, and each category's."""
    figure = Figure(figsize=FIGSIZE_IN, dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    overall, by_category = figure.subplots(2, 1, sharex=True)
    steps = list(range(len(sessions) + 1))  # 0: the start, n: after session n
    if sessions:
        tested = all(s.test_overall_before is not None for s in sessions)
        if tested:
            test = [sessions[0].test_overall_before, *(s.test_overall_after for s in sessions)]
            overall.plot(steps, test, marker="o", color="tab:purple",
                         label="test part (overall, untouched)")
        scores = [sessions[0].overall_before, *(s.overall_after for s in sessions)]
        overall.plot(steps, scores, marker="o", color="tab:blue", linestyle="--",
                     label="selection score (gate, overall)")
        kept = [(i + 1, s.overall_after) for i, s in enumerate(sessions) if s.accepted]
        if kept:
            overall.scatter(*zip(*kept, strict=True), s=90, marker="s", color="tab:green",
                            zorder=3, label="session kept an edit")
        crosses = [(i + 1, c.overall) for i, s in enumerate(sessions) for c in s.candidates
                   if c.decision == "rejected" and c.overall is not None]
        if crosses:
            overall.scatter(*zip(*crosses, strict=True), marker="x", color="tab:red",
                            label="rejected candidate")
        pairs = ([(s.test_before, s.test_after) for s in sessions] if tested
                 else [(s.gate_before, s.gate_after) for s in sessions])
        categories = sorted({c for b, a in pairs for c in (*b, *a)})
        for category in categories:
            start = pairs[0][0].get(category)
            line = [start, *(a.get(category, start) for _, a in pairs)]
            by_category.plot(steps, line, marker=".", label=category)
        by_category.set_title("by category, test part" if tested
                              else "by category, selection score (no test part recorded)")
    else:
        overall.text(0.5, 0.5, "no session has run yet", ha="center", va="center",
                     transform=overall.transAxes)
    overall.set_title("Hearth spec search: test-part and selection scores")
    overall.set_ylabel("pass rate (overall)")
    if not sessions:
        by_category.set_title("by category")
    by_category.set_ylabel("pass rate")
    by_category.set_xlabel("session (0 = the spec the search started from)")
    by_category.set_xticks(steps)
    for axes in (overall, by_category):
        axes.set_ylim(-0.02, 1.02)
        axes.grid(True, alpha=0.3)
        if axes.get_legend_handles_labels()[0]:
            axes.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize="small")
    return figure
