"""A worker runs only Hearth's own jobs, whoever else can write to Redis.

Jobs are pushed straight into Redis with RQ's own API, as anyone holding the
Redis URL could; a real `hearth worker` process must refuse them unrun.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from rq.callbacks import Callback
from rq.job import Job, JobStatus
from rq.serializers import JSONSerializer

from hearth.edge_runtime._job_guard import is_job_function, refusal
from hearth.queue import (
    Inbound,
    current_spec,
    next_spec_sequence,
    online_workers,
    rq_queue,
    sign_and_publish,
    worker_queue,
)
from hearth.queue._jobs import DELIVER, HANDLE_CHAT, HANDLE_CHATS, HANDLE_CONTROL
from hearth.queue._names import SPEC_CHANNEL, SPEC_CURRENT
from hearth.search._gather import LESSONS_JOB
from hearth.search._nightly import NIGHTLY_JOB
from hearth.specs import apply, default_spec, parse_edits
from tests.workers import SECRET, ask


def _wait_status(client, job: Job, timeout: float = 30) -> JobStatus:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = job.get_status(refresh=True)
        if status in (JobStatus.FAILED, JobStatus.FINISHED):
            return status
        time.sleep(0.05)
    raise AssertionError(f"job {job.id} still {job.get_status()} after {timeout}s")


def test_hearth_enqueues_only_allowed_functions():
    from hearth.bridge._reports import REJECT_JOB, ROLLBACK_JOB
    from hearth.bridge._status import APPROVE_JOB

    used = {HANDLE_CHAT, HANDLE_CHATS, HANDLE_CONTROL, DELIVER, LESSONS_JOB, NIGHTLY_JOB,
            APPROVE_JOB, REJECT_JOB, ROLLBACK_JOB}
    assert all(is_job_function(name) for name in used)
    for name in ("hearth.search.jobs.load_settings",  # imported there, not defined there
                 "hearth.edge_runtime.jobs._fail", "hearth.edge_runtime.jobs.CURRENT_RUNTIME",
                 "hearth.edge_runtime.jobs", "os.system", "", None):
        assert not is_job_function(name), name


def test_foreign_functions_and_callbacks_are_refused_unrun(echo_worker, rclient, tmp_path: Path):
    worker = echo_worker("w1")
    worker.start(rclient)
    queue = rq_queue(rclient, worker_queue("w1"))
    markers = {name: tmp_path / f"ran-{name}" for name in ("getoutput", "system", "callback")}
    jobs = [
        queue.enqueue("subprocess.getoutput", f"touch {markers['getoutput']}"),
        queue.enqueue("os.system", f"touch {markers['system']}"),
        # A Hearth function, but with a stranger's failure and success callbacks.
        queue.enqueue(HANDLE_CONTROL, {"not": "a control"}, meta={"marker":
                      str(markers["callback"])},
                      on_failure=Callback("tests.edge_runtime.intruder.touch_marker"),
                      on_success=Callback("tests.edge_runtime.intruder.touch_marker")),
    ]
    for job in jobs:
        assert _wait_status(rclient, job) == JobStatus.FAILED
    assert set(queue.failed_job_registry.get_job_ids()) == {job.id for job in jobs}
    # The worker is still in service for its own jobs.
    assert ask(rclient, "still there?").text == "echo: still there?"
    assert [p.name for p in markers.values() if p.exists()] == []
    out = worker.output()
    assert "'subprocess.getoutput', which is not a Hearth job function" in out
    assert "'os.system', which is not a Hearth job function" in out
    assert "callbacks (on_success, on_failure)" in out
    assert "touch " not in out  # the refusal names the function, never the payload


def test_refusal_reasons(rclient):
    def job(func: str = HANDLE_CHAT, **kwargs) -> Job:
        return Job.create(func, args=({},), connection=rclient, serializer=JSONSerializer,
                          **kwargs)

    assert refusal(job()) is None
    assert "not a Hearth job function" in (refusal(job("builtins.eval")) or "")
    assert "not a Hearth job function" in (refusal(job("hearth.search.jobs.get_current_job"))
                                           or "")
    assert "on_stopped" in (refusal(job(on_stopped=Callback("os.getcwd"))) or "")
    dependency = job()
    dependency.save()
    assert "depends on other jobs" in (refusal(job(depends_on=dependency)) or "")


SECRET_TEXT = "my diary entry 4f1e: nobody may read this"


@pytest.mark.parametrize("func", [HANDLE_CHAT, HANDLE_CONTROL])
def test_failed_job_arguments_never_reach_the_log(echo_worker, rclient, func):
    worker = echo_worker("w1")
    worker.start(rclient)
    # Valid enough to be Hearth's job, broken enough to fail inside it.
    payload = Inbound(message_id="m-1", chat_id="c", user_id="u", text=SECRET_TEXT,
                      channel="api").model_dump(mode="json") | {"kind": 42}
    job = rq_queue(rclient, worker_queue("w1")).enqueue(func, payload, extra_arg=SECRET_TEXT)
    assert _wait_status(rclient, job) == JobStatus.FAILED
    worker.stop()
    out = worker.output()
    assert "nobody may read this" not in out
    assert f"job {job.id} ({func}) from queue hearth-chat-w1 failed" in out


def _wait_spec(client, worker_id: str, spec_id: str, worker, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while next(w.spec_id for w in online_workers(client) if w.worker_id == worker_id) != spec_id:
        assert time.monotonic() < deadline, worker.output()
        time.sleep(0.1)


def test_a_replayed_older_spec_is_refused(echo_worker, rclient):
    worker = echo_worker("w1")
    worker.start(rclient)
    old = apply(default_spec(), parse_edits({"op": "set_system_prompt", "prompt": "Old."}))
    new = apply(default_spec(), parse_edits({"op": "set_system_prompt", "prompt": "New."}))
    sign_and_publish(rclient, old, SECRET)
    _wait_spec(rclient, "w1", old.id, worker)
    replay = current_spec(rclient)  # what anyone reading Redis can copy
    assert replay is not None
    sign_and_publish(rclient, new, SECRET)
    _wait_spec(rclient, "w1", new.id, worker)

    rclient.set(SPEC_CURRENT, replay)
    rclient.publish(SPEC_CHANNEL, replay)
    time.sleep(1.5)
    assert ask(rclient, "which spec?").spec_id == new.id
    assert "publication 1, older than 2" in worker.output()

    # Across a restart too: the old publication waits in Redis for the next start.
    worker.stop()
    worker.start(rclient)
    assert ask(rclient, "and now?").spec_id != old.id
    assert "publication 1, older than 2" in worker.output()

    # The owner rolls back by publishing the old spec again, under a new number.
    sign_and_publish(rclient, old, SECRET)
    _wait_spec(rclient, "w1", old.id, worker)


def test_the_next_sequence_passes_the_current_publication(rclient):
    rclient.set(SPEC_CURRENT, json.dumps({"sequence": 41}))  # e.g. the counter was lost
    assert next_spec_sequence(rclient) == 42
    assert next_spec_sequence(rclient) == 43


def test_the_owner_may_add_a_job_module_where_the_worker_starts() -> None:
    from hearth.edge_runtime._job_guard import is_job_function

    assert not is_job_function("benchmarks.perf_bridge.instant_chats")
    assert is_job_function("benchmarks.perf_bridge.instant_chats", ("benchmarks.perf_bridge",))
    assert not is_job_function("subprocess.getoutput", ("benchmarks.perf_bridge",))
