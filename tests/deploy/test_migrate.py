"""A home written by the previous layout (version 0) is backed up, then migrated in place."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from hearth._migrate import (
    BACKUPS,
    CURRENT,
    MigrationError,
    inspect_home,
    migrate_home,
)
from hearth.edge_runtime import MemoryStore, Trace, chat_salt
from hearth.edge_runtime._index import terms
from hearth.specs import SetField, SpecStore, apply, canonical_json, default_spec, spec_to_json
from tests.deploy.conftest import run_command

T0 = datetime(2025, 1, 1, 12, 0, tzinfo=UTC)
MESSAGES = [
    ("chat-a", "m1", "user", "my cat is called Miso and she likes tuna"),
    ("chat-a", "m1", "assistant", "Miso sounds lovely; tuna is a classic"),
    ("chat-a", "m2", "user", "remind me what my cat eats"),
    ("chat-b", "m3", "user", "the train to Lyon leaves at nine"),
]
FACTS = [("chat-a", "the user's cat Miso is allergic to chicken")]

# The previous release's layout, as it created its files (see hearth._migrate).
V0_SPECS = """
CREATE TABLE spec_versions (
    id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, body VARCHAR NOT NULL, parent_id VARCHAR,
    edits VARCHAR NOT NULL, note VARCHAR NOT NULL DEFAULT '', created_at TIMESTAMPTZ NOT NULL);
CREATE SEQUENCE activation_seq;
CREATE TABLE activations (
    seq BIGINT PRIMARY KEY DEFAULT nextval('activation_seq'), spec_id VARCHAR NOT NULL,
    activated_at TIMESTAMPTZ NOT NULL);
"""
V0_WORKER = """
CREATE TABLE meta (key VARCHAR NOT NULL, value BIGINT NOT NULL);
CREATE TABLE chats (
    chat_key BIGINT NOT NULL, chat_id VARCHAR NOT NULL, window_start BIGINT NOT NULL);
CREATE TABLE docs (
    doc_id BIGINT PRIMARY KEY, chat_key BIGINT NOT NULL, is_fact BOOLEAN NOT NULL, role VARCHAR,
    message_id VARCHAR, body VARCHAR NOT NULL, ts TIMESTAMP NOT NULL, n_terms INTEGER NOT NULL);
CREATE TABLE postings (chat_key BIGINT NOT NULL, term VARCHAR NOT NULL, doc_id BIGINT NOT NULL,
    tf INTEGER NOT NULL);
CREATE TABLE traces (
    message_id VARCHAR NOT NULL, chat_hash VARCHAR NOT NULL, spec_id VARCHAR NOT NULL,
    model VARCHAR NOT NULL, queue_wait_ms DOUBLE, first_token_ms DOUBLE, total_ms DOUBLE,
    prompt_tokens INTEGER, completion_tokens INTEGER, tokens_per_s DOUBLE,
    tool_calls VARCHAR NOT NULL, error VARCHAR, status VARCHAR NOT NULL, category VARCHAR,
    user_text VARCHAR, reply_text VARCHAR, created_at TIMESTAMP NOT NULL);
"""


def _specs():
    base = default_spec()
    child = apply(base, [SetField(path="intelligence.sampling.temperature", value=0.3)])
    return base, child


def write_v0_specs(path: Path) -> None:
    con = duckdb.connect(str(path))
    con.execute(V0_SPECS)
    for i, spec in enumerate(_specs()):
        edits = canonical_json([e.model_dump(mode="json") for e in spec.lineage.edits])
        con.execute("INSERT INTO spec_versions VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [spec.id, spec.name, spec_to_json(spec), spec.lineage.parent_id, edits,
                     f"note {i}", T0 + timedelta(minutes=i)])
        con.execute("INSERT INTO activations (spec_id, activated_at) VALUES (?, ?)",
                    [spec.id, T0 + timedelta(minutes=i)])
    con.close()


def write_v0_worker(path: Path, salt: str) -> None:
    """Chats, messages, facts and a trace, written the way version 0 did."""
    con = duckdb.connect(str(path))
    con.execute(V0_WORKER)
    next_id, keys = 1, {}
    docs = [(c, m, r, t) for c, m, r, t in MESSAGES] + [(c, None, None, t) for c, t in FACTS]
    for n, (chat, message_id, role, text) in enumerate(docs):
        if chat not in keys:
            keys[chat] = next_id
            con.execute("INSERT INTO chats VALUES (?, ?, 0)", [next_id, chat])
            next_id += 1
        counts = Counter(terms(text))
        at = (T0 + timedelta(minutes=n)).replace(tzinfo=None)
        con.execute("INSERT INTO docs VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [next_id, keys[chat], role is None, role, message_id, text, at,
                     counts.total()])
        for term, tf in counts.items():
            con.execute("INSERT INTO postings VALUES (?, ?, ?, ?)", [keys[chat], term, next_id, tf])
        next_id += 1
    con.execute("INSERT INTO meta VALUES ('next_id', ?)", [next_id])
    trace = Trace(message_id="m1", chat_hash="h", spec_id="s", model="smollm2", user_text="x",
                  reply_text="y", created_at=T0)
    con.execute("INSERT INTO traces VALUES (?, ?, ?, ?, NULL, NULL, NULL, NULL, NULL, NULL, "
                "'[]', NULL, 'ok', NULL, ?, ?, ?)",
                [trace.message_id, trace.chat_hash, trace.spec_id, trace.model, trace.user_text,
                 trace.reply_text, T0.replace(tzinfo=None)])
    con.close()
    del salt


def fresh_store(path: Path, salt: str) -> MemoryStore:
    """The same memory (same times) written by the current release, for comparison."""
    store = MemoryStore(path, chat_salt=salt)
    for chat in ("chat-a", "chat-b"):
        messages = [{"message_id": m, "role": r, "text": t, "at": T0 + timedelta(minutes=n)}
                    for n, (c, m, r, t) in enumerate(MESSAGES) if c == chat]
        facts = [{"text": t, "at": T0 + timedelta(minutes=len(MESSAGES) + n)}
                 for n, (c, t) in enumerate(FACTS) if c == chat]
        store.import_chat({"chat_id": chat, "messages": messages, "facts": facts})
    return store


@pytest.fixture
def old_home(home: Path) -> Path:
    write_v0_specs(home / "specs.duckdb")
    write_v0_worker(home / "worker-w1.duckdb", chat_salt(home))
    return home


def test_an_old_home_is_reported_as_version_0(old_home: Path) -> None:
    states = {s.path.name: s for s in inspect_home(old_home)}
    assert states["specs.duckdb"].version == 0 and states["specs.duckdb"].needs_migration
    assert states["worker-w1.duckdb"].version == 0 and states["worker-w1.duckdb"].needs_migration


def test_migration_backs_up_then_upgrades_in_place(old_home: Path, tmp_path: Path) -> None:
    originals = {p.name: p.read_bytes() for p in old_home.glob("*.duckdb")}
    # Turns a killed worker left in its journal, not yet moved into DuckDB.
    journal = old_home / "worker-w1.duckdb.journal.1"
    journal.write_text('{"turn": "not yet in DuckDB"}\n')
    report = migrate_home(old_home, now=datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC))

    assert report.backup == old_home / BACKUPS / "20260304T050607Z"
    assert {p.name: p.read_bytes() for p in report.backup.glob("*.duckdb")} == originals
    assert (report.backup / journal.name).read_bytes() == journal.read_bytes()
    assert sorted(s.path.name for s in report.migrated) == ["specs.duckdb", "worker-w1.duckdb"]
    assert all(s.version == CURRENT[s.kind] for s in inspect_home(old_home))
    # The backup is still the old layout, so it can be restored as it was.
    con = duckdb.connect(str(report.backup / "worker-w1.duckdb"), read_only=True)
    assert con.execute("SELECT count(*) FROM meta WHERE key = 'schema_version'").fetchone() == (0,)
    con.close()

    # A second run has nothing to do and makes no second backup.
    again = migrate_home(old_home)
    assert again.backup is None and again.migrated == []
    assert len(list((old_home / BACKUPS).iterdir())) == 1


def test_migrated_specs_keep_history_and_the_active_spec(old_home: Path) -> None:
    migrate_home(old_home)
    base, child = _specs()
    store = SpecStore(old_home / "specs.duckdb")
    history = store.history()
    assert [v.id for v in history] == [base.id, child.id]
    assert [(v.note, v.status, v.gate_scores) for v in history] == [
        ("note 0", "saved", None), ("note 1", "saved", None)]
    assert store.active().id == child.id
    assert store.rollback().id == base.id  # the new rolled_back column works
    store.save(apply(child, [SetField(path="intelligence.sampling.top_k", value=20)]),
               gate_scores={"x": 1.0}, status="pending")
    assert store.history()[-1].status == "pending"


def test_migrated_memory_answers_like_a_fresh_one(old_home: Path, tmp_path: Path) -> None:
    migrate_home(old_home)
    salt = chat_salt(old_home)
    fresh = fresh_store(tmp_path / "fresh.duckdb", salt)
    with MemoryStore(old_home / "worker-w1.duckdb", chat_salt=salt) as migrated:
        assert migrated.db.schema_version == CURRENT["worker"]
        for chat in ("chat-a", "chat-b"):
            assert migrated.history(chat, 10) == fresh.history(chat, 10)
            assert [f.text for f in migrated.facts(chat)] == [f.text for f in fresh.facts(chat)]
        for query in ("what does my cat eat", "Miso chicken", "train Lyon"):
            got = [(h.kind, h.text, round(h.score, 6)) for h in migrated.search("chat-a", query, 3)]
            want = [(h.kind, h.text, round(h.score, 6)) for h in fresh.search("chat-a", query, 3)]
            assert got == want
        # Writing after the migration keeps ids unique and the index consistent.
        migrated.add_message("chat-a", "user", "Miso also likes salmon", message_id="m9",
                             at=T0 + timedelta(hours=1))
        assert migrated.search("chat-a", "salmon", 1)[0].text == "Miso also likes salmon"
        assert migrated.traces.set_feedback("m1", "down")
        assert migrated.traces.get("m1").feedback == "down"
        assert json.dumps(migrated.export_chat("chat-b"))
    fresh.close()


def test_a_file_newer_than_this_hearth_is_refused(home: Path) -> None:
    con = duckdb.connect(str(home / "specs.duckdb"))
    con.execute("CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)")
    con.execute("INSERT INTO meta VALUES ('schema_version', '99')")
    con.close()
    with pytest.raises(MigrationError, match="upgrade Hearth"):
        migrate_home(home)
    assert not (home / BACKUPS).exists()


def test_a_current_home_is_left_alone(home: Path) -> None:
    SpecStore(home / "specs.duckdb").activate(default_spec())
    MemoryStore(home / "worker-w1.duckdb", chat_salt="s").close()
    report = migrate_home(home)
    assert report.backup is None and report.migrated == []


def test_a_file_in_use_is_left_alone_and_reported(old_home: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
         "print('ready', flush=True); time.sleep(60)", str(old_home / "worker-w1.duckdb")],
        stdout=subprocess.PIPE)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == b"ready"
        report = migrate_home(old_home)
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()
    assert [s.path.name for s in report.skipped_in_use] == ["worker-w1.duckdb"]
    assert [s.path.name for s in report.migrated] == ["specs.duckdb"]
    assert report.backup is not None
    assert sorted(p.name for p in report.backup.iterdir()) == ["specs.duckdb"]
    # The worker that held it migrates it when it next starts; so does a later run.
    assert [s.path.name for s in migrate_home(old_home).migrated] == ["worker-w1.duckdb"]


def test_the_migrate_command(old_home: Path, settings, capsys) -> None:
    assert run_command(settings, "migrate", "--check") == 1
    assert "specs.duckdb: version 0 -> 1" in capsys.readouterr().out
    assert run_command(settings, "migrate") == 0
    out = capsys.readouterr().out
    assert "migrated specs.duckdb, worker-w1.duckdb; the old files are in " in out
    assert run_command(settings, "migrate", "--check") == 0
