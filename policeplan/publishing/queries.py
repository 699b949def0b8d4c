"""Read-side queries for the public pages, kept out of the views."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Exists, Max, OuterRef, Prefetch, QuerySet
from django.http import Http404

from policeplan.catalogue.models import Metric, Mission, Plan, Strategy
from policeplan.catalogue.schema import SOURCE_KIND_LABELS
from policeplan.metrics.models import Observation
from policeplan.provenance.models import ImportRun


def get_plan(slug: str | None = None) -> Plan:
    """The plan with ``slug`` (default: the configured current plan), or 404."""
    plan = Plan.objects.filter(slug=slug or settings.POLICEPLAN_CURRENT_PLAN).first()
    if plan is None:
        raise Http404("No such plan")
    return plan


def missions_with_strategies(plan: Plan) -> QuerySet[Mission]:
    return plan.missions.prefetch_related(
        Prefetch("strategies", queryset=Strategy.objects.order_by("order"))
    )


@dataclass(frozen=True)
class FrameworkFilter:
    mission: str = ""
    source: str = ""

    @property
    def active(self) -> bool:
        return bool(self.mission or self.source)


def with_figures(metrics: QuerySet[Metric]) -> QuerySet[Metric]:
    """Annotate ``has_figures``: whether any figure is held, so pages never imply data exists."""
    published = Observation.objects.published().filter(metric=OuterRef("pk"))
    return metrics.annotate(has_figures=Exists(published))


def framework_metrics(plan: Plan, chosen: FrameworkFilter) -> QuerySet[Metric]:
    """The plan's headline metrics in table order, filtered by mission and source kind."""
    metrics = plan.metrics.filter(headline=True).select_related("strategy__mission")
    if chosen.mission:
        metrics = metrics.filter(strategy__mission__slug=chosen.mission)
    if chosen.source:
        metrics = metrics.filter(source_kind=chosen.source)
    return with_figures(metrics).order_by("order")


def source_options(plan: Plan) -> list[tuple[str, str]]:
    kinds = plan.metrics.filter(headline=True).values_list("source_kind", flat=True).distinct()
    return [(k.value, label) for k, label in SOURCE_KIND_LABELS.items() if k.value in set(kinds)]


def metric_status(metric: Metric) -> str:
    """The public status of a metric's figures: published, or awaiting data."""
    has_data = Observation.objects.published().filter(metric=metric).exists()
    return "Figures published" if has_data else "Awaiting data"


def last_updated(plan: Plan) -> datetime:
    """When the published figures last changed: the latest import, or the plan's last load."""
    latest_import = ImportRun.objects.aggregate(latest=Max("finished_at"))["latest"]
    return max(filter(None, [plan.loaded_at, latest_import]))


def plans_for_comparison() -> list[Plan]:
    """Plans oldest first, each with ``metric_counts``: headline and supplementary metrics."""
    plans = list(Plan.objects.order_by("period_start").prefetch_related("missions", "metrics"))
    for plan in plans:
        headline = sum(1 for metric in plan.metrics.all() if metric.headline)
        plan.metric_counts = {  # type: ignore[attr-defined]
            "headline": headline,
            "supplementary": len(plan.metrics.all()) - headline,
        }
    return plans
