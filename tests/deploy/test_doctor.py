"""`hearth doctor` against a healthy setup (exit 0) and against each broken one (exit 1)."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path

import pytest

from hearth.cli._doctor import Status, redis_auth
from hearth.edge_runtime import MemoryStore
from hearth.settings import Settings
from hearth.specs import SetModel, SpecStore, apply, default_spec
from tests.bridge.botapi import BotApiServer
from tests.conftest import free_port
from tests.deploy.conftest import (
    BOT_TOKEN,
    HEARTH_PASSWORD,
    TEACHER_KEY,
    run_command,
)
from tests.deploy.test_migrate import write_v0_specs

SPEC_SECRET = "doctor-test-spec-secret-0123456789"


def healthy(home: Path, redis_url: str, api_url: str, teacher_url: str, **overrides) -> Settings:
    values = {"home": home, "redis_url": redis_url, "telegram_bot_token": BOT_TOKEN,
              "telegram_api_url": api_url, "allowed_users": frozenset({1001}),
              "spec_secret": SPEC_SECRET, "teacher_url": teacher_url,
              "teacher_model": "teacher-1", "teacher_api_key": TEACHER_KEY}
    values.update(overrides)
    return Settings(**values)


async def doctor(capsys: pytest.CaptureFixture[str], settings: Settings,
                 *flags: str) -> tuple[int, list[str]]:
    """Run `hearth doctor` in a thread (the fake servers live on this loop)."""
    capsys.readouterr()
    code = await asyncio.to_thread(run_command, settings, "doctor", *flags)
    out = capsys.readouterr().out
    return code, out.splitlines()


def starting(lines: list[str], prefix: str) -> list[str]:
    return [line for line in lines if line.startswith(prefix)]


@pytest.fixture
async def botapi():
    async with BotApiServer(token=BOT_TOKEN) as server:
        yield server


@pytest.fixture
def prepared_home(settings: Settings, home: Path) -> Path:
    """A home as a running installation has it: a spec store and a worker file."""
    SpecStore(home / "specs.duckdb").activate(default_spec())
    MemoryStore(home / "worker-w1.duckdb", chat_salt="salt").close()
    return home


async def test_a_healthy_setup_reports_only_ok(capsys, prepared_home, production_redis,
                                               botapi, teacher):
    settings = healthy(prepared_home, production_redis.url, botapi.url, teacher)
    code, lines = await doctor(capsys, settings, "--quick")
    assert code == 0, "\n".join(lines)
    assert [line for line in lines if not line.startswith("ok: ")] == []
    text = "\n".join(lines)
    assert f"ok: redis: redis://hearth:***@127.0.0.1:{production_redis.port}/0 reachable, " \
           "Valkey" in text
    assert "ok: redis persistence: append-only file on" in text
    assert "ok: redis auth: user hearth with a password" in text
    assert "ok: telegram: @hearth_test_bot answers getMe" in text
    assert "ok: teacher: " in text and "model teacher-1" in text
    assert starting(lines, "ok: duckdb specs.duckdb: healthy, layout version 1")
    assert starting(lines, "ok: duckdb worker-w1.duckdb: healthy, layout version 1")
    assert starting(lines, "ok: model: smollm2-135m-instruct -> ")
    for secret in (HEARTH_PASSWORD, BOT_TOKEN, TEACHER_KEY, SPEC_SECRET):
        assert secret not in text
    assert [c for c, _ in botapi.calls] == ["getMe"]


async def test_redis_down_is_an_error(capsys, prepared_home, botapi, teacher):
    port = free_port()
    settings = healthy(prepared_home, f"redis://hearth:pw-secret@127.0.0.1:{port}/0",
                       botapi.url, teacher)
    code, lines = await doctor(capsys, settings, "--quick")
    assert code == 1
    [line] = starting(lines, "error: redis: ")
    assert f"cannot reach Redis at redis://hearth:***@127.0.0.1:{port}/0" in line
    assert "— fix: start Redis" in line and "pw-secret" not in "\n".join(lines)


async def test_a_missing_model_is_an_error(capsys, home, settings, production_redis, botapi,
                                           teacher):
    spec = apply(default_spec(), [SetModel(model=str(home / "models" / "gone.gguf"))])
    SpecStore(home / "specs.duckdb").activate(spec)
    code, lines = await doctor(capsys, healthy(home, production_redis.url, botapi.url, teacher),
                               "--quick")
    assert code == 1
    [line] = starting(lines, "error: model: ")
    assert "gone.gguf" in line and "— fix: " in line


async def test_a_model_that_does_not_load_is_an_error(capsys, home, settings, production_redis,
                                                      botapi, teacher):
    broken = home / "broken.gguf"
    broken.write_bytes(b"GGUF" + bytes(4096))
    SpecStore(home / "specs.duckdb").activate(apply(default_spec(), [SetModel(model=str(broken))]))
    code, lines = await doctor(capsys, healthy(home, production_redis.url, botapi.url, teacher))
    assert code == 1
    assert starting(lines, "ok: model: ")
    [line] = starting(lines, "error: model load: ")
    assert "broken.gguf" in line


async def test_an_unwritable_home_is_an_error(capsys, tmp_path, settings, production_redis,
                                              botapi, teacher):
    not_a_dir = tmp_path / "file"
    not_a_dir.write_text("")
    code, lines = await doctor(capsys, healthy(not_a_dir, production_redis.url, botapi.url,
                                               teacher), "--quick")
    assert code == 1
    [line] = starting(lines, "error: home: ")
    assert "is not a directory" in line and "— fix: " in line


@pytest.mark.skipif(sys.platform == "win32" or not hasattr(__import__("os"), "geteuid")
                    or __import__("os").geteuid() == 0, reason="root writes anywhere")
async def test_a_read_only_home_is_an_error(capsys, home, settings, production_redis, botapi,
                                            teacher):
    home.chmod(0o500)
    try:
        code, lines = await doctor(capsys, healthy(home, production_redis.url, botapi.url,
                                                   teacher), "--quick")
    finally:
        home.chmod(0o700)
    assert code == 1 and starting(lines, "error: home: ")


async def test_a_bad_token_shape_is_an_error_and_the_token_stays_secret(
        capsys, prepared_home, production_redis, botapi, teacher):
    settings = healthy(prepared_home, production_redis.url, botapi.url, teacher,
                       telegram_bot_token="12345:not-a-real-token")
    code, lines = await doctor(capsys, settings, "--quick")
    assert code == 1
    [line] = starting(lines, "error: telegram token: ")
    assert "does not look like a bot token" in line
    assert "not-a-real-token" not in "\n".join(lines)
    assert botapi.calls == []  # a malformed token is never sent anywhere


async def test_a_revoked_token_is_an_error(capsys, prepared_home, production_redis, teacher):
    async with BotApiServer(token="987654321:AAH-another-token-abcdefghijklmnopq") as other:
        settings = healthy(prepared_home, production_redis.url, other.url, teacher)
        code, lines = await doctor(capsys, settings, "--quick")
    assert code == 1
    [line] = starting(lines, "error: telegram token: ")
    assert "rejected the token (401)" in line


async def test_warnings_alone_exit_0(capsys, prepared_home, redis_url, botapi, teacher):
    """The test server keeps nothing on disk: a warning, not an error."""
    settings = healthy(prepared_home, redis_url, botapi.url, teacher, allowed_users=frozenset(),
                       teacher_api_key="wrong-key-0123456789")
    code, lines = await doctor(capsys, settings, "--quick")
    assert starting(lines, "warning: redis persistence: nothing is kept on disk")
    assert starting(lines, "warning: allowed users: ")
    [line] = starting(lines, "error: teacher: ")
    assert "HTTP 401" in line and "HEARTH_TEACHER_API_KEY" in line
    assert code == 1
    settings = healthy(prepared_home, redis_url, botapi.url, teacher, allowed_users=frozenset())
    code, lines = await doctor(capsys, settings, "--quick")
    assert code == 0 and starting(lines, "warning: ")


async def test_json_output_and_files_in_use_or_old(capsys, prepared_home, production_redis,
                                                   botapi, teacher):
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
         "print('ready', flush=True); time.sleep(60)", str(prepared_home / "worker-w1.duckdb")],
        stdout=subprocess.PIPE)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == b"ready"
        (prepared_home / "specs.duckdb").unlink()
        write_v0_specs(prepared_home / "specs.duckdb")
        code, lines = await doctor(capsys, healthy(prepared_home, production_redis.url,
                                                   botapi.url, teacher), "--quick", "--json")
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()
    report = json.loads("\n".join(lines))
    found = {f["check"]: f for f in report["findings"]}
    assert report["ok"] is True and code == 0
    assert found["duckdb worker-w1.duckdb"]["status"] == Status.OK
    assert f"(PID {holder.pid})" in found["duckdb worker-w1.duckdb"]["detail"]
    assert found["duckdb specs.duckdb"]["status"] == Status.WARNING
    assert "hearth migrate" in found["duckdb specs.duckdb"]["fix"]
    assert set(found["redis"]) == {"status", "check", "detail", "fix"}


@pytest.mark.parametrize(("url", "status", "words"), [
    ("redis://127.0.0.1:6379/0", Status.OK, "loopback only"),
    ("redis://localhost:6379", Status.OK, "loopback only"),
    ("redis://10.0.0.2:6379/0", Status.WARNING, "no password"),
    ("redis://:pw@10.0.0.2:6379/0", Status.OK, "user default with a password, no TLS"),
    ("rediss://hearth:pw@redis.example:6380/0", Status.OK, "user hearth with a password, TLS"),
    ("unix:///run/valkey/valkey.sock", Status.OK, "unix socket"),
])
def test_redis_auth_is_judged_from_the_url(url, status, words):
    finding = redis_auth(url)
    assert finding.status == status and words in finding.detail
    assert "pw" not in finding.line().replace("password", "")


@pytest.mark.model
async def test_the_real_model_loads(capsys, prepared_home, production_redis, botapi, teacher):
    code, lines = await doctor(capsys, healthy(prepared_home, production_redis.url, botapi.url,
                                               teacher))
    assert code == 0
    assert starting(lines, "ok: model load: loaded, ")
