"""A chat's own time zone (/tz): stored in Redis, shown in the prompt's clock line."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
import redis

from hearth.edge_runtime._prompt import base_parts
from hearth.errors import ConfigError
from hearth.queue import chat_timezone, set_chat_timezone
from hearth.queue._timezones import timezone_key
from hearth.specs import default_spec


def test_the_chat_zone_is_stored_validated_and_read_back(rclient: redis.Redis):
    assert chat_timezone(rclient, "c1") is None
    assert set_chat_timezone(rclient, "c1", " America/New_York ") == "America/New_York"
    assert chat_timezone(rclient, "c1") == "America/New_York"
    with pytest.raises(ConfigError, match="IANA name"):
        set_chat_timezone(rclient, "c1", "../etc/passwd")
    rclient.set(timezone_key("c2"), "Not/AZone")  # written by a newer Hearth, say
    assert chat_timezone(rclient, "c2") is None  # the spec's zone is used then


def test_the_prompt_clock_names_the_chat_zone():
    spec = default_spec()
    now = datetime(2026, 12, 4, 3, 0, tzinfo=UTC).astimezone(ZoneInfo("Asia/Tokyo"))
    parts = base_parts(spec, user="hi", history=[], recalled=[], now_local=now,
                       timezone="Asia/Tokyo")
    assert "Now: Friday 2026-12-04 12:00 (Asia/Tokyo)." in parts.system
    default = base_parts(spec, user="hi", history=[], recalled=[], now_local=now)
    assert f"({spec.agent.timezone})." in default.system
