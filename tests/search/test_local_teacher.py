"""The local teacher: llama.cpp's OpenAI-compatible server started and stopped by the search."""

from __future__ import annotations

import json
import socket
import urllib.request
from pathlib import Path

import pytest

from hearth.errors import ConfigError, ModelError
from hearth.search._budget import Budget
from hearth.search._lessons import Lesson
from hearth.search._local_teacher import local_teacher_model, teacher_settings
from hearth.search._teacher import _FORMATS, Teacher
from hearth.settings import Settings
from hearth.specs import apply, default_spec, parse_edits

LESSONS = [Lesson(kind="bench_failure", category="sums_and_money", user_text="What is 6*7?",
                  reply="41", reason="expected 42", ref="bench:t1"),
           Lesson(kind="bench_failure", category="sums_and_money",
                  user_text="What is 23 * 17? Answer with just the number.", reply="389",
                  reason="expected 391", ref="bench:t2")]
PLAIN = _FORMATS.index("plain")
# A short spec (no routes) keeps the teacher's prompt small on two cores.
SPEC = apply(default_spec(), parse_edits([{"op": "set_field", "path": "agent.routes",
                                           "value": []}]))


def test_which_searches_start_a_local_teacher(settings: Settings) -> None:
    # A fresh home holds the packaged models: SmolLM2, and a Gemma that needs its own
    # chat template (not a choice); --proposer local takes the largest installed.
    assert local_teacher_model(settings) == "smollm2-135m-instruct"
    with teacher_settings(settings, "auto") as (same, who):  # nothing asked: offline
        assert same is settings and who == "auto"
    remote = settings.model_copy(update={"teacher_url": "http://127.0.0.1:9/v1",
                                         "teacher_model": "m"})
    with teacher_settings(remote, "auto") as (same, who):  # a remote teacher: as it was
        assert same is remote and who == "auto"
    with pytest.raises(ConfigError, match="HEARTH_TEACHER_URL is set"), teacher_settings(
            remote, "local"):
        pass
    missing = settings.model_copy(update={"teacher_model": "no-such-model"})
    with pytest.raises(ModelError, match="no-such-model"), teacher_settings(missing, "auto"):
        pass  # an unknown teacher model fails before any server starts


def _closed(url: str) -> bool:
    host, port = url.removeprefix("http://").split("/")[0].split(":")
    with socket.socket() as sock:
        return sock.connect_ex((host, int(port))) != 0


@pytest.mark.model
@pytest.mark.timeout(420)  # one grammar-constrained answer of a 0.5B model on a busy 2-core box
async def test_a_local_qwen_teacher_is_started_asked_and_stopped(
        settings: Settings, qwen_model_path: Path) -> None:
    configured = settings.model_copy(update={"teacher_model": str(qwen_model_path)})
    budget = Budget(max_tokens=50_000, max_usd=0.0)
    with teacher_settings(configured, "auto") as (taught, who):
        assert who == "both" and taught.teacher_url and taught.teacher_url.endswith("/v1")
        with urllib.request.urlopen(f"{taught.teacher_url}/models", timeout=5) as resp:
            served = [m["id"] for m in json.load(resp)["data"]]
        assert served == [str(qwen_model_path)]
        async with Teacher.from_settings(taught, budget, answer_tokens=150, timeout_s=300,
                                         retries=0) as teacher:
            # No grammar: on two busy cores a grammar over Qwen's 151k-token vocabulary
            # costs seconds per token (40 tokens: 43 s plain, 100 s with json_object).
            teacher.format_level = PLAIN
            result = await teacher.propose_edits(LESSONS, SPEC, "sums_and_money")
        url = taught.teacher_url
    assert _closed(url)  # the server is gone once the search is done
    # The 0.5B teacher's answer is validated: every proposal applies, and anything
    # refused (not JSON, cut off, out of schema) says why.
    assert result.proposals or result.rejected
    for proposal in result.proposals:
        apply(SPEC, proposal.edits)
    assert all(r.reason for r in result.rejected)
    assert teacher.format_level == PLAIN and budget.calls == 1 and result.output_tokens > 0
    assert (settings.home / "teacher-server.log").is_file()
