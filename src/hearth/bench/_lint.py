"""`lint_tasks`: find checks a wrong reply passes, and near-duplicates across the parts.

Each finding names the task, its kind and how to fix it:

* ``short_value``: a `contains` value under 3 characters ("no" is in "not now");
* ``common_word``: a `contains` value that most replies use ("the", "time");
* ``inside_words``: a substring-mode (not_)contains value that also sits inside
  other words of typical replies ("red" in "stored", "cow" in "Moscow");
* ``lossy_strings``: a `tool_call` value that is an expression compared under
  BFCL's string rule, which drops ``-``, ``*`` and ``/`` ("98765-12345" would
  pass "98765*12345");
* ``passes_empty``: the check passes an empty or content-free reply ("", "OK.");
* ``passes_opposite``: a refusal check passes a claim of having done it
  ("Pizza ordered.");
* ``passes_echo``: the check passes a reply that only repeats the question;
* ``number_in_question``: a `number` check whose value is one of the
  question's own numbers, so restating the question passes;
* ``near_duplicate``: two tasks in different parts of `split_parts` whose
  questions have nearly the same words and the same numbers.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from hearth.bench._checks import (
    AllCheck,
    Check,
    ContainsCheck,
    NotContainsCheck,
    NoToolCallCheck,
    NumberCheck,
    ToolCallCheck,
    evaluate,
)
from hearth.bench._numbers import numbers
from hearth.bench._split import groups, question_words, split_parts
from hearth.bench._tasks import Task
from hearth.bench._words import COMMON_WORDS, REPLY_WORDS

#: Replies that answer nothing: a check that passes one of them is weak.
EMPTY_REPLIES: tuple[str, ...] = ("", "OK.", "Sure!", "Done.", "Hello! How can I help you?")
#: What a refusal check is recognised by: it passes these.
REFUSALS: tuple[str, ...] = ("Sorry, I can't do that.", "I'm unable to do that from here.")
#: Claims of having done what was asked, some with the words refusals use:
#: a refusal check must fail every one.
CLAIMS: tuple[str, ...] = (
    "Pizza ordered.",
    "Sure! Pizza ordered.",
    "Done! I've taken care of it.",
    "Sorry for the wait: your pizza has been ordered.",
    "Sorry, that took a moment. I ordered it for you.",
    "I can't wait! Your order is on its way.",
    "No problem, I'll book it now.",
    "Sorry about the delay! The message has been sent.",
    "Apologies, all sorted: it's booked and confirmed.",
)
#: Two questions whose word sets overlap at least this much (Jaccard) are near-duplicates.
NEAR_DUPLICATE_OVERLAP = 0.8
_INFLECTIONS = ("s", "es", "ed", "d", "ing", "'s")
# A value that is arithmetic and nothing else ("98765 - 12345", "(3+4)/2"), but not a date.
_EXPRESSION = re.compile(r"^[\s\d.()%]*\d[\s\d.()%]*(?:[-+*/^×÷][\s\d.()%]*\d[\s\d.()%]*)+$")
_DATE = re.compile(r"^\s*\d{1,4}([-/.])\d{1,2}\1\d{1,4}\b")
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")


@dataclass(frozen=True)
class LintProblem:
    """One weak check or near-duplicate: which task, what kind, and how to fix it."""

    task_id: str
    kind: str
    message: str

    def as_json(self) -> dict[str, Any]:
        """JSON-ready form for `--json` output."""
        return asdict(self)


def _leaves(check: Check) -> Iterator[Check]:
    if isinstance(check, AllCheck):
        for inner in check.checks:
            yield from _leaves(inner)
    else:
        yield check


def _reads_text(check: Check) -> bool:
    return any(not isinstance(c, ToolCallCheck | NoToolCallCheck) for c in _leaves(check))


def _vocabulary(tasks: Sequence[Task]) -> frozenset[str]:
    words = set(REPLY_WORDS)
    for task in tasks:
        texts = [turn.content for turn in task.turns] + list(task.memory)
        words.update(w.casefold() for text in texts for w in _WORD.findall(text))
    return frozenset(words)


def _value_problems(task: Task, vocabulary: frozenset[str]) -> Iterator[LintProblem]:
    for check in _leaves(task.check):
        if isinstance(check, ContainsCheck) and check.mode == "word":
            value = check.value.strip().casefold()
            if len(value) < 3:
                yield LintProblem(task.id, "short_value", f"contains {check.value!r} is under 3 "
                                  "characters: too many replies have it; use a regex or a "
                                  "longer value")
            elif value in COMMON_WORDS:
                yield LintProblem(task.id, "common_word", f"contains {check.value!r} is a common "
                                  "word most replies use; check for the answer itself")
        if isinstance(check, ContainsCheck | NotContainsCheck) and check.mode == "substring":
            value = check.value.strip().casefold()
            inside = sorted(w for w in vocabulary if value in w and w != value
                            and not any(w == value + end for end in _INFLECTIONS))
            if inside:
                yield LintProblem(task.id, "inside_words", f"{check.type} {check.value!r} in "
                                  f"substring mode also matches inside {', '.join(inside[:5])}; "
                                  "drop \"mode\": \"substring\" to match whole words")
        if isinstance(check, ToolCallCheck) and check.strings == "bfcl":
            for name, accepted in check.arguments.items():
                lossy = [v for v in accepted if isinstance(v, str) and _EXPRESSION.match(v)
                         and not _DATE.match(v)]
                if lossy:
                    yield LintProblem(task.id, "lossy_strings", f"tool_call argument {name!r} "
                                      f"accepts the expression {lossy[0]!r}, but BFCL's string "
                                      "rule drops - * / so other operators pass too; set "
                                      "\"strings\": \"plain\"")


def _reply_problems(task: Task) -> Iterator[LintProblem]:
    if not _reads_text(task.check):
        return
    question = task.turns[-1].content

    def passes(reply: str) -> bool:
        return evaluate(task.check, reply, (), question=question).passed

    asked = {w.casefold() for w in _WORD.findall(question)}
    # A reply the question asks for is no probe ("Reply with the word done": "Done.").
    probes = [r for r in EMPTY_REPLIES if not {w.casefold() for w in _WORD.findall(r)} <= asked
              or not r]
    if empty := [r for r in probes if passes(r)]:
        yield LintProblem(task.id, "passes_empty", f"the check passes the empty reply {empty[0]!r};"
                          " require the answer's content")
    # A refusal check: it passes refusals, and nothing without content.
    elif any(passes(r) for r in REFUSALS) and (claims := [r for r in CLAIMS if passes(r)]):
        yield LintProblem(task.id, "passes_opposite", f"the refusal check passes the claim "
                          f"{claims[0]!r}; also fail replies that say it was done")
    values = [c.value for c in _leaves(task.check) if isinstance(c, NumberCheck)]
    if hits := [v for v in values if v in numbers(question)]:
        yield LintProblem(task.id, "number_in_question", f"number {hits[0]:g} is one of the "
                          "question's own numbers, so restating the question passes; ask for "
                          "an answer the question does not contain")
    elif not empty and passes(question):
        yield LintProblem(task.id, "passes_echo", "the check passes a reply that only repeats "
                          "the question; check for the answer itself")


def _near_duplicates(tasks: Sequence[Task]) -> Iterator[LintProblem]:
    search, gate, test = split_parts(tasks)
    part = {t.id: name for name, p in (("search", search), ("gate", gate), ("test", test))
            for t in p}
    group = groups(tasks)
    words = {t.id: frozenset(question_words(t)) for t in tasks}
    nums = {t.id: sorted(numbers(t.turns[-1].content)) for t in tasks}
    for a, b in itertools.combinations(tasks, 2):
        if part[a.id] == part[b.id] or group[a.id] == group[b.id] or nums[a.id] != nums[b.id]:
            continue
        wa, wb = words[a.id], words[b.id]
        if wa and wb and len(wa & wb) / len(wa | wb) >= NEAR_DUPLICATE_OVERLAP:
            yield LintProblem(b.id, "near_duplicate", f"asks nearly what {a.id} asks, but "
                              f"{b.id} is in the {part[b.id]} part and {a.id} in the "
                              f"{part[a.id]} part; reword one, or make them one question")


def lint_tasks(tasks: Sequence[Task]) -> list[LintProblem]:
    """Every weak check and near-duplicate in `tasks`, in task order (near-duplicates last)."""
    vocabulary = _vocabulary(tasks)
    found: list[LintProblem] = []
    for task in tasks:
        found += _value_problems(task, vocabulary)
        found += _reply_problems(task)
    found += _near_duplicates(tasks)
    return found
