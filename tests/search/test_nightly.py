"""The nightly schedule: one job, idempotent, surviving a failed night; yielding to chats."""

from __future__ import annotations

import json
import stat
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
import redis

from hearth.queue import REPORTS, SEARCH_QUEUE, Inbound, enqueue_chat, rq_queue, worker_queue
from hearth.search import Night, ensure_schedule, next_run, scheduled_nights
from hearth.search._nightly import NIGHTLY_JOB
from hearth.settings import SPEC_SECRET_FILE, Settings, ensure_spec_secret, load_settings
from tests.conftest import run_cli


def test_next_run_is_the_next_local_hour_across_a_dst_change():
    # 2026-03-28 12:00 UTC: Berlin is on CET (+1); the night of the 29th is on CEST (+2).
    now = datetime(2026, 3, 28, 12, 0, tzinfo=UTC)
    assert next_run("03:00", "Europe/Berlin", now) == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)
    assert next_run("13:30", "Europe/Berlin", now) == datetime(2026, 3, 28, 12, 30, tzinfo=UTC)
    assert next_run("03:00", "UTC", now) == datetime(2026, 3, 29, 3, 0, tzinfo=UTC)


def test_one_schedule_however_often_it_is_made(rclient: redis.Redis):
    now = datetime(2026, 12, 3, 22, 0, tzinfo=UTC)
    first = ensure_schedule(rclient, "03:00", "UTC", now)
    again = ensure_schedule(rclient, "03:00", "UTC", now)
    assert first == again == datetime(2026, 12, 4, 3, 0, tzinfo=UTC)
    assert scheduled_nights(rclient) == {"hearth-nightly-2026-12-04": first}
    job = rq_queue(rclient, SEARCH_QUEUE).fetch_job("hearth-nightly-2026-12-04")
    assert job is not None and job.func_name == NIGHTLY_JOB
    # A new hour replaces the night instead of adding one; `off` removes it.
    moved = ensure_schedule(rclient, "02:15", "Europe/Berlin", now)
    assert scheduled_nights(rclient) == {"hearth-nightly-2026-12-04": moved}
    assert moved == datetime(2026, 12, 4, 1, 15, tzinfo=UTC)
    assert ensure_schedule(rclient, "off", "UTC", now) is None
    assert scheduled_nights(rclient) == {}
    assert rq_queue(rclient, SEARCH_QUEUE).fetch_job("hearth-nightly-2026-12-04") is None


def test_search_schedule_command_twice_is_one_night(redis_url: str, rclient: redis.Redis,
                                                    home: Path):
    env = {"REDIS_URL": redis_url, "HEARTH_HOME": str(home), "HEARTH_TIMEZONE": "Asia/Tokyo"}
    for _ in range(2):
        done = run_cli("search", "schedule", "--json", env=env)
        assert done.returncode == 0, done.stderr
    nights = scheduled_nights(rclient)
    assert len(nights) == 1
    assert json.loads(done.stdout)["next_run"] == next(iter(nights.values())).isoformat()
    bad = run_cli("search", "schedule", "--at", "25:00", env=env)
    assert bad.returncode == 2 and "HH:MM" in bad.stderr


def test_a_failed_night_reports_and_keeps_the_next_night(echo_worker, rclient: redis.Redis,
                                                         home: Path):
    worker = echo_worker("w1")
    worker.start(rclient)
    # A task file that does not exist: the search fails at once.
    rq_queue(rclient, SEARCH_QUEUE).enqueue(
        NIGHTLY_JOB, {"at": "03:00", "timezone": "UTC", "tasks_file": str(home / "nope.jsonl")})
    deadline = time.monotonic() + 60
    while not rclient.xlen(REPORTS):
        assert time.monotonic() < deadline, worker.output()
        time.sleep(0.1)
    [(_, fields)] = rclient.xrange(REPORTS)
    report = json.loads(fields[b"data"])
    assert report["failed"] is True and "failed" in report["text"]
    assert "nope.jsonl" in report["text"]
    # The night scheduled its successor before it searched.
    [(job_id, when)] = scheduled_nights(rclient).items()
    assert when == next_run("03:00", "UTC") and job_id.startswith("hearth-nightly-")
    worker.stop()


def test_the_night_waits_while_a_chat_job_is_queued(rclient: redis.Redis, settings: Settings):
    night = Night(settings, rclient, "w9")
    night.pause()  # nothing queued: no wait
    enqueue_chat(rclient, Inbound(chat_id="c1", user_id="u1", message_id="m1", text="hi"),
                 queue=worker_queue("w9"))
    paused = threading.Thread(target=night.pause)
    paused.start()
    time.sleep(0.6)
    assert paused.is_alive(), "the night went on while a chat job waited"
    rq_queue(rclient, worker_queue("w9")).empty()
    paused.join(timeout=5)
    assert not paused.is_alive() and night.yielded_s >= 0.5


def test_spec_secret_is_made_once_private_and_read_back(settings: Settings, home: Path,
                                                       monkeypatch: pytest.MonkeyPatch):
    assert settings.spec_secret is None
    made = ensure_spec_secret(settings)
    path = home / SPEC_SECRET_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert made.spec_secret is not None and len(made.spec_secret.get_secret_value()) == 64
    assert ensure_spec_secret(settings).spec_secret == made.spec_secret
    assert load_settings().spec_secret == made.spec_secret  # every process on this home
    monkeypatch.setenv("HEARTH_SPEC_SECRET", "from-the-environment-wins")
    assert load_settings().spec_secret.get_secret_value() == "from-the-environment-wins"
