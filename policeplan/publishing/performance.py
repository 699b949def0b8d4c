"""Plan-wide performance summaries: exceptions and the National Crime and Policing Measures."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from policeplan.catalogue.models import Metric, Plan
from policeplan.geography.models import Area
from policeplan.metrics import reports
from policeplan.metrics.computations import Engine, computation_of

# The National Crime and Policing Measures PCCs must report on quarterly, and the plan's metrics
# that carry each (by slug; a measure with no metric in the plan is listed as awaiting data).
NATIONAL_MEASURES: list[tuple[str, list[str]]] = [
    ("Reduce murder and other homicide", ["homicide", "drug-related-homicides"]),
    ("Reduce serious violence", ["serious-violence", "firearm-discharges",
                                 "knife-assault-hospital-admissions"]),
    ("Disrupt drugs supply and county lines", ["drug-treatment-referrals"]),
    ("Reduce neighbourhood crime", ["neighbourhood-crime", "burglary", "robbery", "vehicle-crime",
                                   "theft-from-the-person"]),
    ("Tackle cyber crime", ["cyber-crime-confidence"]),
    ("Improve satisfaction among victims, with a particular focus on victims of domestic abuse",
     ["victim-satisfaction", "domestic-abuse-victim-satisfaction"]),
]  # fmt: skip


@dataclass
class MetricSummary:
    metric: Metric
    report: reports.SeriesReport | None
    official: reports.OfficialReport | None = None  # an ONS-only metric's 12-month figures

    @property
    def has_data(self) -> bool:
        return self.report is not None or self.official is not None


def summarise(metric: Metric, area: Area) -> MetricSummary:
    series = reports.main_series(metric)
    if series is None:
        return MetricSummary(metric, None)
    if computation_of(series).engine is Engine.ONS_PFA:
        return MetricSummary(metric, None, reports.official_report(metric, series, area))
    return MetricSummary(metric, reports.series_report(metric, series, area, breakdown=False))


def exceptions(plan: Plan, area: Area) -> tuple[list[MetricSummary], list[MetricSummary]]:
    """(exceptions, metrics with data that are not exceptions) for the plan's metrics."""
    flagged: list[MetricSummary] = []
    clear: list[MetricSummary] = []
    for metric in plan.metrics.order_by("order"):
        summary = summarise(metric, area)
        if summary.report is None:
            continue
        (flagged if summary.report.exception.is_exception else clear).append(summary)
    return flagged, clear


def national_measures(plan: Plan, area: Area) -> list[dict[str, Any]]:
    metrics = {m.slug: m for m in plan.metrics.all()}
    return [
        {
            "name": name,
            "metrics": [summarise(metrics[slug], area) for slug in slugs if slug in metrics],
        }
        for name, slugs in NATIONAL_MEASURES
    ]
