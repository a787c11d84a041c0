"""Which task category a trace lesson counts against, read from the tasks and the routes.

A failed tool call (lesson category ``tool:NAME``) counts against the
category whose tasks reach that tool most: tasks that offer it, name it in
their check, or whose message a route to it catches. Nothing is keyed to the
built-in category names.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from hearth.bench import Task
from hearth.bench._tasks import tool_checks
from hearth.search.proposers._tools import caught_by
from hearth.specs import Spec


class ClusterMap:
    """Maps a lesson category to a task category, for one task set and spec."""

    def __init__(self, tasks: Sequence[Task], spec: Spec) -> None:
        self.categories = frozenset(t.category for t in tasks)
        self._by_tool: dict[str, str] = {}
        votes: dict[str, Counter[str]] = {}
        for task in tasks:
            message = task.turns[-1].content
            tools = {t.function.name for t in task.tools}
            tools |= {r.tool for r in spec.agent.routes
                      if r.path == "tool" and r.tool and r.tool != "*" and caught_by(r, message)}
            tools |= {c.name for c in tool_checks(task.check)}
            for tool in tools:
                votes.setdefault(tool, Counter())[task.category] += 1
        for tool, counter in votes.items():
            # Most votes, ties broken by name so the map is the same every night.
            self._by_tool[tool] = min(counter, key=lambda c: (-counter[c], c))

    def cluster_of(self, lesson_category: str) -> str | None:
        """The task category a lesson counts against; None for free chat (no gate category)."""
        if lesson_category.startswith("tool:"):
            return self._by_tool.get(lesson_category.removeprefix("tool:"))
        return lesson_category if lesson_category in self.categories else None
