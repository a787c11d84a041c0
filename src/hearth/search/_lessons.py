"""Traces to lessons: the failures the search learns from, scrubbed before they travel.

A lesson is one eligible failure, as the teacher will read it: a trace the user
marked down or /bad, one that ended in an error or a timeout, one with a failed
tool call, or a failed benchmark task of the search part (never of the gate).
Every text in it has been through `scrub` on the machine that holds the
memory: `scrubbed_lessons_job` runs on each worker, so only lessons, never
raw memory, cross the queue. `render_preview` is the exact lessons text of a
teacher request; `hearth search preview` prints it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict, ValidationError

from hearth.edge_runtime import MemoryStore, Trace, chat_salt
from hearth.errors import HearthError, PayloadInvalid
from hearth.search._scrub import hash_user, scrub
from hearth.settings import Settings
from hearth.specs import SpecStore, default_spec

LessonKind = Literal["feedback", "error", "tool_failure", "timeout", "bench_failure"]

#: Longest text kept per lesson field, in characters; the rest is cut (teacher tokens).
MAX_TEXT_CHARS = 800
#: Most lessons taken per worker and session (the newest win).
MAX_LESSONS = 200


class BenchFailure(Protocol):
    """A failed benchmark result; the search session's `Outcome` fits.

    An object that also has ``passed = True`` is skipped, so outcomes can be
    passed unfiltered.
    """

    @property
    def task_id(self) -> str: ...
    @property
    def category(self) -> str: ...
    @property
    def prompt(self) -> str: ...
    @property
    def reply(self) -> str: ...
    @property
    def reason(self) -> str: ...


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class LessonToolCall(_Frozen):
    """A tool call of a lesson, scrubbed."""

    name: str
    arguments: dict[str, Any] = {}
    result: str = ""
    ok: bool = True


class Lesson(_Frozen):
    """One eligible failure, scrubbed; what the teacher sees of it."""

    kind: LessonKind
    category: str
    user_text: str
    reply: str
    reason: str
    tool_calls: tuple[LessonToolCall, ...] = ()
    ref: str
    chat: str | None = None


def _cut(text: str) -> str:
    return text if len(text) <= MAX_TEXT_CHARS else text[:MAX_TEXT_CHARS] + " [...]"


def _scrub_value(value: Any, facts: Sequence[str], salt: str) -> Any:
    if isinstance(value, str):
        return _cut(scrub(value, facts=facts, salt=salt))
    if isinstance(value, list | tuple):
        return [_scrub_value(v, facts, salt) for v in value]
    if isinstance(value, dict):
        return {str(k): _scrub_value(v, facts, salt) for k, v in value.items()}
    return value


def _error_type(error: str) -> str:
    head = error.split(":", 1)[0].strip()
    return head if head.isidentifier() and len(head) <= 40 else "error"


def _trace_lesson(trace: Trace, eligible: Collection[str], facts: Sequence[str],
                  salt: str) -> Lesson | None:
    def clean(text: str | None) -> str:
        return _cut(scrub(text or "", facts=facts, salt=salt))

    failed_tools = [c for c in trace.tool_calls if not c.ok]
    signals: list[tuple[LessonKind, str, str]] = []  # kind, category, reason
    if trace.status == "timeout":
        signals.append(("timeout", "chat", f"timed out after {(trace.total_ms or 0) / 1000:.0f} s"))
    if trace.status == "error" or trace.error:
        error = trace.error or "unknown error"
        signals.append(("error", f"error:{_error_type(error)}", f"error: {clean(error)}"))
    if failed_tools:
        first = failed_tools[0]
        signals.append(("tool_failure", f"tool:{first.name}",
                        f"tool {first.name} failed: {clean(first.result)}"))
    if trace.feedback in ("down", "bad"):
        signals.append(("feedback", "chat", f"the user marked the reply {trace.feedback}"))
    chosen = [s for s in signals if s[0] in eligible]
    if not chosen:
        return None
    kind, category, _ = chosen[0]
    return Lesson(
        kind=kind, category=category, user_text=clean(trace.user_text),
        reply=clean(trace.reply_text),
        reason="; ".join(reason for _, _, reason in signals),
        tool_calls=tuple(LessonToolCall(name=c.name, ok=c.ok, result=clean(c.result),
                                        arguments=_scrub_value(c.arguments, facts, salt))
                         for c in trace.tool_calls),
        ref=f"trace:{hash_user(trace.message_id, salt)}", chat=hash_user(trace.chat_hash, salt))


def collect_lessons(traces: Iterable[Trace], bench_failures: Iterable[BenchFailure] = (), *,
                    since: datetime | None, eligible: Collection[str],
                    facts_by_chat: Mapping[str, Sequence[str]], salt: str,
                    gate_ids: Collection[str] = (), limit: int = MAX_LESSONS) -> list[Lesson]:
    """The scrubbed lessons of eligible traces and benchmark failures, at most `limit`.

    `eligible` holds the spec's ``learning.eligible`` kinds; `facts_by_chat`
    maps a trace's ``chat_hash`` to the texts of that chat's memory facts.
    Traces before `since` are skipped, and so are traces of benchmark runs
    (they have a `category`): bench runs are learned from their results, whose
    task ids let `gate_ids` hold the gate's tasks back. Bench failures come
    first, then the newest traces.
    """
    if since is not None and since.tzinfo is None:
        since = since.replace(tzinfo=UTC)  # naive times are UTC throughout Hearth
    lessons: list[Lesson] = []
    if "bench_failure" in eligible:
        for failure in bench_failures:
            if failure.task_id in gate_ids or getattr(failure, "passed", False):
                continue
            lessons.append(Lesson(
                kind="bench_failure", category=failure.category,
                user_text=_cut(scrub(failure.prompt, salt=salt)),
                reply=_cut(scrub(failure.reply, salt=salt)),
                reason=_cut(scrub(failure.reason, salt=salt)) or "the check failed",
                ref=f"bench:{failure.task_id}"))
    from_traces: list[Lesson] = []
    for trace in traces:
        if trace.category is not None or (since is not None and trace.created_at < since):
            continue
        lesson = _trace_lesson(trace, eligible, facts_by_chat.get(trace.chat_hash, ()), salt)
        if lesson is not None:
            from_traces.append(lesson)
    seen: set[str] = set()
    unique = []
    for lesson in [*lessons, *reversed(from_traces)]:
        if lesson.ref not in seen:
            seen.add(lesson.ref)
            unique.append(lesson)
    return unique[:limit]


def scrubbed_lessons_job(memory: MemoryStore, *, since: datetime | None,
                         eligible: Collection[str], salt: str,
                         limit: int = MAX_LESSONS) -> list[dict[str, Any]]:
    """This worker's lessons since `since`, scrubbed here, as JSON-ready dicts.

    The body of the worker-side job: the facts used for scrubbing are read
    from and stay in `memory`; only the returned lessons leave the worker.
    """
    facts = {memory.traces.chat_hash(c): [f.text for f in memory.facts(c)]
             for c in memory.chat_ids()}
    lessons = collect_lessons(memory.traces.since(since), since=since, eligible=eligible,
                              facts_by_chat=facts, salt=salt, limit=limit)
    return [lesson.model_dump(mode="json") for lesson in lessons]


def lessons_from_json(batches: Iterable[Iterable[Any]]) -> list[Lesson]:
    """Validate the results of `scrubbed_lessons_job` from several workers, merged."""
    out: list[Lesson] = []
    try:
        for batch in batches:
            out.extend(Lesson.model_validate(item) for item in batch)
    except ValidationError as exc:
        raise PayloadInvalid(f"a worker sent lessons that do not validate: {exc}; "
                             "run the same Hearth version on every worker") from None
    return out


class LessonCursor:
    """When the last search session started; lessons are taken since then."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @classmethod
    def in_home(cls, home: Path) -> LessonCursor:
        """The cursor under HEARTH_HOME."""
        return cls(home / "search" / "lessons-since.json")

    def load(self) -> datetime | None:
        """The time saved last, or None before the first session."""
        if not self.path.exists():
            return None
        try:
            return datetime.fromisoformat(json.loads(self.path.read_text())["since"])
        except (ValueError, KeyError, TypeError) as exc:
            raise HearthError(f"{self.path} is damaged ({exc}); delete it to learn from all "
                              "traces again") from None

    def save(self, at: datetime) -> None:
        """Remember `at` (written beside and renamed, so a crash leaves the old value)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_suffix(".partial")
        partial.write_text(json.dumps({"since": at.isoformat()}))
        os.replace(partial, self.path)


def gather_local(home: Path, *, since: datetime | None, eligible: Collection[str],
                 salt: str) -> list[Lesson]:
    """Lessons from every worker file under `home` (workers stopped; else use the queue)."""
    batches = []
    for path in sorted(home.glob("worker-*.duckdb")):
        try:
            memory = MemoryStore(path, chat_salt=chat_salt(home))
        except HearthError as exc:
            raise HearthError(f"{path} is in use by a running worker ({exc}); stop it, or "
                              "gather lessons through the queue") from None
        with memory:
            batches.append(scrubbed_lessons_job(memory, since=since, eligible=eligible,
                                                salt=salt))
    return lessons_from_json(batches)


def _tool_line(call: LessonToolCall) -> str:
    arguments = json.dumps(call.arguments, ensure_ascii=False, sort_keys=True)
    outcome = "ok" if call.ok else "FAILED"
    return f"  - {call.name}({arguments}) -> {outcome}: {call.result}"


def render_preview(lessons: Sequence[Lesson]) -> str:
    """The lessons text of a teacher request, exactly as it is sent."""
    if not lessons:
        return "No failures of the on-device assistant since the last session."
    out = [f"Failures of the on-device assistant since the last session ({len(lessons)}). "
           "Private data was replaced by placeholders: [PHONE], [EMAIL], [CARD], [URL], "
           "[SECRET], [USER:hash], [MEMORY]."]
    for n, lesson in enumerate(lessons, 1):
        block = [f"Lesson {n} | {lesson.kind} | category {lesson.category} | {lesson.ref}",
                 f"User: {lesson.user_text}", f"Assistant: {lesson.reply}"]
        if lesson.tool_calls:
            block += ["Tool calls:", *(_tool_line(c) for c in lesson.tool_calls)]
        block.append(f"Why it failed: {lesson.reason}")
        out.append("\n".join(block))
    return "\n\n".join(out)


def preview_command(settings: Settings, *, lessons: Sequence[Lesson] | None = None,
                    bench_failures: Iterable[BenchFailure] = (),
                    gate_ids: Collection[str] = ()) -> str:
    """What `hearth search preview` prints: the lessons text the next session would send.

    `lessons` are those gathered through the queue; None reads the worker
    files under HEARTH_HOME directly (workers stopped).
    """
    since = LessonCursor.in_home(settings.home).load()
    store = settings.home / "specs.duckdb"
    spec = SpecStore(store).active() if store.exists() else default_spec()
    eligible = spec.learning.eligible
    salt = chat_salt(settings.home)
    bench = collect_lessons((), bench_failures, since=since, eligible=eligible,
                            facts_by_chat={}, salt=salt, gate_ids=gate_ids)
    found = list(lessons) if lessons is not None else gather_local(
        settings.home, since=since, eligible=eligible, salt=salt)
    return render_preview([*bench, *found])
