"""Plans, their missions and strategies, and metrics with their definitions and series."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from ninja import Query, Router

from policeplan.catalogue.models import Metric, Mission, Plan, Strategy
from policeplan.metrics.reports import series_with_data

from . import lookups
from .openapi import extra
from .responses import json_response, list_response
from .schemas import MetricDetail, MetricPage, MetricQuery, PlanDetail, PlanPage, PlanQuery

router = Router(tags=["Plans and metrics"])


def plan_row(request: HttpRequest, plan: Plan) -> dict[str, Any]:
    fields = [
        "slug", "title", "force", "area_name", "commissioner", "period_start", "period_end",
        "status", "partial", "source_document", "content_sha256", "loaded_at",
    ]  # fmt: skip
    row = {name: getattr(plan, name) for name in fields}
    row["url"] = request.build_absolute_uri(f"/api/v1/plans/{plan.slug}")
    return row


def metric_row(request: HttpRequest, metric: Metric) -> dict[str, Any]:
    fields = [
        "slug", "name", "framework_priority", "headline", "source_kind", "source_label",
        "unit", "polarity", "frequency",
    ]  # fmt: skip
    row = {name: getattr(metric, name) for name in fields}
    row.update(
        plan=metric.plan.slug,
        mission=metric.strategy.mission.slug,
        strategy=metric.strategy.slug,
        series=[series["slug"] for series in metric.series],
        url=request.build_absolute_uri(f"/api/v1/metrics/{metric.slug}?plan={metric.plan.slug}"),
    )
    return row


@router.get("/plans", response=PlanPage, summary="Published plans", openapi_extra=extra("csv"))
def list_plans(request: HttpRequest, query: Query[PlanQuery]) -> HttpResponse:
    plans = lookups.published_plans()
    if query.status:
        plans = plans.filter(status=query.status)
    return list_response(
        request, query, page_schema=PlanPage, rows=plans, to_row=plan_row,
        filename="plans.csv", last_modified=lookups.plans_modified(),
    )  # fmt: skip


@router.get(
    "/plans/{slug}",
    response=PlanDetail,
    summary="A plan with its missions and strategies",
    openapi_extra=extra(),
)
def plan_detail(request: HttpRequest, slug: str) -> HttpResponse:
    plan = lookups.resolve_plan(slug)
    missions = plan.missions.order_by("order").prefetch_related(
        Prefetch("strategies", queryset=Strategy.objects.order_by("order")),
        Prefetch("strategies__metrics", queryset=Metric.objects.order_by("order")),
    )
    payload = plan_row(request, plan) | {
        "vision": plan.vision,
        "force_strategic_priorities": plan.force_strategic_priorities,
        "commitments": plan.commitments,
        "missions": [_mission(mission) for mission in missions],
    }
    return json_response(request, PlanDetail, payload, plan.loaded_at)


def _mission(mission: Mission) -> dict[str, Any]:
    return {
        "slug": mission.slug,
        "title": mission.title,
        "summary": mission.summary,
        "strategies": [
            {
                "slug": strategy.slug,
                "title": strategy.title,
                "aims": strategy.aims,
                "deliverables": strategy.deliverables,
                "indicators": strategy.indicators,
                "note": strategy.note,
                "metrics": [metric.slug for metric in strategy.metrics.all()],
            }
            for strategy in mission.strategies.all()
        ],
    }


@router.get(
    "/metrics",
    response=MetricPage,
    summary="Metrics of published plans",
    openapi_extra=extra("csv"),
)
def list_metrics(request: HttpRequest, query: Query[MetricQuery]) -> HttpResponse:
    metrics = lookups.published_metrics().select_related("plan", "strategy__mission")
    if query.plan:
        metrics = metrics.filter(plan=lookups.resolve_plan(query.plan))
    if query.headline is not None:
        metrics = metrics.filter(headline=query.headline)
    metrics = metrics.order_by("-plan__period_start", "order")
    return list_response(
        request, query, page_schema=MetricPage, rows=metrics, to_row=metric_row,
        filename="metrics.csv", last_modified=lookups.plans_modified(),
    )  # fmt: skip


@router.get(
    "/metrics/{slug}",
    response=MetricDetail,
    summary="A metric: definition, source, polarity and series",
    openapi_extra=extra(),
)
def metric_detail(request: HttpRequest, slug: str, plan: str | None = None) -> HttpResponse:
    the_plan = lookups.resolve_plan(plan)
    metric = lookups.resolve_metric(the_plan, slug)
    row = metric_row(request, metric)
    payload = row | {
        "definition": metric.definition,
        "polarity_label": metric.polarity_label,
        "source_kind_label": metric.source_kind_label,
        "awaiting_data_note": metric.awaiting_data_note,
        "series": metric.series,
        "series_with_data": sorted(series_with_data(metric)),
        "observations_url": request.build_absolute_uri(
            f"/api/v1/observations?plan={the_plan.slug}&metric={metric.slug}"
        ),
        "page_url": request.build_absolute_uri(metric.get_absolute_url()),
    }
    modified = lookups.latest(lookups.plans_modified(), lookups.observations_modified())
    return json_response(request, MetricDetail, payload, modified)
