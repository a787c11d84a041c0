"""`hearth export` and `hearth import`: chats' memory and the spec history, in one file.

Moving to a new machine: stop the worker, ``hearth export hearth.json`` on the
old one, copy the file, ``hearth import hearth.json`` on the new one (its worker
stopped too), start it. The file is JSON (`EXPORT_FORMAT`, version
`EXPORT_VERSION`) and holds every stored spec version with its note, status,
gate scores and creation time, the activation log, and each chat's messages
(including those before a /reset) and facts. Traces stay behind: they are
local learning data, deleted after the retention period anyway.

Importing is idempotent: spec versions are merged by content id, a chat's
memory replaces what the target file had of that chat, and with REDIS_URL set
each imported chat's home becomes the importing worker.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from hearth import __version__
from hearth._migrate import migrate_home
from hearth.cli._output import emit
from hearth.errors import HearthError, PayloadInvalid
from hearth.settings import Settings

#: The `format` field of an export file.
EXPORT_FORMAT = "hearth-export"
#: Version of the export file layout; an import reads this version and older.
EXPORT_VERSION = 1


def _worker_files(home: Path) -> dict[str, Path]:
    return {p.name.removeprefix("worker-").removesuffix(".duckdb"): p
            for p in sorted(home.glob("worker-*.duckdb"))}


def _open_memory(home: Path, path: Path) -> Any:
    from hearth.edge_runtime import MemoryStore, chat_salt
    from hearth.edge_runtime._db import StorageError

    try:
        return MemoryStore(path, chat_salt=chat_salt(home))
    except StorageError as exc:
        worker = path.name.removeprefix("worker-").removesuffix(".duckdb")
        raise HearthError(f"{path} is in use ({exc}); stop that worker first "
                          f"(systemctl stop hearth-worker@{worker}), or move a single chat "
                          "with `hearth chats move`") from None


def _export_specs(home: Path) -> dict[str, Any]:
    path = home / "specs.duckdb"
    if not path.exists():
        return {"versions": [], "activations": []}
    from hearth.specs import SpecStore

    versions = SpecStore(path).history()
    con = duckdb.connect(str(path), read_only=True)
    try:
        log = con.execute("SELECT spec_id, activated_at, rolled_back FROM activations "
                          "ORDER BY seq").fetchall()
    finally:
        con.close()
    return {
        "versions": [{"spec": json.loads(v.spec.model_dump_json()), "id": v.id, "note": v.note,
                      "status": v.status, "gate_scores": v.gate_scores,
                      "created_at": v.created_at.isoformat()} for v in versions],
        "activations": [{"spec_id": s, "activated_at": a.isoformat(), "rolled_back": bool(r)}
                        for s, a, r in log],
    }


def export_home(home: Path, *, chats: Sequence[str] | None = None,
                include_specs: bool = True) -> dict[str, Any]:
    """Everything `import_home` needs, as JSON-ready data.

    `chats` limits the memory to those chat ids (all chats when None). Raises
    `HearthError` when a worker file is in use or a named chat is not found.
    """
    migrate_home(home)
    exported: list[dict[str, Any]] = []
    for worker_id, path in _worker_files(home).items():
        with _open_memory(home, path) as store:
            for chat_id in store.chat_ids():
                if chats is None or chat_id in chats:
                    exported.append({"worker_id": worker_id, "memory": store.export_chat(chat_id)})
    missing = sorted(set(chats or ()) - {c["memory"]["chat_id"] for c in exported})
    if missing:
        raise HearthError(f"no memory of chat(s) {', '.join(missing)} in {home}; "
                          "`hearth status` shows which worker is home to a chat")
    return {
        "format": EXPORT_FORMAT,
        "format_version": EXPORT_VERSION,
        "hearth_version": __version__,
        "exported_at": datetime.now(UTC).isoformat(),
        "specs": _export_specs(home) if include_specs else None,
        "chats": exported,
    }


@dataclass
class ImportResult:
    """What `import_home` changed."""

    worker_id: str
    specs_added: int = 0
    activations_added: int = 0
    activations_kept: bool = False
    chats: list[str] = field(default_factory=list)


def _check(data: Any) -> dict[str, Any]:
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
        raise PayloadInvalid("not a Hearth export file (no \"format\": \"hearth-export\")")
    version = data.get("format_version")
    if not isinstance(version, int) or version > EXPORT_VERSION:
        raise PayloadInvalid(f"export format version {version!r} is newer than this Hearth "
                             f"reads ({EXPORT_VERSION}): upgrade Hearth here first")
    return data


def _count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    row = con.execute(f"SELECT count(*) FROM {table}").fetchone()
    return int(row[0]) if row else 0


def _import_specs(home: Path, specs: dict[str, Any], result: ImportResult) -> None:
    from hearth.specs import SpecStore, canonical_json, load_spec, spec_to_json

    store = SpecStore(home / "specs.duckdb")
    store.history()  # creates the tables in a new home
    rows = []
    for entry in specs.get("versions", []):
        spec = load_spec(entry["spec"])
        if spec.id != entry["id"]:
            raise PayloadInvalid(f"spec {entry['id']} in the export does not match its content "
                                 f"(it hashes to {spec.id}): the file was changed")
        rows.append([spec.id, spec.name, spec_to_json(spec), spec.lineage.parent_id,
                     canonical_json([e.model_dump(mode="json") for e in spec.lineage.edits]),
                     canonical_json(entry["gate_scores"]) if entry.get("gate_scores") else None,
                     entry.get("note", ""), entry.get("status", "saved"),
                     datetime.fromisoformat(entry["created_at"])])
    con = duckdb.connect(str(home / "specs.duckdb"))
    try:
        con.begin()
        before = _count(con, "spec_versions")
        for row in rows:
            con.execute("INSERT INTO spec_versions (id, name, body, parent_id, edits, gate_scores,"
                        " note, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                        "ON CONFLICT DO NOTHING", row)
        result.specs_added = _count(con, "spec_versions") - before
        # An existing activation log is this machine's own history: keep it.
        if _count(con, "activations") == 0:
            for entry in specs.get("activations", []):
                con.execute("INSERT INTO activations (spec_id, activated_at, rolled_back) "
                            "VALUES (?, ?, ?)", [entry["spec_id"],
                                                 datetime.fromisoformat(entry["activated_at"]),
                                                 bool(entry.get("rolled_back", False))])
                result.activations_added += 1
        else:
            result.activations_kept = bool(specs.get("activations"))
        con.commit()
    finally:
        con.close()


def import_home(home: Path, data: Any, *, worker_id: str, include_specs: bool = True,
                include_memory: bool = True) -> ImportResult:
    """Load an `export_home` result into `home`; chats go to worker `worker_id`'s file."""
    data = _check(data)
    home.mkdir(parents=True, exist_ok=True)
    migrate_home(home)
    result = ImportResult(worker_id=worker_id)
    if include_specs and data.get("specs"):
        _import_specs(home, data["specs"], result)
    if include_memory and data.get("chats"):
        with _open_memory(home, home / f"worker-{worker_id}.duckdb") as store:
            for chat in data["chats"]:
                store.import_chat(chat["memory"])
                result.chats.append(chat["memory"]["chat_id"])
    return result


def _export(args: argparse.Namespace, settings: Settings) -> int:
    data = export_home(settings.home, chats=args.chat or None, include_specs=not args.no_specs)
    text = json.dumps(data, ensure_ascii=False, indent=1)
    if args.file == "-":
        sys.stdout.write(text + "\n")
    else:
        target = Path(args.file)
        partial = target.with_name(target.name + ".partial")
        # Private chats: readable by the owner only, and never half-written.
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text + "\n")
        os.replace(partial, target)
    versions = len((data["specs"] or {}).get("versions", []))
    print(f"exported {len(data['chats'])} chat(s) and {versions} spec version(s)"
          f"{'' if args.file == '-' else ' to ' + args.file}", file=sys.stderr)
    return 0


def _import(args: argparse.Namespace, settings: Settings) -> int:
    try:
        raw = sys.stdin.read() if args.file == "-" else Path(args.file).read_text("utf-8")
        data = json.loads(raw)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PayloadInvalid(f"cannot read {args.file}: {exc}") from None
    worker_id = args.worker or settings.worker_id
    result = import_home(settings.home, data, worker_id=worker_id,
                         include_specs=not args.no_specs, include_memory=not args.no_memory)
    homed = False
    if result.chats and settings.redis_url is not None and not args.no_home:
        from hearth.queue import connect, set_home

        client = connect(settings.redis_url.get_secret_value())
        try:
            for chat_id in result.chats:
                set_home(client, chat_id, worker_id)
        finally:
            client.close()
        homed = True
    lines = [f"imported {len(result.chats)} chat(s) into worker {worker_id} "
             f"and {result.specs_added} new spec version(s)"]
    if result.activations_kept:
        lines.append("kept this home's active spec; `hearth spec activate ID` switches")
    if homed:
        lines.append(f"chats now live on worker {worker_id}")
    emit({"worker_id": worker_id, "chats": result.chats, "specs_added": result.specs_added,
          "activations_added": result.activations_added, "homes_set": homed},
         as_json=args.json, text="\n".join(lines))
    return 0


def register(commands: Any) -> None:
    """Add `export` and `import`."""
    export = commands.add_parser("export", help="write chats' memory and the spec history "
                                                "to a file (stop the worker first)")
    export.add_argument("file", help="where to write the JSON file; - for stdout")
    export.add_argument("--chat", action="append", help="only this chat id (repeatable)")
    export.add_argument("--no-specs", action="store_true", help="leave the spec history out")
    export.set_defaults(handler=_export)
    imp = commands.add_parser("import", help="load a `hearth export` file into this home")
    imp.add_argument("file", help="the JSON file; - for stdin")
    imp.add_argument("--worker", help="worker id whose memory receives the chats "
                                      "(default: HEARTH_WORKER_ID)")
    imp.add_argument("--no-specs", action="store_true", help="do not import spec versions")
    imp.add_argument("--no-memory", action="store_true", help="do not import chats")
    imp.add_argument("--no-home", action="store_true",
                     help="do not make the worker the chats' home in Redis")
    imp.add_argument("--json", action="store_true")
    imp.set_defaults(handler=_import)


__all__ = ["EXPORT_FORMAT", "EXPORT_VERSION", "ImportResult", "export_home", "import_home",
           "register"]
