"""Edits: `apply` and `diff` as properties over random valid specs, and every refusal."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hearth.errors import SpecInvalid
from hearth.specs import (
    BUILTIN_TOOLS,
    EDIT_OPS,
    EDITS_ADAPTER,
    AddFewShot,
    Agent,
    DisableTool,
    EnableTool,
    EngineSettings,
    FewShot,
    HttpEndpoint,
    Intelligence,
    Learning,
    Memory,
    RemoveFewShot,
    Sampling,
    SetField,
    SetModel,
    SetSystemPrompt,
    SetToolDescription,
    Spec,
    Tool,
    Tools,
    apply,
    default_spec,
    diff,
    gemma_spec,
    load_spec,
    parse_edits,
    spec_to_json,
)

# The machine has two cores shared with others: modest example counts.
PROPERTY = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _floats(lo: float, hi: float) -> st.SearchStrategy[float]:
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False)


# Any Unicode text that can be written as UTF-8 (so no lone surrogates).
_text = st.text(st.characters(codec="utf-8"), max_size=60)
_nonempty = st.text(st.characters(codec="utf-8"), min_size=1, max_size=40)

_sampling = st.builds(
    Sampling,
    temperature=_floats(0.0, 2.0),
    top_p=_floats(0.0, 1.0),
    top_k=st.integers(0, 1000),
    min_p=_floats(0.0, 1.0),
    repeat_penalty=_floats(0.5, 2.0),
    max_tokens=st.integers(1, 8192),
    seed=st.integers(-1, 2**31 - 1),
)
_intelligence = st.builds(
    Intelligence,
    model=st.sampled_from(["smollm2-135m-instruct", "gemma3-270m"]),
    chat_template=st.none() | _text,
    stop=st.lists(st.text(st.characters(codec="utf-8"), min_size=1, max_size=8),
                  max_size=3).map(tuple),
    sampling=_sampling,
)
_engine = st.builds(
    EngineSettings,
    n_ctx=st.integers(256, 131_072),
    n_threads=st.none() | st.integers(1, 512),
    n_batch=st.integers(1, 8192),
    n_gpu_layers=st.integers(-1, 1000),
    flash_attn=st.booleans(),
    kv_cache_type=st.sampled_from(["f16", "q8_0", "q4_0"]),
    use_mmap=st.booleans(),
    use_mlock=st.booleans(),
)
_agent = st.builds(
    Agent,
    kind=st.sampled_from(["chat", "tools"]),
    system_prompt=_text,
    few_shot=st.lists(st.builds(FewShot, user=_nonempty, assistant=_nonempty),
                      max_size=4).map(tuple),
    max_turns=st.integers(1, 16),
    max_reply_chars=st.integers(1, 100_000),
    job_timeout_s=st.integers(1, 3600),
    timezone=st.sampled_from(["UTC", "Europe/Berlin", "Asia/Tokyo", "America/Sao_Paulo"]),
)
_builtin_tool = st.builds(
    Tool, name=st.sampled_from(BUILTIN_TOOLS), enabled=st.booleans(), description=_text
)
_http_tool = st.builds(
    Tool,
    name=st.sampled_from(["weather", "lights", "shopping_list"]),
    enabled=st.booleans(),
    description=_text,
    parameters=st.fixed_dictionaries(
        {"type": st.just("object"),
         "properties": st.dictionaries(st.sampled_from(["city", "room", "item"]),
                                       st.fixed_dictionaries({"type": st.just("string")}),
                                       max_size=2)}
    ),
    endpoint=st.builds(HttpEndpoint, url=st.sampled_from(["http://127.0.0.1:8080/t",
                                                          "https://example.org/api"]),
                       timeout_s=_floats(0.1, 60.0)),
)
_tools = st.builds(
    Tools,
    tools=st.lists(_builtin_tool | _http_tool, max_size=6,
                   unique_by=lambda t: t.name).map(tuple),
    allowed_hosts=st.lists(st.sampled_from(["example.org", "127.0.0.1"]), max_size=2,
                           unique=True).map(tuple),
    memory=st.builds(Memory, history_window=st.integers(0, 500),
                     retrieval=st.sampled_from(["none", "keyword"]),
                     retrieval_k=st.integers(0, 50),
                     remember=st.sampled_from(["none", "explicit"])),
)
_learning = st.builds(
    Learning,
    epsilon=_floats(0.0, 1.0),
    gate_subsample=st.integers(1, 10_000),
    budget_usd=_floats(0.0, 1000.0),
    budget_tokens=st.integers(0, 100_000_000),
    max_sessions=st.integers(1, 1000),
    stagnation_k=st.integers(1, 100),
    autonomy=st.sampled_from(["auto", "review", "manual"]),
    eligible=st.lists(st.sampled_from(["feedback", "error", "tool_failure", "timeout",
                                       "bench_failure"]), unique=True).map(tuple),
    max_system_prompt_chars=st.integers(1, 20_000),
    max_few_shot=st.integers(0, 32),
    max_tool_description_chars=st.integers(1, 2000),
)


def specs() -> st.SearchStrategy[Spec]:
    """Random valid specs: every primitive varied within its bounds."""
    return st.builds(
        Spec,
        name=st.text("abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=20),
        intelligence=_intelligence,
        engine=_engine,
        agent=_agent,
        tools=_tools,
        learning=_learning,
    )


# --- properties -----------------------------------------------------------------


@PROPERTY
@given(specs(), specs())
def test_apply_of_diff_gives_the_target(a: Spec, b: Spec) -> None:
    edits = diff(a, b)
    result = apply(a, edits)
    assert result == b
    assert result.id == b.id
    assert result.content() == b.content()


@PROPERTY
@given(specs(), specs())
def test_diff_survives_json_like_the_cli_reads_it(a: Spec, b: Spec) -> None:
    wire = json.dumps([e.model_dump(mode="json") for e in diff(a, b)], ensure_ascii=False)
    assert apply(a, parse_edits(json.loads(wire))).id == b.id


@PROPERTY
@given(specs())
def test_diff_of_a_spec_with_itself_is_empty(a: Spec) -> None:
    assert diff(a, a) == []
    assert diff(a, load_spec(spec_to_json(a))) == []


@PROPERTY
@given(specs())
def test_id_is_stable_under_json_round_trip(a: Spec) -> None:
    again = load_spec(spec_to_json(a))
    assert again == a
    assert again.id == a.id
    assert spec_to_json(again) == spec_to_json(a)
    assert Spec.model_validate_json(a.model_dump_json()).id == a.id


@PROPERTY
@given(specs(), specs())
def test_apply_records_parent_and_edits(a: Spec, b: Spec) -> None:
    edits = diff(a, b)
    result = apply(a, edits)
    if edits:
        assert result.lineage.parent_id == a.id
        assert [e.model_dump(mode="json") for e in result.lineage.edits] == [
            e.model_dump(mode="json") for e in edits
        ]
        # The lineage survives serialisation, so the store keeps it.
        assert load_spec(spec_to_json(result)).lineage == result.lineage
    else:
        assert result is a


@settings(max_examples=3, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(specs(), min_size=4, max_size=4))
def test_ids_are_the_same_in_another_process(batch: list[Spec]) -> None:
    code = (
        "import sys, json\n"
        "from hearth.specs import load_spec\n"
        "for line in sys.stdin:\n"
        "    print(load_spec(line).id)\n"
    )
    stdin = "".join(spec_to_json(s) + "\n" for s in batch)
    out = subprocess.run(
        [sys.executable, "-c", code], input=stdin, capture_output=True, text=True,
        encoding="utf-8", check=True, timeout=60, env={**os.environ, "PYTHONHASHSEED": "7"},
    ).stdout.split()
    assert out == [s.id for s in batch]


# --- the specific edits ---------------------------------------------------------


def test_each_edit_does_what_it_says() -> None:
    base = gemma_spec()
    edits = [
        SetField(path="intelligence.sampling.temperature", value=0.9),
        SetSystemPrompt(prompt="Sei breve. 🙂"),
        AddFewShot(user="2+2?", assistant="4", index=0),
        RemoveFewShot(index=3),
        EnableTool(name="calculator"),
        DisableTool(name="clock"),
        SetToolDescription(name="calculator", description="Exact arithmetic."),
        SetModel(model="smollm2-135m-instruct"),
    ]
    new = apply(base, edits)
    assert new.intelligence.sampling.temperature == 0.9
    assert new.agent.system_prompt == "Sei breve. 🙂"
    assert [s.user for s in new.agent.few_shot] == ["2+2?", "Hi!",
                                                    "What is the capital of France?"]
    calc = new.tools.get("calculator")
    assert calc is not None and calc.enabled and calc.description == "Exact arithmetic."
    assert [t.name for t in new.tools.enabled] == ["calculator"]
    assert new.intelligence.model == "smollm2-135m-instruct"
    assert new.intelligence.chat_template is None
    assert new.lineage.parent_id == base.id
    assert list(new.lineage.edits) == edits
    assert base.intelligence.sampling.temperature == 0.3  # the input is untouched


def test_set_field_reaches_into_lists() -> None:
    new = apply(gemma_spec(), [SetField(path="agent.few_shot.1.assistant", value="Paris!")])
    assert new.agent.few_shot[1].assistant == "Paris!"


def test_add_few_shot_appends_without_index() -> None:
    new = apply(default_spec(), [AddFewShot(user="a", assistant="b"),
                                 AddFewShot(user="c", assistant="d")])
    shots = [(s.user, s.assistant) for s in new.agent.few_shot]
    assert shots[-2:] == [("a", "b"), ("c", "d")]
    assert len(shots) == len(default_spec().agent.few_shot) + 2


def test_no_edits_return_the_spec_itself() -> None:
    spec = default_spec()
    assert apply(spec, []) is spec


def test_parse_edits_accepts_list_single_and_wrapped() -> None:
    one = {"op": "enable_tool", "name": "clock"}
    assert parse_edits([one]) == parse_edits(one) == parse_edits({"edits": [one]})
    assert parse_edits([one]) == [EnableTool(name="clock")]


def test_edit_ops_lists_every_member_of_the_union() -> None:
    samples: list[dict[str, Any]] = [
        {"op": "set_field", "path": "name", "value": "x"},
        {"op": "set_system_prompt", "prompt": "p"},
        {"op": "add_few_shot", "user": "u", "assistant": "a"},
        {"op": "remove_few_shot", "index": 0},
        {"op": "enable_tool", "name": "clock"},
        {"op": "disable_tool", "name": "clock"},
        {"op": "set_tool_description", "name": "clock", "description": "d"},
        {"op": "set_model", "model": "gemma3-270m"},
        {"op": "add_route", "route": {"name": "r", "path": "chat"}},
    ]
    parsed = EDITS_ADAPTER.validate_python(samples)
    assert tuple(e.op for e in parsed) == EDIT_OPS


# --- refusals ---------------------------------------------------------------------

BAD_EDITS = [
    pytest.param([{"op": "set_field", "path": "intelligence.sampling.temperature", "value": 5}],
                 "intelligence.sampling.temperature", "less than or equal to 2", id="temp-5"),
    pytest.param([{"op": "set_field", "path": "intelligence.sampling.top_p", "value": 1.5}],
                 "intelligence.sampling.top_p", "less than or equal to 1", id="top_p-1.5"),
    pytest.param([{"op": "set_field", "path": "engine.n_ctx", "value": 100}],
                 "engine.n_ctx", "greater than or equal to 256", id="n_ctx-100"),
    pytest.param([{"op": "set_field", "path": "engine.n_ctx", "value": 200_000}],
                 "engine.n_ctx", "less than or equal to 131072", id="n_ctx-200000"),
    pytest.param([{"op": "set_field", "path": "intelligence.sampling.max_tokens", "value": 0}],
                 "intelligence.sampling.max_tokens", "greater than or equal to 1",
                 id="max_tokens-0"),
    pytest.param([{"op": "set_field", "path": "intelligence.sampling.max_tokens",
                   "value": 9000}],
                 "intelligence.sampling.max_tokens", "less than or equal to 8192",
                 id="max_tokens-9000"),
    pytest.param([{"op": "set_field", "path": "intelligence.sampling",
                   "value": {"temperature": 0.5, "colour": "red"}}],
                 "intelligence.sampling.colour", "unknown field", id="unknown-spec-field"),
    pytest.param([{"op": "set_field", "path": "name", "value": "x", "colour": "red"}],
                 "edits.0.colour", "unknown field", id="unknown-edit-field"),
    pytest.param([{"op": "enable_tool", "name": "clock"}, {"op": "make_it_better"}],
                 "edits.1", "unknown op 'make_it_better'; known ops: set_field",
                 id="unknown-op"),
    pytest.param([{"name": "clock"}], "edits.0", "missing 'op'", id="missing-op"),
    pytest.param([{"op": "set_field", "path": "intelligence.sampling.temprature",
                   "value": 0.5}],
                 "intelligence.sampling.temprature", "fields there:", id="no-such-path"),
    pytest.param([{"op": "set_field", "path": "agent.few_shot.5", "value": {}}],
                 "agent.few_shot.5", "list of 2", id="no-such-index"),
    pytest.param([{"op": "set_field", "path": "engine.n_ctx.size", "value": 1}],
                 "engine.n_ctx.size", "is a value, not a section", id="path-through-value"),
    pytest.param([{"op": "set_field", "path": "lineage.parent_id", "value": "0" * 64}],
                 "lineage.parent_id", "read-only", id="lineage"),
    pytest.param([{"op": "set_field", "path": "lineage", "value": {}}],
                 "lineage", "read-only", id="lineage-whole"),
    pytest.param([{"op": "set_field", "path": "schema_version", "value": 2}],
                 "schema_version", "read-only", id="schema_version"),
    pytest.param([{"op": "remove_few_shot", "index": 2}],
                 "agent.few_shot.2", "there are 2", id="remove-few-shot-out-of-range"),
    pytest.param([{"op": "remove_few_shot", "index": 40}],
                 "edits.0.index", "less than or equal to 31", id="remove-few-shot-index-40"),
    pytest.param([{"op": "add_few_shot", "user": "u", "assistant": "a", "index": 3}],
                 "agent.few_shot.3", "there are 2", id="add-few-shot-past-the-end"),
    pytest.param([{"op": "enable_tool", "name": "web_search"}],
                 "tools.tools", "the spec lists: calculator, clock", id="enable-unlisted-tool"),
    pytest.param([{"op": "set_tool_description", "name": "web", "description": "d"}],
                 "tools.tools", "no tool named 'web'", id="describe-unlisted-tool"),
    pytest.param([{"op": "set_field", "path": "agent.timezone", "value": "Mars/Olympus"}],
                 "agent.timezone", "IANA time zone", id="bad-timezone"),
    pytest.param("not edits", "edits", "valid list", id="not-a-list"),
]


@pytest.mark.parametrize(("edits", "path", "rule"), BAD_EDITS)
def test_bad_edits_are_refused_with_the_path(edits: Any, path: str, rule: str) -> None:
    base = default_spec()
    with pytest.raises(SpecInvalid) as info:
        apply(base, parse_edits(edits))
    assert info.value.path == path
    assert rule in info.value.rule
    assert str(info.value).startswith(f"{path}: ")
    assert base == default_spec()


def test_add_route_appends_and_refuses_a_name_in_use() -> None:
    from hearth.specs import apply, default_spec, parse_edits

    route = {"name": "like_json", "path": "model", "model": "qwen2.5-coder-0.5b-instruct",
             "patterns": [r"\bjson\b"]}
    spec = apply(default_spec(), parse_edits({"op": "add_route", "route": route}))
    assert spec.agent.routes[:-1] == default_spec().agent.routes  # the others keep their index
    assert (spec.agent.routes[-1].name, spec.agent.routes[-1].model) == (
        "like_json", "qwen2.5-coder-0.5b-instruct")
    with pytest.raises(SpecInvalid, match="exists already"):
        apply(spec, parse_edits({"op": "add_route", "route": {**route, "path": "chat"}}))
    with pytest.raises(SpecInvalid, match="lower_snake_case"):
        apply(default_spec(), parse_edits({"op": "add_route", "route": {
            "name": "Bad Name", "path": "chat"}}))
