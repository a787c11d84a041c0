"""SpecStore: versions, lineage, activation stack, durability, and all-or-nothing writes."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

from hearth.errors import SpecError, SpecNotFound
from hearth.specs import (
    SetField,
    Spec,
    SpecStore,
    apply,
    default_spec,
    gemma_spec,
)


@pytest.fixture
def store(home: Path) -> SpecStore:
    return SpecStore(home / "specs.duckdb")


def _chain() -> tuple[Spec, Spec, Spec]:
    a = default_spec()
    b = apply(a, [SetField(path="intelligence.sampling.temperature", value=0.7)])
    c = apply(b, [SetField(path="agent.max_turns", value=2)])
    return a, b, c


def _snapshot(store: SpecStore) -> tuple[list[tuple[str, str, str]], str]:
    rows = [(v.id, v.note, v.status) for v in store.history()]
    return rows, store.active().id


def test_save_and_get_by_id_and_prefix(store: SpecStore) -> None:
    _, b, _ = _chain()
    saved = store.save(b, note="warmer", gate_scores={"bench": 0.75, "judge": 0.5})
    assert saved.spec == b and saved.id == b.id
    assert saved.note == "warmer" and saved.status == "saved"
    assert saved.gate_scores == {"bench": 0.75, "judge": 0.5}
    assert isinstance(saved.created_at, datetime) and saved.created_at.tzinfo is not None
    for ref in (b.id, b.id[:12], b.id[:4], b.id[:8].upper()):
        got = store.get(ref)
        assert got.spec == b
        assert got.spec.lineage == b.lineage
    assert saved.as_json()["parent_id"] == default_spec().id
    assert saved.as_json()["edits"] == [
        {"op": "set_field", "path": "intelligence.sampling.temperature", "value": 0.7}
    ]


def test_save_is_idempotent_for_the_same_content(store: SpecStore) -> None:
    first = store.save(gemma_spec(), note="first")
    again = store.save(gemma_spec(), note="second")
    assert again.note == "first" and again.created_at == first.created_at
    assert [v.id for v in store.history()] == [gemma_spec().id]


def test_unknown_short_and_ambiguous_refs(store: SpecStore) -> None:
    store.save(default_spec())
    with pytest.raises(SpecNotFound, match=r"hearth spec history.*default, gemma3-270m"):
        store.get("0123456789abcdef")
    with pytest.raises(SpecNotFound):
        store.get(default_spec().id[:3])  # under four digits is never a prefix
    with pytest.raises(SpecNotFound):
        store.get("not-hex")
    seen: dict[str, Spec] = {}
    pair: tuple[Spec, Spec] | None = None
    for i in range(20_000):
        spec = apply(default_spec(), [SetField(path="name", value=f"n{i}")])
        twin = seen.setdefault(spec.id[:4], spec)
        if twin is not spec:
            pair = (twin, spec)
            break
    assert pair is not None
    store.save(pair[0])
    store.save(pair[1])
    with pytest.raises(SpecNotFound, match="ambiguous; give more digits"):
        store.get(pair[0].id[:4])
    assert store.get(pair[0].id[:12]).spec == pair[0]
    assert store.get(pair[1].id[:12]).spec == pair[1]


def test_builtin_names_are_saved_on_first_use(store: SpecStore) -> None:
    assert store.history() == []
    version = store.get("gemma3-270m")
    assert version.spec == gemma_spec() and version.note == "built-in"
    assert [v.id for v in store.history()] == [gemma_spec().id]


def test_history_is_oldest_first_with_lineage(store: SpecStore) -> None:
    a, b, c = _chain()
    for spec in (a, b, c):
        store.save(spec)
    history = store.history()
    assert [v.id for v in history] == [a.id, b.id, c.id]
    assert [v.spec.lineage.parent_id for v in history] == [None, a.id, b.id]
    assert history[2].spec.lineage.edits == (SetField(path="agent.max_turns", value=2),)
    assert history[0].created_at <= history[1].created_at <= history[2].created_at


def test_set_status(store: SpecStore) -> None:
    _, b, _ = _chain()
    store.save(b, status="pending")
    assert store.get(b.id).status == "pending"
    assert store.set_status(b.id[:10], "approved").status == "approved"
    assert store.history()[0].status == "approved"


def test_activate_and_rollback_are_a_stack(store: SpecStore) -> None:
    a, b, c = _chain()
    assert store.active() == a  # nothing activated: the built-in default
    with pytest.raises(SpecError, match="nothing to roll back"):
        store.rollback()
    assert store.activate(b) == b  # a spec not yet stored is saved first
    assert store.get(b.id).spec == b
    store.save(c)
    assert store.activate(c.id[:8]) == c
    assert store.active() == c
    assert store.rollback() == b
    assert store.active() == b
    assert store.rollback() == a
    with pytest.raises(SpecError, match="nothing to roll back"):
        store.rollback()
    store.activate(b.id)
    store.activate(c.id)
    store.activate(b.id)
    assert store.rollback() == c
    assert store.rollback() == b
    assert store.rollback() == a
    assert [v.id for v in store.history()] == [b.id, c.id]


def test_activate_unknown_id_changes_nothing(store: SpecStore) -> None:
    store.activate(gemma_spec())
    before = _snapshot(store)
    with pytest.raises(SpecNotFound):
        store.activate("abcdef012345")
    assert _snapshot(store) == before


_WRITER = """
import sys
from pathlib import Path
from hearth.specs import SpecStore, SetField, apply, default_spec
store = SpecStore(Path(sys.argv[1]))
child = apply(default_spec(), [SetField(path="agent.max_turns", value=7)])
store.save(child, note="from the first process", gate_scores={"bench": 1.0})
store.activate(child.id)
print(child.id)
"""

_READER = """
import json, sys
from pathlib import Path
from hearth.specs import SpecStore
store = SpecStore(Path(sys.argv[1]))
print(json.dumps({"active": store.active().id,
                  "history": [v.as_json() for v in store.history()]}))
"""


def test_store_survives_a_process_restart(store: SpecStore) -> None:
    def run(code: str) -> str:
        return subprocess.run([sys.executable, "-c", code, str(store.path)], check=True,
                              capture_output=True, text=True, timeout=60).stdout

    written = run(_WRITER).strip()
    seen: dict[str, Any] = json.loads(run(_READER))
    assert seen["active"] == written
    [row] = seen["history"]
    assert row["id"] == written
    assert row["parent_id"] == default_spec().id
    assert row["note"] == "from the first process"
    assert row["gate_scores"] == {"bench": 1.0}
    assert store.active().agent.max_turns == 7


class _FailsAfterInsert(SpecStore):
    """A store whose write fails after the row went in, inside the transaction."""

    def _insert(self, con: duckdb.DuckDBPyConnection, spec: Spec, **kwargs: Any) -> None:
        super()._insert(con, spec, **kwargs)
        raise OSError("disk full")


class _ViolatesConstraint(SpecStore):
    """A store whose second statement breaks a NOT NULL constraint."""

    def _insert(self, con: duckdb.DuckDBPyConnection, spec: Spec, **kwargs: Any) -> None:
        super()._insert(con, spec, **kwargs)
        con.execute("INSERT INTO spec_versions (id, name, body, edits, created_at) "
                    "VALUES ('x', 'x', NULL, '[]', now())")


@pytest.mark.parametrize("broken", [_FailsAfterInsert, _ViolatesConstraint])
def test_a_failed_write_leaves_the_store_as_it_was(store: SpecStore,
                                                   broken: type[SpecStore]) -> None:
    a, b, c = _chain()
    store.save(a)
    store.activate(b)
    before = _snapshot(store)
    failing = broken(store.path)
    with pytest.raises((OSError, duckdb.ConstraintException)):
        failing.save(c, note="never")
    assert _snapshot(store) == before
    with pytest.raises((OSError, duckdb.ConstraintException)):
        failing.activate(c)
    assert _snapshot(store) == before
    assert store.active() == b
    # The store still works normally afterwards.
    store.activate(c)
    assert store.active() == c


def test_home_that_is_a_file_is_a_clear_error(tmp_path: Path) -> None:
    not_a_dir = tmp_path / "home"
    not_a_dir.write_text("")
    with pytest.raises(SpecError, match="check HEARTH_HOME"):
        SpecStore(not_a_dir / "specs.duckdb").history()
