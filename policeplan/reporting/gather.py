"""Gather everything a report states: the one place a report reads figures.

Today the figures come from ``policeplan.metrics.reports`` (SPC, comparisons and exceptions
worked out from stored observations, cut at the report period's last month). When the stored
read side lands (issue 13), point ``police_uk_section`` and ``official_section`` at it; the rest
of the report (content, rendering, manifest, what changed, verification) stays as it is.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone

from policeplan.analysis.periods import describe_months
from policeplan.analysis.trends import Comparison, format_number
from policeplan.catalogue.models import Metric, Plan
from policeplan.geography.models import Area
from policeplan.metrics import performance, reports
from policeplan.metrics.computations import Engine, computation_of
from policeplan.publishing import metric_page

from . import gather_local, gather_official, provenance, staff_material
from .content import (
    AwaitingMetric,
    Chart,
    ComparisonRow,
    Definition,
    MetricSection,
    MissionSection,
    ReportContent,
    StrategySection,
    make_figure,
)
from .periods import Audience, ReportPeriod
from .staff_material import Cut


class ReportDataError(Exception):
    """The report cannot be built from the data held (no such force area, plan, ...)."""


def owner_of(metric: Metric) -> str:
    """The team or role title the catalogue names as providing the metric's figures."""
    return metric.owner or "Not yet assigned"


def gather(
    plan: Plan, audience: Audience, period: ReportPeriod, built_at: datetime | None = None
) -> ReportContent:
    """The content of ``plan``'s report to ``audience`` for ``period``, from the data held and
    the staff material the audience may see at ``built_at`` (default now)."""
    cut = staff_material.cut_for(audience, built_at or timezone.now())
    force = metric_page.force_area(plan.force)
    if force is None:
        raise ReportDataError(
            f"No police force area '{plan.force}' is loaded: run `manage.py load_geography`."
        )
    missions: list[MissionSection] = []
    awaiting: list[AwaitingMetric] = []
    definitions: list[Definition] = []
    summaries: list[performance.MetricSummary] = []  # assessed for exceptions, as on the site
    headline = plan.metrics.filter(headline=True).select_related("strategy__mission")
    by_strategy: dict[int, list[Metric]] = {}
    for metric in headline.order_by("order"):
        by_strategy.setdefault(metric.strategy_id, []).append(metric)
        definitions.append(_definition(metric))
    for mission in plan.missions.order_by("order"):
        strategies = []
        for strategy in mission.strategies.order_by("order"):
            sections = []
            for metric in by_strategy.get(strategy.id, []):
                section = metric_section(metric, force, period, cut)
                if section is None:
                    awaiting.append(_awaiting(metric))
                else:
                    section.commentary = staff_material.approved_commentary(metric, period, cut)
                    sections.append(section)
                    if section.source_report is not None and not section.out_of_date:
                        summaries.append(performance.MetricSummary(metric, section.source_report))
            if sections:
                strategies.append(StrategySection(strategy.title, strategy.slug, sections))
        if strategies:
            missions.append(MissionSection(mission.title, mission.slug, strategies))
    content = ReportContent(
        plan_slug=plan.slug,
        plan_title=plan.title,
        area_name=plan.area_name,
        audience=audience,
        period=period,
        as_at=provenance.as_at(_run_ids(missions)),
        coverage=[],
        missions=missions,
        awaiting=awaiting,
        testability=[],
        definitions=definitions,
        runs=provenance.run_manifest(_run_ids(missions)),
    )
    content.testability = [line.text for line in performance.rule_coverage(summaries)]
    assessed = {id(summary.report) for summary in summaries}
    local = [m.name for m in content.metrics if m.local_rows]
    apart = [
        m.name for m in content.metrics if id(m.source_report) not in assessed and not m.local_rows
    ]
    if apart:
        content.testability.append(
            f"Not assessed as exceptions: {', '.join(apart)}, because only annual ONS figures "
            "are held or the figures are out of date (see each metric)."
        )
    if local:
        content.testability.append(
            f"Not assessed as exceptions: {', '.join(local)}, because their figures are "
            "entered by staff each quarter or year, and the exception rules need monthly figures."
        )
    add_staff_material(content, cut)
    content.coverage = provenance.coverage_lines(plan, force, period, content)
    return content


def add_staff_material(content: ReportContent, cut: Cut) -> None:
    """The submissions, approvals and targets used (for the manifest) and the embargo mark."""
    used: set[int] = set()
    embargoed = []
    for metric in content.metrics:
        for note in metric.commentary:
            used.add(note.submission)
            if note.embargoed_until and note.published_from is not None:
                metric.embargoed_until.append(note.published_from)
        used |= metric.submission_ids
        embargoed += metric.embargoed_until
    content.submissions = staff_material.submissions_used(used, cut)
    content.approvals = staff_material.approvals_used(used, cut)
    content.targets = staff_material.targets_used(content.metrics)
    content.embargo_notice = staff_material.embargo_notice(cut, embargoed)
    if content.embargo_notice:
        content.embargo_until_text = staff_material.embargo_text(max(embargoed))


def _run_ids(missions: list[MissionSection]) -> set[int]:
    return {
        run
        for mission in missions
        for strategy in mission.strategies
        for metric in strategy.metrics
        for run in metric.run_ids
    }


def metric_section(
    metric: Metric, force: Area, period: ReportPeriod, cut: Cut
) -> MetricSection | None:
    """A headline metric's section, or None when nothing is held for it by the period's end."""
    series = reports.main_series(metric)
    if series is None:
        return None
    engine = computation_of(series).engine
    if engine is Engine.ONS_PFA:
        return gather_official.official_section(metric, series, force, period)
    if engine is Engine.LOCAL:
        return gather_local.local_section(metric, series, force, period, cut)
    return police_uk_section(metric, series, force, period, cut)


def police_uk_section(
    metric: Metric, series: dict[str, Any], force: Area, period: ReportPeriod, cut: Cut
) -> MetricSection | None:
    report = reports.series_report(
        metric,
        series,
        force,
        breakdown=False,
        until=period.end,
        at=cut.at,
        target_on=period.end.last_day,
    )
    if report is None:
        return None
    latest = report.latest
    assert latest is not None and latest.value is not None  # a report has at least one month
    figures = monthly_figures(report)
    comparisons = []
    for label, comparison in (
        ("12 months", report.rolling),
        ("Financial year to date", report.fytd),
        ("Latest 12 months that can be compared", report.last_comparable),
    ):
        if comparison is not None:
            comparisons.append(comparison_row(label, comparison))
            figures += comparison_figures(report, comparison)
    variation = metric_page.VARIATION_TAGS[report.spc.variation.icon.value]
    assurance = metric_page.ASSURANCE_TAGS[report.spc.assurance.icon.value]
    in_period = {month for month in period.months}
    section = MetricSection(
        slug=metric.slug,
        name=metric.name,
        definition=metric.definition,
        source=f"{metric.source_kind_label} ({series['label']})",
        unit="%" if report.is_rate else metric.unit,
        polarity=metric.polarity_label,
        frequency=metric.frequency,
        owner=owner_of(metric),
        series_label=series["label"],
        latest=f"{latest.month.label}: {_value_text(latest.value, report.is_rate)}",
        chart=Chart(
            metric_page.series_chart(report),
            f"Chart: {metric.name}, {force.name}, by month. {metric_page.text_summary(report)}",
        ),
        period_rows=[
            (
                row.month.label,
                "No data (a gap, not zero)"
                if row.value is None
                else _value_text(row.value, report.is_rate),
                _variation_text(row.spc),
            )
            for row in report.rows
            if row.month in in_period
        ],
        comparisons=comparisons,
        variation=(variation[0], report.spc.variation.explanation),
        assurance=(assurance[0], report.spc.assurance.explanation),
        target=_target_text(report),
        exception_reasons=report.exception.reason_texts,
        exception_notes=list(report.exception.notes),
        peer="",
        caveats=_caveats(report, period),
        out_of_date=report.freshness.describe() if report.freshness.out_of_date else "",
        provenance=provenance.series_provenance(series["label"], report.runs, report.gaps),
        figures=figures,
        run_ids={run.id for run in report.runs},
        source_report=report,
        target_record=report.target,
    )
    if section.out_of_date:  # as on the exceptions page: too old to assess as current
        section.exception_reasons = []
        section.exception_notes = ["Not assessed as an exception: its figures are out of date."]
    gather_official.add_peer_position(section, metric, force, period)
    return section


def _target_text(report: reports.SeriesReport) -> str:
    """The target as the approver set it, and the line SPC assurance was judged against."""
    line = "" if report.spc.target is None else format_number(report.spc.target)
    if report.target is None:
        return line
    described = str(report.target.describe())
    return f"{described} (assurance judged against {line})" if line else described


def _value_text(value: float, is_rate: bool) -> str:
    return f"{value:,.1f}%" if is_rate else format_number(value)


def _variation_text(spc_row: dict[str, Any]) -> str:
    if not spc_row:
        return ""
    if spc_row.get("rules"):
        return f"Special cause ({str(spc_row['classification']).replace('_', ' ')})"
    return "Common cause" if spc_row.get("mean") is not None else "No limits yet"


def _caveats(report: reports.SeriesReport, period: ReportPeriod) -> list[str]:
    caveats = []
    if report.series.get("caveat"):
        caveats.append(str(report.series["caveat"]))
    if report.is_rate:
        caveats.append(
            "Outcomes lag: a crime recorded recently is often still under investigation, so the "
            "latest months' rates will rise as outcomes are recorded."
        )
    if report.small_numbers:
        caveats.append(
            "Some monthly figures are under 10, so small changes can look large: compare "
            "12-month totals rather than single months."
        )
    gaps = [month for month in report.gaps if month <= period.end]
    if gaps:
        caveats.append(f"No data was published for {describe_months(gaps)} (gaps, not zeros).")
    caveats.extend(report.spc.warnings)
    return caveats


def comparison_row(label: str, comparison: Comparison) -> ComparisonRow:
    current, previous = comparison.current, comparison.previous

    def shown(value: float | None) -> str:
        return "Not available" if value is None else format_number(value)

    change = percent = "–"
    if comparison.change is not None:
        change = f"{comparison.change:+,.0f}"
    if comparison.percent_change is not None:
        percent = f"{comparison.percent_change:+.1f}%"
    return ComparisonRow(
        label=label,
        current_label=current.label,
        current=shown(current.value),
        previous_label=previous.label,
        previous=shown(previous.value),
        change=change,
        percent=percent,
        note=comparison.unavailable_reason or "",
    )


def monthly_figures(report: reports.SeriesReport) -> list[dict[str, Any]]:
    """Every monthly figure the chart shows, with the import run it came from."""
    runs = {run.month: run.id for run in report.runs if run.month}
    figures = []
    for row in report.rows:
        if row.value is None:
            continue
        figures.append(
            make_figure(
                report.metric.slug,
                report.series,
                report.area,
                "rate" if report.is_rate else "count",
                (row.month, row.month),
                row.value,
                [runs[row.month.first_day]] if row.month.first_day in runs else [],
                numerator=row.numerator,
                denominator=row.denominator,
            )
        )
    return figures


def comparison_figures(
    report: reports.SeriesReport, comparison: Comparison
) -> list[dict[str, Any]]:
    """The totals a comparison states (a total over several months is a figure too)."""
    runs = {run.month: run.id for run in report.runs if run.month}
    figures = []
    for aggregate in (comparison.current, comparison.previous):
        if aggregate.value is None or aggregate.estimated:
            continue
        start, end = aggregate.period.start, aggregate.period.end
        months = [start + i for i in range(end.months_since(start) + 1)]
        figures.append(
            make_figure(
                report.metric.slug,
                report.series,
                report.area,
                "total",
                (start, end),
                aggregate.value,
                sorted(runs[m.first_day] for m in months if m.first_day in runs),
            )
        )
    return figures


def _awaiting(metric: Metric) -> AwaitingMetric:
    return AwaitingMetric(
        name=metric.name,
        slug=metric.slug,
        owner=owner_of(metric),
        strategy=metric.strategy.title,
        source=metric.source_kind_label,
        note=metric.awaiting_data_note,
    )


def _definition(metric: Metric) -> Definition:
    how = "; ".join(str(series.get("label", "")) for series in metric.series) or (
        "No computation declared: figures come from the metric's owner."
    )
    return Definition(
        name=metric.name,
        slug=metric.slug,
        definition=metric.definition,
        source=metric.source_kind_label,
        unit=metric.unit,
        polarity=metric.polarity_label,
        frequency=metric.frequency,
        how=how,
    )
