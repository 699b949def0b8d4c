"""Read side of the metrics engine: observations turned into the analyses pages show.

Statistics come from ``policeplan.analysis``; this module only fetches observations and
passes them in, so views stay thin and templates do no arithmetic.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

from policeplan.analysis.exceptions import ExceptionAssessment, assess_exception
from policeplan.analysis.periods import Month, month_range
from policeplan.analysis.spc import xmr_chart
from policeplan.analysis.spc_model import SpcResult
from policeplan.analysis.trends import (
    Comparison,
    financial_year_to_date_change,
    rate_per_1000,
    rolling_12_month_change,
)
from policeplan.catalogue.models import Metric
from policeplan.geography.models import Area, AreaKind
from policeplan.provenance.models import ImportRun

from .computations import Engine, computation_of
from .models import Observation, PeriodKind

SMALL_NUMBER = 10  # monthly counts under this carry a caveat: small changes look large


@dataclass
class MonthRow:
    month: Month
    value: float | None  # None: no data published for that month (a gap)
    numerator: int | None = None
    denominator: int | None = None
    pending_share: float | None = None
    spc: dict[str, Any] = field(default_factory=dict)


@dataclass
class AreaRow:
    area: Area
    current: float | None
    previous: float | None
    change: float | None
    percent_change: float | None


@dataclass
class SeriesReport:
    metric: Metric
    series: dict[str, Any]
    area: Area
    rows: list[MonthRow]
    spc: SpcResult
    rolling: Comparison | None
    fytd: Comparison | None
    # The latest month whose 12-month comparison can be made, when the latest month's cannot.
    last_comparable: Comparison | None
    exception: ExceptionAssessment
    runs: list[ImportRun]
    is_rate: bool
    small_numbers: bool
    breakdown: list[AreaRow] = field(default_factory=list)
    target: Any = None  # the staff.Target SPC assurance was judged against, if any

    @property
    def latest(self) -> MonthRow | None:
        present = [r for r in self.rows if r.value is not None]
        return present[-1] if present else None

    @property
    def gaps(self) -> list[Month]:
        return [r.month for r in self.rows if r.value is None]


def rebase_months(present: list[Month]) -> list[Month]:
    """Configured rebase months plus the first month after any long gap in the data.

    After a gap of ``POLICEPLAN_SPC_REBASE_AFTER_GAP`` months or more the process may have
    changed (recording practice, boundaries), so limits are recalculated from there.
    """
    configured = [Month.parse(m) for m in settings.POLICEPLAN_SPC_REBASE]
    threshold = settings.POLICEPLAN_SPC_REBASE_AFTER_GAP
    after_gaps = [b for a, b in zip(present, present[1:], strict=False) if b - a > threshold]
    first = present[0] if present else None
    return sorted({m for m in [*configured, *after_gaps] if first is not None and m > first})


def _monthly(metric: Metric, series: str, area: Area) -> list[Observation]:
    return list(
        Observation.objects.published()
        .filter(metric=metric, series=series, area=area, period_kind=PeriodKind.MONTH)
        .order_by("period_end")
    )


def series_report(
    metric: Metric, series: dict[str, Any], area: Area, *, breakdown: bool = True
) -> SeriesReport | None:
    """Everything a metric page shows for one series and area, or None without data."""
    observations = _monthly(metric, series["slug"], area)
    if not observations:
        return None
    by_month = {Month.from_date(o.period_end): o for o in observations}
    months = month_range(min(by_month), max(by_month))
    values = {m: (by_month[m].value if m in by_month else None) for m in months}
    target = force_target(metric, area)
    spc = xmr_chart(
        values,
        polarity=metric.polarity,
        target=target.spc_value if target is not None else None,
        rebase_at=rebase_months(sorted(by_month)),
        shift_length=settings.POLICEPLAN_SPC_RUN_LENGTH,
        trend_length=settings.POLICEPLAN_SPC_RUN_LENGTH,
    )
    spc_rows = {p.month: p.as_row() for p in spc.points}
    rows = [
        MonthRow(
            m,
            values[m],
            by_month[m].numerator if m in by_month else None,
            by_month[m].denominator if m in by_month else None,
            by_month[m].pending_share if m in by_month else None,
            spc_rows.get(m, {}),
        )
        for m in months
    ]
    is_rate = computation_of(series).is_rate
    latest = max(by_month)
    rolling = None if is_rate else rolling_12_month_change(values, latest)
    fytd = None if is_rate else financial_year_to_date_change(values, latest)
    last_comparable = None
    if rolling is not None and rolling.percent_change is None:
        for month in reversed(sorted(by_month)):
            candidate = rolling_12_month_change(values, month)
            if candidate.percent_change is not None:
                last_comparable = candidate
                break
    threshold = settings.POLICEPLAN_EXCEPTION_CHANGE_THRESHOLD
    exception = assess_exception(
        polarity=metric.polarity,
        spc=spc,
        twelve_month_change=rolling,
        percent_change_threshold=None if is_rate else threshold,
    )
    run_ids = {o.import_run_id for o in observations if o.import_run_id}
    report = SeriesReport(
        metric=metric,
        series=series,
        area=area,
        rows=rows,
        spc=spc,
        rolling=rolling,
        fytd=fytd,
        last_comparable=last_comparable,
        exception=exception,
        runs=list(ImportRun.objects.filter(id__in=run_ids).order_by("month")),
        is_rate=is_rate,
        small_numbers=not is_rate and any(o.value < SMALL_NUMBER for o in observations),
        target=target,
    )
    if breakdown and area.kind == AreaKind.FORCE:
        report.breakdown = area_breakdown(metric, series["slug"], area, latest)
    return report


def force_target(metric: Metric, area: Area) -> Any:
    """The metric's target in force today (assurance looks ahead); set for the whole force."""
    from policeplan.staff.targets import current_target

    if area.kind != AreaKind.FORCE:
        return None
    return current_target(metric)


def area_breakdown(metric: Metric, series: str, force: Area, latest: Month) -> list[AreaRow]:
    """Each local authority: the 12 months to ``latest`` against the 12 months before."""
    rows = []
    wanted = [latest.first_day, (latest - 12).first_day]
    figures = {
        (area_id, end): value
        for area_id, end, value in Observation.objects.published()
        .filter(
            metric=metric,
            series=series,
            period_kind=PeriodKind.ROLLING_12,
            area__parent=force,
            period_end__in=wanted,
        )
        .values_list("area_id", "period_end", "value")
    }
    for la in Area.objects.filter(parent=force, kind=AreaKind.LOCAL_AUTHORITY).order_by("name"):
        current, previous = figures.get((la.id, wanted[0])), figures.get((la.id, wanted[1]))
        change = pct = None
        if current is not None and previous is not None:
            change = current - previous
            pct = 100 * change / previous if previous else None
        rows.append(AreaRow(la, current, previous, change, pct))
    return rows


@dataclass
class OfficialRow:
    period_end: Month
    value: float
    rate_per_1000: float | None


@dataclass
class OfficialReport:
    metric: Metric
    series: dict[str, Any]
    area: Area
    rows: list[OfficialRow]
    runs: list[ImportRun]


def official_report(metric: Metric, series: dict[str, Any], area: Area) -> OfficialReport | None:
    """An ONS series: one 12-month figure per edition held, with the rate per 1,000."""
    from policeplan.official.queries import population

    observations = list(
        Observation.objects.published()
        .filter(metric=metric, series=series["slug"], area=area, period_kind=PeriodKind.ROLLING_12)
        .order_by("period_end")
    )
    if not observations:
        return None
    rows = []
    for o in observations:
        people = population(area, o.period_end)
        rate = rate_per_1000(o.value, float(people)) if people is not None else None
        rows.append(OfficialRow(Month.from_date(o.period_end), o.value, rate))
    run_ids = {o.import_run_id for o in observations}
    runs = list(ImportRun.objects.filter(id__in=run_ids).order_by("month"))
    return OfficialReport(metric, series, area, rows, runs)


def main_series(metric: Metric) -> dict[str, Any] | None:
    """The series shown first: the first police.uk series, else the first declared."""
    for series in metric.series:
        if computation_of(series).engine is Engine.POLICE_UK:
            return dict(series)
    return dict(metric.series[0]) if metric.series else None


def series_with_data(metric: Metric) -> set[str]:
    return set(
        Observation.objects.published()
        .filter(metric=metric)
        .values_list("series", flat=True)
        .distinct()
    )
