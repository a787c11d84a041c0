"""`hearth doctor`: check this machine and what it talks to; say how to fix each problem.

Each line reads ``ok | warning | error: <check>: <detail> — fix: <how>``. The
exit status is 0 when no line is an error, 1 otherwise; ``--json`` prints the
same findings as JSON. ``--quick`` skips loading the model.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import Any

from hearth.cli._doctor._finding import Finding, Status, error, ok, warning
from hearth.cli._doctor._services import (
    check_access,
    check_redis,
    check_teacher,
    check_telegram,
    redis_auth,
)
from hearth.cli._doctor._system import (
    check_duckdb,
    check_home,
    check_llama,
    check_model,
    check_python,
)
from hearth.settings import Settings
from hearth.specs import Spec, default_spec


def active_spec(settings: Settings) -> tuple[Spec, list[Finding]]:
    """The spec a worker here would start on, without changing the home."""
    from hearth._migrate import inspect_file
    from hearth.specs import SpecStore

    path = settings.home / "specs.duckdb"
    if not path.is_file():
        spec = default_spec()
        return spec, [ok("spec", f"no spec store yet: built-in {spec.summary()}")]
    state = inspect_file(path, "specs")
    if state.in_use or state.needs_migration or (state.version or 0) > state.current:
        return default_spec(), [ok("spec", "the spec store is busy or not migrated yet; "
                                   "checking the default spec's model")]
    spec = SpecStore(path).active()
    return spec, [ok("spec", f"active {spec.summary()}")]


def _guarded(check: str, run: Callable[[], list[Finding]]) -> list[Finding]:
    try:
        return run()
    except Exception as exc:  # noqa: BLE001 - one broken check must not hide the others
        return [error(check, f"the check itself failed: {type(exc).__name__}: {exc}",
                      "report this with the output of `hearth doctor`")]


def run_checks(settings: Settings, *, quick: bool = False) -> list[Finding]:
    """Every check, in the order a person would fix things."""
    found = _guarded("python", check_python)
    found += _guarded("home", lambda: check_home(settings))
    try:
        spec, spec_found = active_spec(settings)
    except Exception as exc:  # noqa: BLE001 - reported, then the default spec is checked
        spec, spec_found = default_spec(), [error("spec", f"cannot read the spec store: {exc}",
                                                  "run `hearth spec show` to see why")]
    found += spec_found
    found += _guarded("llama.cpp", lambda: check_llama(spec))
    found += _guarded("model", lambda: check_model(settings, spec, quick=quick))
    found += _guarded("duckdb", lambda: check_duckdb(settings))
    found += _guarded("redis", lambda: check_redis(settings))
    found += _guarded("telegram", lambda: check_telegram(settings))
    found += _guarded("access", lambda: check_access(settings))
    found += _guarded("teacher", lambda: check_teacher(settings))
    return found


def exit_code(findings: list[Finding]) -> int:
    """0 when nothing is an error, else 1."""
    return 1 if any(f.status is Status.ERROR for f in findings) else 0


def _doctor(args: argparse.Namespace, settings: Settings) -> int:
    findings = run_checks(settings, quick=args.quick)
    code = exit_code(findings)
    if args.json:
        print(json.dumps({"ok": code == 0, "findings": [f.as_json() for f in findings]},
                         indent=2, ensure_ascii=False))
    else:
        print("\n".join(f.line() for f in findings))
        errors = sum(f.status is Status.ERROR for f in findings)
        warnings = sum(f.status is Status.WARNING for f in findings)
        print(f"hearth doctor: {errors} error(s), {warnings} warning(s)", file=sys.stderr)
    return code


def register(commands: Any) -> None:
    """Add `doctor`."""
    doctor = commands.add_parser("doctor", help="check this machine, Redis, Telegram and the "
                                                "teacher; exit 1 on any error")
    doctor.add_argument("--quick", action="store_true", help="do not load the model")
    doctor.add_argument("--json", action="store_true", help="print the findings as JSON")
    doctor.set_defaults(handler=_doctor)


__all__ = ["Finding", "Status", "error", "exit_code", "ok", "redis_auth", "register",
           "run_checks", "warning"]
