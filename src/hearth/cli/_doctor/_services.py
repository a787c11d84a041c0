"""Doctor checks of what Hearth talks to: Redis, Telegram, the teacher; and access settings."""

from __future__ import annotations

import ipaddress
import json
import re
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlsplit

import redis

from hearth._logging import Redactor, settings_secrets
from hearth.cli._doctor._finding import Finding, error, ok, warning
from hearth.errors import QueueUnavailable
from hearth.settings import SPEC_SECRET_FILE, Settings

#: Seconds to wait for Telegram or the teacher to answer.
HTTP_TIMEOUT_S = 5.0
#: What a bot token from @BotFather looks like.
TOKEN_SHAPE = re.compile(r"^\d+:[A-Za-z0-9_-]{30,}$")
#: Shorter spec secrets are easy to guess.
MIN_SECRET_CHARS = 16
ACL_FIX = ("create the Hearth ACL user from deploy/redis.conf and use "
           "REDIS_URL=redis://hearth:PASSWORD@HOST:6379/0")


def _is_loopback(host: str | None) -> bool:
    if not host or host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def redis_auth(url: str) -> Finding:
    """Whether the URL authenticates, judged from the URL alone."""
    parts = urlsplit(url)
    if parts.scheme == "unix":
        return ok("redis auth", "unix socket (access by file permissions)")
    secure = "TLS" if parts.scheme == "rediss" else "no TLS: fine on a private network or VPN"
    if parts.password:
        return ok("redis auth", f"user {parts.username or 'default'} with a password, {secure}")
    if _is_loopback(parts.hostname):
        return ok("redis auth", "no password, loopback only")
    return warning("redis auth", f"no password in REDIS_URL and {parts.hostname} is not "
                   "loopback: anyone who reaches it can read every chat", ACL_FIX)


def _persistence(client: redis.Redis) -> Finding:
    if str(client.info("persistence").get("aof_enabled", "0")) == "1":
        return ok("redis persistence", "append-only file on")
    fix = "set appendonly yes and appendfsync always (deploy/redis.conf) and restart Redis"
    try:
        save = str(client.config_get("save").get("save", ""))
    except redis.ResponseError:  # NOPERM: CONFIG is refused to a limited ACL user
        return warning("redis persistence", "append-only file off, and this user may not "
                       "run CONFIG GET, so RDB snapshots cannot be checked", fix)
    if save.strip():
        return ok("redis persistence", f"RDB snapshots (save {save}), no append-only file: a "
                  "crash loses the writes since the last snapshot")
    return warning("redis persistence", "nothing is kept on disk: a Redis restart loses queued "
                   "messages, chat homes and published specs", fix)


def check_redis(settings: Settings) -> list[Finding]:
    """Reachable, which server and version, persistence, eviction policy, auth."""
    if settings.redis_url is None:
        return [ok("redis", "REDIS_URL not set: `hearth up` starts an embedded server that "
                   "listens on no TCP port, only on a unix socket in a 0700 directory, so no "
                   "other user can connect (one machine only; set REDIS_URL, with a password, "
                   "for workers on several machines)")]
    from hearth.queue import connect, redact

    url = settings.redis_url.get_secret_value()
    found = [redis_auth(url)]
    try:
        client = connect(url)
    except QueueUnavailable as exc:
        return [error("redis", str(exc), "start Redis (systemctl start valkey-server, or "
                      "docker compose up -d redis) or correct REDIS_URL"), *found]
    try:
        try:
            server = client.info("server")
            name = "Valkey" if "valkey_version" in server else "Redis"
            version = server.get("valkey_version") or server.get("redis_version", "?")
            found.insert(0, ok("redis", f"{redact(url)} reachable, {name} {version}"))
        except redis.ResponseError as exc:
            found.insert(0, warning("redis", f"{redact(url)} reachable, but INFO is refused "
                                    f"({exc})", "allow +info for the Hearth user: RQ needs it"))
            return found
        found.append(_persistence(client))
        policy = str(client.info("memory").get("maxmemory_policy", "noeviction"))
        if policy != "noeviction":
            found.append(warning("redis eviction", f"maxmemory-policy {policy} may delete "
                                 "queued jobs and reply streams under memory pressure",
                                 "set maxmemory-policy noeviction"))
    finally:
        client.close()
    return found


def _get_json(url: str, headers: dict[str, str]) -> Any:
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT_S) as response:
        return json.loads(response.read())


def check_telegram(settings: Settings) -> list[Finding]:
    """Token shape, then ``getMe`` through HEARTH_TELEGRAM_API_URL."""
    if settings.telegram_bot_token is None:
        return [ok("telegram", "TELEGRAM_BOT_TOKEN not set: the console channel is used "
                   "(a worker-only machine needs no token)")]
    token = settings.telegram_bot_token.get_secret_value()
    if not TOKEN_SHAPE.match(token):
        return [error("telegram token", "TELEGRAM_BOT_TOKEN does not look like a bot token "
                      "(digits, a colon, then 30 or more letters, digits, - or _)",
                      "copy the token again from @BotFather (/mybots, API Token)")]
    api = settings.telegram_api_url
    redact = Redactor(settings_secrets(settings))
    try:
        answer = _get_json(f"{api}/bot{token}/getMe", {})
    except urllib.error.HTTPError as exc:
        if exc.code in (401, 404):
            return [error("telegram token", f"{api} rejected the token ({exc.code})",
                          "the token was revoked or mistyped: get the current one from "
                          "@BotFather")]
        return [error("telegram", redact(f"getMe via {api} failed: HTTP {exc.code}"),
                      "check HEARTH_TELEGRAM_API_URL and try again later")]
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        return [error("telegram", redact(f"cannot reach {api}: {reason}"),
                      "check this machine's network, proxy and HEARTH_TELEGRAM_API_URL")]
    bot = answer.get("result", {}) if isinstance(answer, dict) else {}
    return [ok("telegram", f"@{bot.get('username', '?')} answers getMe via {api}")]


def check_access(settings: Settings) -> list[Finding]:
    """Allowed users and the spec-signing secret."""
    found: list[Finding] = []
    if settings.allowed_users:
        found.append(ok("allowed users", f"{len(settings.allowed_users)} user id(s)"))
    elif settings.telegram_bot_token is not None:
        found.append(warning("allowed users", "HEARTH_ALLOWED_USERS is empty: only people "
                             "paired with `hearth pair` can chat",
                             "set HEARTH_ALLOWED_USERS to your numeric Telegram user id"))
    else:
        found.append(ok("allowed users", "none set (no Telegram token either)"))
    secret = settings.spec_secret.get_secret_value() if settings.spec_secret else ""
    fix = "set HEARTH_SPEC_SECRET=$(openssl rand -hex 32), the same on every machine"
    if not secret and settings.redis_url is None:
        found.append(ok("spec secret", "not made yet: `hearth up` keeps one in "
                        f"{settings.home / SPEC_SECRET_FILE}"))
    elif not secret:
        found.append(warning("spec secret", "HEARTH_SPEC_SECRET is not set: each machine "
                             f"makes its own in {SPEC_SECRET_FILE} under its home, and a worker "
                             "refuses specs signed with another machine's", fix))
    elif len(secret) < MIN_SECRET_CHARS:
        found.append(warning("spec secret", f"only {len(secret)} characters: easy to guess",
                             fix))
    else:
        found.append(ok("spec secret", f"set ({len(secret)} characters)"))
    return found


def check_teacher(settings: Settings) -> list[Finding]:
    """GET {HEARTH_TEACHER_URL}/models, with the API key, when a teacher is configured."""
    nightly = ("the nightly search is off (HEARTH_NIGHTLY_AT=off)"
               if settings.nightly_at == "off" else
               f"the nightly search runs at {settings.nightly_at} {settings.timezone}")
    if settings.teacher_url is None:
        return [ok("teacher", f"HEARTH_TEACHER_URL not set: {nightly} with the offline "
                   "proposer; a teacher adds prompt and tool-description edits")]
    url = f"{settings.teacher_url}/models"
    key = settings.teacher_api_key.get_secret_value() if settings.teacher_api_key else ""
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    redact = Redactor(settings_secrets(settings))
    try:
        answer = _get_json(url, headers)
    except urllib.error.HTTPError as exc:
        fix = ("check HEARTH_TEACHER_API_KEY" if exc.code in (401, 403)
               else "check HEARTH_TEACHER_URL: it must end where /chat/completions starts, "
                    "usually /v1")
        return [error("teacher", f"GET {url} answered HTTP {exc.code}", fix)]
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        return [error("teacher", redact(f"cannot reach {url}: {reason}"),
                      "check HEARTH_TEACHER_URL and this machine's network")]
    models = [m.get("id") for m in answer.get("data", [])] if isinstance(answer, dict) else []
    wanted = settings.teacher_model
    if wanted is None:
        return [warning("teacher", f"{settings.teacher_url} answers, but HEARTH_TEACHER_MODEL "
                        "is not set", f"set HEARTH_TEACHER_MODEL (served: "
                        f"{', '.join(map(str, models[:5])) or 'none listed'})")]
    if models and wanted not in models:
        return [warning("teacher", f"{settings.teacher_url} does not list model {wanted}",
                        f"set HEARTH_TEACHER_MODEL to one it serves: "
                        f"{', '.join(map(str, models[:5]))}")]
    return [ok("teacher", f"{settings.teacher_url} answers; model {wanted}; {nightly}")]
