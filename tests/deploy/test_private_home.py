"""The Hearth home and the embedded Redis are this user's alone.

Before: `hearth up`'s Redis listened on a TCP port without a password (any
local user could read every message and pair themselves) and the home was
created with the default umask (world-readable DuckDB files and salt).
"""

from __future__ import annotations

import stat
from pathlib import Path

from hearth.cli._doctor._system import check_home
from hearth.queue import EmbeddedRedis, connect
from hearth.settings import Settings
from tests.conftest import run_cli


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_embedded_redis_of_hearth_up_has_no_tcp_port(tmp_path: Path):
    with EmbeddedRedis(tmp_path / "redis", unix_socket=True) as server:
        assert server.url.startswith("unix://")
        assert server.socket_dir is not None and _mode(server.socket_dir) == 0o700
        client = connect(server.url)
        assert client.config_get("port") == {"port": "0"}  # TCP is off
        client.set("k", "v")
        assert client.get("k") == b"v"
        # Nothing answers on loopback for the data it holds.
        assert not any(c["addr"].startswith("127.") for c in client.client_list())
        client.close()
    assert not server.socket_dir.exists()  # removed at stop


def test_hearth_creates_its_home_private(tmp_path: Path):
    home = tmp_path / "new-home"
    done = run_cli("spec", "show", env={"HEARTH_HOME": str(home)})
    assert done.returncode == 0, done.stderr
    assert _mode(home) == 0o700
    made = list(home.rglob("*"))
    assert made, "the command should have written its spec store"
    for path in made:
        assert _mode(path) & 0o077 == 0, f"{path} is {_mode(path):o}"


def test_doctor_warns_about_a_home_others_can_read(tmp_path: Path):
    home = tmp_path / "open-home"
    home.mkdir()
    home.chmod(0o755)
    [finding] = check_home(Settings(home=home))
    assert finding.status == "warning"
    assert "open to group and others (755)" in finding.detail
    assert f"chmod -R go-rwx {home}" in finding.fix
    home.chmod(0o700)
    [finding] = check_home(Settings(home=home))
    assert finding.status == "ok" and "private (0700)" in finding.detail


def test_doctor_says_how_the_embedded_redis_is_reached(settings: Settings):
    from hearth.cli._doctor._services import check_redis

    [finding] = check_redis(settings)
    assert "no TCP port" in finding.detail and "0700" in finding.detail
