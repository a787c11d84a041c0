"""`hearth search run` end to end with the real SmolLM2 on a small task file.

Three parts, successive halving and the report, through the real runtime:
kept small (10 tasks, one session, a two-minute candidate budget) so the test
stays near a minute on two cores.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from hearth.bench import load_tasks, split_parts
from tests.conftest import run_cli

CATEGORIES = ("arithmetic", "factual")


def _task_file(path: Path) -> list[str]:
    source = Path(__file__).resolve().parents[2] / "src/hearth/bench/data/tasks.jsonl"
    picked: dict[str, int] = {}
    kept = []
    for line in source.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        task = json.loads(line)
        if task["category"] in CATEGORIES and picked.get(task["category"], 0) < 3:
            picked[task["category"]] = picked.get(task["category"], 0) + 1
            kept.append(line)
    # Questions no model answers (the check wants a made-up word): a failing
    # cluster in the search part, so the proposer has something to aim at.
    for n, thing in enumerate(("my cat", "my boat", "our village", "the blue door")):
        kept.append(json.dumps({"id": f"factual-secret-{n}", "category": "factual", "turns": [
            {"role": "user", "content": f"What is the secret name of {thing}?"}],
            "check": {"type": "contains", "value": f"zqxj{n}vk"}}))
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    return [json.loads(line)["id"] for line in kept]


def test_search_run_reports_the_test_part_and_prunes_with_a_progress_line(home, tmp_path):
    tasks_file = tmp_path / "tasks.jsonl"
    ids = _task_file(tasks_file)
    env = {"HEARTH_HOME": str(home), "HEARTH_TEACHER_URL": "", "HEARTH_TEACHER_MODEL": "",
           "HEARTH_REDIS_URL": ""}
    result = run_cli("search", "run", "--sessions", "1", "--minutes", "2", "--proposer",
                     "offline", "--tasks", str(tasks_file), env=env, timeout=400)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "session 1: test " in result.stdout and "(selection score " in result.stdout
    assert "candidates tried" in result.stdout
    sessions = json.loads(run_cli("search", "report", "--json", env=env).stdout)
    assert sessions["report"].endswith("report.md")
    assert "candidates scored" in result.stderr  # the progress line, with its ETA
    assert "left" in result.stderr
    report = (home / "search-report" / "report.md").read_text(encoding="utf-8")
    assert "## Test part by category (untouched" in report and "| factual |" in report
    # The test part was scored (start spec) and nothing else there was.
    with duckdb.connect(str(home / "bench.duckdb"), read_only=True) as con:
        rows = con.execute("SELECT DISTINCT task_id FROM run_results").fetchall()
    with duckdb.connect(str(home / "search.duckdb"), read_only=True) as con:
        decisions = [r[0] for r in con.execute("SELECT decision FROM candidates").fetchall()]
    search, _, test = split_parts(load_tasks(tasks_file))
    assert any(t.id.startswith("factual-secret") for t in search)
    assert {r[0] for r in rows} == set(ids) and test
    # Scored candidates were either pruned on a gate sample or decided on the gate.
    assert decisions and "pruned" in decisions
    # `hearth bench run --part test` scores exactly the test part (from the cache now).
    bench = run_cli("bench", "run", "--part", "test", "--tasks", str(tasks_file), "--json",
                    env=env, timeout=200)
    assert bench.returncode == 0, bench.stderr[-2000:]
    data = json.loads(bench.stdout)
    assert {r["task_id"] for r in data["results"]} == {t.id for t in test}
    assert all(r["cached"] for r in data["results"])
