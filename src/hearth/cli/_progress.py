"""Progress of long commands (`hearth bench run`, `hearth search run`) with an ETA.

On a terminal, a `rich` progress bar (done/total, passed, elapsed, time left)
with phase lines printed above it; elsewhere (a log file, CI, systemd) a plain
line every few seconds, so logs stay readable.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, TextIO

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

if TYPE_CHECKING:
    from hearth.bench._cache import TaskResult

#: Seconds between progress lines when the stream is not a terminal.
PLAIN_EVERY_S = 10.0


def _clock(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    return f"{minutes}:{secs:02d}"


class TaskProgress:
    """Tasks scored so far, with an ETA; call it as `score_tasks`' progress callback."""

    def __init__(self, stream: TextIO, *, label: str = "bench",
                 every_s: float = PLAIN_EVERY_S) -> None:
        self.stream = stream
        self.label = label
        self.tty = stream.isatty()
        self.every_s = every_s
        self.started = time.monotonic()
        self._last = self.started
        self._passed = 0
        self._bar: Progress | None = None
        self._task: TaskID | None = None
        self._candidates: TaskID | None = None
        self._candidates_started = self.started
        self._last_candidates = self.started
        self._candidates_shown = (0, 0)
        self._round_started = self.started
        if self.tty:
            self._bar = Progress(
                TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                TextColumn("{task.fields[passed]} passed"), TimeElapsedColumn(),
                TextColumn("left"), TimeRemainingColumn(),
                console=Console(file=stream, force_terminal=True), transient=False)
            self._bar.start()

    def phase(self, text: str) -> None:
        """A line about what happens now (a session starts, a candidate is scored)."""
        if self._bar is not None:
            self._bar.console.print(text, markup=False, highlight=False)
            self._task = None  # the next task starts a new bar for this phase
        else:
            self.stream.write(f"{self.label}: {text}\n")
            self.stream.flush()
        self._passed, self._round_started = 0, time.monotonic()

    def __call__(self, done: int, total: int, result: TaskResult) -> None:
        """`done` of `total` tasks are scored, the last one being `result`."""
        if done == 1:  # a new scoring (the search scores many task sets in one phase)
            self._passed, self._round_started = 0, time.monotonic()
        self._passed += result.passed
        if self._bar is not None:
            if self._task is None or done == 1:
                self._task = self._bar.add_task("tasks", total=total, passed=0)
            self._bar.update(self._task, completed=done, passed=self._passed,
                             description=result.task_id[:24])
            return
        now = time.monotonic()
        if done == total or now - self._last >= self.every_s:
            elapsed = now - self._round_started
            left = elapsed / done * (total - done) if done else 0.0
            self.stream.write(f"{self.label}: {done}/{total} tasks, {self._passed} passed, "
                              f"{_clock(elapsed)} elapsed, about {_clock(left)} left\n")
            self.stream.flush()
            self._last = now

    def candidates(self, done: int, total: int) -> None:
        """`done` candidate scorings of the `total` planned this session (successive halving).

        A bar of its own above the task bar: candidates scored and the ETA of
        the session's scoring (the plan shrinks as rungs prune candidates).
        """
        if done <= 1:  # a new session's candidates
            self._candidates_started = time.monotonic()
            self._candidates_shown = (0, 0)
        if self._bar is not None:
            if self._candidates is None or done <= 1:
                if self._candidates is not None:
                    self._bar.remove_task(self._candidates)
                self._candidates = self._bar.add_task("candidates scored", total=total,
                                                      passed="-")
            self._bar.update(self._candidates, completed=done, total=total)
            return
        now = time.monotonic()
        if (done, total) == self._candidates_shown:  # the end, said once
            return
        if done >= total or now - self._last_candidates >= self.every_s:
            self._candidates_shown = (done, total)
            elapsed = now - self._candidates_started
            left = elapsed / done * (total - done) if done else 0.0
            self.stream.write(f"{self.label}: {done}/{total} candidates scored, "
                              f"{_clock(elapsed)} elapsed, about {_clock(left)} left\n")
            self.stream.flush()
            self._last_candidates = now

    def close(self) -> None:
        """Stop redrawing, so what follows starts on a line of its own."""
        if self._bar is not None:
            self._bar.stop()
            self._bar = None
