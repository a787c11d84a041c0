"""`hearth spec ...`: show, validate, diff, apply, history, activate, rollback, export."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from hearth.cli._output import emit
from hearth.errors import ModelNotFound, SpecInvalid
from hearth.models import resolve_model
from hearth.settings import Settings
from hearth.specs import (
    Spec,
    SpecStore,
    apply,
    diff,
    load_spec_file,
    parse_edits,
    spec_to_json,
)


def store_for(settings: Settings) -> SpecStore:
    """The spec store under HEARTH_HOME."""
    return SpecStore(settings.home / "specs.duckdb")


def resolve_ref(store: SpecStore, ref: str) -> Spec:
    """A spec from a file path, a stored id (or prefix), or a built-in name."""
    path = Path(ref)
    if path.suffix == ".json" or path.is_file():
        return load_spec_file(path)
    return store.get(ref).spec


def check_model(spec: Spec, settings: Settings) -> None:
    """Resolve the spec's model, or raise `SpecInvalid` naming ``intelligence.model``."""
    try:
        resolve_model(spec.intelligence.model, settings.home)
    except ModelNotFound as exc:
        raise SpecInvalid("intelligence.model", str(exc)) from None


def _spec_json(spec: Spec) -> dict[str, Any]:
    return {"id": spec.id, "spec": json.loads(spec_to_json(spec))}


def _show(args: argparse.Namespace, settings: Settings) -> int:
    store = store_for(settings)
    spec = resolve_ref(store, args.id) if args.id else store.active()
    try:
        model = str(resolve_model(spec.intelligence.model, settings.home))
    except Exception as exc:  # noqa: BLE001 - shown, not fatal: `show` must still work
        model = f"unresolved ({exc})"
    data = {**_spec_json(spec), "model_file": model}
    text = (f"spec {spec.short_id} ({spec.id})\n{spec.summary()}\nmodel file: {model}\n"
            + json.dumps(json.loads(spec_to_json(spec)), indent=2))
    emit(data, as_json=args.json, text=text)
    return 0


def _validate(args: argparse.Namespace, settings: Settings) -> int:
    spec = load_spec_file(Path(args.file))
    check_model(spec, settings)
    emit({"valid": True, "id": spec.id}, as_json=args.json,
         text=f"{args.file}: valid spec {spec.short_id}")
    return 0


def _diff(args: argparse.Namespace, settings: Settings) -> int:
    store = store_for(settings)
    a, b = resolve_ref(store, args.a), resolve_ref(store, args.b)
    edits = [e.model_dump(mode="json") for e in diff(a, b)]
    lines = [json.dumps(e, ensure_ascii=False) for e in edits] or ["(no differences)"]
    emit({"from": a.id, "to": b.id, "edits": edits}, as_json=args.json, text="\n".join(lines))
    return 0


def _apply(args: argparse.Namespace, settings: Settings) -> int:
    store = store_for(settings)
    try:
        data = json.loads(Path(args.edits_file).read_text(encoding="utf-8"))
    except OSError as exc:
        raise SpecInvalid("", f"cannot read {args.edits_file}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise SpecInvalid("", f"{args.edits_file} is not UTF-8 text; save it as UTF-8 JSON") \
            from None
    except json.JSONDecodeError as exc:
        raise SpecInvalid("", f"{args.edits_file} is not valid JSON: {exc.msg} at line "
                              f"{exc.lineno} column {exc.colno}") from None
    base = resolve_ref(store, args.from_) if args.from_ else store.active()
    new = apply(base, parse_edits(data))
    check_model(new, settings)
    version = store.save(new, note=args.note or f"applied {args.edits_file}")
    emit(version.as_json(), as_json=args.json,
         text=f"saved spec {new.short_id} (parent {base.short_id}); "
              f"activate it with `hearth spec activate {new.short_id}`")
    return 0


def _history(args: argparse.Namespace, settings: Settings) -> int:
    store = store_for(settings)
    versions = store.history()
    active = store.active().id
    rows = [{**v.as_json(), "active": v.id == active} for v in versions]
    lines = [f"{'*' if r['active'] else ' '} {r['id'][:12]}  {r['created_at'][:19]}  "
             f"{r['name']:<14} parent {str(r['parent_id'])[:12]:<12} {r['status']:<8} {r['note']}"
             for r in rows] or ["(no stored versions; the built-in default is active)"]
    emit(rows, as_json=args.json, text="\n".join(lines))
    return 0


def _activate(args: argparse.Namespace, settings: Settings) -> int:
    from hearth.cli._publish import publish_if_possible

    store = store_for(settings)
    spec = store.activate(resolve_ref(store, args.id))
    note = publish_if_possible(settings, spec)
    emit({"active": spec.id, "published": note}, as_json=args.json,
         text=f"active spec is now {spec.short_id}: {spec.summary()}\n{note}")
    return 0


def _rollback(args: argparse.Namespace, settings: Settings) -> int:
    from hearth.cli._publish import publish_if_possible

    spec = store_for(settings).rollback()
    note = publish_if_possible(settings, spec)
    emit({"active": spec.id, "published": note}, as_json=args.json,
         text=f"rolled back; active spec is now {spec.short_id}\n{note}")
    return 0


def _approve(args: argparse.Namespace, settings: Settings) -> int:
    from hearth.search import approve

    client = None
    if settings.redis_url is not None:
        from hearth.queue import connect

        client = connect(settings.redis_url.get_secret_value())
    spec = approve(settings, args.id, client=client)
    emit({"active": spec.id, "approved": True}, as_json=args.json,
         text=f"approved; active spec is now {spec.short_id}: {spec.summary()}")
    return 0


def _export(args: argparse.Namespace, settings: Settings) -> int:
    spec = resolve_ref(store_for(settings), args.id)
    print(json.dumps(json.loads(spec_to_json(spec)), indent=2, ensure_ascii=False))
    return 0


def register(commands: Any) -> None:
    """Add `spec` and its subcommands to the parser."""
    spec = commands.add_parser("spec", help="show, edit and switch the assistant's spec")
    sub = spec.add_subparsers(dest="spec_command", metavar="ACTION", required=True)

    def add(name: str, handler: Any, help_text: str) -> argparse.ArgumentParser:
        parser: argparse.ArgumentParser = sub.add_parser(name, help=help_text)
        parser.add_argument("--json", action="store_true", help="machine-readable output")
        parser.set_defaults(handler=handler)
        return parser

    add("show", _show, "print a spec (the active one by default)").add_argument(
        "id", nargs="?", help="stored id or prefix, built-in name, or a .json file")
    add("validate", _validate, "check a spec file").add_argument("file")
    d = add("diff", _diff, "the edits that turn spec A into spec B")
    d.add_argument("a")
    d.add_argument("b")
    a = add("apply", _apply, "apply an edits file and save the result as a new version")
    a.add_argument("edits_file")
    a.add_argument("--from", dest="from_", metavar="ID", help="base spec (default: active)")
    a.add_argument("--note", help="a note stored with the new version")
    add("history", _history, "every stored version with its lineage")
    add("activate", _activate, "make a version active and publish it to workers").add_argument(
        "id")
    add("rollback", _rollback, "go back to the previously active version")
    add("approve", _approve, "approve a spec the nightly search holds for review").add_argument(
        "id")
    add("export", _export, "print a spec as JSON, lineage included").add_argument("id")
