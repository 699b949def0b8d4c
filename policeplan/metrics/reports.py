"""Read side of the metrics engine: observations turned into the analyses pages show.

Statistics come from ``policeplan.analysis``; this module only fetches observations and
passes them in, so views stay thin and templates do no arithmetic.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from policeplan.analysis.exceptions import ExceptionAssessment, assess_exception
from policeplan.analysis.freshness import Freshness, freshness, parse_allowed_lag
from policeplan.analysis.outcomes import UnusableMonth, unusable_months
from policeplan.analysis.periods import Month, month_range
from policeplan.analysis.spc import xmr_chart
from policeplan.analysis.spc_model import SpcConvention, SpcResult
from policeplan.analysis.trends import (
    Comparison,
    RateBase,
    choose_rate_base,
    financial_year_to_date_change,
    format_rate,
    rate_per_1000,
    rolling_12_month_change,
)
from policeplan.catalogue.models import Metric
from policeplan.geography.models import Area, AreaKind
from policeplan.provenance.models import ImportRun

from .computations import Engine, computation_of
from .models import Observation, PeriodKind

SMALL_NUMBER = 10  # monthly counts under this carry a caveat: small changes look large

# What loaded a file, by import source: the public sees the process, never who ran it
# (ImportRun.run_by) or where the file sat on the server (only its base name).
IMPORT_PROCESSES = {
    "police_uk": ("import_police_uk", "a data.police.uk file"),
    "ons_pfa": ("import_ons_pfa", "an ONS police force area workbook"),
}


@dataclass(frozen=True)
class FileProvenance:
    """Where a figure came from, as the public may see it."""

    run_id: int
    file_name: str
    sha256: str
    imported_at: datetime
    process: str

    @property
    def api_url(self) -> str:
        return f"/api/v1/import-runs/{self.run_id}"


def file_provenance(run: ImportRun) -> FileProvenance:
    command, what = IMPORT_PROCESSES.get(run.source, (f"the {run.source} import", "a file"))
    if run.source == "police_uk" and run.source_url:
        command, what = "fetch_police_uk", "the data.police.uk API"
    return FileProvenance(
        run_id=run.id,
        file_name=PurePath(run.source_path.replace("\\", "/")).name,
        sha256=run.sha256,
        imported_at=run.finished_at,
        process=f"{command} ({what})",
    )


def latest_file(runs: list[ImportRun]) -> FileProvenance | None:
    """The file for the latest period among ``runs`` (the last imported if periods tie)."""
    if not runs:
        return None
    latest = max(runs, key=lambda run: (run.month or date.min, run.finished_at, run.id))
    return file_provenance(latest)


@dataclass
class MonthRow:
    month: Month
    value: float | None  # None: no data published for that month (a gap)
    numerator: int | None = None
    denominator: int | None = None
    pending_share: float | None = None  # None: the file carries no pending statuses
    unusable_share: float | None = None
    spc: dict[str, Any] = field(default_factory=dict)

    @property
    def pending_text(self) -> str:
        if self.pending_share is None:
            return "Not in this file"
        return f"{100 * self.pending_share:.1f}%"

    @property
    def unusable_text(self) -> str:
        if self.unusable_share is None or self.denominator is None:
            return "Not recorded"
        count = round(self.unusable_share * self.denominator)
        return f"{100 * self.unusable_share:.1f}% ({count:,})"


@dataclass
class AreaRow:
    area: Area
    current: float | None
    previous: float | None
    change: float | None
    percent_change: float | None
    rate_per_1000: float | None = None  # the latest 12 months per 1,000 residents

    @property
    def rate_text(self) -> str:
        if self.area.population is None:
            return "No population held"
        return format_rate(self.rate_per_1000)


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
    freshness: Freshness
    breakdown: list[AreaRow] = field(default_factory=list)
    target: Any = None  # the staff.Target SPC assurance was judged against, if any

    @property
    def latest(self) -> MonthRow | None:
        present = [r for r in self.rows if r.value is not None]
        return present[-1] if present else None

    @property
    def gaps(self) -> list[Month]:
        return [r.month for r in self.rows if r.value is None]

    @property
    def spc_convention(self) -> str:
        return SpcConvention(settings.POLICEPLAN_SPC_CONVENTION).description

    @property
    def population_note(self) -> str:
        """Which residents figures the local authority rates use, and which areas have none."""
        held = [r.area for r in self.breakdown if r.area.population]
        missing = [r.area.name for r in self.breakdown if not r.area.population]
        parts = [
            f"{a.name} {a.population:,} ({a.population_year}; {a.population_source})" for a in held
        ]
        text = f"Residents: {'; '.join(parts)}." if parts else "No residents figures are held."
        if held and missing:
            text += f" No population is held for {', '.join(missing)}."
        return text

    @property
    def unusable_months(self) -> list[UnusableMonth]:
        """Months whose rate is understated because many statuses are unusable."""
        return unusable_months({r.month: (r.unusable_share, r.denominator) for r in self.rows})

    @property
    def any_pending(self) -> bool:
        return any(r.pending_share is not None for r in self.rows)

    @property
    def latest_file(self) -> FileProvenance | None:
        return latest_file(self.runs)


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


def current_month_start(at: datetime | None = None) -> date:
    """The first day of the month of ``at`` (default now), in local time."""
    return timezone.localdate(at).replace(day=1)


def reference_month(area: Area, at: datetime | None = None) -> Month | None:
    """The newest month of any figure held for ``area``'s force (public at ``at``, default
    now): what "current" means here. A period still running at ``at`` (a register count for
    the financial year to date, ending next March) is not newer data, so it is left out."""
    force = area if area.kind == AreaKind.FORCE else area.parent
    newest = (
        Observation.objects.published(at)
        .filter(area=force or area, period_end__lte=current_month_start(at))
        .aggregate(newest=Max("period_end"))
    )
    return Month.from_date(newest["newest"]) if newest["newest"] else None


def series_freshness(
    metric: Metric,
    latest: Month,
    area: Area,
    *,
    period_label: str | None = None,
    reference: Month | None = None,
    at: datetime | None = None,
) -> Freshness:
    """How current a series ending in ``latest`` is against ``reference`` (by default the
    newest month held; a report passes the last month of its period)."""
    allowed = parse_allowed_lag(settings.POLICEPLAN_STALE_AFTER_MONTHS)
    return freshness(
        latest,
        reference or reference_month(area, at),
        metric.frequency,
        allowed,
        period_label=period_label,
    )


def _monthly(
    metric: Metric,
    series: str,
    area: Area,
    until: Month | None = None,
    at: datetime | None = None,
) -> list[Observation]:
    observations = Observation.objects.published(at).filter(
        metric=metric, series=series, area=area, period_kind=PeriodKind.MONTH
    )
    if until is not None:
        observations = observations.filter(period_end__lte=until.first_day)
    return list(observations.order_by("period_end"))


def series_report(
    metric: Metric,
    series: dict[str, Any],
    area: Area,
    *,
    breakdown: bool = True,
    until: Month | None = None,
    at: datetime | None = None,
    target_on: date | None = None,
) -> SeriesReport | None:
    """Everything a metric page shows for one series and area, or None without data.

    ``until`` leaves out months after it: the figures as a report for a period ending then
    shows them. ``at`` is the moment whose published figures are read (default now), as the
    stored read side builds them for each coming embargo; ``target_on`` the day whose target
    assurance is judged against (default: the day of ``at``, else today).
    """
    observations = _monthly(metric, series["slug"], area, until, at)
    if not observations:
        return None
    by_month = {Month.from_date(o.period_end): o for o in observations}
    months = month_range(min(by_month), max(by_month))
    values = {m: (by_month[m].value if m in by_month else None) for m in months}
    if target_on is None and at is not None:
        target_on = timezone.localdate(at)
    target = force_target(metric, area, target_on)
    spc = xmr_chart(
        values,
        polarity=metric.polarity,
        target=target.spc_value if target is not None else None,
        rebase_at=rebase_months(sorted(by_month)),
        shift_length=settings.POLICEPLAN_SPC_RUN_LENGTH,
        trend_length=settings.POLICEPLAN_SPC_RUN_LENGTH,
        convention=settings.POLICEPLAN_SPC_CONVENTION,
    )
    spc_rows = {p.month: p.as_row() for p in spc.points}
    rows = [
        MonthRow(
            m,
            values[m],
            by_month[m].numerator if m in by_month else None,
            by_month[m].denominator if m in by_month else None,
            by_month[m].pending_share if m in by_month else None,
            by_month[m].unusable_share if m in by_month else None,
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
        fallback_change=last_comparable,
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
        freshness=series_freshness(metric, latest, area, reference=until, at=at),
        target=target,
    )
    if breakdown and area.kind == AreaKind.FORCE:
        report.breakdown = area_breakdown(metric, series["slug"], area, latest, at)
    return report


def force_target(metric: Metric, area: Area, on: date | None = None) -> Any:
    """The metric's target in force on ``on`` (default today: assurance looks ahead); set for
    the whole force."""
    from policeplan.staff.targets import current_target

    if area.kind != AreaKind.FORCE:
        return None
    return current_target(metric, on)


def area_breakdown(
    metric: Metric, series: str, force: Area, latest: Month, at: datetime | None = None
) -> list[AreaRow]:
    """Each local authority: the 12 months to ``latest`` against the 12 months before."""
    rows = []
    wanted = [latest.first_day, (latest - 12).first_day]
    figures = {
        (area_id, end): value
        for area_id, end, value in Observation.objects.published(at)
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
        people = float(la.population) if la.population else None
        rows.append(AreaRow(la, current, previous, change, pct, rate_per_1000(current, people)))
    return rows


@dataclass
class OfficialRow:
    period_end: Month
    value: float
    rate: float | None  # per ``OfficialReport.rate_base`` people

    @property
    def rate_text(self) -> str:
        return format_rate(self.rate)


@dataclass
class OfficialReport:
    metric: Metric
    series: dict[str, Any]
    area: Area
    rows: list[OfficialRow]
    runs: list[ImportRun]
    rate_base: RateBase
    freshness: Freshness

    @property
    def latest_file(self) -> FileProvenance | None:
        return latest_file(self.runs)

    @property
    def latest(self) -> OfficialRow:
        return self.rows[-1]


def official_report(
    metric: Metric,
    series: dict[str, Any],
    area: Area,
    *,
    until: Month | None = None,
    at: datetime | None = None,
) -> OfficialReport | None:
    """An ONS series: one 12-month figure per edition held (ending by ``until``, if given),
    with a rate by magnitude."""
    from policeplan.official.queries import populations

    editions = Observation.objects.published(at).filter(
        metric=metric, series=series["slug"], area=area, period_kind=PeriodKind.ROLLING_12
    )
    if until is not None:
        editions = editions.filter(period_end__lte=until.first_day)
    observations = list(editions.order_by("period_end"))
    if not observations:
        return None
    held = populations(area)
    figures = []
    for o in observations:
        people = held.get(Month.from_date(o.period_end).last_day)
        figures.append((o, float(people) if people is not None else None))
    base = choose_rate_base((o.value, people) for o, people in figures)
    rows = [
        OfficialRow(Month.from_date(o.period_end), o.value, base.rate(o.value, people))
        for o, people in figures
    ]
    run_ids = {o.import_run_id for o in observations}
    runs = list(ImportRun.objects.filter(id__in=run_ids).order_by("month"))
    latest = rows[-1].period_end
    label = f"the 12 months to {latest.label}"
    fresh = series_freshness(metric, latest, area, period_label=label, reference=until, at=at)
    return OfficialReport(metric, series, area, rows, runs, base, fresh)


def main_series(metric: Metric) -> dict[str, Any] | None:
    """The series shown first: the first police.uk series, else the first declared."""
    for series in metric.series:
        if computation_of(series).engine is Engine.POLICE_UK:
            return dict(series)
    return dict(metric.series[0]) if metric.series else None


def series_labels_with_figures(metric: Metric, area: Area) -> list[str]:
    """Labels of the metric's series that have figures for ``area``, in catalogue order."""
    held = set(
        Observation.objects.published()
        .filter(metric=metric, area=area)
        .values_list("series", flat=True)
        .distinct()
    )
    return [series["label"] for series in metric.series if series["slug"] in held]


def series_with_data(metric: Metric) -> set[str]:
    return set(
        Observation.objects.published()
        .filter(metric=metric)
        .values_list("series", flat=True)
        .distinct()
    )
