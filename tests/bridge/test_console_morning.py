"""The morning report on the console channel (`hearth up` without a Telegram token)."""

from __future__ import annotations

import io

import redis

from hearth.bridge import ConsoleChannel
from hearth.queue import MorningReport, post_report


def test_the_console_shows_each_morning_report_once(rclient: redis.Redis):
    post_report(rclient, MorningReport(night="2026-12-04", text="🌙 Last night's search: kept 1",
                                       markdown="# r\n", pending_spec="abcdef123456"))
    out = io.StringIO()
    ConsoleChannel(rclient, out=out).run([])
    assert "🌙 Last night's search: kept 1" in out.getvalue()
    assert "hearth spec approve abcdef123456" in out.getvalue()
    again = io.StringIO()
    ConsoleChannel(rclient, out=again).run([])
    assert again.getvalue() == ""
