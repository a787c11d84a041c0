"""Model references as specs hold them: a catalog name or a GGUF path, resolved to a file."""

from __future__ import annotations

from pathlib import Path

from hearth.errors import ModelNotFound
from hearth.models._catalog import Catalog
from hearth.models._info import ModelInfo
from hearth.models._state import STATE_FILE

#: The folder, under HEARTH_HOME, that holds pulled models and the catalog state.
MODELS_DIR = "models"


def catalog_for(home: Path) -> Catalog:
    """The catalog of a Hearth home (``HEARTH_HOME/models``)."""
    return Catalog(home / MODELS_DIR)


def resolve_model(reference: str, home: Path) -> Path:
    """Return the verified GGUF file for a catalog name or a path.

    A name must be on this machine (pulled, or shipped with Hearth); its file
    must still hash to the pinned digest, else `ModelHashMismatch` says how to
    fix it. A path is used as given; relative paths are tried from the current
    folder, then under HEARTH_HOME/models. A path the catalog recorded (in the
    home or next to the file) is verified like a name.
    """
    catalog = catalog_for(home)
    if reference in catalog.entries():
        return catalog.path(reference)
    path = Path(reference).expanduser()
    if not path.is_absolute():
        path = path.resolve() if path.exists() else home / MODELS_DIR / path
    if not path.is_file():
        raise ModelNotFound(
            f"model {reference!r} is neither a catalog name ({', '.join(catalog.entries())}) "
            f"nor a GGUF file (looked at {path}); see `hearth models list`")
    path = catalog.check_path(path)
    if path.parent != catalog.models_dir and (path.parent / STATE_FILE).is_file():
        path = Catalog(path.parent).check_path(path)
    return path


def installed_models(home: Path) -> list[str]:
    """Catalog names whose files are on this machine and verified (hashing new ones once)."""
    return catalog_for(home).installed()


def model_info(name: str, home: Path) -> ModelInfo:
    """Entry, file status and measured speed of one model, for reports (hashes nothing)."""
    return catalog_for(home).info(name)


def list_models(home: Path) -> list[ModelInfo]:
    """Every catalog entry as this machine sees it (hashes nothing)."""
    catalog = catalog_for(home)
    return [catalog.info(name) for name in catalog.entries()]


def ensure_model(name: str, models_dir: Path) -> Path:
    """The verified file of `name` in `models_dir`, pulled there first if needed.

    For a folder shared between homes, such as a test suite's cache
    (``~/.cache/hearth/models``), so a 500 MB model is fetched once per machine.
    """
    return Catalog(models_dir).pull(name)
