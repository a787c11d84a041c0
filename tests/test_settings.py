"""Settings: every variable is read, bad values fail at start naming the variable."""

from __future__ import annotations

from pathlib import Path

import pytest

from hearth.errors import ConfigError
from hearth.settings import DEFAULT_TELEGRAM_API_URL, Settings, load_settings
from tests.conftest import run_cli

SECRETS = {
    "REDIS_URL": "redis://:hunter2-redis@127.0.0.1:6390/0",
    "TELEGRAM_BOT_TOKEN": "123456:hunter2-telegram",
    "HEARTH_SPEC_SECRET": "hunter2-spec",
    "HEARTH_TEACHER_API_KEY": "hunter2-teacher",
}


@pytest.fixture
def env(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """A clean environment (no outside HEARTH_ variables) with HEARTH_HOME set."""
    return monkeypatch


def test_every_variable_is_read(env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name, value in SECRETS.items():
        env.setenv(name, value)
    env.setenv("HEARTH_HOME", str(tmp_path / "elsewhere"))
    env.setenv("HEARTH_TELEGRAM_API_URL", "http://127.0.0.1:8081/")
    env.setenv("HEARTH_ALLOWED_USERS", " 12345, 67890,12345 ")
    env.setenv("HEARTH_TEACHER_URL", "https://teacher.example/v1/")
    env.setenv("HEARTH_TEACHER_MODEL", "big-model-2")
    s = load_settings()
    assert s.home == tmp_path / "elsewhere"
    assert s.redis_url is not None
    assert s.redis_url.get_secret_value() == SECRETS["REDIS_URL"]
    assert s.telegram_bot_token is not None
    assert s.telegram_bot_token.get_secret_value() == SECRETS["TELEGRAM_BOT_TOKEN"]
    assert s.telegram_api_url == "http://127.0.0.1:8081"  # no trailing slash: {root}/bot...
    assert s.allowed_users == frozenset({12345, 67890})
    assert s.spec_secret is not None
    assert s.spec_secret.get_secret_value() == SECRETS["HEARTH_SPEC_SECRET"]
    assert s.teacher_url == "https://teacher.example/v1"
    assert s.teacher_model == "big-model-2"
    assert s.teacher_api_key is not None
    assert s.teacher_api_key.get_secret_value() == SECRETS["HEARTH_TEACHER_API_KEY"]


def test_defaults(env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    env.delenv("HEARTH_HOME")
    env.setenv("HOME", str(tmp_path))
    s = load_settings()
    assert s.home == tmp_path / ".hearth"
    assert s.redis_url is None and s.telegram_bot_token is None
    assert s.telegram_api_url == DEFAULT_TELEGRAM_API_URL == "https://api.telegram.org"
    assert s.allowed_users == frozenset()
    assert s.spec_secret is None and s.teacher_api_key is None
    assert s.teacher_url is None and s.teacher_model is None


def test_empty_variables_count_as_unset(env: pytest.MonkeyPatch) -> None:
    for name in [*SECRETS, "HEARTH_ALLOWED_USERS", "HEARTH_TEACHER_URL"]:
        env.setenv(name, "")
    s = load_settings()
    assert s.redis_url is None and s.telegram_bot_token is None
    assert s.spec_secret is None and s.teacher_api_key is None
    assert s.allowed_users == frozenset() and s.teacher_url is None


def test_hearth_redis_url_is_an_alias(env: pytest.MonkeyPatch) -> None:
    env.setenv("HEARTH_REDIS_URL", "rediss://example:6380")
    s = load_settings()
    assert s.redis_url is not None
    assert s.redis_url.get_secret_value() == "rediss://example:6380"


def test_secrets_are_not_shown(env: pytest.MonkeyPatch) -> None:
    for name, value in SECRETS.items():
        env.setenv(name, value)
    s = load_settings()
    for shown in (repr(s), str(s), s.model_dump_json()):
        assert "hunter2" not in shown
    assert "**********" in repr(s)


BAD = [
    pytest.param("HEARTH_ALLOWED_USERS", "abc", "comma-separated numeric", id="users"),
    pytest.param("HEARTH_ALLOWED_USERS", "12,bob", "comma-separated numeric", id="users-mixed"),
    pytest.param("REDIS_URL", "http://x", "redis://, rediss:// or unix://", id="redis"),
    pytest.param("HEARTH_REDIS_URL", "http://x", "redis://, rediss:// or unix://",
                 id="redis-alias"),
    pytest.param("HEARTH_TELEGRAM_API_URL", "ftp://x", "http:// or https://", id="telegram"),
    pytest.param("HEARTH_TEACHER_URL", "ftp://x", "http:// or https://", id="teacher"),
]


@pytest.mark.parametrize(("variable", "value", "allowed"), BAD)
def test_bad_value_names_the_variable(env: pytest.MonkeyPatch, variable: str, value: str,
                                      allowed: str) -> None:
    env.setenv(variable, value)
    with pytest.raises(ConfigError) as info:
        load_settings()
    assert info.value.variable == variable
    assert str(info.value).startswith(f"{variable}: ")
    assert allowed in str(info.value)


@pytest.mark.parametrize(("variable", "value", "allowed"), BAD)
def test_bad_value_stops_the_cli_at_start(env: pytest.MonkeyPatch, variable: str, value: str,
                                          allowed: str) -> None:
    result = run_cli("spec", "show", env={variable: value})
    assert result.returncode == 2
    assert result.stdout == ""
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"hearth: error: {variable}: ")
    assert allowed in line


def test_secret_values_stay_out_of_error_messages(env: pytest.MonkeyPatch) -> None:
    env.setenv("REDIS_URL", "http://user:hunter2@host")
    with pytest.raises(ConfigError) as info:
        load_settings()
    assert "hunter2" not in str(info.value)
