"""The reminder tool: reading `when` in the user's zone, and refusing bad times."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from hearth.edge_runtime.tools import ToolBox, parse_when
from hearth.errors import ToolError
from hearth.specs import Tool, Tools
from tests.edge_runtime.test_tools_support import NOW, RecordingScheduler, make_ctx

BOX = ToolBox.from_spec(Tools(tools=(Tool(name="reminder", enabled=True),)))


def utc(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


# NOW is Saturday 2025-03-29 21:00 CET; Berlin moves to CEST at 02:00 on Sunday.
@pytest.mark.parametrize(
    ("when", "expected"),
    [
        ("in 20 minutes", utc(2025, 3, 29, 20, 20)),
        ("in an hour", utc(2025, 3, 29, 21, 0)),
        ("in 2h", utc(2025, 3, 29, 22, 0)),
        ("in 24 hours", utc(2025, 3, 30, 20, 0)),
        ("in 3 days", utc(2025, 4, 1, 19, 0)),  # same wall time, 21:00 CEST
        ("22:15", utc(2025, 3, 29, 21, 15)),  # later today
        ("18:30", utc(2025, 3, 30, 16, 30)),  # past today: tomorrow, in CEST
        ("7 pm", utc(2025, 3, 30, 17, 0)),
        ("tomorrow 9:00", utc(2025, 3, 30, 7, 0)),
        ("tomorrow 8", utc(2025, 3, 30, 6, 0)),  # a bare hour with a day: 24-hour clock
        ("Tomorrow at 2:30", utc(2025, 3, 30, 1, 30)),  # skipped by DST: 03:30 CEST
        ("2025-04-01T09:00", utc(2025, 4, 1, 7, 0)),
        ("2025-04-01 09:00", utc(2025, 4, 1, 7, 0)),
        ("2025-04-01T09:00+00:00", utc(2025, 4, 1, 9, 0)),
        ("2025-04-01T09:00Z", utc(2025, 4, 1, 9, 0)),
    ],
)
def test_parse_when(when: str, expected: datetime) -> None:
    at = parse_when(when, NOW, "Europe/Berlin")
    assert at == expected
    assert at.utcoffset() == timedelta(0)


def test_schedules_and_confirms_in_local_time() -> None:
    scheduler = RecordingScheduler()
    result = BOX.call(
        "reminder", {"text": "take out the bins", "when": "18:30"}, make_ctx(scheduler=scheduler)
    )
    assert result.ok
    assert result.content == (
        "Reminder set for Sunday 2025-03-30 18:30 (Europe/Berlin): take out the bins"
    )
    assert scheduler.scheduled == [("chat-1", utc(2025, 3, 30, 16, 30), "take out the bins")]
    assert result.data["id"] == "reminder-1"
    assert result.data["at"] == "2025-03-30T16:30:00+00:00"


@pytest.mark.parametrize(
    ("when", "says"),
    [
        ("2025-03-29T08:00", "is in the past; it is now 2025-03-29 21:00"),
        ("2025-03-29T20:59", "is in the past"),
        ("2026-04-01T09:00", "more than 365 days ahead"),
        ("in 400 days", "more than 365 days ahead"),
        ("in 999999999 days", "too far ahead"),
        ("sometime", "use HH:MM, 'in 20 minutes'"),
        ("2025-04-01", "has no time of day"),
        ("25:00", "not a time of day"),
        ("13 pm", "hour must be 1 to 12"),
        ("in 3 fortnights", "unknown unit"),
    ],
)
def test_refuses_bad_times_and_schedules_nothing(when: str, says: str) -> None:
    scheduler = RecordingScheduler()
    result = BOX.call("reminder", {"text": "x", "when": when}, make_ctx(scheduler=scheduler))
    assert not result.ok
    assert says in result.content
    assert scheduler.scheduled == []


def test_needs_text() -> None:
    result = BOX.call("reminder", {"text": " ", "when": "in 5 minutes"}, make_ctx())
    assert not result.ok
    assert "'text' must be a non-empty string" in result.content
    with pytest.raises(ToolError):
        parse_when("", NOW, "UTC")
