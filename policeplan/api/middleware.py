"""HTTP behaviour shared by everything under /api/: read-only methods, CORS, HEAD, a per-address
rate limit, and ETag/Cache-Control on responses that did not set their own."""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase

from .problems import problem_response
from .responses import conditional

API_PREFIX = "/api/"
READ_METHODS = ("GET", "HEAD", "OPTIONS")
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": ", ".join(READ_METHODS),
    "Access-Control-Expose-Headers": (
        "ETag, Last-Modified, Link, Retry-After, Content-Disposition, "
        "X-RateLimit-Limit, X-RateLimit-Remaining"
    ),
}
PERIODS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
_RATE = re.compile(r"\s*(\d+)\s*/\s*(second|minute|hour|day|s|m|h|d)\s*", re.IGNORECASE)


def parse_rate(text: str | None) -> tuple[int, int] | None:
    """'120/minute' -> (120, 60): requests allowed per window of seconds. '' or 'off': None."""
    if text is None or text.strip().lower() in {"", "0", "off", "none"}:
        return None
    match = _RATE.fullmatch(text)
    if match is None:
        raise ImproperlyConfigured(
            f"POLICEPLAN_API_RATE_LIMIT '{text}' is not a rate like '120/minute'"
        )
    unit = match.group(2).lower()
    seconds = next(s for name, s in PERIODS.items() if name.startswith(unit))
    return int(match.group(1)), seconds


def client_address(request: HttpRequest) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is whatever the client says unless a trusted proxy
    # rewrites it, so a deployment behind a proxy sets REMOTE_ADDR there (see ADR 0004).
    return str(request.META.get("REMOTE_ADDR", "unknown"))


def count_request(address: str, limit: int, window: int) -> tuple[int, int]:
    """Fixed-window counter in the cache: (requests so far this window, seconds left)."""
    now = time.time()
    key = f"policeplan:api-rate:{address}:{int(now // window)}"
    cache.add(key, 0, timeout=window + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=window + 1)
        count = 1
    return count, max(1, math.ceil(window - now % window))


def _has_nul(request: HttpRequest) -> bool:
    return "\x00" in request.path or any(
        "\x00" in key or any("\x00" in value for value in values)
        for key, values in request.GET.lists()
    )


class ApiMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        response = self._answer(request)
        if request.method in READ_METHODS:
            for name, value in CORS_HEADERS.items():
                response[name] = value
        return response

    def _answer(self, request: HttpRequest) -> HttpResponseBase:
        limits: dict[str, str] = {}
        rate = parse_rate(getattr(settings, "POLICEPLAN_API_RATE_LIMIT", None))
        if rate is not None:
            limit, window = rate
            count, retry_after = count_request(client_address(request), limit, window)
            limits = {
                "X-RateLimit-Limit": str(limit),
                "X-RateLimit-Remaining": str(max(0, limit - count)),
            }
            if count > limit:
                detail = (
                    f"More than {limit} requests in {window} seconds from your address. "
                    f"Try again in {retry_after} seconds, or use the bulk download."
                )
                headers = {"Retry-After": str(retry_after), "Cache-Control": "no-store", **limits}
                return problem_response(request, "too-many-requests", detail, headers)
        response = self._dispatch(request)
        for name, value in limits.items():
            response[name] = value
        return response

    def _dispatch(self, request: HttpRequest) -> HttpResponseBase:
        if request.method not in READ_METHODS:
            return problem_response(
                request,
                "method-not-allowed",
                f"The API is read-only; {request.method} is not allowed. Use GET.",
                {"Allow": ", ".join(READ_METHODS)},
            )
        if request.method == "OPTIONS":  # CORS preflight: the headers are all it needs
            preflight = HttpResponse(status=204)
            preflight["Access-Control-Allow-Headers"] = request.headers.get(
                "Access-Control-Request-Headers", "Accept, If-None-Match, If-Modified-Since"
            )
            preflight["Access-Control-Max-Age"] = "86400"
            return preflight
        if _has_nul(request):  # PostgreSQL cannot store one: refuse before any query
            return problem_response(
                request, "invalid-parameter", "The address holds a NUL character."
            )
        head = request.method == "HEAD"
        if head:  # answered as GET, then the body dropped: the same headers by construction
            request.method = "GET"
        response = self.get_response(request)
        if (
            isinstance(response, HttpResponse)
            and response.status_code == 200
            and "ETag" not in response
        ):
            response = conditional(request, response, None)
        if head:
            request.method = "HEAD"
            if isinstance(response, HttpResponse):
                response["Content-Length"] = str(len(response.content))
                response.content = b""
        return response
