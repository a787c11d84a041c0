"""Which RQ jobs a Hearth worker agrees to run.

An RQ job names its function by import path, and RQ imports and calls
whatever it names: anyone who can write to Redis could otherwise make every
worker run `subprocess.getoutput`. Callbacks (on_success, on_failure,
on_stopped) and webhooks are further routes to code or to the network, and
a dependency makes RQ enqueue a job the worker never saw queued. Hearth
creates none of these, so a job carrying one did not come from Hearth.
"""

from __future__ import annotations

import importlib
import inspect

from rq.exceptions import DeserializationError
from rq.job import Job

#: The modules that hold Hearth's job functions (`hearth.queue` and the search
#: enqueue these); a job may name a public function defined in one of them.
JOB_MODULES = ("hearth.edge_runtime.jobs", "hearth.search.jobs")
#: Longest function name quoted in a refusal (the name is the sender's text).
MAX_NAME_CHARS = 80


def is_job_function(name: str | None, extra_modules: tuple[str, ...] = ()) -> bool:
    """Whether `name` is a public function defined in one of `JOB_MODULES`.

    Defined there, not imported there: `hearth.search.jobs.load_settings` is
    not a job. Only our own modules are imported, never one the name picks.
    `extra_modules` are the worker owner's own additions (the benchmarks'
    instant job), set where the worker starts, never through Redis.
    """
    module_name, _, attr = (name or "").rpartition(".")
    allowed = (*JOB_MODULES, *extra_modules)
    if module_name not in allowed or not attr.isidentifier() or attr.startswith("_"):
        return False
    function = getattr(importlib.import_module(module_name), attr, None)
    return inspect.isfunction(function) and function.__module__ == module_name


def refusal(job: Job, extra_modules: tuple[str, ...] = ()) -> str | None:
    """Why `job` must not run, or None when it is one of Hearth's own jobs.

    The reason names the function and what is wrong, never the job's arguments.
    """
    try:
        name = job.func_name
    except DeserializationError:
        return "its data cannot be read as a Hearth job"
    if not is_job_function(name, extra_modules):
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


__all__ = ["JOB_MODULES", "is_job_function", "refusal"]
