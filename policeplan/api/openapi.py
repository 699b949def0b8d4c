"""Extra OpenAPI for operations: the CSV and GeoJSON alternatives and the problem responses
ninja cannot infer, because views send HttpResponses they build themselves."""

from __future__ import annotations

from typing import Any

PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["type", "title", "status", "detail", "instance"],
    "properties": {
        "type": {"type": "string", "description": "URI of the problem's explanation"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string", "description": "What was wrong, in plain English"},
        "instance": {"type": "string", "description": "The request path and query"},
    },
}


def _problem(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/problem+json": {"schema": PROBLEM_SCHEMA}},
    }


PROBLEMS: dict[int, dict[str, Any]] = {
    400: _problem("A query parameter is not valid"),
    404: _problem("Nothing matches (unknown plan, metric, area or path)"),
    429: _problem("Too many requests: wait for Retry-After seconds"),
}

ALTERNATIVES = {
    "csv": {"text/csv": {"schema": {"type": "string", "description": "With format=csv"}}},
    "geojson": {
        "application/geo+json": {"schema": {"type": "object", "description": "With format=geojson"}}
    },
    "zip": {"application/zip": {"schema": {"type": "string", "format": "binary"}}},
}


def extra(*alternatives: str) -> dict[str, Any]:
    """``openapi_extra`` for an operation whose 200 response may also be ``alternatives``."""
    content: dict[str, Any] = {}
    for name in alternatives:
        content.update(ALTERNATIVES[name])
    ok: dict[str, Any] = {"content": content} if content else {}
    return {"responses": {200: ok, **PROBLEMS}}
