"""What the public metric page shows of staff-entered figures, commentary and corrections:
only what is published now (approved and past its embargo), never a draft."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import timezone

from policeplan.analysis.periods import Month
from policeplan.catalogue.models import Metric
from policeplan.metrics.models import Observation, PeriodKind


@dataclass(frozen=True)
class PublishedFigure:
    period: str
    area: str
    value: str
    numerator: int | None
    denominator: int | None
    note: str
    published: datetime


def figure_text(value: float | None, unit: str) -> str:
    """75.5 -> "75.5", 1234.0 -> "1,234", with "%" for a percentage."""
    if value is None:
        return ""
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return text + ("%" if unit == "percent" else "")


def period_text(kind: str, start: Any, end: Any) -> str:
    last = Month.from_date(end)
    if kind == PeriodKind.MONTH:
        return last.label
    return f"{Month.from_date(start).short_label} to {last.short_label}"


def published_figures(metric: Metric, at: datetime | None = None) -> list[PublishedFigure]:
    """Staff-entered figures of ``metric`` public at ``at``, newest period first."""
    at = at or timezone.now()
    rows = (
        Observation.objects.published(at)
        .filter(metric=metric, submission__isnull=False)
        .select_related("area")
        .order_by("-period_end", "area__name")
    )
    return [
        PublishedFigure(
            period_text(o.period_kind, o.period_start, o.period_end),
            o.area.name,
            figure_text(o.value, metric.unit),
            o.numerator,
            o.denominator,
            o.note,
            o.published_from or at,
        )  # fmt: skip
        for o in rows
    ]


def metric_extras(metric: Metric, at: datetime | None = None) -> dict[str, Any]:
    """Context for the metric page: published staff figures, commentary and corrections."""
    from policeplan.staff.models import Commentary, Correction

    at = at or timezone.now()
    return {
        "staff_figures": published_figures(metric, at),
        "commentary": list(Commentary.objects.published(at).filter(metric=metric)[:4]),
        "corrections": list(Correction.objects.filter(metric=metric, withdrawn_at__lte=at)),
    }
