"""`hearth spec ...` end to end: the real command in a subprocess, its output and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import hearth
from hearth.settings import Settings
from hearth.specs import (
    SetField,
    SpecStore,
    apply,
    default_spec,
    diff,
    gemma_spec,
    load_spec,
    parse_edits,
    spec_to_json,
)
from tests.conftest import run_cli


@pytest.fixture
def store(settings: Settings) -> SpecStore:
    """The store the CLI uses (HEARTH_HOME is set for the subprocess by `settings`)."""
    return SpecStore(settings.home / "specs.duckdb")


def ok(*args: str) -> Any:
    """Run `hearth ARGS --json`, check it succeeded quietly, and parse its output."""
    result = run_cli(*args, "--json")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return json.loads(result.stdout)


def write(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_version() -> None:
    for command in ([sys.executable, "-m", "hearth", "--version"],
                    [str(Path(sys.executable).parent / "hearth"), "--version"]):
        result = subprocess.run(command, capture_output=True, text=True, check=False,
                                timeout=60)
        assert result.returncode == 0
        assert result.stdout.strip() == f"hearth {hearth.__version__}"


def test_show_prints_the_default_spec_with_its_id(settings: Settings) -> None:
    data = ok("spec", "show")
    assert data["id"] == default_spec().id
    assert load_spec(data["spec"]) == default_spec()
    assert data["model_file"].endswith("SmolLM2-135M-Instruct.Q4_1.gguf")
    assert Path(data["model_file"]).is_file()
    text = run_cli("spec", "show")
    assert text.returncode == 0
    assert default_spec().id in text.stdout and "smollm2-135m-instruct" in text.stdout


def test_show_a_file_and_validate_it(settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "gemma.json"
    path.write_text(spec_to_json(gemma_spec()), encoding="utf-8")
    assert ok("spec", "validate", str(path)) == {"valid": True, "id": gemma_spec().id}
    shown = ok("spec", "show", str(path))
    assert shown["id"] == gemma_spec().id
    assert Path(shown["model_file"]) == settings.home / "models" / "gemma-3-270m-q4_k_m.gguf"


def test_apply_history_activate_rollback_export(settings: Settings, store: SpecStore,
                                                tmp_path: Path) -> None:
    base = default_spec()
    edits = [{"op": "set_field", "path": "intelligence.sampling.temperature", "value": 0.7},
             {"op": "enable_tool", "name": "calculator"}]
    first = ok("spec", "apply", str(write(tmp_path / "e1.json", edits)), "--note", "warmer")
    expected = apply(base, parse_edits(edits))
    assert first["id"] == expected.id
    assert first["parent_id"] == base.id
    assert first["edits"] == edits
    assert first["note"] == "warmer"
    assert store.get(expected.id).spec == expected

    # Applying saves a version but does not activate it.
    assert ok("spec", "show")["id"] == base.id
    [row] = ok("spec", "history")
    assert row["id"] == expected.id and row["active"] is False

    activated = ok("spec", "activate", expected.id[:12])
    assert activated["active"] == expected.id
    assert "HEARTH_SPEC_SECRET" in activated["published"]
    assert ok("spec", "show")["id"] == expected.id

    second_edits = {"edits": [{"op": "set_system_prompt", "prompt": "Réponds en français."}]}
    second = ok("spec", "apply", str(write(tmp_path / "e2.json", second_edits)),
                "--from", expected.id[:8])
    child = apply(expected, parse_edits(second_edits))
    assert second["id"] == child.id and second["parent_id"] == expected.id

    history = ok("spec", "history")
    assert [(r["id"], r["parent_id"], r["active"]) for r in history] == [
        (expected.id, base.id, True), (child.id, expected.id, False)]

    changes = ok("spec", "diff", expected.id, child.id[:10])
    assert (changes["from"], changes["to"]) == (expected.id, child.id)
    assert changes["edits"] == [e.model_dump(mode="json") for e in diff(expected, child)]
    assert apply(expected, parse_edits(changes["edits"])) == child
    assert ok("spec", "diff", child.id, child.id)["edits"] == []

    assert ok("spec", "activate", child.id)["active"] == child.id
    assert ok("spec", "rollback")["active"] == expected.id
    assert ok("spec", "rollback")["active"] == base.id
    result = run_cli("spec", "rollback")
    assert result.returncode == 2
    assert result.stderr.startswith("hearth: error: nothing to roll back")

    exported = run_cli("spec", "export", child.id[:12])
    assert exported.returncode == 0
    spec = load_spec(exported.stdout)
    assert spec == child and spec.lineage == child.lineage
    assert spec.lineage.parent_id == expected.id


def test_diff_between_builtins_and_files(settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "gemma.json"
    path.write_text(spec_to_json(gemma_spec()), encoding="utf-8")
    changes = ok("spec", "diff", "default", str(path))
    assert apply(default_spec(), parse_edits(changes["edits"])) == gemma_spec()
    assert changes["edits"][0]["op"] == "set_model"
    text = run_cli("spec", "diff", "default", "default")
    assert text.stdout.strip() == "(no differences)"


def test_human_output_is_one_line_per_edit(settings: Settings, tmp_path: Path) -> None:
    edits = write(tmp_path / "e.json", {"op": "set_field", "path": "agent.max_turns",
                                        "value": 2})
    result = run_cli("spec", "apply", str(edits))
    assert result.returncode == 0
    child = apply(default_spec(), [SetField(path="agent.max_turns", value=2)])
    assert f"saved spec {child.short_id}" in result.stdout
    assert f"hearth spec activate {child.short_id}" in result.stdout


# --- bad input: exit 2, one line naming the field and what is allowed, store unchanged ---


def _sf(path: str, value: Any) -> list[dict[str, Any]]:
    return [{"op": "set_field", "path": path, "value": value}]


BAD_EDITS = [
    pytest.param(_sf("intelligence.sampling.temperature", 5),
                 "intelligence.sampling.temperature", "less than or equal to 2", id="temp-5"),
    pytest.param(_sf("intelligence.sampling.top_p", 1.5), "intelligence.sampling.top_p",
                 "less than or equal to 1", id="top_p-1.5"),
    pytest.param(_sf("engine.n_ctx", 100), "engine.n_ctx", "greater than or equal to 256",
                 id="n_ctx-100"),
    pytest.param(_sf("engine.n_ctx", 200_000), "engine.n_ctx", "less than or equal to 131072",
                 id="n_ctx-200000"),
    pytest.param(_sf("intelligence.sampling.max_tokens", 0), "intelligence.sampling.max_tokens",
                 "greater than or equal to 1", id="max_tokens-0"),
    pytest.param(_sf("intelligence.sampling.max_tokens", 9000),
                 "intelligence.sampling.max_tokens", "less than or equal to 8192",
                 id="max_tokens-9000"),
    pytest.param(_sf("intelligence.sampling", {"temperature": 0.5, "colour": 1}),
                 "intelligence.sampling.colour", "unknown field", id="unknown-spec-field"),
    pytest.param([{"op": "enable_tool", "name": "clock", "colour": 1}], "edits.0.colour",
                 "unknown field", id="unknown-edit-field"),
    pytest.param([{"op": "make_it_better"}], "edits.0", "known ops: set_field",
                 id="unknown-op"),
    pytest.param(_sf("engine.n_ctxx", 512), "engine.n_ctxx", "fields there:", id="no-such-path"),
    pytest.param(_sf("lineage.parent_id", None), "lineage.parent_id", "read-only",
                 id="lineage"),
    pytest.param(_sf("schema_version", 2), "schema_version", "read-only", id="schema_version"),
    pytest.param([{"op": "remove_few_shot", "index": 5}], "agent.few_shot.5", "there are 2",
                 id="remove-few-shot-out-of-range"),
    pytest.param([{"op": "enable_tool", "name": "web_search"}], "tools.tools",
                 "the spec lists: calculator", id="enable-unlisted-tool"),
    pytest.param([{"op": "set_model", "model": "llama-70b"}], "intelligence.model",
                 "smollm2-135m-instruct, gemma3-270m", id="unresolvable-model"),
    pytest.param("[{", "", "not valid JSON", id="malformed-json"),
    pytest.param(b'[{"op": "set_system_prompt", "prompt": "caf\xe9"}]', "", "not UTF-8",
                 id="not-utf8"),
]


def _check_refusal(result: subprocess.CompletedProcess[str], path: str, rule: str) -> None:
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("hearth: error: ")
    if path:
        assert line.startswith(f"hearth: error: {path}: ")
    assert rule in line


@pytest.fixture
def populated(store: SpecStore) -> SpecStore:
    """A store with history: two versions, the second active."""
    base = default_spec()
    store.save(base, note="built-in")
    store.activate(apply(base, [SetField(path="agent.max_turns", value=3)]))
    return store


def _snapshot(store: SpecStore) -> tuple[list[dict[str, Any]], str]:
    return [v.as_json() for v in store.history()], store.active().id


@pytest.mark.parametrize(("edits", "path", "rule"), BAD_EDITS)
def test_apply_refuses_bad_edits(populated: SpecStore, tmp_path: Path, edits: Any,
                                 path: str, rule: str) -> None:
    file = tmp_path / "edits.json"
    if isinstance(edits, bytes):
        file.write_bytes(edits)
    elif isinstance(edits, str):
        file.write_text(edits, encoding="utf-8")
    else:
        write(file, edits)
    before = _snapshot(populated)
    for extra in ((), ("--json",)):
        _check_refusal(run_cli("spec", "apply", str(file), *extra), path, rule)
    assert _snapshot(populated) == before


def _spec_with(path: str, value: Any) -> dict[str, Any]:
    data = default_spec().model_dump(mode="json")
    *parents, last = path.split(".")
    node = data
    for part in parents:
        node = node[part]
    node[last] = value
    return data


BAD_SPECS = [
    pytest.param(_spec_with("intelligence.sampling.temperature", 5),
                 "intelligence.sampling.temperature", "less than or equal to 2", id="temp-5"),
    pytest.param(_spec_with("intelligence.sampling.top_p", 1.5), "intelligence.sampling.top_p",
                 "less than or equal to 1", id="top_p-1.5"),
    pytest.param(_spec_with("engine.n_ctx", 100), "engine.n_ctx",
                 "greater than or equal to 256", id="n_ctx-100"),
    pytest.param(_spec_with("engine.n_ctx", 200_000), "engine.n_ctx",
                 "less than or equal to 131072", id="n_ctx-200000"),
    pytest.param(_spec_with("intelligence.sampling.max_tokens", 0),
                 "intelligence.sampling.max_tokens", "greater than or equal to 1",
                 id="max_tokens-0"),
    pytest.param(_spec_with("intelligence.sampling.max_tokens", 9000),
                 "intelligence.sampling.max_tokens", "less than or equal to 8192",
                 id="max_tokens-9000"),
    pytest.param(_spec_with("engine.colour", "red"), "engine.colour", "unknown field",
                 id="unknown-field"),
    pytest.param(_spec_with("intelligence.model", "/nowhere/x.gguf"), "intelligence.model",
                 "smollm2-135m-instruct, gemma3-270m", id="unresolvable-model"),
    pytest.param(_spec_with("lineage.edits", [{"op": "teleport"}]), "lineage.edits.0",
                 "unknown op 'teleport'", id="unknown-op-in-lineage"),
    pytest.param('{"intelligence": {"model": ', "", "not valid JSON", id="malformed-json"),
]


@pytest.mark.parametrize(("spec", "path", "rule"), BAD_SPECS)
def test_validate_refuses_bad_specs(populated: SpecStore, tmp_path: Path, spec: Any,
                                    path: str, rule: str) -> None:
    file = tmp_path / "spec.json"
    if isinstance(spec, str):
        file.write_text(spec, encoding="utf-8")
    else:
        write(file, spec)
    before = _snapshot(populated)
    for extra in ((), ("--json",)):
        _check_refusal(run_cli("spec", "validate", str(file), *extra), path, rule)
    if path != "intelligence.model":  # diff compares specs; it need not find their models
        _check_refusal(run_cli("spec", "diff", "default", str(file)), path, rule)
    assert _snapshot(populated) == before


@pytest.mark.parametrize(
    ("args", "rule"),
    [
        pytest.param(("show", "ffffffffffff"), "no stored spec 'ffffffffffff'", id="show"),
        pytest.param(("activate", "nonsense"), "use a built-in: default, gemma3-270m",
                     id="activate"),
        pytest.param(("export", "0000"), "no stored spec", id="export"),
        pytest.param(("diff", "default", "missing.json"), "cannot read missing.json",
                     id="diff-missing-file"),
        pytest.param(("apply", "missing.json"), "cannot read missing.json", id="apply-missing"),
    ],
)
def test_unknown_references_are_user_errors(populated: SpecStore, args: tuple[str, ...],
                                            rule: str) -> None:
    before = _snapshot(populated)
    _check_refusal(run_cli("spec", *args), "", rule)
    assert _snapshot(populated) == before


def test_home_that_is_a_file_is_a_user_error(settings: Settings, tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("")
    result = run_cli("spec", "history", env={"HEARTH_HOME": str(blocker)})
    _check_refusal(result, "", "check HEARTH_HOME")
