"""Exceptions: the metrics to bring to the board's attention now, each with its reasons."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router

from policeplan.geography.models import Area, AreaKind
from policeplan.metrics import performance

from . import lookups
from .openapi import extra
from .problems import Problem
from .responses import list_response
from .schemas import ExceptionPage, ExceptionQuery

router = Router(tags=["Exceptions"])


def exception_row(request: HttpRequest, summary: performance.MetricSummary) -> dict[str, Any]:
    report = summary.report
    assert report is not None  # exceptions() only returns metrics with data
    latest = report.latest
    metric = summary.metric
    return {
        "plan": metric.plan.slug,
        "metric": metric.slug,
        "metric_name": metric.name,
        "series": report.series["slug"],
        "area_code": report.area.code,
        "latest_month": str(latest.month) if latest else None,
        "latest_value": latest.value if latest else None,
        "twelve_month_change_percent": report.rolling.percent_change if report.rolling else None,
        "reasons": report.exception.reason_texts,
        "reason_codes": [str(reason.code) for reason in report.exception.reasons],
        "notes": list(report.exception.notes),
        "url": request.build_absolute_uri(f"/api/v1/metrics/{metric.slug}?plan={metric.plan.slug}"),
    }


def _area(code_or_slug: str | None, force: str) -> Area:
    if code_or_slug:
        return lookups.resolve_area(code_or_slug)
    area = Area.objects.filter(kind=AreaKind.FORCE, force=force).first()
    if area is None:
        raise Problem("unknown-area", f"The plan's force '{force}' has no area loaded.")
    return area


@router.get(
    "/exceptions",
    response=ExceptionPage,
    summary="Current exceptions, with reasons",
    description=(
        "A metric is an exception when its latest month is special cause variation of concern "
        "(SPC), or its 12-month change crosses the threshold in the bad direction. The same "
        "assessment as the public Exceptions page."
    ),
    openapi_extra=extra("csv"),
)
def list_exceptions(request: HttpRequest, query: Query[ExceptionQuery]) -> HttpResponse:
    plan = lookups.resolve_plan(query.plan)
    area = _area(query.area, plan.force)
    flagged = performance.exceptions(plan, area).flagged
    return list_response(
        request, query, page_schema=ExceptionPage, rows=flagged, to_row=exception_row,
        filename="exceptions.csv", last_modified=lookups.observations_modified(),
    )  # fmt: skip
