"""The systemd units: required keys and hardening, and `systemd-analyze verify` where present."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from hearth.cli import build_parser
from tests.deploy.conftest import DEPLOY

SERVICES = ("hearth-bridge.service", "hearth-worker@.service")
#: Hardening every Hearth service must have, with the value it must have.
HARDENING = {
    "NoNewPrivileges": "yes", "ProtectSystem": "strict", "ProtectHome": "yes",
    "PrivateTmp": "yes", "ProtectKernelTunables": "yes", "ProtectKernelModules": "yes",
    "ProtectKernelLogs": "yes", "ProtectControlGroups": "yes", "RestrictSUIDSGID": "yes",
    "RestrictRealtime": "yes", "RestrictNamespaces": "yes", "LockPersonality": "yes",
    "SystemCallArchitectures": "native", "CapabilityBoundingSet": "", "AmbientCapabilities": "",
    "UMask": "0077", "StateDirectory": "hearth", "User": "hearth", "Group": "hearth",
}  # fmt: skip


def parse_unit(path: Path) -> dict[str, dict[str, list[str]]]:
    """Sections -> key -> every value (systemd allows a key more than once)."""
    sections: dict[str, dict[str, list[str]]] = {}
    current = None
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], {})
            continue
        assert current is not None, f"{path.name}: {line!r} outside a section"
        assert "=" in line, f"{path.name}: {line!r} is not key=value"
        key, _, value = line.partition("=")
        current.setdefault(key.strip(), []).append(value.strip())
    return sections


def one(unit: dict[str, dict[str, list[str]]], section: str, key: str) -> str:
    values = unit[section].get(key, [])
    assert len(values) == 1, f"[{section}] {key} should be set once, is {values}"
    return values[0]


def subcommands() -> set[str]:
    parser = build_parser()
    action = next(a for a in parser._actions if a.dest == "command")
    return set(action.choices)


@pytest.mark.parametrize("name", SERVICES)
def test_services_are_hardened_and_run_as_hearth(name: str) -> None:
    unit = parse_unit(DEPLOY / name)
    for key, value in HARDENING.items():
        assert one(unit, "Service", key) == value, key
    assert "/etc/hearth/hearth.env" in unit["Service"]["EnvironmentFile"]
    assert one(unit, "Service", "ExecStart").startswith("/opt/hearth/bin/hearth ")
    assert "network-online.target" in one(unit, "Unit", "After").split()
    assert "network-online.target" in one(unit, "Unit", "Wants").split()
    assert one(unit, "Unit", "Description")


def test_the_bridge_restarts_always_and_sees_no_devices() -> None:
    unit = parse_unit(DEPLOY / "hearth-bridge.service")
    assert one(unit, "Service", "ExecStart") == "/opt/hearth/bin/hearth bridge"
    assert one(unit, "Service", "Restart") == "always"
    assert one(unit, "Service", "PrivateDevices") == "yes"
    assert one(unit, "Service", "MemoryDenyWriteExecute") == "yes"
    assert one(unit, "Install", "WantedBy") == "multi-user.target"


def test_the_worker_template_is_named_by_its_instance() -> None:
    unit = parse_unit(DEPLOY / "hearth-worker@.service")
    assert one(unit, "Service", "ExecStart") == "/opt/hearth/bin/hearth worker"
    assert "HEARTH_WORKER_ID=%i" in one(unit, "Service", "Environment").split()
    assert unit["Service"]["EnvironmentFile"] == ["/etc/hearth/hearth.env",
                                                  "-/etc/hearth/worker-%i.env"]
    assert one(unit, "Service", "Restart") == "on-failure"
    assert one(unit, "Service", "KillSignal") == "SIGTERM"
    assert int(one(unit, "Service", "TimeoutStopSec")) >= 60  # the reply in progress finishes
    assert one(unit, "Service", "PrivateDevices") == "no"  # the GPU
    assert one(unit, "Install", "WantedBy") == "multi-user.target"


def test_no_timer_competes_with_the_nightly_schedule() -> None:
    # The nightly search is an RQ job the bridge schedules (HEARTH_NIGHTLY_AT);
    # a systemd timer as well would run a second search every night.
    assert not list(DEPLOY.glob("*.timer"))


@pytest.mark.parametrize("name", SERVICES)
def test_units_run_real_hearth_commands(name: str) -> None:
    command = one(parse_unit(DEPLOY / name), "Service", "ExecStart").split()[1]
    if command == "search" and command not in subcommands():
        pytest.skip("`hearth search run` comes with the spec-search CLI (issue 4)")
    assert command in subcommands()


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd is not installed")
def test_systemd_analyze_verify_accepts_the_units(tmp_path: Path) -> None:
    # verify checks that ExecStart= is executable: point it at this checkout's hearth.
    hearth = Path(sys.executable).with_name("hearth")
    executable = str(hearth) if hearth.exists() else str(shutil.which("true"))
    names = {"hearth-worker@.service": "hearth-worker@test.service"}
    files = []
    for path in sorted(DEPLOY.glob("hearth-*")):
        target = tmp_path / names.get(path.name, path.name)
        target.write_text(path.read_text().replace("/opt/hearth/bin/hearth", executable))
        files.append(str(target))
    done = subprocess.run(["systemd-analyze", "verify", "--man=no", *files],
                          capture_output=True, text=True, timeout=60, check=False)
    about_ours = [line for line in (done.stdout + done.stderr).splitlines() if "hearth" in line]
    assert done.returncode == 0 and about_ours == [], done.stdout + done.stderr
