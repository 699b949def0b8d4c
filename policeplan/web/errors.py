"""Error answers: a GOV.UK page for the site, an RFC 9457 problem for /api/."""

from __future__ import annotations

import json

from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader

from policeplan.api.middleware import API_PREFIX
from policeplan.api.problems import PROBLEM_CONTENT_TYPE, PROBLEM_TYPES, problem_response

TOO_MANY_FIELDS = (
    "The address or form has more than {limit:,} parameters, more than this site accepts."
)


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def _problem(request: HttpRequest, slug: str, detail: str) -> HttpResponse:
    try:
        return problem_response(request, slug, detail)
    except DisallowedHost:  # the problem's type URI needs the host; say it without one
        status, title = PROBLEM_TYPES[slug]
        body = {"type": f"/api/#{slug}", "title": title, "status": status,
                "detail": "The Host header is not one this site serves."}  # fmt: skip
        return HttpResponse(json.dumps(body), status=status, content_type=PROBLEM_CONTENT_TYPE)


def bad_request_response(request: HttpRequest, detail: str) -> HttpResponse:
    """400: a problem for the API, a page for everything else."""
    if is_api(request):
        return _problem(request, "invalid-parameter", detail)
    return render(request, "400.html", {"detail": detail}, status=400)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler400: Django's answer to a SuspiciousOperation (a bad Host header, a malformed
    form) when DEBUG is off."""
    if isinstance(exception, DisallowedHost):
        detail = "The Host header is not one this site serves."
    else:
        detail = "The request could not be understood. Check the address and try again."
    return bad_request_response(request, detail)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: the problem for the API; the standalone 500 page otherwise (it needs no
    context processor or database, which may be what failed)."""
    if is_api(request):
        return _problem(
            request, "server-error", "The server could not answer this request. It has been logged."
        )
    return HttpResponse(loader.render_to_string("500.html"), status=500)
