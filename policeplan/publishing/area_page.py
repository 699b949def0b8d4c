"""The "my area" page and site search: read-side assembly only."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from policeplan.catalogue.models import Metric, Mission, Plan, Strategy
from policeplan.geography.models import Area, AreaKind
from policeplan.metrics import readside, reports
from policeplan.metrics.computations import Engine, computation_of


@dataclass
class AreaMetric:
    metric: Metric
    report: reports.SeriesReport


def area_metrics(plan: Plan, area: Area) -> list[AreaMetric]:
    """The plan's police.uk-derived metrics that have figures for ``area``."""
    rows = []
    stored = readside.AreaReports(area, plan.id)
    for metric in plan.metrics.order_by("order"):
        series = reports.main_series(metric)
        if series is None or computation_of(series).engine is not Engine.POLICE_UK:
            continue
        report = stored.series_report(metric, series)
        if report is not None:
            rows.append(AreaMetric(metric, report))
    return rows


def deprivation(area: Area) -> dict[str, Any] | None:
    """How many of the area's LSOAs fall in each IoD2019 decile (1 = most deprived 10%)."""
    lsoas = Area.objects.filter(kind=AreaKind.LSOA, vintage="2011")  # IoD2019 uses LSOA 2011
    lsoas = (
        lsoas.filter(parent=area)
        if area.kind == AreaKind.LOCAL_AUTHORITY
        else lsoas.filter(force=area.force)
    )
    deciles = Counter(d for d in lsoas.values_list("imd2019_decile", flat=True) if d)
    total = sum(deciles.values())
    if not total:
        return None
    most_deprived = deciles[1] + deciles[2]
    return {
        "rows": [(d, deciles[d]) for d in range(1, 11)],
        "total": total,
        "most_deprived": most_deprived,
        "most_deprived_percent": 100 * most_deprived / total,
    }


def search(plan: Plan, query: str, force: str) -> dict[str, list[Any]]:
    """Metrics, strategies, missions and areas whose names (or definitions) match ``query``."""
    words = query.split()
    if not words:
        return {}

    def matching(fields: list[str]) -> Q:
        condition = Q()
        for word in words:
            any_field = Q()
            for name in fields:
                any_field |= Q(**{f"{name}__icontains": word})
            condition &= any_field
        return condition

    return {
        "metrics": list(
            plan.metrics.filter(matching(["name", "definition", "framework_priority"]))
        ),
        "strategies": list(Strategy.objects.filter(mission__plan=plan).filter(matching(["title"]))),
        "missions": list(Mission.objects.filter(plan=plan).filter(matching(["title"]))),
        "areas": list(
            Area.objects.filter(
                kind__in=[AreaKind.FORCE, AreaKind.LOCAL_AUTHORITY], force=force
            ).filter(matching(["name"]))
        ),
    }
