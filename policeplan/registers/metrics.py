"""Headline metrics counted from the registers (issue 15), through the computation registry:
a catalogue series ``{kind: register_count, counts: <register>, where: {...}, dated_by: ...}``
is computed here (``Engine.REGISTER``) into observations for the force, one per financial
year, from published entries only. Run by ``compute_metrics`` and after every approval that
changes a register (compute when data changes; pages only read)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from policeplan.analysis.due import reporting_period
from policeplan.analysis.periods import FinancialYear, Month
from policeplan.catalogue.models import Metric
from policeplan.geography.models import Area, AreaKind
from policeplan.metrics.computations import Engine
from policeplan.metrics.compute import SeriesSpec, series_computed_by
from policeplan.metrics.models import Observation, PeriodKind

from .models import MODELS


def register_series(metrics: Any) -> list[SeriesSpec]:
    return series_computed_by(Engine.REGISTER, metrics)


def _year_of(day: dt.date) -> FinancialYear:
    return FinancialYear.containing(Month.from_date(day))


def yearly_counts(spec: Any, today: dt.date) -> dict[FinancialYear, float]:
    """Financial year -> figure, from the register's published entries."""
    held = MODELS[spec.counts].objects.published()
    if not held.exists():
        return {}  # no register published yet: no figure, never a zero
    entries = held.filter(**spec.where)
    current = _year_of(today)
    if spec.dated_by is None:
        # A count of what is held now (e.g. places open to the public): this year's figure.
        counts = {current: entries.count()}
    else:
        days = [d for d in entries.values_list(spec.dated_by, flat=True) if d is not None]
        if not days:
            return {}
        counts = {}
        year = min(_year_of(d) for d in days)
        while year <= current:  # every year from the first entry: a year with none is a 0
            counts[year] = 0
            year = FinancialYear(year.start_year + 1)
        for day in days:
            if _year_of(day) <= current:
                counts[_year_of(day)] += 1
    return {year: float(min(n, 1) if spec.any else n) for year, n in counts.items()}


@transaction.atomic
def recompute_registers(*, plan_slug: str | None = None) -> tuple[int, int]:
    """Rebuild every register-count series. Returns (series, observations written)."""
    force = Area.objects.filter(kind=AreaKind.FORCE, force=settings.POLICEPLAN_FORCE).first()
    if force is None:
        return 0, 0
    metrics = Metric.objects.all()
    if plan_slug:
        metrics = metrics.filter(plan__slug=plan_slug)
    now, today = timezone.now(), timezone.localdate()
    series = register_series(metrics)
    written = 0
    for item in series:
        spec = item.parsed.spec
        figures = yearly_counts(spec, today)
        runs = sorted(
            set(MODELS[spec.counts].objects.published().values_list("import_run_id", flat=True))
        )
        existing = Observation.objects.filter(metric=item.metric, series=item.slug, area=force)
        if spec.dated_by is None:
            # Snapshot counts keep earlier years' figures as they were when computed.
            current = reporting_period(item.metric.frequency, _year_of(today).end)
            existing = existing.filter(period_end=current.end.first_day)
        existing.delete()
        rows = [_observation(item, force, y, value, runs, now) for y, value in figures.items()]
        Observation.objects.bulk_create(rows)
        written += len(rows)
    return len(series), written


def _observation(
    item: SeriesSpec, force: Area, year: FinancialYear, value: float, runs: list[int], now: Any
) -> Observation:
    period = reporting_period(item.metric.frequency, year.end)
    return Observation(
        metric=item.metric,
        series=item.slug,
        area=force,
        period_kind=PeriodKind.ROLLING_12 if period.months == 12 else PeriodKind.MONTH,
        period_start=period.start.first_day,
        period_end=period.end.first_day,
        value=value,
        import_run_id=runs[-1] if runs else None,
        source_runs=runs,
        series_hash=item.digest,
        computed_at=now,
    )
