"""Bulk download: every published observation in one zip, with a data dictionary and licence."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from ninja import Router

from .csv import csv_text
from .lookups import observations_modified
from .openapi import extra
from .responses import conditional, row_columns
from .routes_observations import observation_row, published_rows
from .schemas import ObservationOut, ObservationPage

router = Router(tags=["Downloads"])

ATTRIBUTION = (
    "Contains public sector information licensed under the Open Government Licence v3.0. "
    "Contains OS data © Crown copyright and database right."
)
OGL_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"


def data_dictionary_rows() -> list[dict[str, Any]]:
    """One row per observations.csv column: its name, type and meaning, from the schema."""
    properties = ObservationOut.model_json_schema()["properties"]
    rows = []
    for column in row_columns(ObservationPage):
        spec = properties[column]
        types = [option.get("type") for option in spec.get("anyOf", [spec])]
        kind = " or ".join(str(t) for t in types if t and t != "null") or "string"
        if spec.get("format") == "date-time":
            kind = "date-time (ISO 8601)"
        nullable = " (empty when unknown)" if "null" in types else ""
        rows.append(
            {"column": column, "type": kind, "meaning": spec.get("description", "") + nullable}
        )
    return rows


def readme_text(row_count: int, modified: datetime | None, base_url: str) -> str:
    as_of = modified.strftime("%d %B %Y %H:%M UTC") if modified else "not yet computed"
    return "\n".join(
        [
            f"{settings.POLICEPLAN_SITE_NAME}: observations",
            "",
            f"observations.csv    {row_count} published observations (figures computed {as_of})",
            "data-dictionary.csv what each column of observations.csv means",
            "",
            "Each row is one figure for a metric, series, area and period. A period with no",
            "source data has no row: it is a gap, never a zero. The import_run and source_runs",
            f"columns name the source files used: see {base_url}api/v1/import-runs",
            f"The API and its documentation: {base_url}api/",
            "",
            "Licence",
            ATTRIBUTION,
            OGL_URL,
            "",
        ]
    )


def observations_zip(base_url: str) -> tuple[bytes, datetime | None]:
    modified = observations_modified()
    rows = [observation_row_plain(values) for values in published_rows().iterator(2000)]
    dictionary = data_dictionary_rows()
    # Fixed timestamps inside the zip: the same data gives the same bytes (and ETag).
    stamp = (modified.timetuple()[:6]) if modified else (1980, 1, 1, 0, 0, 0)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        files = [
            ("observations.csv", csv_text(row_columns(ObservationPage), rows)),
            ("data-dictionary.csv", csv_text(["column", "type", "meaning"], dictionary)),
            ("README.txt", readme_text(len(rows), modified, base_url)),
        ]
        for name, text in files:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text.encode("utf-8"))
    return buffer.getvalue(), modified


def observation_row_plain(values: dict[str, Any]) -> dict[str, Any]:
    """An observation row as the JSON API gives it (validated, dates as ISO strings)."""
    row = observation_row(None, values)
    return ObservationOut.model_validate(row).model_dump(mode="json")


@router.get(
    "/downloads/observations.zip",
    summary="Every published observation: observations.csv, data-dictionary.csv, README.txt",
    response={200: None},
    openapi_extra=extra("zip"),
)
def download_observations(request: HttpRequest) -> HttpResponse:
    body, modified = observations_zip(request.build_absolute_uri("/"))
    response = HttpResponse(body, content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="observations.zip"'
    return conditional(request, response, modified)
