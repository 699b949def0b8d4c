"""Observations: every published figure, filtered and paged, with its provenance."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Query, Router

from policeplan.analysis.periods import Month, RollingYear
from policeplan.metrics.models import Observation, PeriodKind

from . import lookups
from .openapi import extra
from .responses import list_response
from .schemas import ObservationPage, ObservationQuery

router = Router(tags=["Observations"])

# Stable order, so pages never overlap or skip rows.
OBSERVATION_ORDER = (
    "metric__plan__slug", "metric__order", "series", "area__kind", "area__code",
    "period_kind", "period_end", "id",
)  # fmt: skip


def period_label(period_kind: str, start: Month, end: Month) -> str:
    """The period in words: '2025-03', 'Q4 2024/25', '2024/25', '12 months to March 2025'."""
    if period_kind == PeriodKind.QUARTER:
        return start.financial_quarter.label
    if period_kind == PeriodKind.FINANCIAL_YEAR:
        return start.financial_year.label
    if period_kind == PeriodKind.ROLLING_12:
        return RollingYear(end).label
    return str(end)


ROW_FIELDS = {
    "plan": "metric__plan__slug", "metric": "metric__slug", "series": "series",
    "area_code": "area__code", "area_name": "area__name", "area_kind": "area__kind",
    "period_kind": "period_kind", "period_start": "period_start", "period_end": "period_end",
    "value": "value", "numerator": "numerator", "denominator": "denominator",
    "pending_share": "pending_share", "unusable_share": "unusable_share",
    "import_run": "import_run_id",
    "source_runs": "source_runs", "computed_at": "computed_at",
}  # fmt: skip


def observation_row(request: HttpRequest | None, values: dict[str, Any]) -> dict[str, Any]:
    """One row of ``published_rows()`` as the API gives it."""
    row = {name: values[field] for name, field in ROW_FIELDS.items()}
    start, end = Month.from_date(row["period_start"]), Month.from_date(row["period_end"])
    row.update(
        period=period_label(row["period_kind"], start, end),
        period_start=str(start),
        period_end=str(end),
    )
    return row


def published_rows() -> QuerySet[Observation, dict[str, Any]]:
    """Every published observation in the API's order, as the values ``observation_row`` reads
    (values, not model instances: the bulk download reads every row)."""
    return (
        lookups.published_observations().order_by(*OBSERVATION_ORDER).values(*ROW_FIELDS.values())
    )


def filtered_observations(query: ObservationQuery) -> QuerySet[Observation, dict[str, Any]]:
    observations = published_rows()
    if query.plan or query.metric:
        plan = lookups.resolve_plan(query.plan)
        observations = observations.filter(metric__plan=plan)
        if query.metric:
            metric = lookups.resolve_metric(plan, query.metric)
            observations = observations.filter(metric=metric)
            if query.series:
                lookups.check_series(metric, query.series)
    if query.series:
        observations = observations.filter(series=query.series)
    if query.area:
        observations = observations.filter(area=lookups.resolve_area(query.area))
    if query.period_kind:
        observations = observations.filter(period_kind=query.period_kind)
    start, end = lookups.month_range_filter(query.from_, query.to)
    if start is not None:
        observations = observations.filter(period_end__gte=start.first_day)
    if end is not None:
        observations = observations.filter(period_end__lte=end.first_day)
    return observations


@router.get(
    "/observations",
    response=ObservationPage,
    summary="Observations: the published figures, with provenance",
    description=(
        "Filter by plan, metric, series, area, period_kind (granularity) and the months a "
        "period ends in (from, to). A period with no data has no row: a gap, never a zero. "
        "Each row names the import runs it was computed from (see /import-runs)."
    ),
    openapi_extra=extra("csv"),
)
def list_observations(request: HttpRequest, query: Query[ObservationQuery]) -> HttpResponse:
    return list_response(
        request, query, page_schema=ObservationPage, rows=filtered_observations(query),
        to_row=observation_row, filename="observations.csv",
        last_modified=lookups.observations_modified(),
    )  # fmt: skip
