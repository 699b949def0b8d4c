"""Observations for metric series declared as ONS police force area table cells.

Each ONS edition gives one 12-month figure per area, so these series are rolling 12-month
observations (one per edition), never monthly; they are never mixed with police.uk series.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from policeplan.catalogue.models import Metric
from policeplan.official.models import OfficialObservation
from policeplan.official.queries import current_observations

from .computations import Engine
from .compute import SeriesSpec, series_computed_by
from .models import Observation, PeriodKind


def official_series(metrics: Any) -> list[SeriesSpec]:
    return series_computed_by(Engine.ONS_PFA, metrics)


def _first_of_month(day: date) -> date:
    return day.replace(day=1)


@transaction.atomic
def recompute_official(*, full: bool = False, plan_slug: str | None = None) -> tuple[int, int]:
    """Rebuild each ONS series whose inputs (editions held) or definition changed.

    Returns (series rebuilt, observations written).
    """
    metrics = Metric.objects.all()
    if plan_slug:
        metrics = metrics.filter(plan__slug=plan_slug)
    rebuilt = written = 0
    now = timezone.now()
    for spec in official_series(metrics):
        cell = spec.parsed.spec
        sources = list(
            current_observations()
            .filter(
                table=cell.table,
                measure=cell.offence_group,
                unit="count",
                value__isnull=False,
            )
            .select_related("import_run")
        )
        existing = Observation.objects.filter(metric=spec.metric, series=spec.slug)
        held = set(existing.values_list("import_run_id", "series_hash"))
        wanted = {(o.import_run_id, spec.digest) for o in sources}
        if not full and held == wanted:
            continue
        existing.delete()
        Observation.objects.bulk_create(_observation(spec, o, now) for o in sources)
        rebuilt += 1
        written += len(sources)
    return rebuilt, written


def _observation(spec: SeriesSpec, source: OfficialObservation, now: Any) -> Observation:
    return Observation(
        metric=spec.metric,
        series=spec.slug,
        area_id=source.area_id,
        period_kind=PeriodKind.ROLLING_12,
        period_start=source.period_start,
        period_end=_first_of_month(source.period_end),
        value=float(source.value or 0),
        import_run_id=source.import_run_id,
        source_runs=[source.import_run_id],
        series_hash=spec.digest,
        computed_at=now,
    )
