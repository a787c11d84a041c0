"""`hearth migrate`: bring this home's data files to this Hearth's layout, after a backup."""

from __future__ import annotations

import argparse
from typing import Any

from hearth._migrate import inspect_home, migrate_home
from hearth.cli._output import emit
from hearth.settings import Settings


def _migrate(args: argparse.Namespace, settings: Settings) -> int:
    if args.check:
        states = inspect_home(settings.home) if settings.home.is_dir() else []
        rows = [{"file": s.path.name, "kind": s.kind, "version": s.version,
                 "current": s.current, "in_use": s.in_use,
                 "needs_migration": s.needs_migration} for s in states]
        lines = [f"{r['file']}: {'in use' if r['in_use'] else 'version ' + str(r['version'])}"
                 f"{' -> ' + str(r['current']) if r['needs_migration'] else ''}" for r in rows]
        emit(rows, as_json=args.json, text="\n".join(lines) or "no data files yet")
        return 1 if any(r["needs_migration"] for r in rows) else 0
    report = migrate_home(settings.home)
    names = [s.path.name for s in report.migrated]
    busy = [s.path.name for s in report.skipped_in_use]
    text = (f"migrated {', '.join(names)}; the old files are in {report.backup}" if names
            else "everything is current")
    if busy:
        text += f"\nin use, left alone: {', '.join(busy)} (stop those processes and run again)"
    emit({"migrated": names, "backup": str(report.backup) if report.backup else None,
          "in_use": busy}, as_json=args.json, text=text)
    return 0


def register(commands: Any) -> None:
    """Add `migrate`."""
    migrate = commands.add_parser("migrate", help="upgrade this home's data files to this "
                                                  "Hearth's layout (after a backup copy)")
    migrate.add_argument("--check", action="store_true",
                         help="only report; exit 1 when a file needs migrating")
    migrate.add_argument("--json", action="store_true")
    migrate.set_defaults(handler=_migrate)
