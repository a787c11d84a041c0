"""`hearth models ...`: list, pull, add, remove and bench catalog models."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from hearth.cli._output import emit
from hearth.errors import ModelNotFound
from hearth.settings import Settings

#: What `pull` accepts besides a catalog name: a file of a Hugging Face repository.
HUB_PREFIX = "hf:"


def _user_error(message: str) -> int:
    print(f"hearth: error: {message}", file=sys.stderr)
    return 2


def _size(size: int | None) -> str:
    return f"{size / 1e6:.0f} MB" if size else "?"


def _list(args: argparse.Namespace, settings: Settings) -> int:
    from hearth.models import list_models

    infos = list_models(settings.home)
    rows = [info.as_json() for info in infos]
    lines = [f"{'NAME':<28} {'STATUS':<11} {'SIZE':>8}  {'PROMPT t/s':>10} {'DECODE t/s':>10} "
             f"{'TTFT s':>7} {'RSS MB':>7}  SOURCE"]
    for info in infos:
        bench = info.bench
        speed = (f"{bench.prompt_tokens_per_s:>10.1f} {bench.decode_tokens_per_s:>10.1f} "
                 f"{bench.first_token_s:>7.2f} {bench.rss_delta_mb:>7.0f}" if bench
                 else f"{'-':>10} {'-':>10} {'-':>7} {'-':>7}")
        lines.append(f"{info.name:<28} {info.status.value:<11} {_size(info.size):>8}  {speed}  "
                     f"{info.entry.source_text}")
    emit(rows, as_json=args.json, text="\n".join(lines))
    return 0


def _hub_entry(args: argparse.Namespace) -> Any:
    from hearth.models import CatalogEntry, HubFile

    parts = args.name_or_ref[len(HUB_PREFIX):].strip("/").split("/")
    if len(parts) < 3 or not all(parts):
        raise ModelNotFound(f"{args.name_or_ref!r} is not hf:OWNER/REPO/FILE, e.g. "
                            "hf:Qwen/Qwen2.5-1.5B-Instruct-GGUF/qwen2.5-1.5b-instruct-q4_k_m.gguf")
    if not args.name:
        raise ModelNotFound(f"give the model a name: hearth models pull {args.name_or_ref} "
                            "--name NAME")
    return CatalogEntry(
        name=args.name,
        source=HubFile(repo_id="/".join(parts[:2]), filename="/".join(parts[2:]),
                       revision=args.revision),
        sha256=args.sha256, context_length=args.context_length,
        **({"licence": args.licence} if args.licence else {}))


def _pull(args: argparse.Namespace, settings: Settings) -> int:
    from pydantic import ValidationError

    from hearth.models import catalog_for

    catalog = catalog_for(settings.home)
    name = args.name_or_ref
    if name.startswith(HUB_PREFIX):
        try:
            entry = _hub_entry(args)
        except ValidationError as exc:
            return _user_error(f"invalid model entry: {exc.errors()[0]['msg']}")
        known = catalog.entries()
        if entry.name not in known:
            catalog.add(entry)
        elif known[entry.name] != entry:
            return _user_error(f"{entry.name!r} is already in the catalog; choose another "
                               f"--name or `hearth models remove {entry.name}` first")
        name = entry.name
    catalog.entry(name)  # an unknown name is a user mistake: exit 2 before any work
    path = catalog.pull(name)
    info = catalog.info(name)
    emit(info.as_json(), as_json=args.json,
         text=f"{name}: {path} ({_size(info.size)}, sha256 {info.sha256})")
    return 0


def _add(args: argparse.Namespace, settings: Settings) -> int:
    from pydantic import ValidationError

    from hearth.models import BUILTIN_MODELS, CatalogEntry, LocalFile, catalog_for

    catalog = catalog_for(settings.home)
    if args.name in {e.name for e in BUILTIN_MODELS}:
        return _user_error(f"{args.name!r} is a built-in model; choose another --name")
    path = Path(args.path).expanduser().resolve()
    try:
        entry = CatalogEntry(
            name=args.name, source=LocalFile(path=str(path)),
            context_length=args.context_length,
            **({"licence": args.licence} if args.licence else {}),
            **({"chat_template": args.chat_template} if args.chat_template else {}))
    except ValidationError as exc:
        problem = exc.errors()[0]
        field = ".".join(str(p) for p in problem["loc"])
        return _user_error(f"--{field.replace('_', '-')}: {problem['msg']}")
    catalog.add(entry)
    info = catalog.info(args.name)
    emit(info.as_json(), as_json=args.json,
         text=f"added {args.name}: {path} ({_size(info.size)}, sha256 {info.sha256})")
    return 0


def _remove(args: argparse.Namespace, settings: Settings) -> int:
    from hearth.models import catalog_for

    done = catalog_for(settings.home).remove(args.name)
    emit({"name": args.name, "done": done}, as_json=args.json, text=f"{args.name}: {done}")
    return 0


def _bench(args: argparse.Namespace, settings: Settings) -> int:
    from hearth.models import bench_model, catalog_for

    catalog_for(settings.home).entry(args.name)
    record = bench_model(args.name, settings.home, n_threads=args.threads,
                         n_gpu_layers=args.gpu_layers, max_tokens=args.tokens)
    emit({"name": args.name, **record.model_dump(mode="json")}, as_json=args.json,
         text=f"{args.name}: prompt {record.prompt_tokens_per_s:.1f} tokens/s, decode "
              f"{record.decode_tokens_per_s:.1f} tokens/s, first token after "
              f"{record.first_token_s:.2f} s, memory +{record.rss_delta_mb:.0f} MB "
              f"({record.n_threads} threads, n_gpu_layers={record.n_gpu_layers})")
    return 0


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, got {value}")
    return value


def register(commands: Any) -> None:
    """Add `models` and its subcommands to the parser."""
    models = commands.add_parser("models", help="the model catalog: list, pull, add, bench")
    sub = models.add_subparsers(dest="models_command", metavar="ACTION", required=True)

    def add(name: str, handler: Any, help_text: str) -> argparse.ArgumentParser:
        parser: argparse.ArgumentParser = sub.add_parser(name, help=help_text)
        parser.add_argument("--json", action="store_true", help="machine-readable output")
        parser.set_defaults(handler=handler)
        return parser

    def entry_options(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--context-length", type=_positive, metavar="TOKENS")
        parser.add_argument("--licence", metavar="TEXT")

    add("list", _list, "every catalog model, its file and measured speed")
    pull = add("pull", _pull, "download or assemble a model and verify it")
    pull.add_argument("name_or_ref", metavar="NAME",
                      help="a catalog name, or hf:OWNER/REPO/FILE with --name")
    pull.add_argument("--name", help="catalog name for an hf: file")
    pull.add_argument("--revision", default="main", help="branch, tag or commit of an hf: file")
    pull.add_argument("--sha256", help="pin an hf: file's digest (else the first pull's)")
    entry_options(pull)
    local = add("add", _add, "add a local GGUF file (hashed now, pinned from then on)")
    local.add_argument("path")
    local.add_argument("--name", required=True)
    local.add_argument("--chat-template", metavar="TEXT",
                       help="what the spec must supply, if the file has no chat template")
    entry_options(local)
    add("remove", _remove, "delete a pulled file, or forget an added one").add_argument("name")
    bench = add("bench", _bench, "measure prompt and decode speed, first token, memory")
    bench.add_argument("name")
    bench.add_argument("--threads", type=_positive, help="CPU threads (default: all)")
    bench.add_argument("--gpu-layers", type=int, metavar="N",
                       help="layers on the GPU (default: all when llama.cpp can)")
    bench.add_argument("--tokens", type=_positive, default=64, help="tokens to decode")
