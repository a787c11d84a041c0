"""The teacher client: any OpenAI-compatible chat completions endpoint, via the `openai` library.

`HEARTH_TEACHER_URL` is the API base. A URL with no path gets ``/v1`` added,
any other path is used as the base as it is, and a URL that already ends in
``/chat/completions`` is used whole: ``http://127.0.0.1:8000``,
``http://127.0.0.1:8000/v1`` and ``https://api.openai.com/v1`` all work.

Every call is checked against the session's `Budget` before it is sent.
Answers are asked for as JSON: first with a ``json_schema`` response format;
a server that refuses it (400, 422, or an error naming ``response_format``)
gets ``json_object`` with the schema (llama.cpp's own dialect), then plain
``json_object``, then no response format at all, each with the schema also
written into the prompt and every answer validated. 429, 5xx
and connection errors are retried with exponential backoff, honouring
Retry-After (the library's own retries are off, so the wait, the number of
tries and the budget check stay ours). The API key is only ever put in the
Authorization header of a request: never logged, never in a message.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from types import TracebackType
from typing import Any, cast
from urllib.parse import urlsplit, urlunsplit

import openai
from pydantic import SecretStr

from hearth.errors import ConfigError, TeacherError
from hearth.search._budget import Budget, BudgetExhausted, estimate_tokens
from hearth.search._lessons import Lesson, render_preview
from hearth.search._proposals import (
    DIAGNOSE_SCHEMA,
    DIAGNOSE_SYSTEM,
    PROPOSE_SYSTEM,
    ClusterReading,
    ProposalResult,
    RejectedProposal,
    parse_proposals,
    parse_readings,
    proposals_schema,
    spec_brief,
)
from hearth.settings import Settings
from hearth.specs import Spec

log = logging.getLogger(__name__)

#: Seconds one request may take in all (a large model writing edits is slow).
DEFAULT_TIMEOUT_S = 180.0
#: Seconds to open the connection.
DEFAULT_CONNECT_TIMEOUT_S = 10.0
#: Tries after the first, for 429, 5xx and connection errors.
DEFAULT_RETRIES = 4
#: First backoff in seconds; doubled on each retry, capped at `max_wait_s`.
DEFAULT_BACKOFF_S = 1.0
#: The longest wait between tries, Retry-After included, in seconds.
DEFAULT_MAX_WAIT_S = 60.0
#: Output tokens asked for per answer, and the fewest worth a call.
DEFAULT_ANSWER_TOKENS = 2048
LEAST_ANSWER_TOKENS = 128

#: Response formats, most specific first; a refusal moves a teacher one step down.
#: "plain" sends no response format at all (the schema is in the prompt and the
#: answer is validated): for a server that refuses even json_object, and for a
#: local teacher on a small CPU, where a grammar over a 150k-token vocabulary
#: costs seconds per token.
_FORMATS = ("json_schema", "json_object_schema", "json_object", "plain")


class _BadAnswer(TeacherError):
    """The teacher answered 200 with something that is not a chat completion."""


def chat_completions_url(base: str) -> str:
    """The chat completions endpoint for a HEARTH_TEACHER_URL (see the module docstring)."""
    parts = urlsplit(base.rstrip("/"))
    path = parts.path
    if not path.endswith("/chat/completions"):
        path = (path or "/v1") + "/chat/completions"
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))


def _safe_url(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.hostname or "", parts.path, "", "")) if (
        parts.username or parts.password or parts.query) else url


@dataclass(frozen=True)
class Completion:
    """One answer of the teacher and what it cost."""

    text: str
    input_tokens: int
    output_tokens: int
    finish_reason: str | None
    usage_estimated: bool


class Teacher:
    """An async client of a teacher endpoint; use as ``async with Teacher(...) as t``."""

    def __init__(self, url: str, model: str, *, budget: Budget, api_key: SecretStr | None = None,
                 timeout_s: float = DEFAULT_TIMEOUT_S,
                 connect_timeout_s: float = DEFAULT_CONNECT_TIMEOUT_S,
                 retries: int = DEFAULT_RETRIES, backoff_s: float = DEFAULT_BACKOFF_S,
                 max_wait_s: float = DEFAULT_MAX_WAIT_S,
                 answer_tokens: int = DEFAULT_ANSWER_TOKENS, temperature: float = 0.2) -> None:
        self.endpoint = chat_completions_url(url)
        self.model = model
        self.budget = budget
        self._key = api_key
        self._timeout = openai.Timeout(timeout_s, connect=connect_timeout_s)
        self.retries, self.backoff_s, self.max_wait_s = retries, backoff_s, max_wait_s
        self.answer_tokens, self.temperature = answer_tokens, temperature
        #: Index into the response formats: how far this teacher had to step down.
        #: A caller that makes a new client per request carries it over.
        self.format_level = 0
        self._client: openai.AsyncOpenAI | None = None
        # One call at a time, so that two calls cannot both pass the budget check.
        self._lock = asyncio.Lock()

    @classmethod
    def from_settings(cls, settings: Settings, budget: Budget, **options: Any) -> Teacher:
        """A teacher from HEARTH_TEACHER_URL, HEARTH_TEACHER_MODEL and HEARTH_TEACHER_API_KEY."""
        if not settings.teacher_url:
            raise ConfigError("HEARTH_TEACHER_URL is not set: set it to an OpenAI-compatible "
                              "API base such as https://api.openai.com/v1, or search with the "
                              "offline proposer", variable="HEARTH_TEACHER_URL")
        if not settings.teacher_model:
            raise ConfigError("HEARTH_TEACHER_MODEL is not set: name the teacher's model",
                              variable="HEARTH_TEACHER_MODEL")
        return cls(settings.teacher_url, settings.teacher_model, budget=budget,
                   api_key=settings.teacher_api_key, **options)

    def __repr__(self) -> str:
        key = "set" if self._key is not None else "none"
        return f"Teacher({_safe_url(self.endpoint)!r}, model={self.model!r}, key={key})"

    async def start(self) -> None:
        """Make the client (it connects on the first request)."""
        if self._client is None:
            key = self._key.get_secret_value() if self._key is not None else ""
            self._client = openai.AsyncOpenAI(
                # A placeholder, never sent (the header is omitted below): without one
                # the library would read OPENAI_API_KEY, a key meant for someone else.
                api_key=key or "no-key", base_url=self.endpoint.removesuffix("/chat/completions"),
                timeout=self._timeout, max_retries=0)

    def _headers(self) -> dict[str, str]:
        if self._key is not None and self._key.get_secret_value():
            return {}
        # No key: send no Authorization header at all (the library's typing knows
        # only str values, but it documents Omit for exactly this).
        return cast("dict[str, str]", {"Authorization": openai.Omit()})

    async def close(self) -> None:
        """Close the client's connections."""
        if self._client is not None:
            await self._client.close()
            self._client = None

    async def __aenter__(self) -> Teacher:
        await self.start()
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        await self.close()

    def _redact(self, text: str) -> str:
        if self._key is not None and self._key.get_secret_value():
            text = text.replace(self._key.get_secret_value(), "***")
        return text[:300]

    def _wait(self, attempt: int, headers: Any) -> float:
        wait = self.backoff_s * 2 ** attempt
        after = headers.get("Retry-After") if headers is not None else None
        if after:
            try:
                wait = float(after)
            except ValueError:
                with contextlib.suppress(TypeError, ValueError):
                    wait = parsedate_to_datetime(after).timestamp() - time.time()
        return max(0.0, min(float(wait), self.max_wait_s))

    def _format_refused(self, status: int, text: str) -> bool:
        """Whether an error answer refuses the response format (so a simpler one may do)."""
        if self.format_level >= len(_FORMATS) - 1:
            return False
        # llama_cpp.server answers a request it cannot validate with a 500 naming the field.
        return status in (400, 422) or (status >= 500 and "response_format" in text)

    async def _post(self, body: dict[str, Any]) -> tuple[int, str]:
        if self._client is None:
            raise TeacherError("the teacher is not started: use `async with Teacher(...)`")
        where = _safe_url(self.endpoint)
        for attempt in range(self.retries + 1):
            last = attempt == self.retries
            try:
                log.debug("teacher POST %s (try %d, format %s)", where, attempt + 1,
                          _FORMATS[self.format_level])
                # The raw answer: a 200 that is no chat completion is ours to report.
                raw = await self._client.chat.completions.with_raw_response.create(
                    **body, extra_headers=self._headers())
                return raw.http_response.status_code, raw.http_response.text
            except openai.APIStatusError as exc:
                status, text = exc.status_code, exc.response.text
                if (status != 429 and status < 500) or self._format_refused(status, text):
                    return status, text
                if last:
                    raise TeacherError(f"the teacher at {where} answered HTTP {status} "
                                       f"{attempt + 1} times: {self._redact(text)}") from None
                wait = self._wait(attempt, exc.response.headers)
                log.warning("teacher answered HTTP %d; trying again in %.1f s", status, wait)
            except openai.APIConnectionError as exc:
                kind = "TimeoutError" if isinstance(exc, openai.APITimeoutError) else (
                    type(exc.__cause__ or exc).__name__)
                if last:
                    raise TeacherError(f"cannot reach the teacher at {where} after "
                                       f"{attempt + 1} tries ({kind}); check "
                                       "HEARTH_TEACHER_URL and the network") from None
                wait = self._wait(attempt, None)
                log.warning("teacher unreachable (%s); trying again in %.1f s", kind, wait)
            await asyncio.sleep(wait)
        raise AssertionError("unreachable")  # pragma: no cover

    def _body(self, messages: list[dict[str, str]], schema: dict[str, Any], name: str,
              max_tokens: int) -> dict[str, Any]:
        mode = _FORMATS[self.format_level]
        if mode == "json_schema":
            fmt: dict[str, Any] = {"type": "json_schema",
                                   "json_schema": {"name": name, "schema": schema}}
        else:
            fmt = {"type": "json_object", **({"schema": schema}
                                             if mode == "json_object_schema" else {})}
            text = json.dumps(schema, separators=(",", ":"))
            messages = [{"role": "system", "content": messages[0]["content"] +
                         f"\n\nThe answer must be JSON matching this JSON schema:\n{text}"},
                        *messages[1:]]
        body = {"model": self.model, "messages": messages, "max_tokens": max_tokens,
                "temperature": self.temperature, "response_format": fmt}
        if mode == "plain":
            del body["response_format"]
        return body

    async def complete(self, system: str, user: str, *, schema: dict[str, Any],
                       name: str) -> Completion:
        """Ask for a JSON answer matching `schema`; raises `BudgetExhausted` before sending."""
        async with self._lock:
            return await self._complete(
                [{"role": "system", "content": system}, {"role": "user", "content": user}],
                schema, name)

    async def _complete(self, messages: list[dict[str, str]], schema: dict[str, Any],
                        name: str) -> Completion:
        while True:
            probe = self._body(messages, schema, name, 0)
            input_tokens = estimate_tokens(json.dumps(probe["messages"]) +
                                           json.dumps(probe.get("response_format")))
            max_tokens = self.budget.fit_output(input_tokens, self.answer_tokens,
                                                least_output=min(LEAST_ANSWER_TOKENS,
                                                                 self.answer_tokens))
            status, text = await self._post(self._body(messages, schema, name, max_tokens))
            if self._format_refused(status, text):
                log.info("teacher refused response format %s (HTTP %d); trying %s",
                         _FORMATS[self.format_level], status, _FORMATS[self.format_level + 1])
                self.format_level += 1
                continue
            if status in (401, 403):
                raise TeacherError(f"the teacher refused the key (HTTP {status}): set "
                                   "HEARTH_TEACHER_API_KEY to a valid key for "
                                   f"{_safe_url(self.endpoint)}")
            if status != 200:
                raise TeacherError(f"the teacher at {_safe_url(self.endpoint)} answered HTTP "
                                   f"{status}: {self._redact(text)}; check HEARTH_TEACHER_URL "
                                   "and HEARTH_TEACHER_MODEL")
            return self._completion(text, input_tokens)

    def _completion(self, text: str, input_estimate: int) -> Completion:
        try:
            data = json.loads(text)
            choice = data["choices"][0]
            content = choice["message"]["content"] or ""
            usage = data.get("usage") or {}
        except (ValueError, KeyError, IndexError, TypeError) as exc:
            self.budget.charge(input_estimate, estimate_tokens(text))
            raise _BadAnswer(f"the teacher's answer is not a chat completion ({exc!r}): "
                             f"{self._redact(text)}") from None
        estimated = not isinstance(usage.get("prompt_tokens"), int) or not isinstance(
            usage.get("completion_tokens"), int)
        used_in = input_estimate if estimated else int(usage["prompt_tokens"])
        used_out = estimate_tokens(content) if estimated else int(usage["completion_tokens"])
        self.budget.charge(used_in, used_out)
        log.debug("teacher answered: %d input and %d output tokens%s", used_in, used_out,
                  " (estimated)" if estimated else "")
        return Completion(content, used_in, used_out, choice.get("finish_reason"), estimated)

    async def propose_edits(self, lessons: Sequence[Lesson], spec: Spec,
                            cluster: str) -> ProposalResult:
        """Ask for edits aimed at `cluster`; every answer is validated against `spec`.

        Malformed, out-of-schema, invalid and over-budget answers come back as
        `rejected` with the reason; only transport failures raise `TeacherError`.
        """
        user = render_preview(lessons) + "\n\n" + spec_brief(spec, cluster)
        try:
            answer = await self.complete(PROPOSE_SYSTEM, user, schema=proposals_schema(cluster),
                                         name="spec_edit_proposals")
        except BudgetExhausted as exc:
            return ProposalResult((), (RejectedProposal(cluster, f"over budget: {exc}", ""),),
                                  budget_exhausted=True)
        except _BadAnswer as exc:
            return ProposalResult((), (RejectedProposal(cluster, str(exc), ""),))
        proposals, rejected = parse_proposals(answer.text, spec, cluster,
                                              cut_off=answer.finish_reason == "length")
        return ProposalResult(tuple(proposals), tuple(rejected), answer.input_tokens,
                              answer.output_tokens)

    async def diagnose(self, lessons: Sequence[Lesson]) -> list[ClusterReading]:
        """The teacher's grouping of the lessons into clusters; [] when it has none to give."""
        if not lessons:
            return []
        try:
            answer = await self.complete(DIAGNOSE_SYSTEM, render_preview(lessons),
                                         schema=DIAGNOSE_SCHEMA, name="failure_clusters")
        except (BudgetExhausted, _BadAnswer) as exc:
            log.warning("no diagnosis from the teacher: %s", exc)
            return []
        return parse_readings(answer.text, len(lessons))


__all__ = ["Completion", "Teacher", "chat_completions_url"]
