"""The human guide to the API at /api/, and the problem-details 404 for unknown API paths."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve, reverse

from .problems import PROBLEM_EXPLANATIONS, PROBLEM_TYPES, problem_response
from .v1 import api

METHODS = ("get", "head", "options", "post", "put", "patch", "delete")

# Worked examples shown on /api/; a test requests every one, so they cannot go stale.
EXAMPLES = [
    ("The published plans", "/api/v1/plans"),
    ("The current plan's metrics, as CSV", "/api/v1/metrics?plan=llr-2024-2029&format=csv"),
    ("One metric: definition, source, polarity and series", "/api/v1/metrics/burglary"),
    (
        "Monthly burglaries in Leicestershire in 2024/25",
        "/api/v1/observations?metric=burglary&area=E23000021&period_kind=month"
        "&from=2024-04&to=2025-03",
    ),
    (
        "The same as CSV",
        "/api/v1/observations?metric=burglary&area=E23000021&period_kind=month"
        "&from=2024-04&to=2025-03&format=csv",
    ),
    (
        "Local authorities in the force area",
        "/api/v1/areas?kind=local_authority&force=leicestershire",
    ),
    ("An LSOA boundary as GeoJSON", "/api/v1/areas/E01025631.geojson"),
    ("Current exceptions with their reasons", "/api/v1/exceptions"),
    ("Import runs: where every figure came from", "/api/v1/import-runs?force=leicestershire"),
    ("Which months are held", "/api/v1/coverage?force=leicestershire&format=csv"),
]


def endpoints() -> list[dict[str, Any]]:
    """Every operation in the OpenAPI document: method, path and summary, in document order."""
    schema = api.get_openapi_schema()
    rows = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method in METHODS:
                rows.append(
                    {
                        "method": method.upper(),
                        "path": path,
                        "summary": operation.get("summary", ""),
                        "description": operation.get("description", ""),
                        "parameters": [
                            p["name"] for p in operation.get("parameters", []) if p["in"] == "query"
                        ],
                    }
                )
    return rows


def api_home(request: HttpRequest) -> HttpResponse:
    context = {
        "endpoints": endpoints(),
        "examples": EXAMPLES,
        "problems": [
            {"slug": slug, "status": status, "title": title, "text": PROBLEM_EXPLANATIONS[slug]}
            for slug, (status, title) in PROBLEM_TYPES.items()
        ],
        "rate_limit": getattr(settings, "POLICEPLAN_API_RATE_LIMIT", ""),
        "docs_url": reverse("api-v1:openapi-view"),
        "openapi_url": reverse("api-v1:openapi-json"),
        "download_url": "/api/v1/downloads/observations.zip",
        "breadcrumbs": [("Home", reverse("home")), ("Open data API", None)],
    }
    return render(request, "api/index.html", context)


def api_not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    detail = f"There is no API endpoint at {request.path}."
    if request.path.endswith("/") and len(request.path) > 1:
        try:
            match = resolve(request.path.rstrip("/"))
        except Resolver404:
            match = None
        if match is not None and match.func is not api_not_found:
            detail += f" Did you mean {request.path.rstrip('/')}?"
    detail += " The endpoints are listed at /api/v1/docs."
    return problem_response(request, "not-found", detail)
