"""`hearth chats ...` and `hearth status`: where chats live, which workers run."""

from __future__ import annotations

import argparse
from typing import Any

from hearth.cli._output import emit
from hearth.errors import ConfigError
from hearth.settings import Settings


def _client(settings: Settings) -> Any:
    from hearth.cli._redis import redis_url
    from hearth.queue import connect

    return connect(redis_url(settings))


def _move(args: argparse.Namespace, settings: Settings) -> int:
    from hearth.queue import Control, ControlKind, enqueue_control, home_of, worker_queue

    client = _client(settings)
    source = home_of(client, args.chat)
    if source is None:
        raise ConfigError(f"chat {args.chat!r} has no home worker yet; nothing to move")
    if source == args.worker:
        emit({"chat": args.chat, "worker": source, "moved": False}, as_json=args.json,
             text=f"chat {args.chat} already lives on {source}")
        return 0
    # The move runs on the source worker, after the chat's queued messages:
    # it exports the memory, queues the import on the target, then re-homes.
    enqueue_control(client, Control(kind=ControlKind.MOVE, chat_id=args.chat,
                                    target_worker=args.worker), queue=worker_queue(source))
    emit({"chat": args.chat, "from": source, "to": args.worker, "moved": True},
         as_json=args.json, text=f"moving chat {args.chat}: {source} -> {args.worker} "
                                 "(done when the source worker runs the move job)")
    return 0


def _pin(args: argparse.Namespace, settings: Settings) -> int:
    from hearth.queue import pin

    pin(_client(settings), args.kind, args.ident, None if args.unpin else args.worker)
    what = "unpinned" if args.unpin else f"pinned to {args.worker}"
    emit({"kind": args.kind, "id": args.ident, "worker": None if args.unpin else args.worker},
         as_json=args.json, text=f"{args.kind} {args.ident} {what} (new chats only; use "
                                 "`hearth chats move` for a chat that already has a home)")
    return 0


def _status(args: argparse.Namespace, settings: Settings) -> int:
    from hearth.bridge import owed_replies
    from hearth.queue import status_snapshot

    client = _client(settings)
    snapshot = status_snapshot(client)
    lines = [f"{r['worker_id']:<16} {r['host']:<16} spec {r['spec_id'][:12]}  {r['model']:<24} "
             f"queued {r['queued']:<4} {'busy' if r['busy'] else 'idle'}  "
             f"seen {r['last_heartbeat_s']}s ago" for r in snapshot["workers"]] \
        or ["no worker is online"]
    lines.append(f"waiting for any worker: {snapshot['unassigned_queued']}")
    owed, failing = owed_replies(client)
    snapshot.update(replies_owed=owed, replies_failing=failing)
    lines.append(f"replies owed to chats: {owed} (Telegram did not take {failing} yet)")
    emit(snapshot, as_json=args.json, text="\n".join(lines))
    return 0


def register(commands: Any) -> None:
    """Add `chats` and `status`."""
    chats = commands.add_parser("chats", help="which worker is home to which chat")
    sub = chats.add_subparsers(dest="chats_command", metavar="ACTION", required=True)
    move = sub.add_parser("move", help="move a chat and its memory to another worker")
    move.add_argument("chat")
    move.add_argument("worker")
    move.set_defaults(handler=_move)
    pin = sub.add_parser("pin", help="send new chats of a chat or user id to a named worker")
    pin.add_argument("kind", choices=["chat", "user"])
    pin.add_argument("ident")
    pin.add_argument("worker", nargs="?")
    pin.add_argument("--unpin", action="store_true")
    pin.set_defaults(handler=_pin)
    for parser in (move, pin):
        parser.add_argument("--json", action="store_true")
    status = commands.add_parser("status", help="workers online, their spec, model and load")
    status.add_argument("--json", action="store_true")
    status.set_defaults(handler=_status)
