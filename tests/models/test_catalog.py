"""The catalog: local files added and pinned, tampering refused, part packages joined."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from hearth.errors import ModelError, ModelHashMismatch, ModelNotFound
from hearth.models import (
    BUILTIN_MODELS,
    BenchRecord,
    Catalog,
    CatalogEntry,
    FileStatus,
    LocalFile,
    PackageParts,
    catalog_for,
    installed_models,
    model_info,
    resolve_model,
)

QWEN = next(e for e in BUILTIN_MODELS if e.name == "qwen2.5-coder-0.5b-instruct")


def _gguf(path: Path, body: bytes = b"weights" * 1000) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"GGUF" + body)
    return path


def _add_local(home: Path, path: Path, name: str = "mine") -> None:
    catalog_for(home).add(CatalogEntry(name=name, source=LocalFile(path=str(path))))


# --- local files -------------------------------------------------------------------


def test_an_added_file_is_hashed_pinned_and_resolved_by_name(home: Path, tmp_path: Path) -> None:
    model = _gguf(tmp_path / "elsewhere" / "mine.gguf")
    _add_local(home, model)
    assert resolve_model("mine", home) == model
    info = catalog_for(home).info("mine")
    assert info.sha256 == hashlib.sha256(model.read_bytes()).hexdigest()
    assert info.size == model.stat().st_size
    assert info.status is FileStatus.VERIFIED
    assert "mine" in installed_models(home)
    assert model.exists()  # added files are used where they lie, never copied


def test_a_tampered_file_is_refused_at_load_with_the_fix(home: Path, tmp_path: Path) -> None:
    model = _gguf(tmp_path / "mine.gguf")
    _add_local(home, model)
    model.write_bytes(model.read_bytes().replace(b"weights", b"WEIGHTS", 1))
    with pytest.raises(ModelHashMismatch) as info:
        resolve_model("mine", home)
    error = info.value
    assert error.name == "mine" and error.path == str(model)
    assert "hearth models remove mine" in str(error) and "hearth models add" in str(error)
    # ... also when the spec names the file by path instead of by name
    with pytest.raises(ModelHashMismatch):
        resolve_model(str(model), home)
    assert "mine" not in installed_models(home)


def test_an_unchanged_stat_skips_rehashing_and_a_new_mtime_rehashes(home: Path,
                                                                    tmp_path: Path) -> None:
    model = _gguf(tmp_path / "mine.gguf")
    _add_local(home, model)
    stat = model.stat()
    # Same size, same mtime, other bytes: proves the remembered stat spared the hash ...
    model.write_bytes(model.read_bytes().replace(b"weights", b"WEIGHTS", 1))
    os.utime(model, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert resolve_model("mine", home) == model
    # ... and once the mtime moves, the file is hashed again and refused.
    os.utime(model, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    with pytest.raises(ModelHashMismatch):
        resolve_model("mine", home)


def test_add_refuses_what_is_not_a_gguf_file_and_builtin_names(home: Path,
                                                               tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("not a model")
    with pytest.raises(ModelNotFound, match="not a GGUF file"):
        _add_local(home, text)
    with pytest.raises(ModelNotFound, match="is not a file"):
        _add_local(home, tmp_path / "missing.gguf")
    with pytest.raises(ModelError, match="built-in"):
        _add_local(home, _gguf(tmp_path / "x.gguf"), name="smollm2-135m-instruct")
    assert catalog_for(home).state.read().entries == {}


def test_remove_forgets_an_added_file_but_leaves_it_alone(home: Path, tmp_path: Path) -> None:
    model = _gguf(tmp_path / "mine.gguf")
    _add_local(home, model)
    catalog_for(home).remove("mine")
    assert model.exists()
    with pytest.raises(ModelNotFound):
        resolve_model("mine", home)


# --- part packages -----------------------------------------------------------------


def _part_packages(root: Path, chunks: list[bytes], version: str = "1.0.0") -> PackageParts:
    """Installed-looking part packages (package folder + dist-info) under `root`."""
    names = []
    for number, chunk in enumerate(chunks, start=1):
        dist = f"hearth-test-part{number}"
        module = dist.replace("-", "_")
        (root / module / "data").mkdir(parents=True)
        (root / module / "__init__.py").write_text("")
        (root / module / "data" / f"part{number:02d}.bin").write_bytes(chunk)
        info = root / f"{module}-{version}.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(
            f"Metadata-Version: 2.1\nName: {dist}\nVersion: {version}\n")
        names.append(dist)
    return PackageParts(distributions=tuple(names), version=version, filename="joined.gguf")


@pytest.fixture
def parts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[PackageParts, bytes]:
    chunks = [b"GGUF" + b"a" * 5000, b"b" * 7000, b"c" * 300]
    site = tmp_path / "site"
    site.mkdir()
    source = _part_packages(site, chunks)
    monkeypatch.syspath_prepend(str(site))
    return source, b"".join(chunks)


def test_part_packages_are_joined_in_order_and_verified(home: Path, parts) -> None:
    source, whole = parts
    entry = CatalogEntry(name="joined", source=source, sha256=hashlib.sha256(whole).hexdigest(),
                         size=len(whole))
    catalog = Catalog(home / "models", extra=[entry])
    path = catalog.pull("joined", install=False)
    assert path == home / "models" / "joined.gguf"
    assert path.read_bytes() == whole
    assert catalog.info("joined").status is FileStatus.VERIFIED
    assert not (home / "models" / ".partial").exists()


@pytest.mark.parametrize("pin", ["sha256", "size"])
def test_a_join_with_the_wrong_digest_is_refused_and_nothing_is_kept(home: Path, parts,
                                                                     pin: str) -> None:
    source, whole = parts
    wrong = {"sha256": {"sha256": "0" * 64, "size": len(whole)},
             "size": {"sha256": hashlib.sha256(whole).hexdigest(), "size": len(whole) + 1}}
    entry = CatalogEntry(name="joined", source=source, **wrong[pin])
    catalog = Catalog(home / "models", extra=[entry])
    with pytest.raises(ModelHashMismatch):
        catalog.pull("joined", install=False)
    assert not list((home / "models").rglob("*.gguf*"))
    assert not list((home / "models").rglob("*.partial"))
    assert "joined" not in catalog.installed()


def test_a_missing_part_package_names_the_pull_command(home: Path, parts) -> None:
    source, _ = parts
    missing = source.model_copy(update={"distributions": (*source.distributions, "nope-part")})
    catalog = Catalog(home / "models", extra=[CatalogEntry(name="joined", source=missing)])
    with pytest.raises(ModelNotFound, match="hearth models pull joined"):
        catalog.pull("joined", install=False)


def test_the_qwen_part_packages_join_to_the_pinned_file(qwen_model_path: Path,
                                                        home: Path) -> None:
    assert qwen_model_path.stat().st_size == QWEN.size == 491_400_064
    digest = hashlib.sha256()
    with qwen_model_path.open("rb") as f:
        while block := f.read(1 << 22):
            digest.update(block)
    assert digest.hexdigest() == QWEN.sha256
    # The cached file resolves by path in any home, checked against the cache's catalog.
    assert resolve_model(str(qwen_model_path), home) == qwen_model_path
    assert Catalog(qwen_model_path.parent).info(QWEN.name).status is FileStatus.VERIFIED


# --- what the search and reports read ----------------------------------------------


def test_installed_models_are_the_verified_files_on_this_machine(home: Path,
                                                                 tmp_path: Path) -> None:
    # A fresh home: only the model that ships inside its package is there
    # (gemma's chunks are installed too, but it is not joined until first use).
    assert installed_models(home) == ["smollm2-135m-instruct"]
    _add_local(home, _gguf(tmp_path / "mine.gguf"))
    assert installed_models(home) == ["smollm2-135m-instruct", "mine"]


def test_model_info_carries_size_and_measured_speed(home: Path) -> None:
    info = model_info("qwen2.5-coder-0.5b-instruct", home)
    assert (info.size, info.entry.context_length, info.bench) == (491_400_064, 32768, None)
    assert info.status is FileStatus.MISSING
    record = BenchRecord(prompt_tokens_per_s=100.0, decode_tokens_per_s=20.0,
                         first_token_s=0.5, rss_delta_mb=600.0, prompt_tokens=170,
                         decode_tokens=64, n_threads=2, n_gpu_layers=0)
    catalog_for(home).record_bench("qwen2.5-coder-0.5b-instruct", record)
    again = model_info("qwen2.5-coder-0.5b-instruct", home)
    assert again.bench == record
    assert again.as_json()["bench"]["decode_tokens_per_s"] == 20.0
