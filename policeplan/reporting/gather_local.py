"""A metric whose figures staff enter (a local data series): its report section, from the
approved figures the audience may see (see ``staff_material.Cut``).

Local figures are quarterly or annual, so no SPC chart is drawn (XmR charts need monthly
figures); the chart is the site's bar chart of the force's figures by period, and assurance is
the latest figure against the target in force at the period's end.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from policeplan.analysis.periods import Month
from policeplan.catalogue.models import Metric
from policeplan.geography.models import Area, AreaKind
from policeplan.metrics import reports
from policeplan.publishing import charts
from policeplan.publishing.staff_figures import figure_text, period_text
from policeplan.staff.targets import current_target

from . import staff_material
from .content import Chart, ComparisonRow, LocalRow, MetricSection
from .periods import ReportPeriod
from .staff_material import Cut


def local_figure(metric: Metric, series: dict[str, Any], o: Any) -> dict[str, Any]:
    """An approved staff figure as a report stores it (verify_published rereads it)."""
    return {
        "metric": metric.slug,
        "series": series["slug"],
        "area": o.area.code,
        "area_name": o.area.name,
        "force": o.area.force,
        "measure": "local",
        "start": str(Month.from_date(o.period_start)),
        "end": str(Month.from_date(o.period_end)),
        "computation": series["computation"],
        "value": o.value,
        "runs": [o.import_run_id] if o.import_run_id else [],
        "submission": o.submission_id,
        "period_kind": o.period_kind,
        "unit": metric.unit,
    }


def assurance_against(metric: Metric, target: Any, latest: float) -> tuple[str, str]:
    """The latest figure against the target (a value, or a direction from a baseline)."""
    if target is None:
        return "No target set", "No target has been set for this metric."
    line = target.spc_value
    if line is None:
        return "Target set", f"Target: {target.describe()}; no baseline to judge it against."
    wanted = metric.polarity
    if target.kind == "direction":
        wanted = {"increase": "higher-is-better", "decrease": "lower-is-better"}.get(
            target.direction, "neutral"
        )
    shown, against = figure_text(latest, metric.unit), figure_text(line, metric.unit)
    if wanted == "higher-is-better":
        met = latest >= line
    elif wanted == "lower-is-better":
        met = latest <= line
    else:
        met = abs(latest - line) <= 0.05 * max(abs(line), 1.0)
    verdict = "Meeting the target" if met else "Not meeting the target"
    return verdict, f"The latest figure, {shown}, against {against}."


def _year_earlier(metric: Metric, force_rows: list[Any]) -> list[ComparisonRow]:
    if not force_rows:
        return []
    latest = force_rows[-1]
    end = Month.from_date(latest.period_end)
    earlier = next(
        (o for o in force_rows if Month.from_date(o.period_end) == end - 12),
        None,
    )
    if earlier is None:
        return []
    change = latest.value - earlier.value
    percent = "–"
    if metric.unit != "percent" and earlier.value:
        percent = f"{100 * change / earlier.value:+.1f}%"
    return [
        ComparisonRow(
            label="Same period a year earlier",
            current_label=period_text(latest.period_kind, latest.period_start, latest.period_end),
            current=figure_text(latest.value, metric.unit),
            previous_label=period_text(
                earlier.period_kind, earlier.period_start, earlier.period_end
            ),
            previous=figure_text(earlier.value, metric.unit),
            change=(f"{change:+,.0f}" if change == int(change) else f"{change:+,.1f}")
            + (" points" if metric.unit == "percent" else ""),
            percent=percent,
        )
    ]


def _chart(metric: Metric, force: Area, rows: list[Any]) -> Chart:
    values = [
        {
            "period": period_text(o.period_kind, o.period_start, o.period_end),
            "value": o.value,
        }
        for o in rows
    ]
    spec = charts.bar_chart(
        values,
        title=f"{metric.name}, {force.name}, by period",
        category="period",
        value="value",
        value_title=metric.name + (" (%)" if metric.unit == "percent" else ""),
        in_given_order=True,
    )
    described = "; ".join(f"{v['period']}: {figure_text(v['value'], metric.unit)}" for v in values)
    return Chart(spec, f"Chart: {metric.name}, {force.name}, by period. {described}.")


def local_section(
    metric: Metric, series: dict[str, Any], force: Area, period: ReportPeriod, cut: Cut
) -> MetricSection | None:
    """The section of a metric with staff-entered figures, or None when none is approved."""
    rows = staff_material.local_observations(metric, series["slug"], period, cut)
    rows = [o for o in rows if o.area_id == force.id or o.area.parent_id == force.id]
    if not rows:
        return None
    force_rows = [o for o in rows if o.area.kind == AreaKind.FORCE]
    shown = force_rows or rows
    latest = shown[-1]
    latest_month = Month.from_date(latest.period_end)
    latest_label = period_text(latest.period_kind, latest.period_start, latest.period_end)
    target = current_target(metric, period.end.last_day)
    embargoed = [o.published_from for o in rows if cut.embargoed(o.published_from)]
    freshness = reports.series_freshness(
        metric, latest_month, force, period_label=latest_label, reference=period.end
    )
    submissions = {o.submission_id for o in rows}
    newest = max(rows, key=lambda o: (o.submission.reviewed_at or o.published_from, o.pk))
    approved = newest.submission.reviewed_at or newest.published_from
    section = MetricSection(
        slug=metric.slug,
        name=metric.name,
        definition=metric.definition,
        source=f"{metric.source_kind_label} ({series['label']})",
        unit=metric.unit,
        polarity=metric.polarity_label,
        frequency=metric.frequency,
        owner=metric.owner or "Not yet assigned",
        series_label=series["label"],
        latest=f"{latest_label}, {latest.area.name}: {figure_text(latest.value, metric.unit)}",
        chart=_chart(metric, force, shown),
        period_rows=[],
        comparisons=_year_earlier(metric, force_rows),
        variation=(
            "Not assessed",
            f"SPC charts need monthly figures; {len(shown)} {metric.frequency} figures are held.",
        ),
        assurance=assurance_against(metric, target, latest.value),
        target=target.describe() if target is not None else "",
        exception_reasons=[],
        exception_notes=[
            "Not assessed as an exception: its figures are entered by staff each "
            f"{'quarter' if metric.frequency == 'quarterly' else 'year'}, not monthly."
        ],
        peer="",
        caveats=[str(series["caveat"])] if series.get("caveat") else [],
        out_of_date=freshness.describe() if freshness.out_of_date else "",
        provenance=(
            f"Entered by staff and approved: {len(rows)} figures from "
            f"{len(submissions)} submission{'s' if len(submissions) != 1 else ''} "
            f"({', '.join(str(s) for s in sorted(submissions))}). Latest: submission "
            f"{newest.submission_id}, {newest.submission.description}, approved "
            f"{timezone.localtime(approved):%-d %B %Y}."
        ),
        figures=[local_figure(metric, series, o) for o in rows],
        run_ids={o.import_run_id for o in rows if o.import_run_id},
        local_rows=[
            LocalRow(
                period=period_text(o.period_kind, o.period_start, o.period_end),
                area=o.area.name,
                value=figure_text(o.value, metric.unit),
                submission=o.submission_id,
                approved_on=f"{timezone.localtime(o.submission.reviewed_at):%-d %B %Y}"
                if o.submission.reviewed_at
                else "",
                embargoed_until=staff_material.embargo_text(o.published_from)
                if cut.embargoed(o.published_from)
                else "",
            )
            for o in rows
        ],
        submission_ids=submissions,
        embargoed_until=embargoed,
        target_record=target,
    )
    return section
