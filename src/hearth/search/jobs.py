"""RQ jobs of the search, run by an edge worker: nightly search, approval, lessons."""

from __future__ import annotations

import subprocess
import sys
import threading
from datetime import datetime
from pathlib import Path
from typing import Any

from rq import get_current_job

from hearth.settings import load_settings


def nightly(payload: dict[str, Any]) -> str:
    """Schedule the next night first (a failed night must not end the chain), then search.

    In a worker the search runs in a child process (`hearth search night`), so
    the worker goes on answering chats, which the night yields to (see `Night`);
    elsewhere (an RQ worker of another kind) it runs here. Optional payload
    keys: `tasks_file` (a JSON Lines task set instead of the built-in one) and
    `sessions` (at most this many sessions).
    """
    from hearth.edge_runtime.jobs import CURRENT_RUNTIME
    from hearth.search._night import Night
    from hearth.search._nightly import ensure_schedule

    settings = load_settings()
    job = get_current_job()
    if job is None:
        raise RuntimeError("hearth.search.jobs.nightly runs only as an RQ job")
    client = job.connection
    at = str(payload.get("at", settings.nightly_at))
    timezone = str(payload.get("timezone", settings.timezone))
    following = ensure_schedule(client, at, timezone)
    tasks = Path(str(payload["tasks_file"])) if payload.get("tasks_file") else None
    sessions = int(payload["sessions"]) if payload.get("sessions") else None
    try:
        worker_id = CURRENT_RUNTIME.get().worker_id
    except LookupError:
        report = Night(settings, client, settings.worker_id, tasks_file=tasks,
                       sessions=sessions).run()
        return f"night done: {report.text.splitlines()[0] if report else 'another was running'}"
    argv = [sys.executable, "-m", "hearth", "search", "night", "--worker", worker_id]
    argv += ["--tasks", str(tasks)] if tasks else []
    argv += ["--sessions", str(sessions)] if sessions else []
    settings.home.mkdir(parents=True, exist_ok=True)
    with open(settings.home / "night.log", "ab") as log_file:
        # A process of its own: the chat model, its memory and its Redis
        # connections stay the worker's, and a SIGTERM to the worker's group
        # does not end the night half-way (the night lock keeps it single).
        child = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log_file,
                                 stderr=subprocess.STDOUT, start_new_session=True)
    threading.Thread(target=child.wait, name="hearth-night-reaper", daemon=True).start()
    when = f"; next {following:%Y-%m-%d %H:%M} UTC" if following else ""
    return f"night started for {worker_id} (pid {child.pid}){when}"


def approve(payload: dict[str, Any]) -> str:
    """The owner's /approve from Telegram."""
    from hearth.search._publish import approve as approve_spec

    job = get_current_job()
    spec = approve_spec(load_settings(), str(payload["spec_id"]),
                        client=job.connection if job is not None else None)
    return spec.id


def reject(payload: dict[str, Any]) -> str:
    """The owner's reject button: the held spec is marked rejected and never activated."""
    from hearth.search._publish import reject as reject_spec

    return reject_spec(load_settings(), str(payload["spec_id"])).id


def rollback(payload: dict[str, Any]) -> str:
    """The owner's /rollback: the previous spec becomes active and is published."""
    from hearth.search._publish import rollback as rollback_spec

    del payload
    job = get_current_job()
    return rollback_spec(load_settings(), client=job.connection if job is not None else None).id


def search_lessons(payload: dict[str, Any]) -> list[dict[str, Any]]:
    """This worker's eligible traces, scrubbed here: raw memory never leaves the worker."""
    from hearth.edge_runtime import chat_salt
    from hearth.edge_runtime.jobs import CURRENT_RUNTIME
    from hearth.search._lessons import scrubbed_lessons_job

    runtime = CURRENT_RUNTIME.get()
    since = datetime.fromisoformat(payload["since"]) if payload.get("since") else None
    return scrubbed_lessons_job(runtime.memory, since=since,
                                eligible=tuple(payload["eligible"]),
                                salt=chat_salt(runtime.home))
