"""Building API responses: JSON or CSV from one validated payload, paging with `next` links,
and conditional GET (ETag from the body, Last-Modified from the data, 304)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any, get_args

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from ninja import Schema
from pydantic import BaseModel

from .csv import csv_response, csv_text
from .problems import Problem

CACHE_CONTROL = "public, max-age=300"
JSON_CONTENT_TYPE = "application/json"


def conditional(
    request: HttpRequest, response: HttpResponse, last_modified: datetime | None
) -> HttpResponse:
    """Add ETag, Last-Modified and Cache-Control; answer 304 when the client's copy is fresh."""
    etag = f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
    response["ETag"] = etag
    response["Cache-Control"] = CACHE_CONTROL
    timestamp = int(last_modified.timestamp()) if last_modified else None
    if timestamp is not None:
        response["Last-Modified"] = http_date(timestamp)
    answer = get_conditional_response(
        request, etag=etag, last_modified=timestamp, response=response
    )
    return answer if isinstance(answer, HttpResponse) else response


def json_response(
    request: HttpRequest,
    schema: type[BaseModel],
    payload: dict[str, Any],
    last_modified: datetime | None,
    content_type: str = JSON_CONTENT_TYPE,
) -> HttpResponse:
    """Validate ``payload`` against ``schema`` (so the output always matches the OpenAPI
    document) and send it as JSON."""
    data = schema.model_validate(payload).model_dump(mode="json")
    body = json.dumps(data, ensure_ascii=False)
    return conditional(request, HttpResponse(body, content_type=content_type), last_modified)


def reject_unknown_parameters(request: HttpRequest, query: Schema) -> None:
    """A misspelt filter must not silently return everything."""
    known = {field.alias or name for name, field in type(query).model_fields.items()}
    unknown = sorted(set(request.GET) - known)
    if unknown:
        raise Problem(
            "invalid-parameter",
            f"Unknown query parameter '{unknown[0]}'. "
            f"This endpoint accepts: {', '.join(sorted(known))}.",
        )


def row_columns(page_schema: type[BaseModel]) -> list[str]:
    """The CSV columns of a page schema: the fields of its ``results`` rows, in order."""
    (row_schema,) = get_args(page_schema.model_fields["results"].annotation)
    return list(row_schema.model_fields)


def _page_url(request: HttpRequest, offset: int) -> str:
    params = request.GET.copy()
    params["offset"] = str(offset)
    return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")


def list_response(
    request: HttpRequest,
    query: Schema,
    *,
    page_schema: type[BaseModel],
    rows: QuerySet[Any] | Sequence[Any],
    to_row: Any,
    filename: str,
    last_modified: datetime | None,
) -> HttpResponse:
    """One page of ``rows`` (converted by ``to_row``) as JSON or, with format=csv, as CSV.

    Both carry the same rows and a ``Link: <...>; rel="next"`` header when there is more.
    """
    reject_unknown_parameters(request, query)
    limit: int = query.limit  # type: ignore[attr-defined]
    offset: int = query.offset  # type: ignore[attr-defined]
    count = rows.count() if isinstance(rows, QuerySet) else len(rows)
    results = [to_row(request, item) for item in rows[offset : offset + limit]]
    next_url = _page_url(request, offset + limit) if offset + limit < count else None
    previous_url = _page_url(request, max(offset - limit, 0)) if offset > 0 else None
    payload = {
        "count": count,
        "limit": limit,
        "offset": offset,
        "next": next_url,
        "previous": previous_url,
        "results": results,
    }
    data = page_schema.model_validate(payload).model_dump(mode="json")
    if query.format == "csv":  # type: ignore[attr-defined]
        response = csv_response(csv_text(row_columns(page_schema), data["results"]), filename)
    else:
        response = HttpResponse(
            json.dumps(data, ensure_ascii=False), content_type=JSON_CONTENT_TYPE
        )
    pages = [("next", next_url), ("prev", previous_url)]
    links = [f'<{url}>; rel="{rel}"' for rel, url in pages if url]
    if links:
        response["Link"] = ", ".join(links)
    return conditional(request, response, last_modified)
