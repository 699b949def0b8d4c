"""Provenance: the import runs every figure comes from, and which months are held."""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Path, Query, Router

from policeplan.analysis.periods import Month
from policeplan.ingest.coverage import coverage
from policeplan.provenance.models import ImportRun

from . import lookups
from .openapi import extra
from .problems import Problem
from .responses import json_response, list_response
from .schemas import (
    MAX_ID,
    CoveragePage,
    CoverageQuery,
    ImportRunDetail,
    ImportRunPage,
    ImportRunQuery,
)

router = Router(tags=["Provenance"])

RUN_FIELDS = [
    "id", "source", "kind", "force", "period_label", "source_url", "sha256", "content_sha256",
    "size_bytes", "rows_read", "rows_written", "rows_rejected", "rows_without_location",
    "rows_outside_force_area", "status", "started_at", "finished_at",
]  # fmt: skip


def import_run_row(request: HttpRequest, run: ImportRun) -> dict[str, Any]:
    # Only the file name: a server path says nothing about the data, and who ran the import
    # (run_by) is staff information, not published.
    row = {name: getattr(run, name) for name in RUN_FIELDS}
    row.update(
        month=str(Month.from_date(run.month)) if run.month else None,
        file=PurePath(run.source_path.replace("\\", "/")).name,
        supersedes=run.supersedes_id,
        url=request.build_absolute_uri(f"/api/v1/import-runs/{run.id}"),
    )
    return row


@router.get(
    "/import-runs",
    response=ImportRunPage,
    summary="Import runs: each source file loaded, with its hash and row counts",
    openapi_extra=extra("csv"),
)
def list_import_runs(request: HttpRequest, query: Query[ImportRunQuery]) -> HttpResponse:
    runs = ImportRun.objects.order_by("-started_at", "-id")
    for name in ("source", "kind", "force", "status"):
        value = getattr(query, name)
        if value:
            runs = runs.filter(**{name: value})
    return list_response(
        request, query, page_schema=ImportRunPage, rows=runs, to_row=import_run_row,
        filename="import-runs.csv", last_modified=lookups.import_runs_modified(),
    )  # fmt: skip


@router.get(
    "/import-runs/{run_id}",
    response=ImportRunDetail,
    summary="One import run, with what changed against the run it revised",
    openapi_extra=extra(),
)
def import_run_detail(
    request: HttpRequest, run_id: int = Path(..., ge=1, le=MAX_ID)
) -> HttpResponse:
    run = ImportRun.objects.filter(id=run_id).first()
    if run is None:
        raise Problem("unknown-import-run", f"No import run {run_id}; see /api/v1/import-runs.")
    payload = import_run_row(request, run) | {"changes": run.changes or {}}
    return json_response(request, ImportRunDetail, payload, run.finished_at)


def coverage_rows(query: CoverageQuery) -> list[dict[str, Any]]:
    rows = []
    for entry in coverage(query.source, query.force):
        if query.kind and entry.kind != query.kind:
            continue
        for month, state in sorted(entry.cells.items()):
            rows.append(
                {
                    "source": query.source,
                    "force": entry.force,
                    "kind": entry.kind,
                    "month": str(Month.from_date(month)),
                    "state": state,
                }
            )
    return rows


@router.get(
    "/coverage",
    response=CoveragePage,
    summary="Coverage: each force-month of each file kind, held, missing or revised",
    description="A missing month is a gap in every figure, never a zero.",
    openapi_extra=extra("csv"),
)
def list_coverage(request: HttpRequest, query: Query[CoverageQuery]) -> HttpResponse:
    return list_response(
        request, query, page_schema=CoveragePage, rows=coverage_rows(query),
        to_row=lambda request, row: row, filename="coverage.csv",
        last_modified=lookups.import_runs_modified(),
    )  # fmt: skip
