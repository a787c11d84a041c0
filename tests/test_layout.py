"""The layout rules of DESIGN.md that imports can break: checked on the source."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT

SRC = ROOT / "src" / "hearth"


def imports(path: Path) -> set[str]:
    """Every module a file imports (at any depth, TYPE_CHECKING blocks included)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found |= {node.module} | {f"{node.module}.{a.name}" for a in node.names}
    return found


def imports_of(package: str) -> set[str]:
    return set().union(*(imports(p) for p in (SRC / package).rglob("*.py")))


def test_bench_never_imports_search_and_ships_no_harness():
    assert not {m for m in imports_of("bench") if m.startswith("hearth.search")}
    assert not list((SRC / "bench").glob("_perf_*.py"))
    assert not (SRC / "bench" / "__main__.py").exists()


def test_bridge_and_edge_runtime_meet_only_through_the_queue():
    bridge, runtime = imports_of("bridge"), imports_of("edge_runtime")
    assert not {m for m in bridge if m.startswith(("hearth.edge_runtime", "hearth.search"))}
    assert not {m for m in runtime if m.startswith("hearth.bridge")}


def test_the_small_import_circles_stay_broken():
    assert not {m for m in imports(SRC / "bridge" / "_handlers.py") if "_telegram" in m}
    assert not {m for m in imports(SRC / "cli" / "_run.py")
                if m.startswith(("hearth.cli._chats", "hearth.cli._up"))}
    assert "hearth.cli._run" not in imports(SRC / "cli" / "_chats.py") | imports(
        SRC / "cli" / "_up.py")


def test_the_bridge_process_loads_no_model_or_database_library():
    # Every module the bridge loads stays in its memory for months; DuckDB alone
    # is about 27 MB of a 150 MB budget (issue 14), llama.cpp far more.
    import subprocess
    import sys

    probe = ("import sys, hearth.bridge, hearth.bridge._run\n"
             "print(' '.join(m for m in ('duckdb', 'llama_cpp', 'numpy', 'matplotlib')"
             " if m in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            check=True).stdout.split()
    assert loaded == []
