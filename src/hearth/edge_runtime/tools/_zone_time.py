"""Clock times in other places: "what time is it in Tokyo?", "9 am in London in Tokyo".

The offset between two places depends on the day (daylight saving starts on
different dates, or not at all), so a time is converted on today's date in
the user's zone, or on a winter or summer day when the question names the
season ("in winter Tokyo is 9 hours ahead of London").
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from datetime import time as clock_time
from typing import Any
from zoneinfo import ZoneInfo

from hearth.edge_runtime.tools._calendar import MAX_MINUTES, parse_clock_time
from hearth.edge_runtime.tools._types import ToolContext, ToolResult
from hearth.edge_runtime.tools._zones import SOUTHERN, zone_for
from hearth.errors import ToolError

#: A day of each season as the northern hemisphere has it, where a question names one.
_SEASON_DAYS = {"winter": (1, 15), "spring": (4, 15), "summer": (7, 15), "autumn": (10, 15)}


def zone_argument(arguments: dict[str, Any], key: str, default: str) -> str:
    """The IANA zone `arguments[key]` names (a city, a country or a zone), else `default`."""
    value = arguments.get(key)
    if value is None or str(value).strip().lower() in ("", "here", "local", "local time",
                                                        "my time"):
        return default
    zone = zone_for(str(value))
    if zone is None:
        raise ToolError(f"{key}: no time zone is known for {str(value)[:60]!r}; give a city "
                        "('Tokyo') or an IANA zone name ('Asia/Tokyo')")
    return zone


def place_name(zone: str) -> str:
    """How a reply names a zone: "Asia/Tokyo" as Tokyo, "UTC" as it is."""
    return zone.rsplit("/", 1)[-1].replace("_", " ")


def zoned_now(arguments: dict[str, Any], ctx: ToolContext) -> ToolResult:
    """The date and time now in the zone `arguments["zone"]` names."""
    zone = zone_argument(arguments, "zone", ctx.timezone)
    now = ctx.now().astimezone(ZoneInfo(zone))
    return ToolResult(
        True, f"It is {now:%A} {now.date().isoformat()} {now:%H:%M} in {zone} "
              f"(UTC{now.isoformat()[-6:]}).",
        {"operation": "now", "iso": now.isoformat(timespec="seconds"),
         "date": now.date().isoformat(), "time": f"{now:%H:%M}", "weekday": f"{now:%A}",
         "timezone": zone})


def _day(arguments: dict[str, Any], today: date, zone: str) -> date:
    """Today, or a day of the season asked about as it falls where the time is."""
    season = str(arguments.get("season") or "").lower()
    if season not in _SEASON_DAYS and season:
        raise ToolError(f"season must be one of {', '.join(_SEASON_DAYS)}, got {season[:30]!r}")
    if not season:
        return today
    month, day = _SEASON_DAYS[season]
    if SOUTHERN.search(zone):  # summer in Sydney is January
        month = (month + 5) % 12 + 1
    return date(today.year, month, day)


def converted_time(arguments: dict[str, Any], ctx: ToolContext, shift: int) -> ToolResult:
    """A clock time in `zone` (plus `shift` minutes) as the clock shows it in `to_zone`."""
    if abs(shift) > MAX_MINUTES:
        raise ToolError(f"cannot move a time by {shift} minutes; at most {MAX_MINUTES}")
    zone = zone_argument(arguments, "zone", ctx.timezone)
    to_zone = zone_argument(arguments, "to_zone", ctx.timezone)
    minutes = parse_clock_time(arguments.get("time"))
    day = _day(arguments, ctx.now().astimezone(ZoneInfo(ctx.timezone)).date(), zone)
    start = datetime.combine(day, clock_time(minutes // 60, minutes % 60), ZoneInfo(zone))
    end = (start + timedelta(minutes=shift)).astimezone(ZoneInfo(to_zone))
    days = (end.date() - day).days
    result = f"{end:%H:%M}"
    note = "" if days == 0 else f" ({'+' if days > 0 else ''}{days} day{'s' * (abs(days) != 1)})"
    moved = f" + {shift} minutes" if shift else ""
    return ToolResult(
        True, f"{start:%H:%M} in {zone}{moved} is {result} in {to_zone}{note}",
        {"operation": "time", "result": result, "days": days, "zone": zone,
         "to_zone": to_zone, "place": place_name(to_zone)})
