"""The teacher client against real HTTP servers: a recording double and llama_cpp.server."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from hearth.edge_runtime import MemoryStore, Trace
from hearth.errors import ConfigError, TeacherError
from hearth.search._budget import Budget, BudgetExhausted
from hearth.search._lessons import Lesson, lessons_from_json, scrubbed_lessons_job
from hearth.search._teacher import Teacher, chat_completions_url
from hearth.settings import Settings
from hearth.specs import SetField, apply, default_spec
from tests.conftest import free_port
from tests.search.conftest import RecordingTeacher, Reply, completion

KEY = "sk-test-THIS-IS-THE-SECRET-KEY-0123456789"
SPEC = default_spec()
LESSONS = [Lesson(kind="bench_failure", category="arithmetic", user_text="What is 6*7?",
                  reply="41", reason="expected 42", ref="bench:t1")]
GOOD = {"proposals": [{"target": "arithmetic", "rationale": "steadier sampling",
                       "edits": [{"op": "set_field", "path": "intelligence.sampling.temperature",
                                  "value": 0.1}]}]}


def teacher(url: str, *, budget: Budget | None = None, **kw: Any) -> Teacher:
    options: dict[str, Any] = {"backoff_s": 0.01, "retries": 2, **kw}
    return Teacher(url, "teacher-model", budget=budget or Budget(100_000, 10.0), **options)


def answer(data: Any, **kw: Any) -> Reply:
    text = data if isinstance(data, str) else json.dumps(data)
    return Reply(body=completion(text, **kw))


@pytest.mark.parametrize(("base", "endpoint"), [
    ("http://127.0.0.1:8000", "http://127.0.0.1:8000/v1/chat/completions"),
    ("http://127.0.0.1:8000/", "http://127.0.0.1:8000/v1/chat/completions"),
    ("http://127.0.0.1:8000/v1", "http://127.0.0.1:8000/v1/chat/completions"),
    ("https://openrouter.ai/api/v1", "https://openrouter.ai/api/v1/chat/completions"),
    ("https://x.example/v1/chat/completions", "https://x.example/v1/chat/completions"),
])
def test_teacher_url_with_or_without_v1(base: str, endpoint: str) -> None:
    assert chat_completions_url(base) == endpoint


def test_from_settings_needs_url_and_model(settings: Settings) -> None:
    with pytest.raises(ConfigError, match="HEARTH_TEACHER_URL"):
        Teacher.from_settings(settings, Budget(1, 1.0))
    configured = settings.model_copy(update={"teacher_url": "http://h:1/v1",
                                             "teacher_model": "m",
                                             "teacher_api_key": SecretStr(KEY)})
    made = Teacher.from_settings(configured, Budget(1, 1.0))
    assert made.endpoint == "http://h:1/v1/chat/completions" and KEY not in repr(made)


async def test_a_valid_proposal_is_accepted(recording_teacher: RecordingTeacher) -> None:
    recording_teacher.script = [answer(GOOD, usage={"prompt_tokens": 900,
                                                    "completion_tokens": 60})]
    budget = Budget(100_000, 10.0, usd_per_1k_input=0.5, usd_per_1k_output=1.5)
    async with teacher(recording_teacher.url, budget=budget, api_key=SecretStr(KEY)) as t:
        result = await t.propose_edits(LESSONS, SPEC, "arithmetic")
    assert result.rejected == ()
    (proposal,) = result.proposals
    assert proposal.edits == (SetField(path="intelligence.sampling.temperature", value=0.1),)
    assert proposal.candidate().source == "teacher"
    assert apply(SPEC, proposal.edits).intelligence.sampling.temperature == 0.1
    assert (budget.input_tokens, budget.output_tokens) == (900, 60)
    assert budget.used_usd == pytest.approx(0.45 + 0.09)
    (request,) = recording_teacher.requests
    body = request.json
    assert request.headers["Authorization"] == f"Bearer {KEY}"
    assert body["model"] == "teacher-model"
    assert body["response_format"]["type"] == "json_schema"
    assert "proposals" in body["response_format"]["json_schema"]["schema"]["properties"]
    assert body["messages"][1]["content"].startswith("Failures of the on-device assistant")
    assert "Target cluster: arithmetic" in body["messages"][1]["content"]


BAD_ANSWERS = [
    ("this is not JSON", "answer is not JSON"),
    ('{"proposals": [{"target": "arithmetic", "rationale": "x", "edits": [{"op": "s', "not JSON"),
    ({"ideas": ["lower the temperature"]}, "no list of proposals"),
    ({"proposals": [{"target": "arithmetic", "edits": [{"op": "delete_everything"}]}]},
     "unknown op 'delete_everything'"),
    ({"proposals": [{"target": "arithmetic", "edits": [
        {"op": "set_field", "path": "intelligence.sampling.temperature", "value": 7}]}]},
     "intelligence.sampling.temperature"),
    ({"proposals": [{"target": "arithmetic", "edits": [
        {"op": "set_field", "path": "agent.wings", "value": 2}]}]}, "no field 'wings'"),
    ({"proposals": [{"target": "arithmetic", "edits": []}]}, "no edits"),
    ({"proposals": [{"target": "recall", "edits": GOOD["proposals"][0]["edits"]}]},
     "'arithmetic' was asked for"),
    ({"proposals": ["lower it"]}, "not an object"),
]


@pytest.mark.parametrize(("data", "reason"), BAD_ANSWERS)
async def test_malformed_answers_are_rejected_with_the_reason(
        recording_teacher: RecordingTeacher, data: Any, reason: str) -> None:
    recording_teacher.script = [answer(data)]
    async with teacher(recording_teacher.url) as t:
        result = await t.propose_edits(LESSONS, SPEC, "arithmetic")
    assert result.proposals == ()
    assert len(result.rejected) == 1
    assert reason in result.rejected[0].reason
    assert not result.budget_exhausted


async def test_good_and_bad_proposals_in_one_answer(recording_teacher: RecordingTeacher) -> None:
    bad = {"target": "arithmetic", "edits": [{"op": "enable_tool", "name": "teleport"}]}
    recording_teacher.script = [answer({"proposals": [bad, *GOOD["proposals"]]},
                                       finish_reason="stop")]
    async with teacher(recording_teacher.url) as t:
        result = await t.propose_edits(LESSONS, SPEC, "arithmetic")
    assert len(result.proposals) == 1
    assert "no tool named 'teleport'" in result.rejected[0].reason
    assert "teleport" in result.rejected[0].raw


async def test_a_200_that_is_not_a_completion_is_rejected(
        recording_teacher: RecordingTeacher) -> None:
    recording_teacher.script = [Reply(body={"error": "what"})]
    async with teacher(recording_teacher.url) as t:
        result = await t.propose_edits(LESSONS, SPEC, "arithmetic")
    assert "not a chat completion" in result.rejected[0].reason


async def test_json_schema_refused_falls_back_to_json_object(
        recording_teacher: RecordingTeacher) -> None:
    def strict(body: dict[str, Any]) -> Reply:
        if body["response_format"]["type"] == "json_schema":
            return Reply(status=400, body={"error": "response_format json_schema unsupported"})
        return answer(GOOD)

    recording_teacher.default = strict
    async with teacher(recording_teacher.url) as t:
        first = await t.propose_edits(LESSONS, SPEC, "arithmetic")
        second = await t.propose_edits(LESSONS, SPEC, "arithmetic")
    assert len(first.proposals) == len(second.proposals) == 1
    formats = [r.json["response_format"] for r in recording_teacher.requests]
    assert [f["type"] for f in formats] == ["json_schema", "json_object", "json_object"]
    assert "schema" in formats[1]  # llama.cpp's dialect: a grammar from the schema
    fallback = recording_teacher.requests[1].json["messages"][0]["content"]
    assert "JSON matching this JSON schema" in fallback and '"proposals"' in fallback


async def test_over_budget_is_refused_before_sending(recording_teacher: RecordingTeacher) -> None:
    for budget in (Budget(max_tokens=300, max_usd=10.0),
                   Budget(max_tokens=10**6, max_usd=0.001, usd_per_1k_input=1.0,
                          usd_per_1k_output=1.0)):
        async with teacher(recording_teacher.url, budget=budget) as t:
            result = await t.propose_edits(LESSONS, SPEC, "arithmetic")
            assert result.budget_exhausted and result.proposals == ()
            assert result.rejected[0].reason.startswith("over budget")
            assert await t.diagnose(LESSONS) == []
            with pytest.raises(BudgetExhausted) as caught:
                await t.complete("s", "u" * 4000, schema={}, name="x")
            assert caught.value.left_tokens <= budget.max_tokens
    assert recording_teacher.requests == []


async def test_the_answer_is_trimmed_to_the_budget_left(
        recording_teacher: RecordingTeacher) -> None:
    recording_teacher.script = [answer(GOOD)]  # no usage: charged by estimate
    # The default spec with its routes is a long prompt: the budget leaves less
    # than the 4096 answer tokens asked for, but enough to send the request.
    budget = Budget(max_tokens=6_000, max_usd=10.0)
    async with teacher(recording_teacher.url, budget=budget, answer_tokens=4096) as t:
        result = await t.propose_edits(LESSONS, SPEC, "arithmetic")
    sent = recording_teacher.requests[0].json
    assert sent["max_tokens"] < 4096
    assert result.input_tokens + sent["max_tokens"] <= 6_000
    assert budget.output_tokens == len(json.dumps(GOOD)) // 4 + 1 and budget.calls == 1


async def test_5xx_is_retried_with_backoff(recording_teacher: RecordingTeacher) -> None:
    recording_teacher.script = [Reply(status=500, body="boom"), Reply(status=502, body="bad"),
                                answer(GOOD)]
    async with teacher(recording_teacher.url, backoff_s=0.2) as t:
        result = await t.propose_edits(LESSONS, SPEC, "arithmetic")
    assert len(result.proposals) == 1
    times = [r.at for r in recording_teacher.requests]
    assert len(times) == 3
    assert times[1] - times[0] >= 0.2 and times[2] - times[1] >= 0.4


async def test_429_retry_after_is_honoured(recording_teacher: RecordingTeacher) -> None:
    recording_teacher.script = [Reply(status=429, body={"error": "slow down"},
                                      headers={"Retry-After": "1"}), answer(GOOD)]
    async with teacher(recording_teacher.url, backoff_s=0.01) as t:
        result = await t.propose_edits(LESSONS, SPEC, "arithmetic")
    assert len(result.proposals) == 1
    first, second = recording_teacher.requests
    assert second.at - first.at >= 0.95


async def test_gives_up_after_the_retries(recording_teacher: RecordingTeacher) -> None:
    recording_teacher.default = Reply(status=503, body="down for maintenance")
    async with teacher(recording_teacher.url, retries=2) as t:
        with pytest.raises(TeacherError, match="HTTP 503 3 times"):
            await t.propose_edits(LESSONS, SPEC, "arithmetic")
    assert len(recording_teacher.requests) == 3


async def test_unreachable_and_slow_teachers_fail_after_retries(
        recording_teacher: RecordingTeacher) -> None:
    async with teacher(f"http://127.0.0.1:{free_port()}", retries=1) as t:
        with pytest.raises(TeacherError, match=r"cannot reach the teacher .* after 2 tries"):
            await t.propose_edits(LESSONS, SPEC, "arithmetic")
    recording_teacher.default = Reply(body=completion("{}"), delay_s=2.0)
    async with teacher(recording_teacher.url, retries=1, timeout_s=0.3) as t:
        with pytest.raises(TeacherError, match="TimeoutError"):
            await t.propose_edits(LESSONS, SPEC, "arithmetic")
    assert len(recording_teacher.requests) == 2


async def test_the_key_is_never_logged_or_shown(recording_teacher: RecordingTeacher,
                                               caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    recording_teacher.script = [Reply(status=500, body=f"upstream said {KEY}"), answer(GOOD),
                                Reply(status=401, body={"error": f"Incorrect API key {KEY}"}),
                                Reply(status=404, body=f"no route; key {KEY}")]
    async with teacher(recording_teacher.url, api_key=SecretStr(KEY)) as t:
        assert KEY not in repr(t) and KEY not in str(vars(t))
        await t.propose_edits(LESSONS, SPEC, "arithmetic")
        with pytest.raises(TeacherError) as refused:
            await t.propose_edits(LESSONS, SPEC, "arithmetic")
        with pytest.raises(TeacherError) as missing:
            await t.propose_edits(LESSONS, SPEC, "arithmetic")
    assert "HEARTH_TEACHER_API_KEY" in str(refused.value)
    assert "***" in str(missing.value)
    for text in (str(refused.value), str(missing.value), caplog.text):
        assert KEY not in text
    assert "teacher POST" in caplog.text  # DEBUG logging did run
    assert all(r.headers["Authorization"] == f"Bearer {KEY}" for r in recording_teacher.requests)


async def test_diagnose_reads_clusters(recording_teacher: RecordingTeacher) -> None:
    recording_teacher.script = [answer({"clusters": [
        {"name": "arithmetic_slips", "reading": "guesses products", "lessons": [1, 7, "x"]},
        {"reading": "no name"}]})]
    async with teacher(recording_teacher.url) as t:
        readings = await t.diagnose(LESSONS)
    assert [(r.name, r.reading, r.lessons) for r in readings] == [
        ("arithmetic_slips", "guesses products", (1,))]
    assert recording_teacher.requests[0].json["messages"][1]["content"].startswith("Failures")


PRIVATE = ["+49 30 1234567", "anna.berg@example.org", "4111 1111 1111 1111",
           "token=s3cretT0ken", "Biscuit", "4242"]


async def test_private_data_never_reaches_the_teacher(
        recording_teacher: RecordingTeacher, tmp_path: Path) -> None:
    with MemoryStore(tmp_path / "worker-w1.duckdb", chat_salt="salt") as memory:
        memory.add_fact("4242", "My dog is called Biscuit")
        memory.traces.record(Trace(
            message_id="m1", chat_hash=memory.traces.chat_hash("4242"), spec_id="s",
            model="m", feedback="bad", created_at=datetime.now(UTC),
            user_text="Remind Biscuit's vet: call +49 30 1234567 or anna.berg@example.org",
            reply_text="Paid with 4111 1111 1111 1111 at https://pay.example/?token=s3cretT0ken"))
        rows = scrubbed_lessons_job(memory, since=None, eligible=("feedback",), salt="salt")
    lessons = lessons_from_json([rows])
    recording_teacher.script = [answer(GOOD), answer({"clusters": []})]
    async with teacher(recording_teacher.url) as t:
        await t.propose_edits(lessons, SPEC, "arithmetic")
        await t.diagnose(lessons)
    sent = recording_teacher.bodies().decode()
    assert len(recording_teacher.requests) == 2 and "Remind [MEMORY]" in sent
    for secret in PRIVATE:
        assert secret not in sent
        assert json.dumps(secret)[1:-1] not in sent


@pytest.mark.model
async def test_a_real_llama_cpp_teacher_round_trip(llama_teacher: str) -> None:
    budget = Budget(max_tokens=20_000, max_usd=0.0)
    async with Teacher(f"{llama_teacher}/v1", "smollm2", budget=budget, answer_tokens=200,
                       timeout_s=240, retries=1) as t:
        result = await t.propose_edits(LESSONS, SPEC, "arithmetic")
        readings = await t.diagnose(LESSONS)
    # A 135M model may well propose nonsense: what matters is that every answer is
    # either valid edits that apply, or a rejection with a reason, never an exception.
    assert result.proposals or result.rejected
    for proposal in result.proposals:
        apply(SPEC, proposal.edits)
    assert all(r.reason for r in result.rejected)
    assert result.output_tokens > 0 and budget.calls == 2
    assert isinstance(readings, list)




async def test_no_key_sends_no_authorization_even_with_openai_api_key_set(
        recording_teacher: RecordingTeacher, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    recording_teacher.script = [answer(GOOD)]
    async with teacher(recording_teacher.url) as t:
        assert len((await t.propose_edits(LESSONS, SPEC, "arithmetic")).proposals) == 1
    headers = {k.lower() for k in recording_teacher.requests[0].headers}
    assert "authorization" not in headers and KEY.encode() not in recording_teacher.bodies()


async def test_a_server_refusing_every_json_mode_gets_plain_validated_answers(
        recording_teacher: RecordingTeacher) -> None:
    def no_json(body: dict[str, Any]) -> Reply:
        if "response_format" in body:
            return Reply(status=400, body={"error": "response_format not supported"})
        return answer(GOOD)

    recording_teacher.default = no_json
    async with teacher(recording_teacher.url) as t:
        result = await t.propose_edits(LESSONS, SPEC, "arithmetic")
    assert len(result.proposals) == 1 and len(recording_teacher.requests) == 4
    last = recording_teacher.requests[-1].json
    assert "response_format" not in last
    assert "JSON matching this JSON schema" in last["messages"][0]["content"]


def test_the_spec_brief_summarises_long_route_patterns() -> None:
    from hearth.search._proposals import spec_brief

    brief = spec_brief(SPEC, "arithmetic")
    # Short pattern lists are shown as they are, long ones summarised, so the
    # request fits a local teacher's 4096-token context with room for lessons.
    assert "keep in mind|don'?t forget)\\\\b" in brief  # the remember route, short
    assert "regular expressions" in brief and "(not shown)" in brief
    assert "I can't" not in brief and len(brief) < 5000
