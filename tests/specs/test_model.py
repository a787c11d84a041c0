"""The Spec model: round trips, canonical ids, the built-ins, and refusals on load."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
import pytest
from pydantic import ValidationError

from hearth.errors import SpecInvalid
from hearth.specs import (
    BUILTIN_SPECS,
    BUILTIN_TOOLS,
    Lineage,
    SetField,
    Spec,
    apply,
    builtin_spec,
    canonical_json,
    content_id,
    default_spec,
    gemma_spec,
    load_spec,
    load_spec_file,
    spec_to_json,
)


def _reversed(data: Any) -> Any:
    """The same JSON data with every object's keys inserted in reverse order."""
    if isinstance(data, dict):
        return {k: _reversed(data[k]) for k in reversed(list(data))}
    if isinstance(data, list):
        return [_reversed(v) for v in data]
    return data


@pytest.mark.parametrize("name", list(BUILTIN_SPECS))
def test_builtin_round_trips_through_json(name: str) -> None:
    spec = builtin_spec(name)
    text = spec_to_json(spec)
    again = load_spec(text)
    assert again == spec
    assert again.id == spec.id
    assert spec_to_json(again) == text
    assert load_spec(json.loads(text)).id == spec.id
    assert Spec.model_validate_json(spec.model_dump_json()).id == spec.id


def test_builtins_are_what_the_issue_describes() -> None:
    default, gemma = default_spec(), gemma_spec()
    assert default.name == "default"
    assert default.intelligence.model == "smollm2-135m-instruct"
    # Issue #10: the default turns the built-in tools on, with routes to them.
    assert default.agent.kind == "tools"
    assert len(default.agent.system_prompt) > 100
    assert {t.name for t in default.tools.enabled} == set(BUILTIN_TOOLS)
    routed = {r.tool for r in default.agent.routes if r.path == "tool"}
    assert set(BUILTIN_TOOLS) <= routed
    for name in ("calculator", "clock"):
        tool = gemma.tools.get(name)
        assert tool is not None and not tool.enabled and tool.description
    assert gemma.tools.enabled == ()
    assert gemma.intelligence.model == "gemma3-270m"
    assert gemma.intelligence.chat_template
    assert len(gemma.agent.few_shot) >= 2
    assert default.id != gemma.id


def test_gemma_template_renders_gemma_turns() -> None:
    template = gemma_spec().intelligence.chat_template
    assert template is not None
    text = jinja2.Environment().from_string(template).render(
        messages=[{"role": "system", "content": "Be brief."},
                  {"role": "user", "content": " Hi "},
                  {"role": "assistant", "content": "Hello!"},
                  {"role": "user", "content": "Bye"}],
        add_generation_prompt=True,
    )
    assert text == ("<start_of_turn>user\nBe brief.<end_of_turn>\n"
                    "<start_of_turn>user\nHi<end_of_turn>\n"
                    "<start_of_turn>model\nHello!<end_of_turn>\n"
                    "<start_of_turn>user\nBye<end_of_turn>\n"
                    "<start_of_turn>model\n")


def test_builtin_ids_are_stable_across_processes() -> None:
    code = ("from hearth.specs import BUILTIN_SPECS\n"
            "for name, make in BUILTIN_SPECS.items(): print(name, make().id)")
    runs = [
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       check=True, timeout=60, env={"PYTHONHASHSEED": seed,
                                                    "PATH": "/usr/bin:/bin"}).stdout
        for seed in ("1", "2")
    ]
    expected = "".join(f"{name} {make().id}\n" for name, make in BUILTIN_SPECS.items())
    assert runs == [expected, expected]


def test_canonical_json_ignores_key_insertion_order() -> None:
    data = default_spec().model_dump(mode="json")
    assert canonical_json(_reversed(data)) == canonical_json(data)
    assert load_spec(_reversed(data)).id == default_spec().id
    assert canonical_json({"b": 1, "a": [{"d": 2, "c": 3}]}) == '{"a":[{"c":3,"d":2}],"b":1}'


def test_canonical_json_is_compact_sorted_utf8() -> None:
    assert canonical_json({"z": "é🙂", "a": 0.1}) == '{"a":0.1,"z":"é🙂"}'
    spec = default_spec()
    assert spec.id == content_id(spec)
    assert len(spec.id) == 64 and int(spec.id, 16) >= 0
    assert spec.short_id == spec.id[:12]


def test_ints_and_floats_of_equal_value_give_one_id() -> None:
    data = default_spec().model_dump(mode="json")
    data["intelligence"]["sampling"]["temperature"] = 1
    as_int = load_spec(data)
    data["intelligence"]["sampling"]["temperature"] = 1.0
    assert load_spec(data).id == as_int.id


def test_lineage_takes_no_part_in_id_or_equality() -> None:
    base = default_spec()
    child = apply(base, [SetField(path="name", value="child")])
    restored = apply(child, [SetField(path="name", value="default")])
    assert restored == base and restored.id == base.id
    assert restored.lineage != base.lineage
    assert restored.lineage.parent_id == child.id
    assert hash(restored) == hash(base)
    relabelled = base.model_copy(update={"lineage": Lineage(parent_id="f" * 64)})
    assert relabelled.id == base.id


def test_lineage_round_trips_and_changes_the_stored_form() -> None:
    child = apply(default_spec(), [SetField(path="agent.max_turns", value=2)])
    again = load_spec(spec_to_json(child))
    assert again.lineage == child.lineage
    assert spec_to_json(child) != spec_to_json(child.model_copy(update={"lineage": Lineage()}))


def test_content_changes_change_the_id() -> None:
    base = default_spec()
    warmer = apply(base, [SetField(path="intelligence.sampling.temperature", value=0.21)])
    assert warmer != base and warmer.id != base.id


def test_spec_is_frozen() -> None:
    spec = default_spec()
    with pytest.raises(ValidationError):
        spec.name = "other"  # type: ignore[misc]
    with pytest.raises(ValidationError):
        spec.intelligence.sampling.temperature = 1.0  # type: ignore[misc]


def test_unknown_builtin_names_the_builtins() -> None:
    with pytest.raises(Exception, match="default, gemma3-270m"):
        builtin_spec("nope")


# --- refusals on load: each names the field and what is allowed -------------------

Mutate = Callable[[dict[str, Any]], None]


def _set(path: str, value: Any) -> Mutate:
    def mutate(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node = data
        for part in parents:
            node = node[part]
        node[last] = value
    return mutate


BAD_SPECS = [
    pytest.param(_set("intelligence.sampling.temperature", 5),
                 "intelligence.sampling.temperature", "less than or equal to 2", id="temp-5"),
    pytest.param(_set("intelligence.sampling.top_p", 1.5),
                 "intelligence.sampling.top_p", "less than or equal to 1", id="top_p-1.5"),
    pytest.param(_set("engine.n_ctx", 100), "engine.n_ctx", "greater than or equal to 256",
                 id="n_ctx-100"),
    pytest.param(_set("engine.n_ctx", 200_000), "engine.n_ctx", "less than or equal to 131072",
                 id="n_ctx-200000"),
    pytest.param(_set("intelligence.sampling.max_tokens", 0),
                 "intelligence.sampling.max_tokens", "greater than or equal to 1",
                 id="max_tokens-0"),
    pytest.param(_set("intelligence.sampling.max_tokens", 9000),
                 "intelligence.sampling.max_tokens", "less than or equal to 8192",
                 id="max_tokens-9000"),
    pytest.param(_set("colour", "red"), "colour", "unknown field", id="unknown-top-field"),
    pytest.param(_set("intelligence.sampling.tempreature", 0.5),
                 "intelligence.sampling.tempreature", "unknown field", id="unknown-nested-field"),
    pytest.param(_set("schema_version", 2), "schema_version", "Input should be 1",
                 id="schema-version"),
    pytest.param(_set("intelligence.model", ""), "intelligence.model", "at least 1 character",
                 id="empty-model"),
    pytest.param(_set("tools.tools", [{"name": "clock"}, {"name": "clock"}]), "tools.tools",
                 "unique; repeated: clock", id="duplicate-tools"),
    pytest.param(_set("tools.tools", [{"name": "web"}]), "tools.tools.0",
                 "not built in", id="unknown-tool-without-endpoint"),
    pytest.param(_set("agent.few_shot", [{"user": "", "assistant": "a"}]),
                 "agent.few_shot.0.user", "at least 1 character", id="empty-few-shot"),
    pytest.param(_set("agent.system_prompt", "\ud800"), "agent.system_prompt", "unicode",
                 id="lone-surrogate"),
    pytest.param(lambda d: d.pop("intelligence"), "intelligence", "Field required",
                 id="missing-intelligence"),
]


@pytest.mark.parametrize(("mutate", "path", "rule"), BAD_SPECS)
def test_bad_spec_is_refused_with_the_path(mutate: Mutate, path: str, rule: str) -> None:
    data = default_spec().model_dump(mode="json")
    mutate(data)
    for source in (data, json.dumps(data), json.dumps(data).encode()):
        with pytest.raises(SpecInvalid) as info:
            load_spec(source)
        assert info.value.path == path
        assert rule in info.value.rule
        assert str(info.value) == f"{path}: {info.value.rule}"


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        pytest.param('{"intelligence": ', "not valid JSON", id="truncated"),
        pytest.param("", "not valid JSON", id="empty"),
        pytest.param("[1, 2]", "must be a JSON object", id="array"),
        pytest.param(b"{\"name\": \"caf\xe9\"}", "not UTF-8", id="not-utf8"),
    ],
)
def test_malformed_json_is_refused(text: str | bytes, rule: str) -> None:
    with pytest.raises(SpecInvalid) as info:
        load_spec(text)
    assert info.value.path == ""
    assert rule in str(info.value)


def test_load_spec_file_reports_unreadable_and_non_utf8_files(tmp_path: Path) -> None:
    with pytest.raises(SpecInvalid, match=r"cannot read .*No such file"):
        load_spec_file(tmp_path / "missing.json")
    latin1 = tmp_path / "latin1.json"
    latin1.write_bytes('{"name": "café"}'.encode("latin-1"))
    with pytest.raises(SpecInvalid, match="not UTF-8"):
        load_spec_file(latin1)
    good = tmp_path / "good.json"
    good.write_text(spec_to_json(gemma_spec()), encoding="utf-8")
    assert load_spec_file(good).id == gemma_spec().id
