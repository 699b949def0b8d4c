"""Published Board and Panel reports: the archive, and every figure each one states."""

from __future__ import annotations

from typing import Any

from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from ninja import Path, Query, Router

from policeplan.reporting.models import Report

from .openapi import extra
from .problems import Problem
from .responses import json_response, list_response
from .schemas import MAX_ID
from .schemas_reports import ReportDetail, ReportPage, ReportQuery

router = Router(tags=["Reports"])


def report_row(request: HttpRequest, report: Report) -> dict[str, Any]:
    period = report.report_period
    return {
        "id": report.pk,
        "plan": report.plan.slug,
        "audience": report.audience,
        "audience_label": report.audience_label,
        "period": report.period,
        "first_month": str(period.start),
        "last_month": str(period.end),
        "title": report.title,
        "as_at": report.as_at,
        "built_at": report.built_at,
        "published_at": report.published_at,
        "figures": len((report.figures or {}).get("values", [])),
        "content_sha256": report.content_sha256,
        "url": request.build_absolute_uri(report.get_absolute_url()),
        "pdf_url": request.build_absolute_uri(report.pdf_url),
        "manifest_url": request.build_absolute_uri(f"{report.get_absolute_url()}manifest.json"),
        "api_url": request.build_absolute_uri(f"/api/v1/reports/{report.pk}"),
    }


def _published() -> Any:
    # The big columns (PDF, HTML, charts) are never needed for the list.
    return (
        Report.objects.published()
        .select_related("plan")
        .defer("pdf", "body_html", "document_html", "charts", "manifest")
    )


@router.get(
    "/reports",
    response=ReportPage,
    summary="Published performance reports to the Board and the Panel",
    description="Newest period first. Each report has a permanent page, a tagged PDF and a "
    "manifest of the data it was built from.",
    openapi_extra=extra("csv"),
)
def list_reports(request: HttpRequest, query: Query[ReportQuery]) -> HttpResponse:
    reports = _published().order_by("-period_end", "audience", "-published_at", "-id")
    if query.plan:
        reports = reports.filter(plan__slug=query.plan)
    if query.audience:
        reports = reports.filter(audience=query.audience)
    return list_response(
        request, query, page_schema=ReportPage, rows=reports, to_row=report_row,
        filename="reports.csv",
        last_modified=Report.objects.published().aggregate(at=Max("published_at"))["at"],
    )  # fmt: skip


@router.get(
    "/reports/{report_id}",
    response=ReportDetail,
    summary="One published report: its manifest and every figure it states",
    openapi_extra=extra(),
)
def report_detail(
    request: HttpRequest, report_id: int = Path(..., ge=1, le=MAX_ID)
) -> HttpResponse:
    report = Report.objects.published().select_related("plan").filter(pk=report_id).first()
    if report is None:
        raise Problem("unknown-report", f"No published report {report_id}; see /api/v1/reports.")
    figures = report.figures or {}
    payload = report_row(request, report) | {
        "manifest": report.manifest,
        "exceptions": figures.get("exceptions", {}),
        "results": figures.get("values", []),
    }
    return json_response(request, ReportDetail, payload, report.published_at)
