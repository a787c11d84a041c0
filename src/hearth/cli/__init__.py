"""The `hearth` command: thin; it parses arguments and calls the library.

Exit status: 0 on success, 1 when something outside the user's input failed
(Redis down, a model that would not load), 2 for a user mistake (bad spec,
edit, id or setting), always with one message that names the fix.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from hearth import __version__
from hearth.cli import (
    _bench,
    _chats,
    _data,
    _doctor,
    _migrate,
    _models,
    _run,
    _search,
    _spec,
    _up,
)
from hearth.errors import (
    ConfigError,
    HearthError,
    ModelNotFound,
    PayloadInvalid,
    SpecError,
    TaskFileInvalid,
)
from hearth.settings import load_settings

#: Errors caused by what the user typed or wrote: exit status 2.
USER_ERRORS = (ConfigError, SpecError, ModelNotFound, PayloadInvalid, TaskFileInvalid)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand."""
    parser = argparse.ArgumentParser(
        prog="hearth", description="Hearth: your own assistant, on your own hardware."
    )
    parser.add_argument("--version", action="version", version=f"hearth {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    _spec.register(commands)
    _run.register(commands)
    _up.register(commands)
    _chats.register(commands)
    _bench.register(commands)
    _models.register(commands)
    _search.register(commands)
    _doctor.register(commands)
    _data.register(commands)
    _migrate.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `hearth` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = load_settings()
        from hearth._home import private_process
        from hearth._logging import configure_logging

        private_process(settings.home)

        configure_logging(settings)
        if args.command not in ("doctor", "migrate"):
            from hearth._migrate import migrate_home

            migrate_home(settings.home)
        code: int = args.handler(args, settings)
    except USER_ERRORS as exc:
        print(f"hearth: error: {exc}", file=sys.stderr)
        return 2
    except HearthError as exc:
        print(f"hearth: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return code


__all__ = ["build_parser", "main"]
