"""Public pages. Thin: queries live in ``queries``, statistics in ``policeplan.analysis``."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.cache import cache_control

from policeplan.catalogue.models import Metric, Strategy
from policeplan.metrics.lsoa import lsoa_feature_collection, lsoa_vintages

from . import queries, staff_figures
from .metric_page import metric_context

Crumbs = list[tuple[str, str | None]]


def _plan_crumbs(plan_slug: str, plan_title: str) -> Crumbs:
    return [("Home", reverse("home")), (plan_title, reverse("plan", args=[plan_slug]))]


def home(request: HttpRequest) -> HttpResponse:
    plan = queries.get_plan()
    context = {
        "plan": plan,
        "missions": queries.missions_with_strategies(plan),
        "headline_count": plan.metrics.filter(headline=True).count(),
        "last_updated": queries.last_updated(plan),
    }
    return render(request, "publishing/home.html", context)


def plan_detail(request: HttpRequest, plan: str) -> HttpResponse:
    the_plan = queries.get_plan(plan)
    context = {
        "plan": the_plan,
        "missions": queries.missions_with_strategies(the_plan),
        "breadcrumbs": [("Home", reverse("home")), (the_plan.title, None)],
    }
    return render(request, "publishing/plan.html", context)


def mission_detail(request: HttpRequest, plan: str, slug: str) -> HttpResponse:
    the_plan = queries.get_plan(plan)
    mission = get_object_or_404(queries.missions_with_strategies(the_plan), slug=slug)
    context = {
        "plan": the_plan,
        "mission": mission,
        "breadcrumbs": _plan_crumbs(the_plan.slug, the_plan.title) + [(mission.title, None)],
    }
    return render(request, "publishing/mission.html", context)


def strategy_detail(request: HttpRequest, plan: str, slug: str) -> HttpResponse:
    the_plan = queries.get_plan(plan)
    strategy = get_object_or_404(
        Strategy.objects.select_related("mission"), mission__plan=the_plan, slug=slug
    )
    mission = strategy.mission
    context = {
        "plan": the_plan,
        "strategy": strategy,
        "metrics": queries.with_figures(strategy.metrics.order_by("order")),
        "breadcrumbs": _plan_crumbs(the_plan.slug, the_plan.title)
        + [(mission.title, mission.get_absolute_url()), (strategy.title, None)],
    }
    return render(request, "publishing/strategy.html", context)


def metric_detail(request: HttpRequest, plan: str, slug: str) -> HttpResponse:
    the_plan = queries.get_plan(plan)
    metric = get_object_or_404(
        Metric.objects.select_related("strategy__mission"), plan=the_plan, slug=slug
    )
    strategy = metric.strategy
    context = {
        **metric_context(metric, request.GET.get("area", "")),
        **staff_figures.metric_extras(metric),
        "plan": the_plan,
        "metric": metric,
        "status": queries.metric_status(metric),
        "breadcrumbs": _plan_crumbs(the_plan.slug, the_plan.title)
        + [
            (strategy.mission.title, strategy.mission.get_absolute_url()),
            (strategy.title, strategy.get_absolute_url()),
            (metric.name, None),
        ],
    }
    return render(request, "publishing/metric.html", context)


def performance_framework(request: HttpRequest, plan: str | None = None) -> HttpResponse:
    the_plan = queries.get_plan(plan)
    missions = list(the_plan.missions.all())
    sources = queries.source_options(the_plan)
    # Unknown filter values are ignored rather than erroring: the form only offers known ones.
    chosen = queries.FrameworkFilter(
        mission=_allowed(request.GET.get("mission", ""), {m.slug for m in missions}),
        source=_allowed(request.GET.get("source", ""), {value for value, _ in sources}),
    )
    context = {
        "plan": the_plan,
        "metrics": queries.framework_metrics(the_plan, chosen),
        "missions": missions,
        "sources": sources,
        "chosen": chosen,
        "breadcrumbs": _plan_crumbs(the_plan.slug, the_plan.title)
        + [("Performance framework", None)],
    }
    return render(request, "publishing/performance_framework.html", context)


def _allowed(value: str, allowed: set[str]) -> str:
    return value if value in allowed else ""


def compare_plans(request: HttpRequest) -> HttpResponse:
    context = {
        "plans": queries.plans_for_comparison(),
        "breadcrumbs": [("Home", reverse("home")), ("Compare plans", None)],
    }
    return render(request, "publishing/compare_plans.html", context)


def about(request: HttpRequest) -> HttpResponse:
    context = {"breadcrumbs": [("Home", reverse("home")), ("About the data", None)]}
    return render(request, "publishing/about.html", context)


@cache_control(public=True, max_age=86400)
def lsoa_geojson(request: HttpRequest, force: str) -> JsonResponse:
    """A force's LSOA polygons of one vintage (?vintage=2011 or 2021; default the newest held),
    for maps (cached by browsers for a day)."""
    held = lsoa_vintages(force)
    vintage = request.GET.get("vintage") or (held[-1] if held else "")
    if vintage not in held:
        raise Http404("No boundaries of that vintage are held for that force")
    collection = lsoa_feature_collection(force, vintage)
    if not collection["features"]:
        raise Http404("No boundaries are held for that force")
    return JsonResponse(collection, content_type="application/geo+json")


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)
