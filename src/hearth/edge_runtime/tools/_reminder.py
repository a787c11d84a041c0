"""The reminder tool: schedules a message back to this chat at a given time.

`when` is read in the user's time zone: an ISO date and time, a clock time
("18:30", "7:05 pm", "tomorrow 9:00"; today, or tomorrow if already past) or a
delay ("in 20 minutes", "in an hour", "in 3 days"). The time handed to the
scheduler is aware and in UTC.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from hearth.edge_runtime.tools._arguments import text_argument
from hearth.edge_runtime.tools._calendar import WEEKDAYS, clock_hour_minute
from hearth.edge_runtime.tools._types import ToolContext, ToolDefinition, ToolResult
from hearth.errors import ToolError

#: Furthest ahead a reminder may be set.
MAX_AHEAD = timedelta(days=365)
#: Longest reminder text, in characters.
MAX_TEXT_CHARS = 1000

_UNITS = {
    "minute": timedelta(minutes=1),
    "hour": timedelta(hours=1),
    "day": timedelta(days=1),
    "week": timedelta(weeks=1),
}
_UNIT_ALIASES = {"m": "minute", "min": "minute", "h": "hour", "hr": "hour", "d": "day",
                 "w": "week"}
_DELAY = re.compile(r"^in\s+(an?|\d+)\s*([a-z]+?)s?$")
_CLOCK = re.compile(r"^(?:(today|tomorrow|(?:next\s+|this\s+)?(?:monday|tuesday|wednesday|"
                    r"thursday|friday|saturday|sunday))\s+)?(?:at\s+)?(\d{1,2})(?::(\d{2}))?"
                    r"\s*(am|pm)?$")
#: "friday" alone: its next occurrence, at the default hour of a day named without a time.
_DAY_ONLY = re.compile(r"^(?:next\s+|this\s+)?(?:monday|tuesday|wednesday|thursday|friday|"
                       r"saturday|sunday)$")
_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_FORMATS = ("HH:MM, 'in 20 minutes', 'tomorrow 9:00', 'friday 9:00' or an ISO time such as "
            "2025-06-01T09:00")


def parse_when(when: str, now: datetime, timezone: str) -> datetime:
    """The moment `when` names, as an aware UTC datetime; `ToolError` if unreadable.

    `now` is the current time (aware); bare clock times and ISO times without
    an offset are read in `timezone`. Range checks are left to the caller.
    """
    tz = ZoneInfo(timezone)
    local = now.astimezone(tz)
    text = " ".join(when.strip().lower().split())
    delay = _DELAY.match(text)
    if delay:
        count = 1 if delay.group(1) in ("a", "an") else int(delay.group(1))
        unit = _UNIT_ALIASES.get(delay.group(2), delay.group(2))
        if unit not in _UNITS:
            raise ToolError(f"unknown unit in {when!r}; use minutes, hours, days or weeks")
        if count > 100_000:
            raise ToolError(f"{when!r} is too far ahead; at most {MAX_AHEAD.days} days")
        if unit in ("day", "week"):
            # Whole days keep the wall-clock time across a DST change.
            wall = local.replace(tzinfo=None) + count * _UNITS[unit]
            return wall.replace(tzinfo=tz).astimezone(UTC)
        return (now + count * _UNITS[unit]).astimezone(UTC)
    clock = _CLOCK.match(text)
    # "tomorrow 8" is 08:00 on the 24-hour clock; a bare "8" could be anything.
    if clock and (clock.group(1) or clock.group(3) or clock.group(4)):
        return _clock_time(clock, local, when)
    if _DAY_ONLY.match(text):
        raise ToolError(f"{when!r} has no time of day; add one, e.g. {text} 9:00")
    if _DATE_ONLY.match(text):
        raise ToolError(f"{when!r} has no time of day; add one, e.g. {text}T09:00")
    try:
        moment = datetime.fromisoformat(when.strip())
        return (moment if moment.tzinfo else moment.replace(tzinfo=tz)).astimezone(UTC)
    except (ValueError, OverflowError):
        raise ToolError(f"cannot read when={when!r}; use {_FORMATS}") from None


def _clock_time(match: re.Match[str], local: datetime, when: str) -> datetime:
    day_word, hour_text, minute_text, meridiem = match.groups()
    hour, minute = clock_hour_minute(hour_text, minute_text, meridiem, repr(when))
    # "tomorrow at 3" is the afternoon, as people mean a bare hour from 1 to 6; "at 8" the
    # morning.
    if day_word and not meridiem and minute_text is None and 1 <= hour <= 6:
        hour += 12
    if day_word in (None, "today", "tomorrow"):
        day = local.date() + timedelta(days=1 if day_word == "tomorrow" else 0)
    else:
        # "friday 9": the coming Friday; today if it is Friday and 9 is still ahead.
        name = day_word.split()[-1].capitalize()
        ahead = (WEEKDAYS.index(name) - local.weekday()) % 7
        if day_word.startswith("next") and not ahead:
            ahead = 7
        day = local.date() + timedelta(days=ahead)
    # Built from the calendar day, not now + 24 h, so a DST change keeps the wall time.
    moment = datetime(day.year, day.month, day.day, hour, minute, tzinfo=local.tzinfo)
    if day_word is not None and day_word not in ("today", "tomorrow") and moment <= local:
        day += timedelta(days=7)
        moment = moment.replace(year=day.year, month=day.month, day=day.day)
    if day_word is None and moment <= local:
        day += timedelta(days=1)
        moment = moment.replace(year=day.year, month=day.month, day=day.day)
    return moment.astimezone(UTC)


def reminder(arguments: dict[str, Any], ctx: ToolContext) -> ToolResult:
    """Schedule `arguments["text"]` for `arguments["when"]` in this chat."""
    text = text_argument(arguments, "text", max_chars=MAX_TEXT_CHARS)
    when = text_argument(arguments, "when", max_chars=100)
    now = ctx.now()
    at = parse_when(when, now, ctx.timezone)
    tz = ZoneInfo(ctx.timezone)
    local = at.astimezone(tz)
    shown = f"{local:%A} {local:%Y-%m-%d %H:%M} ({ctx.timezone})"
    if at <= now:
        current = now.astimezone(tz)
        raise ToolError(
            f"{shown} is in the past; it is now {current:%Y-%m-%d %H:%M}. Give a later time."
        )
    if at - now > MAX_AHEAD:
        raise ToolError(f"{shown} is more than {MAX_AHEAD.days} days ahead; pick a nearer time")
    reminder_id = ctx.scheduler.schedule(ctx.chat_id, at, text)
    return ToolResult(
        True,
        f"Reminder set for {shown}: {text}",
        {"id": reminder_id, "at": at.isoformat(), "local": local.isoformat(), "text": text},
    )


REMINDER = ToolDefinition(
    name="reminder",
    description="Schedule a reminder message back to this chat at a given time.",
    parameters={
        "type": "object",
        "properties": {
            "text": {"type": "string", "description": "what to remind the user of"},
            "when": {"type": "string", "description": "18:30, in 20 minutes or 2025-06-01T09:00"},
        },
        "required": ["text", "when"],
        "additionalProperties": False,
    },
    run=reminder,
)
