"""The morning report: what a night's search did, from the worker to the bridge.

The search writes it to a Redis stream; the bridge reads it through a consumer
group and acknowledges an entry only once every owner has it, so a report
written while the bridge is down is delivered when it comes back.
"""

from __future__ import annotations

import redis
from pydantic import Field

from hearth.queue._payloads import _Payload

#: Stream of morning reports, read by the bridge.
REPORTS = "hearth:reports"
#: Entries the reports stream keeps (a year of nights).
REPORTS_MAXLEN = 400
#: Longest full report carried (Telegram takes documents up to 50 MB; a phone wants less).
MAX_REPORT_CHARS = 1_000_000


class MorningReport(_Payload):
    """One night's report: a short message, the full Markdown, the spec held for review."""

    night: str = Field(min_length=1, description="the night's local date, YYYY-MM-DD")
    text: str = Field(min_length=1, max_length=4000)
    markdown: str = Field(max_length=MAX_REPORT_CHARS)
    pending_spec: str | None = Field(default=None, pattern=r"^[0-9a-f]{4,64}$")
    failed: bool = False
    #: Held-out score per category before and after the night, for the status page.
    gate_before: dict[str, float] = Field(default_factory=dict)
    gate_after: dict[str, float] = Field(default_factory=dict)
    #: Test-part score (tasks no decision saw) before and after; empty when there was none.
    test_before: dict[str, float] = Field(default_factory=dict)
    test_after: dict[str, float] = Field(default_factory=dict)
    spec_before: str | None = None
    spec_after: str | None = None

    @property
    def filename(self) -> str:
        """The attached document's name."""
        return f"hearth-search-{self.night}.md"


def post_report(client: redis.Redis, report: MorningReport) -> str:
    """Add a report to the stream; returns its entry id."""
    entry = client.xadd(REPORTS, {"data": report.model_dump_json()}, maxlen=REPORTS_MAXLEN,
                        approximate=True)
    return entry.decode() if isinstance(entry, bytes) else str(entry)
