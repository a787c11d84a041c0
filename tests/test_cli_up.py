"""`hearth up` on a fresh home: a spec secret and the nightly schedule with no further step."""

from __future__ import annotations

import stat
from pathlib import Path

import redis

from hearth.queue import EmbeddedRedis
from hearth.search import next_run, scheduled_nights
from hearth.settings import SPEC_SECRET_FILE
from tests.conftest import run_cli


def test_up_keeps_a_secret_and_schedules_the_night_once(home: Path):
    env = {"HEARTH_HOME": str(home), "HEARTH_TIMEZONE": "Europe/Berlin",
           "HEARTH_WORKER_ID": "up-w1"}
    for _ in range(2):  # a restart must not add a second night
        done = run_cli("up", "--engine", "echo", env=env, stdin="/quit\n", timeout=180)
        assert done.returncode == 0, done.stderr
        assert "nightly: search at 03:00 Europe/Berlin" in done.stderr
    secret = home / SPEC_SECRET_FILE
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600 and len(secret.read_text()) > 32
    # The embedded Redis kept the schedule in its append-only file.
    with EmbeddedRedis(home / "redis") as server:
        client = redis.Redis.from_url(server.url)
        nights = scheduled_nights(client)
        client.close()
    assert list(nights.values()) == [next_run("03:00", "Europe/Berlin")]
