"""HTTP behaviour shared by everything under /api/: read-only methods, CORS, HEAD, and
ETag/Cache-Control on responses that did not set their own. (The rate limit is ninja's
throttle: throttling.py.)"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase

from policeplan.web import page_cache

from .problems import problem_response
from .responses import conditional
from .throttling import RATE_LIMIT

API_PREFIX = "/api/"
READ_METHODS = ("GET", "HEAD", "OPTIONS")
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": ", ".join(READ_METHODS),
    "Access-Control-Expose-Headers": (
        "ETag, Last-Modified, Link, Retry-After, Content-Disposition"
    ),
}


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
        response = self._dispatch(request)
        if request.method in READ_METHODS:
            for name, value in CORS_HEADERS.items():
                response[name] = value
        return response

    def _answer(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if (
            isinstance(response, HttpResponse)
            and response.status_code == 200
            and "ETag" not in response
        ):
            response = conditional(request, response, None)
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
        if page_cache.cacheable(request) and RATE_LIMIT.allow_request(request):
            # Within the rate limit: the answer for this data version, cached (ADR 0015).
            response = page_cache.serve(request, self._answer)
        else:
            response = self._answer(request)
        if head:
            request.method = "HEAD"
            if isinstance(response, HttpResponse):
                response["Content-Length"] = str(len(response.content))
                response.content = b""
        return response
