"""Assemble the metric page: series reports, chart specs, area choices (no statistics here)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse

from policeplan.analysis.freshness import Freshness
from policeplan.catalogue.models import Metric
from policeplan.geography.models import Area, AreaKind
from policeplan.metrics import readside, reports
from policeplan.metrics.computations import Engine, computation_of
from policeplan.metrics.lsoa import lsoa_map

from . import charts

VARIATION_TAGS = {
    "common_cause": ("Common cause variation", "grey", "common-cause"),
    "improvement_high": ("Special cause: improvement (high)", "blue", "improvement"),
    "improvement_low": ("Special cause: improvement (low)", "blue", "improvement"),
    "concern_high": ("Special cause: concern (high)", "orange", "concern"),
    "concern_low": ("Special cause: concern (low)", "orange", "concern"),
    "neither_high": ("Special cause: unusually high", "purple", "no-judgement"),
    "neither_low": ("Special cause: unusually low", "purple", "no-judgement"),
    "none": ("No limits yet", "grey", "no-judgement"),
}
ASSURANCE_TAGS = {
    "consistently_pass": ("Consistently meets target", "green", "assured"),
    "consistently_fail": ("Consistently fails target", "red", "not-assured"),
    "hit_and_miss": ("Hit and miss against target", "yellow", "hit-and-miss"),
    "none": ("No target set", "grey", "no-judgement"),
}


def force_area(force: str | None = None) -> Area | None:
    return Area.objects.filter(
        kind=AreaKind.FORCE, force=force or settings.POLICEPLAN_FORCE
    ).first()


def area_choices(force: Area) -> list[Area]:
    return [
        force,
        *Area.objects.filter(parent=force, kind=AreaKind.LOCAL_AUTHORITY).order_by("name"),
    ]


def chosen_area(force: Area, slug: str) -> Area:
    """The area asked for in the query string, if it is the force or one of its areas."""
    for area in area_choices(force):
        if area.slug == slug:
            return area
    return force


def metric_context(metric: Metric, area_slug: str = "") -> dict[str, Any]:
    force = force_area()
    if force is None or not metric.series:
        return {"reports": [], "areas": [], "area": None}
    area = chosen_area(force, area_slug)
    series_reports: list[dict[str, Any]] = []
    official_reports: list[reports.OfficialReport] = []
    for number, series in enumerate(metric.series, start=1):
        if computation_of(series).engine is Engine.ONS_PFA:
            official = readside.official_report(metric, dict(series), area)
            if official is not None:
                official_reports.append(official)
            continue
        report = readside.series_report(metric, dict(series), area)
        if report is None:
            continue
        spec = series_chart(report)
        series_reports.append(
            {
                "report": report,
                "chart_id": f"chart-{number}-spec",
                "spec": spec,
                "variation": VARIATION_TAGS[report.spc.variation.icon.value],
                "assurance": ASSURANCE_TAGS[report.spc.assurance.icon.value],
                "summary": text_summary(report),
                "breakdown_spec": _breakdown_spec(report, number),
                "downloads": data_links(metric, series["slug"], area, "month"),
            }
        )
    context: dict[str, Any] = {
        "reports": series_reports,
        "official_reports": official_reports,
        "areas": area_choices(force),
        "area": area,
        "force": force,
    }
    shown: list[Freshness] = [item["report"].freshness for item in series_reports]
    shown += [official.freshness for official in official_reports]
    context["all_out_of_date"] = bool(shown) and all(f.out_of_date for f in shown)
    if area != force and not series_reports and not official_reports:
        # The series exist only for the force as a whole (e.g. ONS police force area tables).
        context["force_only_series"] = reports.series_labels_with_figures(metric, force)
    main = reports.main_series(metric)
    mapped = computation_of(main).lsoa_crime_types() if main else None
    if mapped and area == force:
        lsoa = lsoa_map(force.force, mapped)
        if lsoa is not None and lsoa.rows:
            context["lsoa"] = lsoa
            context["lsoa_spec"] = charts.choropleth(
                f"{reverse('lsoa-geojson', args=[force.force])}?vintage={lsoa.vintage}",
                [{"code": r["code"], "value": r["value"]} for r in lsoa.rows],
                title=f"{metric.name} by LSOA ({lsoa.vintage} boundaries), latest 12 months held",
                value_title="Crimes",
            )
    return context


def series_chart(report: reports.SeriesReport) -> dict[str, Any]:
    """The SPC chart of a series, as the metric page and the Board and Panel reports draw it."""
    unit = "positive outcome rate, %" if report.is_rate else "count"
    return charts.spc_chart(
        report.spc.chart_rows(),
        title=f"{report.metric.name}, {report.area.name}, by month",
        y_title=f"{report.metric.name} ({unit})",
    )


def data_links(metric: Metric, series: str, area: Area, period_kind: str) -> dict[str, str]:
    """Links to the same figures in the open-data API, as CSV and JSON."""
    query = urlencode(
        {
            "plan": metric.plan.slug,
            "metric": metric.slug,
            "series": series,
            "area": area.slug,
            "period_kind": period_kind,
            "limit": 1000,
        }
    )
    base = "/api/v1/observations"
    return {"csv": f"{base}?{query}&format=csv", "json": f"{base}?{query}"}


def _breakdown_spec(report: reports.SeriesReport, number: int) -> dict[str, Any] | None:
    rows = [
        {"area": r.area.name, "value": r.current} for r in report.breakdown if r.current is not None
    ]
    if not rows:
        return None
    return {
        "id": f"chart-{number}-areas",
        "spec": charts.bar_chart(
            rows,
            title="12 months to the latest month, by local authority",
            category="area",
            value="value",
            value_title=report.metric.name,
        ),
    }


def text_summary(report: reports.SeriesReport) -> str:
    """A plain-English sentence beside each chart (charts are never the only way in)."""
    latest = report.latest
    if latest is None or latest.value is None:
        return "There is no data for this measure yet."
    unit = "%" if report.is_rate else ""
    value = f"{latest.value:,.1f}{unit}" if report.is_rate else f"{latest.value:,.0f}"
    parts = [f"In {latest.month.label} the figure for {report.area.name} was {value}."]
    parts.append(report.spc.variation.explanation)
    if report.rolling is not None:
        parts.append(report.rolling.describe())
    return " ".join(parts)
