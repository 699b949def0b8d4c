"""Errors as RFC 9457 problem details: ``application/problem+json`` with type, title, status,
detail and instance. Every problem type is explained on the /api/ page under its anchor."""

from __future__ import annotations

import json
import logging
import math
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja.errors import HttpError, Throttled, ValidationError

from .throttling import configured_rate

PROBLEM_CONTENT_TYPE = "application/problem+json"

logger = logging.getLogger(__name__)

# slug -> (HTTP status, title). The slug is the anchor of its explanation on /api/.
PROBLEM_TYPES: dict[str, tuple[int, str]] = {
    "invalid-parameter": (400, "Invalid query parameter"),
    "invalid-month": (400, "Invalid month"),
    "invalid-range": (400, "Invalid date range"),
    "unknown-plan": (404, "Unknown plan"),
    "unknown-metric": (404, "Unknown metric"),
    "unknown-area": (404, "Unknown area"),
    "unknown-import-run": (404, "Unknown import run"),
    "not-found": (404, "Not found"),
    "method-not-allowed": (405, "Method not allowed"),
    "too-many-requests": (429, "Too many requests"),
    "server-error": (500, "Server error"),
}

PROBLEM_EXPLANATIONS: dict[str, str] = {
    "invalid-parameter": "A query parameter has a value the API does not accept, such as "
    "format=xml or limit=0. The detail names the parameter and the values allowed.",
    "invalid-month": "Months are written YYYY-MM, for example 2025-03.",
    "invalid-range": "The from month is after the to month.",
    "unknown-plan": "No published plan has that slug. /api/v1/plans lists them.",
    "unknown-metric": "The plan has no metric with that slug. /api/v1/metrics lists them.",
    "unknown-area": "No area has that ONS code or slug. /api/v1/areas lists them.",
    "unknown-import-run": "No import run has that id. /api/v1/import-runs lists them.",
    "not-found": "There is nothing at that address. Check the path against the documentation.",
    "method-not-allowed": "The API is read-only: use GET, HEAD or OPTIONS.",
    "too-many-requests": "Too many requests from your address in a short time. Wait for the "
    "number of seconds in the Retry-After header, or use the bulk download.",
    "server-error": "Something went wrong on our side. Please try again later.",
}


# pydantic error types raised by our own validators (schemas.py) -> their problem type.
ERROR_TYPE_PROBLEMS = {"invalid_month": "invalid-month"}


class Problem(Exception):
    """Raise anywhere under the API to answer with a problem details response."""

    def __init__(self, slug: str, detail: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.slug = slug
        self.detail = detail
        self.headers = headers or {}


def problem_response(
    request: HttpRequest, slug: str, detail: str, headers: dict[str, str] | None = None
) -> HttpResponse:
    status, title = PROBLEM_TYPES[slug]
    body: dict[str, Any] = {
        "type": request.build_absolute_uri(f"/api/#{slug}"),
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.get_full_path(),
    }
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False), status=status, content_type=PROBLEM_CONTENT_TYPE
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _describe_validation_error(request: HttpRequest, error: dict[str, Any]) -> str:
    """One pydantic error in plain English: "Query parameter 'limit': Input should be ..."."""
    source, *location = [str(part) for part in error.get("loc", ("request",))]
    # ninja nests a Query schema's fields under the schema's argument name; the user only
    # ever sees the field (its alias), which pydantic reports last.
    name = location[-1] if location else source
    message = str(error.get("msg", "is not valid"))
    if source == "path":
        return f"Path segment '{name}': {message}."
    given = request.GET.get(name)  # ninja drops pydantic's copy of the input
    shows_value = error.get("type") in ERROR_TYPE_PROBLEMS  # our own messages quote the value
    suffix = f" (got '{given}')" if given is not None and not shows_value else ""
    return f"Query parameter '{name}': {message}{suffix}."


def handle_problem(request: HttpRequest, exc: Exception) -> HttpResponse:
    assert isinstance(exc, Problem)
    return problem_response(request, exc.slug, exc.detail, exc.headers)


def handle_validation_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    assert isinstance(exc, ValidationError)
    detail = " ".join(_describe_validation_error(request, error) for error in exc.errors)
    slugs = {
        ERROR_TYPE_PROBLEMS.get(str(error.get("type")), "invalid-parameter") for error in exc.errors
    }
    slug = slugs.pop() if len(slugs) == 1 else "invalid-parameter"
    return problem_response(request, slug, detail)


def handle_not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return problem_response(request, "not-found", f"Nothing at {request.path}.")


def handle_http_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    assert isinstance(exc, HttpError)
    slug = {404: "not-found", 405: "method-not-allowed", 429: "too-many-requests"}.get(
        exc.status_code, "invalid-parameter" if exc.status_code < 500 else "server-error"
    )
    return problem_response(request, slug, str(exc))


def handle_throttled(request: HttpRequest, exc: Exception) -> HttpResponse:
    assert isinstance(exc, Throttled)
    limit, window = configured_rate() or (0, 60)
    wait = math.ceil(exc.wait) if exc.wait is not None else window
    detail = (
        f"More than {limit} requests in {window} seconds from your address. "
        f"Try again in {wait} seconds, or use the bulk download."
    )
    # ninja sets Retry-After from the same wait once this handler returns.
    headers = {"Retry-After": str(wait), "Cache-Control": "no-store"}
    return problem_response(request, "too-many-requests", detail, headers)


def handle_server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("API error at %s", request.get_full_path(), exc_info=exc)
    return problem_response(
        request, "server-error", "The server could not answer this request. It has been logged."
    )


EXCEPTION_HANDLERS: list[tuple[type[Exception], Any]] = [
    (Problem, handle_problem),
    (ValidationError, handle_validation_error),
    (Http404, handle_not_found),
    (Throttled, handle_throttled),
    (HttpError, handle_http_error),
    (Exception, handle_server_error),
]
