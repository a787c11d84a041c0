"""Which RQ jobs a Hearth worker agrees to run.

An RQ job names its function by import path, and RQ imports and calls
whatever it names: anyone who can write to Redis could otherwise make every
worker run `subprocess.getoutput`. Callbacks (on_success, on_failure,
on_stopped) and webhooks are further routes to code or to the network, and
a dependency makes RQ enqueue a job the worker never saw queued. Hearth
creates none of these, so a job carrying one did not come from Hearth.
"""

from __future__ import annotations

from rq.exceptions import DeserializationError
from rq.job import Job

#: Every function a Hearth job may name (`hearth.queue` and the search enqueue these).
ALLOWED_FUNCTIONS = frozenset({
    "hearth.edge_runtime.jobs.deliver",
    "hearth.edge_runtime.jobs.handle_chat",
    "hearth.edge_runtime.jobs.handle_chats",
    "hearth.edge_runtime.jobs.handle_control",
    "hearth.search.jobs.approve",
    "hearth.search.jobs.nightly",
    "hearth.search.jobs.search_lessons",
})
#: Longest function name quoted in a refusal (the name is the sender's text).
MAX_NAME_CHARS = 80


def refusal(job: Job) -> str | None:
    """Why `job` must not run, or None when it is one of Hearth's own jobs.

    The reason names the function and what is wrong, never the job's arguments.
    """
    try:
        name = job.func_name
    except DeserializationError:
        return "its data cannot be read as a Hearth job"
    if name not in ALLOWED_FUNCTIONS:
        shown = repr(str(name)[:MAX_NAME_CHARS])
        return f"it names {shown}, which is not a Hearth job function"
    callbacks = [kind for kind, attr in (("on_success", "_success_callback_name"),
                                         ("on_failure", "_failure_callback_name"),
                                         ("on_stopped", "_stopped_callback_name"))
                 if getattr(job, attr, None)]
    if callbacks:
        return f"it carries callbacks ({', '.join(callbacks)}), which Hearth never sets"
    if getattr(job, "webhooks", None):
        return "it carries webhooks, which Hearth never sets"
    if job._dependency_ids:
        return "it depends on other jobs, which Hearth never sets"
    return None


__all__ = ["ALLOWED_FUNCTIONS", "refusal"]
