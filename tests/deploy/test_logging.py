"""Structured logs: JSON off a terminal, readable on one; no secrets; no chat text at INFO."""

from __future__ import annotations

import ast
import io
import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from hearth._logging import MASK, TEXT_FIELDS, configure_logging
from hearth.settings import Settings
from tests.conftest import ROOT

TOKEN = "123456789:AAH-secret_token_abcdefghijklmnopqrs"
REDIS_PASSWORD = "redis-pw-9f8e7d6c5b4a"
SPEC_SECRET = "spec-secret-0a1b2c3d4e5f"
TEACHER_KEY = "sk-teacher-4242424242424242"


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def secret_settings(settings: Settings, home: Path) -> Settings:
    return Settings(home=home, telegram_bot_token=TOKEN, spec_secret=SPEC_SECRET,
                    redis_url=f"redis://hearth:{REDIS_PASSWORD}@10.0.0.2:6379/0",
                    teacher_url="https://teacher.example/v1", teacher_api_key=TEACHER_KEY)


@pytest.fixture(autouse=True)
def _restore_root() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def records(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_json_lines_when_not_a_terminal(secret_settings):
    stream = io.StringIO()
    configure_logging(secret_settings, stream=stream)
    logging.getLogger("hearth.test").info("worker %s ready", "w1", extra={"worker_id": "w1"})
    [record] = records(stream)
    assert record["level"] == "INFO" and record["logger"] == "hearth.test"
    assert record["msg"] == "worker w1 ready" and record["worker_id"] == "w1"
    assert record["ts"].endswith("+00:00")


def test_a_readable_line_on_a_terminal(secret_settings):
    stream = Tty()
    configure_logging(secret_settings, stream=stream)
    logging.getLogger("hearth.test").warning("queue is slow", extra={"depth": 7})
    line = stream.getvalue().strip()
    assert " WARNING hearth.test: queue is slow depth=7" in line
    assert not line.startswith("{")


def test_secrets_never_reach_the_log(secret_settings):
    stream = io.StringIO()
    configure_logging(secret_settings, stream=stream)
    log = logging.getLogger("hearth.test")
    log.warning("connecting to %s", secret_settings.redis_url.get_secret_value())
    log.error("signing with %s", SPEC_SECRET, extra={"key": TEACHER_KEY})
    # A library we do not control, logging a Bot API URL with the token in it.
    logging.getLogger("telegram.ext").warning(
        "HTTP Request: POST https://api.telegram.org/bot%s/getUpdates", TOKEN)
    try:
        raise RuntimeError(f"auth failed for redis://hearth:{REDIS_PASSWORD}@10.0.0.2")
    except RuntimeError:
        log.exception("giving up")
    text = stream.getvalue()
    for secret in (TOKEN, REDIS_PASSWORD, SPEC_SECRET, TEACHER_KEY):
        assert secret not in text
    lines = records(stream)
    assert lines[0]["msg"] == f"connecting to redis://hearth:{MASK}@10.0.0.2:6379/0"
    assert lines[1]["key"] == MASK
    assert lines[2]["msg"] == f"HTTP Request: POST https://api.telegram.org/bot{MASK}/getUpdates"
    assert "RuntimeError" in lines[3]["exc"] and MASK in lines[3]["exc"]


def test_secret_shapes_are_masked_without_settings():
    stream = io.StringIO()
    configure_logging(stream=stream)
    logging.getLogger("x").warning("token 555555:%s url rediss://u:p4ss@h:1/0 ok",
                                   "B" * 35)
    [record] = records(stream)
    assert record["msg"] == f"token {MASK} url rediss://u:{MASK}@h:1/0 ok"


def test_chat_text_is_only_logged_at_debug(secret_settings):
    stream = io.StringIO()
    configure_logging(secret_settings, stream=stream, level="DEBUG")
    log = logging.getLogger("hearth.test")
    log.debug("got a message", extra={"text": "my bank PIN is 1234"})
    log.info("got a message", extra={"text": "my bank PIN is 1234", "user_text": "hi"})
    debug, info = records(stream)
    assert debug["text"] == "my bank PIN is 1234"
    assert info["text"] == "<19 chars>" and info["user_text"] == "<2 chars>"


def test_job_arguments_are_only_logged_at_debug(secret_settings):
    # RQ's failed-job line: extra={'func': ..., 'arguments': job.args, 'kwargs': job.kwargs}.
    stream = io.StringIO()
    configure_logging(secret_settings, stream=stream, level="DEBUG")
    log = logging.getLogger("hearth.test.jobs")
    payload = ({"text": "the whole chat, private"},)
    log.error("job failed", extra={"func": "f", "arguments": payload, "kwargs": {"a": "b c"}})
    log.debug("job failed", extra={"arguments": payload})
    error, debug = records(stream)
    assert error["arguments"] == "<1 items>" and error["kwargs"] == "<1 items>"
    assert "private" not in json.dumps(error)
    assert "private" in json.dumps(debug)


def test_configuring_twice_keeps_one_handler(secret_settings):
    first, second = io.StringIO(), io.StringIO()
    configure_logging(secret_settings, stream=first)
    configure_logging(secret_settings, stream=second)
    logging.getLogger("hearth.test").info("once")
    assert first.getvalue() == "" and len(records(second)) == 1
    assert logging.getLogger("httpx").level == logging.WARNING


def _text_logged_above_debug(path: Path) -> list[str]:
    """Logging calls at INFO or above that pass a chat text (`.text`, `user_text`, ...)."""
    found = []
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in {"info", "warning", "error", "exception", "critical"}
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id in {"log", "logger", "_log", "LOG"}):
            continue
        for arg in [*node.args, *(k.value for k in node.keywords)]:
            for inner in ast.walk(arg):
                name = (inner.attr if isinstance(inner, ast.Attribute)
                        else inner.id if isinstance(inner, ast.Name) else None)
                if name in TEXT_FIELDS:
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_library_code_logs_message_text_only_at_debug():
    offenders = [hit for path in sorted((ROOT / "src" / "hearth").rglob("*.py"))
                 for hit in _text_logged_above_debug(path)]
    assert offenders == [], "log chat text at DEBUG only (see hearth._logging)"
