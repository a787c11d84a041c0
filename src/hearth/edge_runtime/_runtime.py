"""The edge runtime: one loaded model, the active spec, memory, and the job logic.

One `EdgeRuntime` lives as long as its worker process. Jobs call into it;
spec swaps wait for the job in progress (they take the same lock), and the
model is reloaded only when the model or the engine settings changed.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import redis

from hearth.edge_runtime._agent import Agent, AgentResult
from hearth.edge_runtime._engine import Engine, LlamaCppEngine, engine_key
from hearth.edge_runtime._memory import MemoryStore, StoredMessage
from hearth.edge_runtime._pool import EnginePool
from hearth.edge_runtime._prompt import base_parts
from hearth.edge_runtime._reminders import RqReminders
from hearth.edge_runtime._traces import ToolCall as TraceToolCall
from hearth.edge_runtime._traces import Trace
from hearth.edge_runtime.tools import ToolBox, ToolContext
from hearth.errors import HearthError, ModelError
from hearth.queue import (
    Control,
    ControlKind,
    Inbound,
    ReplyFinal,
    ReplyStatus,
    ReplyWriter,
    cancel_reminders,
    claim_home,
    enqueue_chat,
    enqueue_control,
    mark_answered,
    pending_messages,
    set_home,
    start_turn,
    utcnow,
    worker_queue,
)
from hearth.specs import Spec

log = logging.getLogger(__name__)

EngineFactory = Callable[[Spec, Path], Engine]

APOLOGY = "Sorry, something went wrong on my side and I could not answer that. Please try again."


def chat_salt(home: Path) -> str:
    """This install's secret salt for hashing chat ids in traces (made once)."""
    path = home / "chat-salt"
    if not path.exists():
        home.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(16))
        path.chmod(0o600)
    return path.read_text().strip()


class EdgeRuntime:
    """Everything a worker keeps loaded between jobs."""

    def __init__(self, *, worker_id: str, home: Path, client: redis.Redis, spec: Spec,
                 engine_factory: EngineFactory = LlamaCppEngine) -> None:
        self.worker_id = worker_id
        self.home = home
        self.client = client
        self._factory = engine_factory
        self._lock = threading.RLock()
        self.memory = MemoryStore(home / f"worker-{worker_id}.duckdb", chat_salt=chat_salt(home))
        self.spec = spec
        self.engine = engine_factory(spec, home)
        self.pool = EnginePool(spec, home, engine_factory, self.engine)
        self.busy = False
        self.last_swap_error: str | None = None

    def swap(self, spec: Spec) -> bool:
        """Switch to `spec` between jobs; keep the current one if the new one fails."""
        with self._lock:
            if spec.id == self.spec.id:
                return False
            try:
                engine = (self._factory(spec, self.home)
                          if engine_key(spec) != engine_key(self.spec) else self.engine)
            except (ModelError, HearthError) as exc:
                self.last_swap_error = str(exc)
                log.error("spec %s refused, staying on %s: %s", spec.short_id,
                          self.spec.short_id, exc)
                return False
            self.spec, self.engine, self.last_swap_error = spec, engine, None
            self.pool.retarget(spec, engine)
            log.info("switched to spec %s", spec.short_id)
            return True

    def close(self) -> None:
        """Close the memory file."""
        self.memory.close()

    # -- chat -----------------------------------------------------------------

    def handle_chat(self, message: Inbound) -> str:
        """Answer one message; return the reply status. Never raises for model trouble."""
        with self._lock:
            self.busy = True
            try:
                return self._handle_chat(message)
            finally:
                self.busy = False

    def _forward_if_not_home(self, message: Inbound, home: str | None) -> bool:
        home = home or claim_home(self.client, message.chat_id, self.worker_id)
        if home == self.worker_id:
            return False
        enqueue_chat(self.client, message, queue=worker_queue(home))
        log.info("forwarded message to its home worker %s", home)
        return True

    def _store_turn(self, message: Inbound, reply: str, trace: Trace | None = None) -> None:
        # One journal line for both turns and the trace (`MemoryStore`).
        self.memory.add_messages_bulk(message.chat_id, [
            StoredMessage(message_id=message.message_id, role="user", text=message.text,
                          at=message.sent_at),
            StoredMessage(message_id=message.message_id, role="assistant", text=reply,
                          at=utcnow())], trace)

    def _handle_chat(self, message: Inbound, *, in_order: bool = True) -> str:
        started, picked_at = time.monotonic(), utcnow()
        # One round trip for the answered check, the home, earlier pending
        # messages, the attempt number and the chat's time zone.
        turn = start_turn(self.client, message)
        done = turn.final
        if done is not None:  # answered before a crash; never answer twice
            # The crash may have come before the turn was stored: store it now
            # (adds are idempotent per id and role; a trace is written once).
            # A final of the bridge (it gave up waiting) is no turn of ours.
            if done.worker_id == self.worker_id:
                self._store_turn(message, done.text)
                if self.memory.traces.get(message.message_id) is None:
                    failed = done.status == ReplyStatus.ERROR
                    self.memory.traces.record(self._trace(message, self.spec, AgentResult(
                        text=done.text, status=done.status.value,
                        prompt_tokens=done.prompt_tokens,
                        completion_tokens=done.completion_tokens), done.status,
                        error="failed before a worker crash" if failed else None,
                        started=started, picked_at=picked_at))
            mark_answered(self.client, message.chat_id, message.message_id)
            return done.status.value
        if self._forward_if_not_home(message, turn.home):
            return "forwarded"
        if in_order:
            # Earlier messages of the chat whose jobs are still behind this one
            # (forwarded, or put back after a crash) are answered first; their
            # own jobs then find them answered. Per-chat order, across queues.
            for earlier in pending_messages(self.client, message, list(turn.earlier)):
                self._handle_chat(earlier, in_order=False)
        spec, engine = self.spec, self.engine
        writer = ReplyWriter(self.client, message.message_id, turn.attempt)
        result, error = AgentResult(), None
        try:
            result = self._run_agent(message, spec, engine, writer.write, started,
                                     zone=turn.timezone)
            status = ReplyStatus(result.status)
        except (redis.ConnectionError, redis.TimeoutError):
            raise  # Redis went away mid-reply: the job runs again (not an apology)
        except Exception as exc:
            log.exception("answering failed")
            error, status = f"{type(exc).__name__}: {exc}", ReplyStatus.ERROR
            result.text = APOLOGY
        # The final record and the message's exit from its chat's pending set go
        # in one round trip.
        writer.final(ReplyFinal(attempt=writer.attempt, text=result.text, status=status,
                                spec_id=spec.id, worker_id=self.worker_id,
                                prompt_tokens=result.prompt_tokens,
                                completion_tokens=result.completion_tokens),
                     answered=(message.chat_id, message.message_id))
        # Both turns and the trace in one journal write, after the reply: a write
        # before generation would delay the first token. A crash mid-reply reruns
        # the job, which then stores them (adds are idempotent per id and role).
        self._store_turn(message, result.text, self._trace(
            message, spec, result, status, error=error, started=started, picked_at=picked_at))
        return status.value

    def _run_agent(self, message: Inbound, spec: Spec, engine: Engine,
                   on_text: Callable[[str], None], started: float, *,
                   zone: str | None) -> AgentResult:
        memory = spec.tools.memory
        history = self.memory.history(message.chat_id, memory.history_window)
        recalled: list[str] = []
        if memory.retrieval == "keyword" and memory.retrieval_k:
            # Facts, and what the user said before (never the assistant's own
            # words, which may be wrong); history included: a small model
            # misses a fact buried in a long window.
            hits = self.memory.search(message.chat_id, message.text, memory.retrieval_k * 2,
                                      exclude_message_ids=[message.message_id])
            recalled = [h.text for h in hits if h.kind == "fact" or h.role == "user"]
            recalled = recalled[:memory.retrieval_k]
        # The chat's own /tz, else the spec's: one spec serves people in many zones.
        zone = zone or spec.agent.timezone
        parts = base_parts(spec, user=message.text,
                           history=[(m.role, m.text) for m in history],
                           recalled=recalled, now_local=datetime.now(ZoneInfo(zone)),
                           timezone=zone)
        ctx = ToolContext(chat_id=message.chat_id, user_id=message.user_id,
                          timezone=zone, now=utcnow, memory=self.memory,
                          scheduler=RqReminders(self.client, worker_queue(self.worker_id)),
                          allowed_hosts=spec.tools.allowed_hosts)
        agent = Agent(spec, engine, ToolBox.from_spec(spec.tools), engines=self.pool)
        return agent.run(parts, ctx, on_text=on_text,
                         deadline=started + spec.agent.job_timeout_s)

    def _trace(self, message: Inbound, spec: Spec, result: AgentResult, status: ReplyStatus,
               *, error: str | None, started: float, picked_at: datetime) -> Trace:
        total_s = time.monotonic() - started
        first = result.first_token_s
        decode_s = total_s - (first - started) if first else 0.0
        return Trace(
            message_id=message.message_id,
            chat_hash=self.memory.traces.chat_hash(message.chat_id),
            spec_id=spec.id,
            model=result.model or spec.intelligence.model,
            queue_wait_ms=max(0.0, (picked_at - message.queued_at).total_seconds() * 1000),
            first_token_ms=(first - started) * 1000 if first else None,
            total_ms=total_s * 1000,
            prompt_tokens=result.prompt_tokens,
            completion_tokens=result.completion_tokens,
            tokens_per_s=result.completion_tokens / decode_s if decode_s > 0 else None,
            tool_calls=tuple(TraceToolCall(name=c.name, arguments=c.arguments, ok=c.ok,
                                           result=c.result) for c in result.tool_calls),
            error=error,
            status="error" if error else ("timeout" if status == ReplyStatus.TIMEOUT else
                                          "truncated" if status == ReplyStatus.TRUNCATED
                                          else "ok"),
            user_text=message.text,
            reply_text=result.text,
        )

    # -- control --------------------------------------------------------------

    def handle_control(self, control: Control) -> str:
        """Carry out /reset, /forget, feedback, or a move of a chat's memory."""
        with self._lock:
            text = self._control(control)
        if control.message_id:
            writer = ReplyWriter(self.client, control.message_id, 1)
            writer.final(ReplyFinal(attempt=1, text=text, worker_id=self.worker_id))
        return text

    def _control(self, control: Control) -> str:
        chat = control.chat_id
        match control.kind:
            case ControlKind.RESET:
                self.memory.reset(chat)
                return ("Done: I cleared our recent conversation. "
                        "What I was asked to remember stays.")
            case ControlKind.FORGET:
                self.memory.forget(chat)
                cancelled = cancel_reminders(self.client, chat)
                also = f" I cancelled {cancelled} pending reminder(s)." if cancelled else ""
                return "Done: everything I stored about this chat is deleted." + also
            case ControlKind.FEEDBACK:
                about = str((control.data or {}).get("about", ""))
                found = self.memory.traces.set_feedback(about, control.feedback)
                return "Thanks, noted." if found else "I could not find that reply any more."
            case ControlKind.MOVE:
                target = control.target_worker or ""
                data = self.memory.export_chat(chat)
                enqueue_control(self.client, Control(kind=ControlKind.IMPORT, chat_id=chat,
                                                     data=data), queue=worker_queue(target))
                set_home(self.client, chat, target)
                self.memory.forget(chat)
                return f"moved chat {chat} to worker {target}"
            case ControlKind.IMPORT:
                self.memory.import_chat(control.data or {})
                return f"imported chat {chat}"
            case ControlKind.EXPORT:
                return "export is done with `hearth export`"
