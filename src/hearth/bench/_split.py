"""Splitting tasks into parts that never share a near-duplicate.

A task's part follows from a stable hash of its *group*: tasks that ask the
same question (after dropping answer-format instructions such as "Answer with
just the number."), expect the same tool call, or expect the same answer text
form one group, so a proposer never sees in the search part a twin of a gate
or test task. Hashes are sha256, not `hash()`, which Python salts per process.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence

from hearth.bench._arguments import normalise
from hearth.bench._checks import AllCheck, Check, ContainsCheck, ExactCheck
from hearth.bench._tasks import Task, tool_checks

#: Shares of tasks in the search, gate and test parts, by default.
DEFAULT_FRACTIONS: tuple[float, float, float] = (0.4, 0.3, 0.3)

_SENTENCE = re.compile(r"(?<=[.!?])\s+")
# A sentence that only says how to format the answer: not part of the question.
_FORMAT_ONLY = re.compile(
    r"(?i)^(answer|reply|respond|use|give|write|return|say)\b.*\b(format|number|word|words|only"
    r"|just|digits|letters|name|yes or no|true or false|hh:mm|yyyy-mm-dd)\b")
_WORD = re.compile(r"\w+")
_FILLER = frozenset({"a", "an", "the", "please", "just", "now", "kindly"})


def question_words(task: Task) -> list[str]:
    """The words of the task's last user message that make up its question, normalised.

    Lower case, filler ("the", "please", ...) and answer-format sentences
    dropped, a plural "s" taken off longer words ("lights" is "light").
    """
    text = task.turns[-1].content
    sentences = [s for s in _SENTENCE.split(text.strip()) if s]
    kept = [s for s in sentences if not _FORMAT_ONLY.match(s)] or sentences
    words = [w.casefold() for w in _WORD.findall(" ".join(kept))]
    return [w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w
            for w in words if w not in _FILLER]


def _answer_texts(check: Check) -> list[str]:
    if isinstance(check, ContainsCheck | ExactCheck):
        return [" ".join(check.value.casefold().split())]
    if isinstance(check, AllCheck):
        return [text for c in check.checks for text in _answer_texts(c)]
    return []


def group_keys(task: Task) -> list[str]:
    """The keys that tie `task` to its near-duplicates: question, tool call, answer text."""
    keys = ["q:" + " ".join(question_words(task))]
    for check in tool_checks(task.check):
        shown = [f"{name}={normalise(str(next((v for v in ok if v != ''), '')), 'bfcl')}"
                 for name, ok in sorted(check.arguments.items())]
        keys.append("t:" + normalise(check.name, "bfcl") + "(" + ",".join(shown) + ")")
    keys += ["a:" + text for text in _answer_texts(task.check)]
    return keys


def groups(tasks: Sequence[Task]) -> dict[str, str]:
    """Task id -> its group's name (the smallest key of the group), over `tasks`."""
    parent: dict[str, str] = {}

    def find(key: str) -> str:
        root = key
        while parent.setdefault(root, root) != root:
            root = parent[root]
        while parent[key] != root:  # path compression
            parent[key], key = root, parent[key]
        return root

    for task in tasks:
        first, *rest = (find(key) for key in group_keys(task))
        for other in rest:
            # The smaller key becomes the root, so a group's name does not depend on order.
            low, high = sorted((find(first), find(other)))
            parent[high] = low
    return {task.id: find(group_keys(task)[0]) for task in tasks}


def stable_unit(text: str) -> float:
    """A number in [0, 1) that depends only on `text`, the same in every process."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def split_parts(
    tasks: Iterable[Task], fractions: tuple[float, float, float] = DEFAULT_FRACTIONS
) -> tuple[list[Task], list[Task], list[Task]]:
    """Split tasks into ``(search, gate, test)``, near-duplicates always in one part.

    The search part is shown to proposers and the teacher, the gate decides,
    and the test part decides nothing: it is the score that gets reported.
    About `fractions` of the tasks land in each part (they must sum to 1); a
    task's part depends only on its group (see `group_keys`), so adding tasks
    moves no other task unless a new task joins two groups. Order is kept.
    """
    if len(fractions) != 3 or any(f < 0 for f in fractions) or abs(sum(fractions) - 1) > 1e-9:
        raise ValueError(f"fractions must be three shares >= 0 that sum to 1, got {fractions}")
    tasks = list(tasks)
    group_of = groups(tasks)
    parts: tuple[list[Task], list[Task], list[Task]] = ([], [], [])
    for task in tasks:
        unit = stable_unit(group_of[task.id])
        index = 0 if unit < fractions[0] else 1 if unit < fractions[0] + fractions[1] else 2
        parts[index].append(task)
    return parts


def split(tasks: Iterable[Task], gate_fraction: float = 0.5) -> tuple[list[Task], list[Task]]:
    """Split tasks into ``(search, gate)`` by a stable hash of the id, keeping their order.

    About `gate_fraction` of tasks land in the held-out gate part; a task's side
    depends only on its id, so adding tasks never moves the others. Kept for the
    search until it moves to `split_parts`, which keeps near-duplicates together.
    """
    if not 0.0 <= gate_fraction <= 1.0:
        raise ValueError(f"gate_fraction must be within [0, 1], got {gate_fraction}")
    search: list[Task] = []
    gate: list[Task] = []
    for task in tasks:
        (gate if stable_unit(task.id) < gate_fraction else search).append(task)
    return search, gate
