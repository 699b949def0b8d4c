"""CSV output: the same rows as the JSON ``results``, one column per field, header first."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping
from typing import Any

from django.http import HttpResponse

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
LIST_SEPARATOR = "; "


def cell(value: Any) -> str:
    """A JSON value as one CSV cell: empty for null, lists joined by '; ', objects as JSON."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list) and all(not isinstance(v, dict | list) for v in value):
        return LIST_SEPARATOR.join(cell(v) for v in value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return str(value)


def csv_text(columns: list[str], rows: Iterable[Mapping[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([cell(row.get(column)) for column in columns])
    return buffer.getvalue()


def csv_response(body: str | bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
