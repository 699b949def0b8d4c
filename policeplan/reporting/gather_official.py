"""Report sections from ONS figures, and where the force stands among its peers.

ONS police force area tables give one 12-month figure per edition; peer positions use them
(rates per 1,000 population from Tables P1 and P3) or, for rates such as positive outcomes,
the peers' police.uk figures for the same 12 months. Part of the report's gathering layer (see
``gather``): the only other module here that reads figures.
"""

from __future__ import annotations

from typing import Any

from policeplan.analysis.peers import compare_with_peers
from policeplan.analysis.periods import Month
from policeplan.analysis.trends import choose_rate_base, format_number
from policeplan.catalogue.models import Metric
from policeplan.geography.models import Area
from policeplan.metrics import reports
from policeplan.metrics.computations import Engine, computation_of
from policeplan.metrics.models import Observation, PeriodKind
from policeplan.official import queries
from policeplan.publishing import charts

from . import provenance
from .content import Chart, ComparisonRow, MetricSection, make_figure
from .periods import ReportPeriod


def official_section(
    metric: Metric, series: dict[str, Any], force: Area, period: ReportPeriod
) -> MetricSection | None:
    """A metric held only as ONS 12-month figures (one per edition)."""
    from .gather import owner_of

    official = reports.official_report(metric, series, force, until=period.end)
    if official is None:
        return None
    rows = official.rows
    latest = rows[-1]
    chart_rows = [
        {"period": f"12 months to {row.period_end.label}", "value": row.value} for row in rows
    ]
    title = f"{metric.name}, {force.name}, 12 months ending (ONS)"
    summary = f"In the 12 months to {latest.period_end.label} the figure was {latest.value:,.0f}."
    year_before = next((r for r in rows if r.period_end == latest.period_end - 12), None)
    comparisons = []
    if year_before is not None:
        change = latest.value - year_before.value
        percent = f"{100 * change / year_before.value:+.1f}%" if year_before.value else "–"
        comparisons.append(
            ComparisonRow(
                "12 months (ONS editions)",
                f"12 months to {latest.period_end.label}",
                format_number(latest.value),
                f"12 months to {year_before.period_end.label}",
                format_number(year_before.value),
                f"{change:+,.0f}",
                percent,
            )
        )
        summary += f" The 12 months before: {year_before.value:,.0f}."
    section = MetricSection(
        slug=metric.slug,
        name=metric.name,
        definition=metric.definition,
        source=f"{metric.source_kind_label} ({series['label']})",
        unit=metric.unit,
        polarity=metric.polarity_label,
        frequency=metric.frequency,
        owner=owner_of(metric),
        series_label=series["label"],
        latest=f"12 months to {latest.period_end.label}: {format_number(latest.value)}",
        chart=Chart(
            charts.bar_chart(
                chart_rows,
                title=title,
                category="period",
                value="value",
                value_title="Offences",
                in_given_order=True,
            ),
            f"Chart: {title}. {summary}",
        ),
        period_rows=[],
        comparisons=comparisons,
        variation=("Not charted by month", "Only annual ONS figures are held for this metric."),
        assurance=("No target set", "No target has been set for this metric."),
        target="",
        exception_reasons=[],
        exception_notes=[
            "Exceptions are tested on monthly figures; only annual ONS figures are held for "
            "this metric."
        ],
        peer="",
        caveats=[
            "Police recorded crime published by the Office for National Statistics for 12-month "
            "periods: a different record set from data.police.uk street-level crime, so the two "
            "never match and are never combined."
        ],
        out_of_date=official.freshness.describe() if official.freshness.out_of_date else "",
        provenance=provenance.official_provenance(official.runs),
        figures=[
            make_figure(
                metric.slug,
                series,
                force,
                "ons_count",
                (row.period_end - 11, row.period_end),
                row.value,
                provenance.runs_for_month(official.runs, row.period_end),
            )
            for row in rows
        ],
        run_ids={run.id for run in official.runs},
    )
    add_peer_position(section, metric, force, period)
    return section


def add_peer_position(
    section: MetricSection, metric: Metric, force: Area, period: ReportPeriod
) -> None:
    """Fill in where the force stands among its peer group, where figures are held for it."""
    group = queries.peer_group(force)
    if group is None:
        section.peer = "No peer group is loaded for this force."
        return
    kinds = [(series, computation_of(series)) for series in metric.series]
    ons = next((s for s, c in kinds if c.engine is Engine.ONS_PFA), None)
    rate = next((s for s, c in kinds if c.engine is Engine.POLICE_UK and c.is_rate), None)
    if ons is not None:
        _ons_peers(section, metric, dict(ons), force, period)
    elif rate is not None:
        _police_uk_rate_peers(section, metric, dict(rate), force, period)
    else:
        section.peer = "No peer comparison is held for this metric."


def _ons_peers(
    section: MetricSection,
    metric: Metric,
    series: dict[str, Any],
    force: Area,
    period: ReportPeriod,
) -> None:
    official = reports.official_report(metric, series, force, until=period.end)
    edition = queries.edition_for(str(official.rows[-1].period_end)) if official else None
    if official is None or edition is None:
        section.peer = "No ONS figures for this metric are held for the period."
        return
    group = queries.OffenceGroup(series["computation"]["offence_group"])
    comparison = queries.compare_force(group, force, edition)
    ranked = [row for row in comparison.rows if row.role in ("force", "peer")]
    if len(ranked) < 2:
        section.peer = "No peer figures are held for this metric."
        return
    counts = {
        row.label: (
            float(row.count.value) if row.count and row.count.value is not None else None,
            float(row.population) if row.population else None,
        )
        for row in ranked
    }
    # Per 1,000, 100,000 or a million people, by magnitude, so homicide never reads as 0.0.
    base = choose_rate_base(counts.values())
    rates = {label: base.rate(count, people) for label, (count, people) in counts.items()}
    peers = compare_with_peers(force.name, rates, polarity=metric.polarity)
    group_name = comparison.peer_group.name if comparison.peer_group else "peer group"
    provisional = ""
    if comparison.peer_group is not None and comparison.peer_group.provisional:
        provisional = " (provisional)"
    section.peer = (
        f"By rate {base.label}, {edition.label} (ONS Tables P1 and P3), among "
        f"{group_name}{provisional}: {peers.describe()}"
    )
    for row in ranked:
        rate = rates[row.label]
        if rate is None:
            continue
        section.figures.append(
            make_figure(
                metric.slug,
                series,
                row.area,
                "ons_rate",
                (edition.period_start, edition.period_end),
                rate,
                [edition.run.id],
                per=base.per,
            )
        )
    section.run_ids.add(edition.run.id)


def _police_uk_rate_peers(
    section: MetricSection,
    metric: Metric,
    series: dict[str, Any],
    force: Area,
    period: ReportPeriod,
) -> None:
    group = queries.peer_group(force)
    assert group is not None
    forces = [force, *sorted(group.members.all(), key=lambda area: area.name)]
    held = Observation.objects.filter(
        metric=metric,
        series=series["slug"],
        period_kind=PeriodKind.ROLLING_12,
        period_end__lte=period.end.first_day,
        area__in=forces,
    )
    latest = held.filter(area=force).order_by("-period_end").first()
    if latest is None:
        section.peer = "No 12-month figure is held for this force."
        return
    rows = {o.area_id: o for o in held.filter(period_end=latest.period_end)}
    values = {area.name: (rows[area.id].value if area.id in rows else None) for area in forces}
    if sum(value is not None for value in values.values()) < 2:
        section.peer = "No peer figures are held for the same 12 months."
        return
    end = Month.from_date(latest.period_end)
    peers = compare_with_peers(force.name, values, polarity=metric.polarity)
    section.peer = (
        f"Positive outcome rate in the 12 months to {end.label} (data.police.uk), among "
        f"{group.name}{' (provisional)' if group.provisional else ''}: {peers.describe()}"
    )
    for area in forces:
        observation = rows.get(area.id)
        if observation is None:
            continue
        section.figures.append(
            make_figure(
                metric.slug,
                series,
                area,
                "rate",
                (end - 11, end),
                observation.value,
                sorted(observation.source_runs),
                numerator=observation.numerator,
                denominator=observation.denominator,
            )
        )
        section.run_ids.update(observation.source_runs)
