"""Pulls from a hub over real HTTP (HF_ENDPOINT at a local stand-in), through `hearth models`."""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from hearth.errors import ModelHashMismatch, ModelNotFound
from hearth.models import catalog_for, resolve_model
from tests.conftest import run_cli
from tests.models.hub import LocalHub

REPO_FILE = "someone/tiny-GGUF/tiny-q4_k_m.gguf"
REF = f"hf:{REPO_FILE}"
# huggingface_hub writes what it receives in 10 MiB pieces: a cut at 15 MB keeps 10 MiB.
SIZE = 24_000_000
CUT = 15_000_000


@pytest.fixture
def hub() -> Iterator[LocalHub]:
    with LocalHub() as server:
        yield server


@pytest.fixture
def model_bytes() -> bytes:
    return b"GGUF" + secrets.token_bytes(SIZE - 4)


@pytest.fixture
def env(home: Path, hub: LocalHub, tmp_path: Path) -> dict[str, str]:
    """The CLI's environment: this home, the stand-in hub, no token, a private HF cache."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "HEARTH_"))}
    return {**clean, "HEARTH_HOME": str(home), "HF_ENDPOINT": hub.url,
            "HF_HOME": str(tmp_path / "hf-home"), "HF_HUB_DISABLE_TELEMETRY": "1"}


def _pull(env: dict[str, str], *extra: str):
    return run_cli("models", "pull", REF, "--name", "tiny", *extra, env=env)


def _leftovers(home: Path) -> list[str]:
    models = home / "models"
    return sorted(str(p.relative_to(models)) for p in models.rglob("*")
                  if p.is_file() and ".locks" not in p.parts and p.name != "catalog.json")


def test_a_pull_downloads_verifies_and_records_the_file(home: Path, hub: LocalHub,
                                                        env: dict[str, str],
                                                        model_bytes: bytes) -> None:
    digest = hub.state.add(REPO_FILE, model_bytes)
    done = _pull(env, "--json")
    assert done.returncode == 0, done.stderr
    info = json.loads(done.stdout)
    assert (info["name"], info["status"], info["sha256"], info["size"]) == \
        ("tiny", "verified", digest, SIZE)
    path = home / "models" / "tiny-q4_k_m.gguf"
    assert path.read_bytes() == model_bytes
    assert _leftovers(home) == ["tiny-q4_k_m.gguf"]
    assert resolve_model("tiny", home) == path
    # Pulling again finds the verified file and downloads nothing.
    assert _pull(env).returncode == 0
    assert len(hub.state.gets) == 1


def test_an_interrupted_pull_is_resumed_by_the_next_pull(home: Path, hub: LocalHub,
                                                         env: dict[str, str],
                                                         model_bytes: bytes) -> None:
    digest = hub.state.add(REPO_FILE, model_bytes)
    hub.state.cut_after = CUT
    failed = _pull(env)
    assert failed.returncode == 1
    message = failed.stderr.strip().splitlines()[-1]
    assert "hearth models pull tiny" in message and "again" in message
    # Nothing where the loader looks; the partial file waits outside it.
    with pytest.raises(ModelNotFound):
        resolve_model("tiny", home)
    partial = home / "models" / ".partial" / "tiny-q4_k_m.gguf.partial"
    kept = partial.stat().st_size
    assert 0 < kept <= CUT
    assert partial.read_bytes() == model_bytes[:kept]
    hub.state.refuse = False
    done = _pull(env)
    assert done.returncode == 0, done.stderr
    assert hub.state.gets[-1] == f"bytes={kept}-"  # only the missing tail was fetched
    path = resolve_model("tiny", home)
    assert path.read_bytes() == model_bytes
    assert catalog_for(home).info("tiny").sha256 == digest
    assert _leftovers(home) == ["tiny-q4_k_m.gguf"]


def test_a_pinned_digest_mismatch_is_refused_and_nothing_is_left(home: Path, hub: LocalHub,
                                                                 env: dict[str, str],
                                                                 model_bytes: bytes) -> None:
    hub.state.add(REPO_FILE, model_bytes)
    failed = _pull(env, "--sha256", "ab" * 32)
    assert failed.returncode == 1
    assert "refused" in failed.stderr and "abababab" in failed.stderr
    assert "nothing was kept" in failed.stderr
    assert _leftovers(home) == []
    with pytest.raises(ModelNotFound):
        resolve_model("tiny", home)


def test_bytes_that_do_not_match_the_hubs_etag_are_refused(home: Path, hub: LocalHub,
                                                           env: dict[str, str],
                                                           model_bytes: bytes) -> None:
    hub.state.add(REPO_FILE, model_bytes)
    hub.state.lie_etag = True
    failed = _pull(env)
    assert failed.returncode == 1 and "the hub announced" in failed.stderr
    assert _leftovers(home) == []


def test_a_file_changed_after_the_pull_is_refused_at_load(home: Path, hub: LocalHub,
                                                          env: dict[str, str],
                                                          model_bytes: bytes) -> None:
    hub.state.add(REPO_FILE, model_bytes)
    assert _pull(env).returncode == 0
    path = home / "models" / "tiny-q4_k_m.gguf"
    with path.open("r+b") as f:
        f.seek(SIZE // 2)
        f.write(b"tampered")
    with pytest.raises(ModelHashMismatch, match="hearth models pull tiny"):
        resolve_model("tiny", home)
    # The fix the message names works: the pull fetches the file again.
    assert _pull(env).returncode == 0
    assert resolve_model("tiny", home).read_bytes() == model_bytes


def test_a_file_the_hub_does_not_have_is_one_clear_line_and_exit_2(home: Path,
                                                                   env: dict[str, str]) -> None:
    failed = _pull(env)
    assert failed.returncode == 2  # a wrong name is the user's to fix
    lines = failed.stderr.strip().splitlines()
    assert lines[-1].startswith("hearth: error: tiny: the hub has no "
                                "someone/tiny-GGUF/tiny-q4_k_m.gguf@main")
    assert _leftovers(home) == []


def test_a_pull_killed_mid_download_is_resumed_by_the_next_pull(home: Path, hub: LocalHub,
                                                                env: dict[str, str],
                                                                model_bytes: bytes) -> None:
    hub.state.add(REPO_FILE, model_bytes)
    hub.state.stall_after = CUT
    proc = subprocess.Popen([sys.executable, "-m", "hearth", "models", "pull", REF,
                             "--name", "tiny"], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    partial = home / "models" / ".partial" / "tiny-q4_k_m.gguf.partial"
    deadline = time.monotonic() + 120
    while not (partial.exists() and partial.stat().st_size > 0):
        assert proc.poll() is None and time.monotonic() < deadline, "no bytes arrived"
        time.sleep(0.1)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    hub.state.release.set()
    kept = partial.stat().st_size
    assert 0 < kept < SIZE
    with pytest.raises(ModelNotFound):
        resolve_model("tiny", home)
    done = _pull(env)
    assert done.returncode == 0, done.stderr
    assert hub.state.gets[-1] == f"bytes={kept}-"
    assert resolve_model("tiny", home).read_bytes() == model_bytes


def test_the_hub_token_goes_to_the_hub_and_nowhere_else(home: Path, hub: LocalHub,
                                                        env: dict[str, str],
                                                        model_bytes: bytes) -> None:
    hub.state.add(REPO_FILE, model_bytes)
    token = "hf_" + secrets.token_hex(16)
    done = _pull({**env, "HF_TOKEN": token, "HEARTH_LOG_LEVEL": "DEBUG"}, "--json")
    assert done.returncode == 0, done.stderr
    assert hub.state.auth and set(hub.state.auth) == {f"Bearer {token}"}
    assert token not in done.stdout + done.stderr
    assert token not in (home / "models" / "catalog.json").read_text()
