"""Worked examples for the API guide, built from the configured force, plan and data held.

Nothing here names a force or plan: a second deployment gets examples about its own figures,
and each example says what it returns (a test requests every one).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings

from policeplan.analysis.periods import Month, describe_months, month_range
from policeplan.catalogue.models import Metric
from policeplan.geography.models import Area, AreaKind
from policeplan.metrics.models import Observation, PeriodKind


@dataclass(frozen=True)
class Example:
    label: str
    url: str
    note: str = ""


def _monthly_metric(force: Area | None) -> tuple[Metric, str, list[Month]] | None:
    """The current plan's first metric with monthly figures for the force, and their months."""
    if force is None:
        return None
    metrics = Metric.objects.filter(plan__slug=settings.POLICEPLAN_CURRENT_PLAN).order_by("order")
    for metric in metrics:
        for series in metric.series:
            ends = (
                Observation.objects.published()
                .filter(
                    metric=metric, series=series["slug"], area=force, period_kind=PeriodKind.MONTH
                )
                .values_list("period_end", flat=True)
            )
            months = sorted(Month.from_date(end) for end in ends)
            if months:
                return metric, series["slug"], months
    return None


def _observations_example(force: Area) -> list[Example]:
    found = _monthly_metric(force)
    if found is None:
        return []
    metric, series, held = found
    last = held[-1]
    first = last - 11
    window = month_range(first, last)
    missing = [month for month in window if month not in set(held)]
    query = {
        "metric": metric.slug,
        "series": series,
        "area": force.code,
        "period_kind": "month",
        "from": str(first),
        "to": str(last),
    }
    url = f"/api/v1/observations?{urlencode(query)}"
    count = len(window) - len(missing)
    note = f"{count} rows, one per month held."
    if missing:
        note += f" No rows for {describe_months(missing)}: no data is held for those months."
    label = f"Monthly figures for {metric.name} in {force.name}, {first.label} to {last.label}"
    return [
        Example(f"One metric: {metric.name}", f"/api/v1/metrics/{metric.slug}"),
        Example(label, url, note),
        Example("The same as CSV", f"{url}&format=csv", note),
    ]


def examples() -> list[Example]:
    """The examples shown on /api/, for this deployment's force, plan and figures."""
    force_id = settings.POLICEPLAN_FORCE
    plan = settings.POLICEPLAN_CURRENT_PLAN
    force = Area.objects.filter(kind=AreaKind.FORCE, force=force_id).first()
    found = [
        Example("The published plans", "/api/v1/plans"),
        Example("The current plan's metrics, as CSV", f"/api/v1/metrics?plan={plan}&format=csv"),
    ]
    if force is not None:
        found += _observations_example(force)
        found.append(
            Example(
                "Local authorities in the force area",
                f"/api/v1/areas?kind=local_authority&force={force_id}",
            )
        )
        lsoa = (
            Area.objects.filter(kind=AreaKind.LSOA, force=force_id, geometry__isnull=False)
            .order_by("code", "-vintage")
            .first()
        )
        if lsoa is not None:
            found.append(
                Example("An LSOA boundary as GeoJSON", f"/api/v1/areas/{lsoa.code}.geojson")
            )
    found += [
        Example("Current exceptions with their reasons", "/api/v1/exceptions"),
        Example(
            "Import runs: where every figure came from", f"/api/v1/import-runs?force={force_id}"
        ),
        Example("Which months are held", f"/api/v1/coverage?force={force_id}&format=csv"),
    ]
    return found
