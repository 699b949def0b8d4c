"""Compute catalogue metrics from police.uk records into Observations.

Computations are declared in the catalogue (a metric's ``series``); this module knows the
closed set of computation kinds, never individual metrics. For each force with street data it
builds one grouped count of records (month x local authority x crime type x outcome) for the
months whose inputs changed, then every metric series is a sum over that cube. Months with no
street file held for the force are gaps: no observation is written for them.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from policeplan.analysis import outcomes as outcome_sets
from policeplan.analysis.periods import Month
from policeplan.analysis.trends import (
    Aggregate,
    Series,
    financial_year_series,
    quarterly_series,
    rolling_12_month_series,
)
from policeplan.catalogue.models import Metric
from policeplan.geography.models import Area, AreaKind
from policeplan.provenance.models import ImportRun
from policeplan.records.models import StreetRecord

from .computations import Engine, SeriesComputation, computation_of
from .models import Observation, PeriodKind

ENGINE_VERSION = 2
_WHOLE_FORCE = "\x00force"  # cube key for every record of the force, whatever its location
# (month, local authority) -> [(crime type, last outcome category, record count), ...]
Cube = dict[tuple[date, str | None], list[tuple[str, str | None, int]]]


@dataclass
class RecomputeResult:
    forces: list[str] = field(default_factory=list)
    months_recomputed: int = 0
    observations_written: int = 0
    observations_deleted: int = 0
    records_scanned: int = 0


@dataclass(frozen=True)
class SeriesSpec:
    metric: Metric
    slug: str
    computation: dict[str, Any]

    @property
    def parsed(self) -> SeriesComputation:
        return computation_of(self.computation)

    @property
    def digest(self) -> str:
        # The engine version is part of the digest: a change in what is stored (e.g. the share
        # of unusable outcome statuses) recomputes every month on the next run.
        text = json.dumps({"engine": ENGINE_VERSION, **self.computation}, sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:16]


def series_computed_by(engine: Engine, metrics: Iterable[Metric]) -> list[SeriesSpec]:
    """Every series of ``metrics`` whose computation ``engine`` computes."""
    return [
        SeriesSpec(metric, s["slug"], s["computation"])
        for metric in metrics
        for s in metric.series
        if computation_of(s).engine is engine
    ]


def police_uk_series(metrics: Iterable[Metric]) -> list[SeriesSpec]:
    return series_computed_by(Engine.POLICE_UK, metrics)


def recompute(
    *, full: bool = False, forces: list[str] | None = None, plan_slug: str | None = None
) -> RecomputeResult:
    """Bring police.uk-derived observations up to date; ``full`` recomputes every month."""
    metrics = Metric.objects.select_related("plan")
    if plan_slug:
        metrics = metrics.filter(plan__slug=plan_slug)
    specs = police_uk_series(metrics)
    result = RecomputeResult()
    held = ImportRun.objects.filter(source="police_uk", kind="street", status="current")
    all_forces = sorted(set(held.values_list("force", flat=True)))
    for force in forces or all_forces:
        with transaction.atomic():
            _recompute_force(force, specs, full, result)
        result.forces.append(force)
    return result


def _recompute_force(
    force: str, specs: list[SeriesSpec], full: bool, result: RecomputeResult
) -> None:
    force_area = Area.objects.filter(kind=AreaKind.FORCE, force=force).first()
    if force_area is None:
        return  # a force not in the geography (e.g. British Transport Police): nothing to attach
    las = {a.name: a for a in Area.objects.filter(kind=AreaKind.LOCAL_AUTHORITY, force=force)}
    areas = [force_area, *las.values()]
    runs = {
        run.month: run
        for run in ImportRun.objects.filter(
            source="police_uk", kind="street", status="current", force=force
        )
        if run.month is not None
    }
    existing: dict[tuple[int, str], dict[date, tuple[int | None, str]]] = defaultdict(dict)
    for metric_id, series, month, run_id, digest in Observation.objects.filter(
        area=force_area, period_kind=PeriodKind.MONTH
    ).values_list("metric_id", "series", "period_end", "import_run_id", "series_hash"):
        existing[(metric_id, series)][month] = (run_id, digest)
    stale: set[date] = set()
    for spec in specs:
        held = existing.get((spec.metric.id, spec.slug), {})
        for month, run in runs.items():
            if full or held.get(month) != (run.id, spec.digest):
                stale.add(month)
        stale.update(m for m in held if m not in runs)  # a month no longer held: remove it
    if not stale:
        return
    cube = _cube(force, sorted(m for m in stale if m in runs), result)
    now = timezone.now()
    deleted, _ = (
        Observation.objects.filter(
            area__in=areas, period_kind=PeriodKind.MONTH, period_end__in=stale
        )
        .filter(metric__in={s.metric for s in specs})
        .delete()
    )
    result.observations_deleted += deleted
    new_rows = []
    for spec in specs:
        for month in sorted(m for m in stale if m in runs):
            for area, la_name in [(force_area, None), *((a, n) for n, a in las.items())]:
                values = _evaluate(spec, cube, month, la_name)
                if values is None:
                    continue
                new_rows.append(
                    Observation(
                        metric=spec.metric,
                        series=spec.slug,
                        area=area,
                        period_kind=PeriodKind.MONTH,
                        period_start=month,
                        period_end=month,
                        import_run=runs[month],
                        source_runs=[runs[month].id],
                        series_hash=spec.digest,
                        computed_at=now,
                        **values,
                    )
                )
    Observation.objects.bulk_create(new_rows, batch_size=2000)
    result.observations_written += len(new_rows)
    result.months_recomputed += len(stale)
    for spec in specs:
        for area in areas:
            result.observations_written += _rebuild_derived(spec, area, now)


def _cube(force: str, months: list[date], result: RecomputeResult) -> Cube:
    cube: Cube = defaultdict(list)
    if not months:
        return cube
    rows = (
        StreetRecord.objects.filter(force=force, month__in=months)
        .values_list("month", "local_authority", "crime_type", "last_outcome_category")
        .annotate(n=Count("id"))
        .order_by()
    )
    for month, la, crime_type, outcome, n in rows:
        cells = (crime_type, outcome, n)
        cube[(month, la)].append(cells)
        cube[(month, _WHOLE_FORCE)].append(cells)
        result.records_scanned += n
    return cube


def _evaluate(
    spec: SeriesSpec, cube: Cube, month: date, la_name: str | None
) -> dict[str, Any] | None:
    """The figure for one month and area (``la_name`` None = whole force)."""
    cells = cube.get((month, _WHOLE_FORCE if la_name is None else la_name), [])
    figure = spec.parsed.evaluate(cells)
    if figure is not None and "pending_share" in figure:
        # A file with no pending status at all says nothing about pending: not 0 %.
        whole_file: dict[str, int] = defaultdict(int)
        for _, outcome, n in cube.get((month, _WHOLE_FORCE), []):
            whole_file[outcome or ""] += n
        outcome_set = outcome_sets.get_outcome_set(spec.computation.get("outcome_set", "default"))
        if not outcome_sets.carries_pending(whole_file, outcome_set):
            figure["pending_share"] = None
    return figure


def _rebuild_derived(spec: SeriesSpec, area: Area, now: Any) -> int:
    """Rebuild quarter, financial year and rolling 12-month figures from the monthly ones."""
    monthly = list(
        Observation.objects.filter(
            metric=spec.metric, series=spec.slug, area=area, period_kind=PeriodKind.MONTH
        ).values_list("period_end", "value", "numerator", "denominator", "import_run_id")
    )
    Observation.objects.filter(metric=spec.metric, series=spec.slug, area=area).exclude(
        period_kind=PeriodKind.MONTH
    ).delete()
    if not monthly:
        return 0
    is_rate = spec.parsed.is_rate
    runs = {Month.from_date(m): run for m, _, _, _, run in monthly}
    denominators: dict[Month, float | None] = {}
    numerators: dict[Month, float | None]
    if is_rate:
        numerators = {Month.from_date(m): float(num or 0) for m, _, num, _, _ in monthly}
        denominators = {Month.from_date(m): float(den or 0) for m, _, _, den, _ in monthly}
    else:
        numerators = {Month.from_date(m): v for m, v, _, _, _ in monthly}
    rows = []
    builders: list[tuple[str, Callable[[Series], list[Aggregate]]]] = [
        (PeriodKind.QUARTER, quarterly_series),
        (PeriodKind.FINANCIAL_YEAR, financial_year_series),
        (PeriodKind.ROLLING_12, rolling_12_month_series),
    ]
    for kind, build in builders:
        tops = build(numerators)
        bottoms: list[Aggregate | None] = [*build(denominators)] if is_rate else [None] * len(tops)
        for top, bottom in zip(tops, bottoms, strict=True):
            row = _derived_row(spec, area, kind, top, bottom, runs, now)
            if row is not None:
                rows.append(row)
    Observation.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def _derived_row(
    spec: SeriesSpec,
    area: Area,
    kind: str,
    top: Aggregate,
    bottom: Aggregate | None,
    runs: Mapping[Month, int | None],
    now: Any,
) -> Observation | None:
    if top.value is None:
        return None  # a period with a missing month is a gap, not a smaller total
    extra: dict[str, Any] = {"value": top.value}
    if bottom is not None:
        if not bottom.value:
            return None
        extra = {
            "value": 100 * top.value / bottom.value,
            "numerator": round(top.value),
            "denominator": round(bottom.value),
        }
    months = [top.period.start + i for i in range(top.period.end - top.period.start + 1)]
    return Observation(
        metric=spec.metric,
        series=spec.slug,
        area=area,
        period_kind=kind,
        period_start=top.period.start.first_day,
        period_end=top.period.end.first_day,
        source_runs=sorted({r for m in months if (r := runs.get(m)) is not None}),
        series_hash=spec.digest,
        computed_at=now,
        **extra,
    )
