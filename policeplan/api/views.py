"""The human guide to the API at /api/, and the problem-details 404 for unknown API paths."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve, reverse

from .examples import examples
from .problems import PROBLEM_EXPLANATIONS, PROBLEM_TYPES, problem_response
from .v1 import api

METHODS = ("get", "head", "options", "post", "put", "patch", "delete")


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
        "examples": examples(),
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
