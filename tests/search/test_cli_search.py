"""`hearth search` from the command line: refusals that need no model."""

from __future__ import annotations

from tests.conftest import run_cli


def test_a_teacher_proposer_without_a_teacher_is_refused(home):
    env = {"HEARTH_HOME": str(home), "HEARTH_TEACHER_URL": "", "HEARTH_TEACHER_MODEL": ""}
    result = run_cli("search", "run", "--proposer", "teacher", env=env)
    assert result.returncode == 2, result.stderr
    assert "HEARTH_TEACHER_URL" in result.stderr and "Traceback" not in result.stderr
    assert not (home / "search.duckdb").exists()  # nothing ran, nothing was logged


def test_an_unknown_proposer_is_refused_by_the_parser(home):
    result = run_cli("search", "run", "--proposer", "oracle", env={"HEARTH_HOME": str(home)})
    assert result.returncode == 2 and "invalid choice" in result.stderr
