"""Downloads from a Hugging Face hub, resumable across pulls.

`hf_hub_download` resumes only within one call: on failure it deletes its
process-unique temporary file (huggingface_hub >= 1.x), so a pull cut at 90 %
of 4 GB would start over. We keep our own ``.partial`` file instead, let
huggingface_hub find the file (``HF_ENDPOINT``, token, redirects) and stream
the missing tail into it with its `http_get`, which asks for ``Range: bytes=N-``.
"""

from __future__ import annotations

import importlib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from hearth.errors import ModelFetchError, ModelNotFound
from hearth.models._entries import HubFile

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class Downloaded:
    """What the hub said about a file we fetched."""

    size: int | None
    #: The hub's sha256 of the file (its ETag for LFS files), when it gave one.
    hub_sha256: str | None


def _network_errors() -> tuple[type[BaseException], ...]:
    """OSError, and the HTTP client's own base error (httpx2 or httpx, by version)."""
    found: list[type[BaseException]] = [OSError]
    for module in ("httpx2", "httpx"):
        try:
            found.append(importlib.import_module(module).HTTPError)
        except (ImportError, AttributeError):
            continue
    return tuple(found)


def _one_line(exc: BaseException) -> str:
    """An exception's message on one line (huggingface_hub's span several)."""
    return " ".join(str(exc).split())


def endpoint() -> str | None:
    """The hub to use: ``HF_ENDPOINT`` when set, read now (huggingface_hub reads it at import)."""
    return os.environ.get("HF_ENDPOINT", "").rstrip("/") or None


def download(name: str, source: HubFile, partial: Path) -> Downloaded:
    """Fetch the file into `partial`, continuing what an earlier pull left there."""
    from huggingface_hub import get_hf_file_metadata, hf_hub_url
    from huggingface_hub.errors import (
        GatedRepoError,
        HfHubHTTPError,
        RemoteEntryNotFoundError,
        RepositoryNotFoundError,
        RevisionNotFoundError,
    )
    from huggingface_hub.file_download import http_get

    # Documented as huggingface_hub.utils.build_hf_headers, but not re-exported by name.
    from huggingface_hub.utils import build_hf_headers  # type: ignore[attr-defined]

    hub = endpoint()
    url = hf_hub_url(source.repo_id, source.filename, revision=source.revision, endpoint=hub)
    errors = _network_errors()
    where = f"{source.repo_id}/{source.filename}@{source.revision} on {hub or 'huggingface.co'}"
    try:
        meta = get_hf_file_metadata(url, endpoint=hub)
    except HfHubHTTPError as exc:
        if isinstance(exc, GatedRepoError) or not isinstance(
                exc, RemoteEntryNotFoundError | RepositoryNotFoundError | RevisionNotFoundError):
            raise ModelFetchError(f"{name}: cannot get {where} ({_one_line(exc)}); check the "
                                  "network, HF_ENDPOINT, or HF_TOKEN for a gated repository"
                                  ) from exc
        raise ModelNotFound(f"{name}: the hub has no {where}; check the repository, file name "
                            "and revision (a private repository needs HF_TOKEN)") from exc
    except errors as exc:
        raise ModelFetchError(f"{name}: cannot reach {where} ({_one_line(exc)}); check the "
                              "network or HF_ENDPOINT") from exc
    etag = (meta.etag or "").strip('"')
    # A partial file from another version of the file must not be continued.
    marker = partial.with_name(partial.name + ".etag")
    if marker.exists() and marker.read_text(encoding="utf-8") != etag:
        partial.unlink(missing_ok=True)
    marker.write_text(etag, encoding="utf-8")
    have = partial.stat().st_size if partial.exists() else 0
    if meta.size is not None and have > meta.size:
        partial.unlink()
        have = 0
    # The token goes to the hub only, never to the CDN a large file redirects to.
    location = meta.location or url
    same_host = urlsplit(location).netloc == urlsplit(url).netloc
    headers = build_hf_headers() if same_host else {}
    try:
        with partial.open("ab") as out:
            http_get(location, out, resume_size=have, headers=headers, expected_size=meta.size,
                     displayed_filename=source.filename)
    except errors as exc:
        got = partial.stat().st_size if partial.exists() else 0
        raise ModelFetchError(
            f"{name}: download stopped at {got} of {meta.size or '?'} bytes "
            f"({_one_line(exc)}); run "
            f"`hearth models pull {name}` again to continue where it stopped") from exc
    marker.unlink(missing_ok=True)
    return Downloaded(size=meta.size, hub_sha256=etag if _SHA256.match(etag) else None)
