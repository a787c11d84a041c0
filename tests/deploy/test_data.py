"""`hearth export` then `hearth import` into a fresh home: the same memory and spec history."""

from __future__ import annotations

import json
import stat
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from hearth.cli._data import EXPORT_VERSION, export_home, import_home
from hearth.edge_runtime import MemoryStore, chat_salt
from hearth.edge_runtime._memory import StoredMessage
from hearth.errors import HearthError, PayloadInvalid
from hearth.queue import home_of
from hearth.settings import Settings
from hearth.specs import SetField, SpecStore, apply, default_spec
from tests.deploy.conftest import run_command

T0 = datetime(2025, 6, 1, 8, 0, tzinfo=UTC)


def _messages(prefix: str, texts: list[str], start: int = 0) -> list[StoredMessage]:
    return [StoredMessage(message_id=f"{prefix}{i}", role="user" if i % 2 == 0 else "assistant",
                          text=t, at=T0 + timedelta(minutes=start + i))
            for i, t in enumerate(texts)]


def build_home(home: Path) -> None:
    """Two workers' memory (one chat reset halfway) and a spec history with a rollback."""
    store = SpecStore(home / "specs.duckdb")
    base = store.activate(default_spec())
    warm = apply(base, [SetField(path="intelligence.sampling.temperature", value=0.9)])
    cool = apply(base, [SetField(path="intelligence.sampling.temperature", value=0.2)])
    store.save(warm, note="tried warmer", gate_scores={"chat": 0.5, "tools": 0.7})
    store.activate(warm)
    store.rollback()
    store.save(cool, note="cooler", gate_scores={"chat": 0.8}, status="pending")
    salt = chat_salt(home)
    with MemoryStore(home / "worker-desk.duckdb", chat_salt=salt) as memory:
        memory.add_messages_bulk("chat-a", _messages("a", ["I live in Porto", "Nice city"]))
        memory.reset("chat-a")
        memory.add_messages_bulk("chat-a", _messages("b", ["My sister is Ana", "Noted"], 5))
        memory.add_fact("chat-a", "the user's sister is called Ana")
    with MemoryStore(home / "worker-laptop.duckdb", chat_salt=salt) as memory:
        memory.add_messages_bulk("chat-b", _messages("c", ["book the dentist", "On it"]))


def activations(home: Path) -> list[tuple]:
    con = duckdb.connect(str(home / "specs.duckdb"), read_only=True)
    try:
        return con.execute("SELECT spec_id, activated_at, rolled_back FROM activations "
                           "ORDER BY seq").fetchall()
    finally:
        con.close()


def memory_view(home: Path, worker: str, chat: str) -> dict:
    with MemoryStore(home / f"worker-{worker}.duckdb", chat_salt=chat_salt(home)) as memory:
        return {"export": memory.export_chat(chat), "history": memory.history(chat, 20),
                "facts": [f.text for f in memory.facts(chat)],
                "search": [(h.kind, h.text) for h in memory.search(chat, "sister Porto", 5)]}


def settings_for(home: Path, **values) -> Settings:
    return Settings(home=home, **values)


def test_export_then_import_gives_the_same_memory_and_spec_history(settings, home, tmp_path,
                                                                  capsys):
    build_home(home)
    file = tmp_path / "hearth-export.json"
    assert run_command(settings_for(home), "export", str(file)) == 0
    assert stat.S_IMODE(file.stat().st_mode) == 0o600
    data = json.loads(file.read_text())
    assert data["format_version"] == EXPORT_VERSION
    assert sorted(c["memory"]["chat_id"] for c in data["chats"]) == ["chat-a", "chat-b"]

    fresh = tmp_path / "new-home"
    assert run_command(settings_for(fresh, worker_id="newbox"), "import", str(file)) == 0
    assert "imported 2 chat(s) into worker newbox" in capsys.readouterr().out

    old_store, new_store = SpecStore(home / "specs.duckdb"), SpecStore(fresh / "specs.duckdb")
    assert [v.as_json() for v in new_store.history()] == [v.as_json() for v in old_store.history()]
    assert new_store.active() == old_store.active()
    assert activations(fresh) == activations(home)
    for worker, chat in (("desk", "chat-a"), ("laptop", "chat-b")):
        assert memory_view(fresh, "newbox", chat) == memory_view(home, worker, chat)

    # Importing again changes nothing: the import is idempotent.
    assert run_command(settings_for(fresh, worker_id="newbox"), "import", str(file)) == 0
    assert activations(fresh) == activations(home)
    assert memory_view(fresh, "newbox", "chat-a") == memory_view(home, "desk", "chat-a")


def test_export_of_one_chat_without_specs(settings, home):
    build_home(home)
    data = export_home(home, chats=["chat-b"], include_specs=False)
    assert [c["worker_id"] for c in data["chats"]] == ["laptop"]
    assert data["specs"] is None
    with pytest.raises(HearthError, match="no memory of chat"):
        export_home(home, chats=["chat-zzz"])


def test_importing_keeps_this_homes_own_active_spec(settings, home, tmp_path):
    build_home(home)
    data = export_home(home)
    other = tmp_path / "other"
    mine = apply(default_spec(), [SetField(path="intelligence.sampling.top_k", value=7)])
    SpecStore(other / "specs.duckdb").activate(mine)
    result = import_home(other, data, worker_id="w9")
    assert result.activations_kept and result.activations_added == 0
    assert SpecStore(other / "specs.duckdb").active() == mine
    assert result.specs_added == len(data["specs"]["versions"])


def test_import_makes_the_worker_home_of_the_chats(settings, home, tmp_path, redis_url,
                                                   rclient):
    build_home(home)
    file = tmp_path / "x.json"
    run_command(settings_for(home), "export", str(file))
    target = settings_for(tmp_path / "h2", worker_id="gpu-box", redis_url=redis_url)
    assert run_command(target, "import", str(file), "--no-specs") == 0
    assert home_of(rclient, "chat-a") == "gpu-box" and home_of(rclient, "chat-b") == "gpu-box"
    assert not (tmp_path / "h2" / "specs.duckdb").exists()


def test_a_worker_file_in_use_is_refused_with_the_fix(settings, home):
    build_home(home)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
         "print('ready', flush=True); time.sleep(60)", str(home / "worker-desk.duckdb")],
        stdout=subprocess.PIPE)
    try:
        assert holder.stdout.readline().strip() == b"ready"
        with pytest.raises(HearthError, match="stop that worker first"):
            export_home(home)
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()


@pytest.mark.parametrize("data", [
    {"format": "something-else"},
    {"format": "hearth-export", "format_version": EXPORT_VERSION + 1},
    [],
])
def test_a_foreign_or_newer_file_is_refused(settings, tmp_path, data):
    with pytest.raises(PayloadInvalid):
        import_home(tmp_path / "h", data, worker_id="w")


def test_a_tampered_spec_is_refused(settings, home, tmp_path):
    build_home(home)
    data = export_home(home)
    data["specs"]["versions"][0]["spec"]["intelligence"]["sampling"]["temperature"] = 1.5
    with pytest.raises(PayloadInvalid, match="does not match its content"):
        import_home(tmp_path / "h", data, worker_id="w")
