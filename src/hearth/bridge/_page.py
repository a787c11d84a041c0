"""The read-only status page: workers, queues, reply latency, search history, active spec.

Served by the bridge's aiohttp app at /status (HTML), /status.json and
/status/search.svg (the search history chart, drawn with matplotlib on the
server, so the page needs nothing from the internet). The app listens on
loopback by default; when HEARTH_HTTP_HOST exposes it, every request must carry
the webhook secret (`X-Hearth-Key` header or `?key=`), like Telegram's webhook.
"""

from __future__ import annotations

import asyncio
import hmac
import html
import io
import json
from collections.abc import Awaitable, Callable
from typing import Any

import redis
from aiohttp import web

from hearth.bridge._metrics import Metrics
from hearth.queue import (
    REPORTS,
    MorningReport,
    current_spec,
    parse,
    status_snapshot,
)
from hearth.settings import Settings

#: Hosts that keep the page on this machine.
LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})
#: Latency windows of the page, in seconds.
WINDOWS_S = {"last hour": 3600, "last day": 86_400}
#: Nights shown in the search history.
MAX_NIGHTS = 60


def exposed(settings: Settings) -> bool:
    """Whether the app listens beyond this machine."""
    return settings.http_host not in LOOPBACK


def allowed(request: web.Request, settings: Settings, secret: str) -> bool:
    """Loopback setups need nothing; an exposed page needs the webhook secret."""
    if not exposed(settings):
        return True
    given = request.headers.get("X-Hearth-Key") or request.query.get("key", "")
    return bool(secret) and hmac.compare_digest(given, secret)


def nights(client: redis.Redis) -> list[MorningReport]:
    """The latest morning reports, oldest first."""
    entries = client.xrevrange(REPORTS, count=MAX_NIGHTS)
    found = []
    for _, fields in reversed(entries):
        try:
            found.append(parse(MorningReport, json.loads(fields[b"data"])))
        except (KeyError, ValueError):
            continue
    return found


def page_data(client: redis.Redis, metrics: Metrics, owed: int) -> dict[str, Any]:
    """Everything the page shows, as JSON-ready data (also /status.json)."""
    from hearth.specs import Spec

    data = status_snapshot(client)
    data["owed_deliveries"] = owed
    data["latency_s"] = {name: metrics.percentiles(s) for name, s in WINDOWS_S.items()}
    data["nights"] = [{"night": n.night, "failed": n.failed, "gate_before": n.gate_before,
                       "gate_after": n.gate_after, "test_before": n.test_before,
                       "test_after": n.test_after, "spec_before": n.spec_before,
                       "spec_after": n.spec_after, "pending_spec": n.pending_spec}
                      for n in nights(client)]
    published = current_spec(client)
    spec: dict[str, Any] | None = None
    if published is not None:
        parsed = Spec.model_validate(json.loads(published)["spec"])
        spec = {"id": parsed.id, "parent": parsed.lineage.parent_id,
                "summary": parsed.summary(),
                "edits": [e.model_dump(mode="json") for e in parsed.lineage.edits]}
    data["spec"] = spec
    return data


def search_svg(data: dict[str, Any]) -> bytes:
    """The test-part score per category after each night, as an SVG chart.

    The test part is the score no decision saw; nights from before it existed
    (or searches without test tasks) show their selection score instead.
    """
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure

    figure = Figure(figsize=(9.0, 4.0), layout="constrained")
    FigureCanvasSVG(figure)
    axes = figure.subplots()
    history = [(n["night"], n.get("test_after") or n["gate_after"]) for n in data["nights"]
               if n.get("test_after") or n["gate_after"]]
    categories = sorted({c for _, scores in history for c in scores})
    labels = [night for night, _ in history]
    for category in categories:
        axes.plot(labels, [scores.get(category) for _, scores in history], marker="o",
                  label=category)
    if not history:
        axes.text(0.5, 0.5, "no night has run yet", ha="center", va="center",
                  transform=axes.transAxes)
    axes.set_title("Test-part score per category (untouched tasks), after each night")
    axes.set_xlabel("night")
    axes.set_ylabel("pass rate")
    axes.set_ylim(-0.02, 1.02)
    axes.grid(True, alpha=0.3)
    if categories:
        axes.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize="small")
    out = io.BytesIO()
    figure.savefig(out, format="svg")
    return out.getvalue()


def _cell(field: str, value: Any) -> str:
    return f'<td data-field="{field}">{html.escape(str(value))}</td>'


def render(data: dict[str, Any], key: str) -> str:
    """The page's HTML."""
    suffix = f"?key={html.escape(key)}" if key else ""
    rows = "".join(
        f'<tr data-worker="{html.escape(w["worker_id"])}">' + "".join(
            _cell(f, w[f]) for f in ("worker_id", "host", "spec_id", "model", "load",
                                     "queued", "last_heartbeat_s"))
        + _cell("busy", "busy" if w["busy"] else "idle") + "</tr>" for w in data["workers"])
    latency = "".join(
        f"<tr><th>{name}</th>" + "".join(
            _cell(f"{name}:{q}", "–" if v[q] is None else f"{v[q]:.3f}")
            for q in ("p50", "p95", "p99")) + _cell(f"{name}:count", v["count"]) + "</tr>"
        for name, v in data["latency_s"].items())
    spec = data["spec"]
    spec_html = "<p>No spec has been published yet: workers run their stored spec.</p>"
    if spec is not None:
        edits = "".join(f"<li><code>{html.escape(json.dumps(e))}</code></li>"
                        for e in spec["edits"]) or "<li>none (a built-in spec)</li>"
        spec_html = (f'<p data-field="spec_id">{html.escape(spec["id"])}</p>'
                     f"<p>{html.escape(spec['summary'])}</p>"
                     f"<p>parent: <code>{html.escape(str(spec['parent']))}</code></p>"
                     f"<p>edits from its parent:</p><ul>{edits}</ul>")
    lineage = "".join(
        f"<li>{html.escape(n['night'])}: {html.escape(str(n['spec_before'])[:12])} → "
        f"{html.escape(str(n['spec_after'])[:12])}"
        f"{' (held for review)' if n['pending_spec'] else ''}"
        f"{' (failed)' if n['failed'] else ''}</li>" for n in data["nights"])
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Hearth status</title>
<meta http-equiv="refresh" content="30">
<style>body{{font-family:sans-serif;margin:2em;max-width:1100px}}
table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:4px 8px}}</style>
</head><body>
<h1>Hearth status</h1>
<h2>Workers</h2>
<table id="workers"><tr><th>worker</th><th>host</th><th>spec</th><th>model</th><th>load</th>
<th>queued</th><th>heartbeat age (s)</th><th>state</th></tr>{rows}</table>
<h2>Queues</h2>
<table id="queues"><tr><th>waiting for any worker</th>
{_cell("unassigned_queued", data["unassigned_queued"])}</tr>
<tr><th>search jobs queued</th>{_cell("search_queued", data["search_queued"])}</tr>
<tr><th>replies owed to Telegram</th>{_cell("owed_deliveries", data["owed_deliveries"])}</tr>
</table>
<h2>Reply latency (seconds)</h2>
<table id="latency"><tr><th></th><th>p50</th><th>p95</th><th>p99</th><th>replies</th></tr>
{latency}</table>
<h2>Search history</h2>
<img id="search-chart" alt="held-out score per category per night"
 src="/status/search.svg{suffix}">
<ul id="lineage">{lineage or "<li>no night has run yet</li>"}</ul>
<h2>Active spec</h2>
<div id="spec">{spec_html}</div>
</body></html>
"""


def add_routes(app: web.Application, *, settings: Settings, sync_client: redis.Redis,
               metrics: Metrics, secret: str, owed: Callable[[], Awaitable[int]]) -> None:
    """/status, /status.json and /status/search.svg; `owed()` counts owed deliveries."""

    async def gather(request: web.Request) -> dict[str, Any]:
        if not allowed(request, settings, secret):
            raise web.HTTPForbidden(text="the status page needs the key (X-Hearth-Key)")
        count = await owed()
        return await asyncio.to_thread(page_data, sync_client, metrics, count)

    async def page(request: web.Request) -> web.Response:
        data = await gather(request)
        return web.Response(text=render(data, request.query.get("key", "")),
                            content_type="text/html", charset="utf-8")

    async def as_json(request: web.Request) -> web.Response:
        return web.json_response(await gather(request))

    async def chart(request: web.Request) -> web.Response:
        data = await gather(request)
        body = await asyncio.to_thread(search_svg, data)
        return web.Response(body=body, content_type="image/svg+xml")

    app.router.add_get("/status", page)
    app.router.add_get("/status.json", as_json)
    app.router.add_get("/status/search.svg", chart)
