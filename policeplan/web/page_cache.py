"""Whole public pages and API answers, cached under the data version (ADR 0015).

A page is rendered once per data version and then served from Django's cache (the database
table in production, so every worker shares it) until an import, computation, publication,
plan load or a coming moment (an embargo lifting at 09:30) moves the version. Nothing has to
be invalidated: the version is part of the key. Each cached answer carries an ETag and a
Last-Modified, so ``ConditionalGetMiddleware`` answers a client's repeat request with 304.

A page is gzipped once when it is stored and sent gzipped to clients that accept it (the
metric pages are mostly tables of figures, which compress about tenfold). The body is public
and holds no secret, so compression leaks nothing (BREACH needs a secret in the page).

Never cached: anything but a GET answered 200, staff and admin pages, anything for a visitor
with a session (signed-in staff), answers that set a cookie, and very large answers.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
from collections.abc import Callable
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.cache import cache as django_cache
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date, parse_http_date_safe

from policeplan.metrics.readside import settings_hash
from policeplan.provenance import version

Handler = Callable[[HttpRequest], HttpResponseBase]
NEVER_CACHED = ("/staff/", "/admin/", "/static/", "/healthz", "/accounts/")
MAX_BYTES = 2_000_000
# Headers a cached answer is replayed with (the outer middleware add the security headers,
# except where a view set its own policy, as the chart images do: that one is kept).
KEPT_HEADERS = (
    "Content-Type", "Content-Disposition", "ETag", "Last-Modified", "Cache-Control", "Link",
    "Vary", "X-Frame-Options", "Content-Language", "Content-Security-Policy",
)  # fmt: skip
HIT, MISS = "hit", "miss"
GZIP_FROM = 1000  # bytes: smaller answers are sent as they are
# status, headers, body, gzipped body (None: not compressed)
Stored = tuple[int, list[tuple[str, str]], bytes, bytes | None]


@cache
def code_fingerprint() -> str:
    """The code and templates this process runs: a deployment never serves an older page."""
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.suffix in {".py", ".html", ".txt", ".json", ".yaml"}:
            stat = path.stat()
            digest.update(f"{path.relative_to(root)}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:16]


def enabled() -> bool:
    return bool(getattr(settings, "POLICEPLAN_PAGE_CACHE", True))


def cacheable(request: HttpRequest) -> bool:
    return (
        enabled()
        and request.method == "GET"
        and not request.path.startswith(NEVER_CACHED)
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


def cache_key(request: HttpRequest, tag: str) -> str:
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    raw = f"{tag}|{settings_hash()}|{code_fingerprint()}|{address}"
    return "page:" + hashlib.sha256(raw.encode()).hexdigest()[:40]


def serve(request: HttpRequest, render: Handler) -> HttpResponseBase:
    """The cached answer for ``request`` under the current data version, else ``render`` it
    and keep it. ``X-Cache`` says which."""
    current = version.current()
    key = cache_key(request, current.tag)
    stored = django_cache.get(key)
    if stored is None:
        response = render(request)
        if not _keepable(response):
            return response
        assert isinstance(response, HttpResponse)
        stored = _keep(key, response, current.last_modified)
        state = MISS
    else:
        state = HIT
    status, headers, content, compressed = stored
    gzipped = compressed is not None and "gzip" in request.headers.get("Accept-Encoding", "")
    answer = HttpResponse(compressed if gzipped else content, status=status)
    for name, value in headers:
        answer[name] = value
    patch_vary_headers(answer, ["Accept-Encoding"])
    if gzipped:  # the same entity, encoded: a weak validator (as GZipMiddleware makes it)
        answer["Content-Encoding"] = "gzip"
        answer["ETag"] = f"W/{answer['ETag']}"
    answer["X-Cache"] = state
    # 304 for a client's repeat request here, not only in ConditionalGetMiddleware: the API
    # middleware adds its CORS headers to whatever this returns, 304s included.
    modified = parse_http_date_safe(answer["Last-Modified"])
    conditional = get_conditional_response(
        request, etag=answer["ETag"], last_modified=modified, response=answer
    )
    return conditional or answer


def _keep(key: str, response: HttpResponse, last_modified: dt.datetime) -> Stored:
    """Store ``response`` with its validators and, when it is worth it, gzipped once."""
    if "ETag" not in response:
        response["ETag"] = f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
    if "Last-Modified" not in response:
        response["Last-Modified"] = http_date(last_modified.timestamp())
    headers = [(name, response[name]) for name in KEPT_HEADERS if name in response]
    content = response.content
    compressed = gzip.compress(content, 6, mtime=0) if len(content) >= GZIP_FROM else None
    if compressed is not None and len(compressed) >= len(content):
        compressed = None
    stored: Stored = (response.status_code, headers, content, compressed)
    django_cache.set(key, stored, _seconds())
    return stored


def _keepable(response: HttpResponseBase) -> bool:
    return (
        isinstance(response, HttpResponse)
        and response.status_code == 200
        and not response.cookies
        and len(response.content) <= MAX_BYTES
        and "private" not in response.get("Cache-Control", "")
        and "no-store" not in response.get("Cache-Control", "")
    )


def _seconds() -> int:
    return int(getattr(settings, "POLICEPLAN_PAGE_CACHE_SECONDS", 86400))


class PageCacheMiddleware:
    """Public HTML pages (the API caches its answers in ``api.middleware``, after its rate
    limit)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not cacheable(request) or request.path.startswith("/api/"):
            return self.get_response(request)
        return serve(request, self.get_response)
