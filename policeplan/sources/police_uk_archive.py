"""Download data.police.uk monthly archive zips (``{base}/YYYY-MM.zip``) to a local file.

Pure Python (httpx), no Django. The download is streamed to disk with a hard size limit, and
timeouts, 429 and 5xx answers are retried with exponential backoff (tenacity). Reading the zip
safely is :mod:`policeplan.sources.police_uk_zip`'s job. Every failure is an
:class:`~policeplan.sources.police_uk_api.ApiError` naming the URL.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import httpx

from policeplan.sources.police_uk_api import ApiError
from policeplan.sources.police_uk_api_support import RetryableFailure, retrying

DEFAULT_ARCHIVE_BASE_URL = "https://data.police.uk/data/archive"
DEFAULT_MAX_ARCHIVE_BYTES = 4 * 1024**3
"""A national monthly archive (36 months, every force) is a little under 2 GB."""

DEFAULT_MAX_EXPANDED_BYTES = 64 * 1024**3
"""What the members of a national archive may add up to when expanded (checked before any
member is read; only the chosen force's members are then read)."""

_CHUNK = 1024 * 1024


class ArchiveTooLarge(ApiError):
    """The archive is bigger than the size limit; nothing was kept."""


def archive_url(base_url: str, month: str) -> str:
    """The archive URL for a month: ``https://data.police.uk/data/archive/2025-01.zip``."""
    return f"{base_url.rstrip('/')}/{month}.zip"


def download(
    url: str,
    destination: Path,
    *,
    max_bytes: int = DEFAULT_MAX_ARCHIVE_BYTES,
    timeout: float = 60.0,
    max_attempts: int = 5,
    backoff_seconds: float = 1.0,
    sleep: Callable[[float], None] = time.sleep,
    user_agent: str = "policeplan (Police and Crime Plan performance framework)",
) -> int:
    """Stream ``url`` into ``destination`` and return its size in bytes.

    Refuses (and deletes the partial file) once more than ``max_bytes`` arrive, or at once
    when ``Content-Length`` says so. Retries timeouts, 429 and 5xx answers.
    """
    headers = {"User-Agent": user_agent}
    retry = retrying(max_attempts=max_attempts, backoff_seconds=backoff_seconds, sleep=sleep)
    with httpx.Client(timeout=httpx.Timeout(timeout), headers=headers) as client:
        try:
            return retry(_download_once, client, url, destination, max_bytes)
        except RetryableFailure as failure:
            message = f"{failure.problem} after {max_attempts} attempts"
            raise ApiError(url, message, failure.status) from None


def _download_once(client: httpx.Client, url: str, destination: Path, max_bytes: int) -> int:
    """One attempt; a partial file never outlives it."""
    try:
        return _stream_to(client, url, destination, max_bytes)
    except BaseException:
        destination.unlink(missing_ok=True)
        raise


def _stream_to(client: httpx.Client, url: str, destination: Path, max_bytes: int) -> int:
    try:
        with client.stream("GET", url) as response:
            status = response.status_code
            if status == 429 or status >= 500:
                raise RetryableFailure(f"answered {status} {response.reason_phrase}", status)
            if status >= 400:
                hint = " (is there an archive for that month?)" if status == 404 else ""
                raise ApiError(url, f"answered {status} {response.reason_phrase}{hint}", status)
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise ArchiveTooLarge(url, _too_large(int(declared), max_bytes))
            size = 0
            with destination.open("wb") as handle:
                for chunk in response.iter_bytes(_CHUNK):
                    size += len(chunk)
                    if size > max_bytes:
                        raise ArchiveTooLarge(url, _too_large(size, max_bytes, at_least=True))
                    handle.write(chunk)
            return size
    except httpx.TimeoutException as exc:
        raise RetryableFailure(f"timed out ({type(exc).__name__})") from None
    except httpx.TransportError as exc:
        raise RetryableFailure(f"could not be reached ({exc})") from None


def _too_large(size: int, limit: int, *, at_least: bool = False) -> str:
    more = "more than " if at_least else ""
    return (
        f"the archive is {more}{size:,} bytes, over the {limit:,}-byte limit; nothing was kept "
        "(raise the limit if an archive this size is expected)"
    )
