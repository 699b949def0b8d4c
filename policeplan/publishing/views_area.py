"""Public pages: my area (local authority or force) and site search."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from policeplan.geography.models import Area, AreaKind

from . import area_page, queries
from .metric_page import area_choices, force_area


def my_area(request: HttpRequest) -> HttpResponse:
    force = force_area()
    if force is None:
        raise Http404("The configured force has no area: run load_geography")
    chosen = request.GET.get("area", "")
    if chosen:
        for area in area_choices(force):
            if area.slug == chosen:
                return redirect("area", slug=area.slug)
    context = {
        "areas": area_choices(force),
        "error": "Select a local authority from the list" if chosen else "",
        "breadcrumbs": [("Home", reverse("home")), ("Your area", None)],
    }
    return render(request, "publishing/my_area.html", context)


def area_detail(request: HttpRequest, slug: str) -> HttpResponse:
    area = Area.objects.filter(
        slug=slug,
        kind__in=[AreaKind.FORCE, AreaKind.LOCAL_AUTHORITY],
        force=settings.POLICEPLAN_FORCE,
    ).first()
    if area is None:
        raise Http404("No such area")
    plan = queries.get_plan()
    context = {
        "area": area,
        "plan": plan,
        "metrics": area_page.area_metrics(plan, area),
        "deprivation": area_page.deprivation(area),
        "breadcrumbs": [
            ("Home", reverse("home")),
            ("Your area", reverse("my-area")),
            (area.name, None),
        ],
    }
    return render(request, "publishing/area.html", context)


def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    plan = queries.get_plan()
    results = area_page.search(plan, query, settings.POLICEPLAN_FORCE) if query else {}
    context = {
        "query": query,
        "results": results,
        "count": sum(len(v) for v in results.values()),
        "breadcrumbs": [("Home", reverse("home")), ("Search", None)],
    }
    return render(request, "publishing/search.html", context)
