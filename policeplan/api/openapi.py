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

GEOJSON_FEATURE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "A GeoJSON Feature (RFC 7946): the area's boundary and its properties",
    "required": ["type", "id", "geometry", "properties"],
    "properties": {
        "type": {"type": "string", "enum": ["Feature"]},
        "id": {"type": "string", "description": "ONS code"},
        "geometry": {
            "type": ["object", "null"],
            "description": "Polygon or MultiPolygon (WGS84); null when no boundary is held",
        },
        "properties": {"type": "object"},
    },
}

GEOJSON_FEATURE_RESPONSE: dict[str, Any] = {
    "description": "The area as a GeoJSON Feature",
    "content": {"application/geo+json": {"schema": GEOJSON_FEATURE_SCHEMA}},
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


# PostgreSQL cannot store a NUL character, so the API refuses one anywhere in the address
# (middleware.py). Free-text parameters say so in the document.
NO_NUL_PATTERN = "^[^\\u0000]*$"


def forbid_nul_characters(document: dict[str, Any]) -> dict[str, Any]:
    """Give every free-text path and query parameter the pattern that refuses NUL."""
    for operations in document.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                schema = parameter.get("schema", {})
                for option in [schema, *schema.get("anyOf", [])]:
                    free_text = option.get("type") == "string" and not {"enum", "pattern"} & set(
                        option
                    )
                    if free_text:
                        option["pattern"] = NO_NUL_PATTERN
    return document
