"""Plan-wide performance summaries: exceptions and the National Crime and Policing Measures,
read from the stored reports (``readside``); the public pages and the API share them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from policeplan.analysis.exceptions import CheckStatus, ExceptionReasonCode
from policeplan.analysis.freshness import Freshness
from policeplan.catalogue.models import Metric, Plan
from policeplan.geography.models import Area

from . import reports
from .computations import Engine, computation_of
from .readside import AreaReports


@dataclass
class MetricSummary:
    metric: Metric
    report: reports.SeriesReport | None
    official: reports.OfficialReport | None = None  # an ONS-only metric's 12-month figures

    @property
    def has_data(self) -> bool:
        return self.report is not None or self.official is not None

    @property
    def freshness(self) -> Freshness | None:
        shown = self.report or self.official
        return shown.freshness if shown is not None else None

    @property
    def out_of_date(self) -> bool:
        return self.freshness is not None and self.freshness.out_of_date


def summarise(metric: Metric, stored: AreaReports) -> MetricSummary:
    """The metric's main series for the stored reports' area."""
    series = reports.main_series(metric)
    if series is None:
        return MetricSummary(metric, None)
    if computation_of(series).engine is Engine.ONS_PFA:
        return MetricSummary(metric, None, stored.official_report(metric, series))
    return MetricSummary(metric, stored.series_report(metric, series))


@dataclass
class RuleCoverageLine:
    """One line of "which rules could be tested for which metrics"."""

    rule: str
    status: CheckStatus
    why: str
    metrics: list[Metric]

    @property
    def text(self) -> str:
        names = ", ".join(m.name for m in self.metrics)
        count = f"{len(self.metrics)} metric{'s' if len(self.metrics) != 1 else ''}"
        if self.status is CheckStatus.TESTED:
            return f"{self.rule}: tested for {count} ({names})."
        if self.status is CheckStatus.TESTED_EARLIER_WINDOW:
            return (
                f"{self.rule}: not testable on the latest 12 months for {count} because "
                f"{self.why}; applied instead to the latest 12 months that can be compared "
                f"({names})."
            )
        if self.status is CheckStatus.NOT_TESTABLE:
            return f"{self.rule}: not testable for {count} because {self.why} ({names})."
        return f"{self.rule}: does not apply to {count} because {self.why} ({names})."


RULE_NAMES = {
    ExceptionReasonCode.SPECIAL_CAUSE_CONCERN: "Special cause variation of concern",
    ExceptionReasonCode.CONSISTENTLY_FAILING_TARGET: "Consistently failing a target",
    ExceptionReasonCode.TWELVE_MONTH_CHANGE: "12-month change",
}


def rule_coverage(summaries: list[MetricSummary]) -> list[RuleCoverageLine]:
    """Per rule and outcome, the metrics it was (or could not be) tested for, and why."""
    lines: dict[tuple[ExceptionReasonCode, CheckStatus, str], list[Metric]] = {}
    for summary in summaries:
        if summary.report is None:
            continue
        for check in summary.report.exception.checks:
            lines.setdefault((check.rule, check.status, check.why), []).append(summary.metric)
    order = list(RULE_NAMES)
    return [
        RuleCoverageLine(RULE_NAMES[rule], status, why, metrics)
        for (rule, status, why), metrics in sorted(
            lines.items(), key=lambda item: (order.index(item[0][0]), item[0][1].value)
        )
    ]


@dataclass
class ExceptionsOverview:
    flagged: list[MetricSummary]
    clear: list[MetricSummary]  # current figures, not exceptions
    out_of_date: list[MetricSummary]  # figures too old to assess as current
    coverage: list[RuleCoverageLine]


def exceptions(plan: Plan, area: Area) -> ExceptionsOverview:
    """The plan's metrics with data: exceptions, the rest, and out-of-date ones apart."""
    overview = ExceptionsOverview([], [], [], [])
    assessed: list[MetricSummary] = []
    stored = AreaReports(area, plan.id)
    for metric in plan.metrics.order_by("order"):
        summary = summarise(metric, stored)
        if not summary.has_data:
            continue
        if summary.out_of_date:
            overview.out_of_date.append(summary)
            continue
        if summary.report is None:
            continue
        assessed.append(summary)
        target = overview.flagged if summary.report.exception.is_exception else overview.clear
        target.append(summary)
    overview.coverage = rule_coverage(assessed)
    return overview


def national_measures(plan: Plan, area: Area) -> list[dict[str, Any]]:
    """Each measure named in the plan's catalogue, its metrics current or out of date apart."""
    metrics = {m.slug: m for m in plan.metrics.all()}
    measures = []
    stored = AreaReports(area, plan.id)
    for measure in plan.national_measures:
        summaries = [summarise(metrics[slug], stored) for slug in measure["metrics"]]
        measures.append(
            {
                "name": measure["name"],
                "metrics": [s for s in summaries if not s.out_of_date],
                "out_of_date": [s for s in summaries if s.out_of_date],
            }
        )
    return measures
