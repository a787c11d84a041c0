"""Everyday messages a new user sends, answered through the real agent and SmolLM2's spec.

Each of these got a wrong or empty answer from the 135M model before: a list
addition echoed back, "5 miles to km" as "0.62", "What time is it in Los
Angeles?" as the user's own time, a timer ignored, the weather invented.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from hearth.bench import Task
from hearth.bench._runner import score_tasks
from hearth.specs import default_spec


def _task(n: int, turns: list[str], check: dict[str, Any]) -> Task:
    return Task.model_validate({
        "id": f"everyday-{n}", "category": "everyday", "check": check,
        "turns": [{"role": "user" if i % 2 == 0 else "assistant", "content": t}
                  for i, t in enumerate(turns)]})


CASES: list[tuple[list[str], dict[str, Any]]] = [
    (["Add milk to my shopping list.", "OK. Your shopping list has 1 item: milk.",
      "Also add bread and butter."],
     {"type": "regex", "pattern": r"^OK\. Your shopping list has 3 items: milk, bread and "
                                  r"butter\.$"}),
    (["Convert 5 miles to kilometres."],
     {"type": "regex", "pattern": r"^about 8\.047 kilometres \(5\*1609\.344/1000\)$"}),
    (["What time is it in Los Angeles?"],  # the bench's clock: 2025-06-02 09:30 UTC
     {"type": "contains", "value": "02:30 (America/Los_Angeles)", "mode": "substring"}),
    (["When it's 9 am in London, what time is it in New York?"],
     {"type": "regex", "pattern": r"^04:00 in New York\.$"}),
    (["Set a timer for 10 minutes."],
     {"type": "contains", "value": "Timer: 10 minutes are up, on 2025-06-02 at 09:40",
      "mode": "substring"}),
    (["Will it rain today?"],
     {"type": "contains", "value": "can't look up the weather", "mode": "substring"}),
    (["Write 1999 in words."],
     {"type": "regex", "pattern": r"^One thousand nine hundred and ninety-nine$"}),
    (["What's the capital of Australia?"],
     {"type": "regex", "pattern": r"^The capital of Australia is Canberra\.$"}),
    # No route pattern claims these: the word-problem rules and calendar readers do.
    (["I earn $22.50 an hour and work 37.5 hours a week. What's my weekly pay?"],
     {"type": "regex", "pattern": r"^843\.75 \(22\.50\*37\.5\)$"}),
    (["How many Fridays are there in October 2027?"],
     {"type": "regex", "pattern": r"^5 Fridays in October 2027\.$"}),
    (["A flight leaves at 22:30 and lands at 06:05. How many minutes is the flight?"],
     {"type": "regex", "pattern": r"^455 minutes \(7 hours 35 minutes\)\.$"}),
    (["What day of the week is it 100 days after a Wednesday?"],
     {"type": "regex", "pattern": r"^Friday\.$"}),
]


@pytest.mark.model
def test_everyday_messages_get_exact_answers(home: Path) -> None:
    tasks = [_task(n, turns, check) for n, (turns, check) in enumerate(CASES)]
    report = score_tasks(default_spec(), tasks, home=home)
    failed = [(r.prompt, r.reply, r.reason) for r in report.results if not r.passed]
    assert not failed
