"""Public pages across the whole plan: exceptions, national measures, data coverage."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from policeplan.geography.models import Area
from policeplan.ingest.coverage import coverage
from policeplan.metrics import performance

from . import queries
from .metric_page import force_area


def _force_or_404() -> Area:
    area = force_area()
    if area is None:
        raise Http404("The configured force has no area: run load_geography")
    return area


def exceptions_page(request: HttpRequest) -> HttpResponse:
    plan = queries.get_plan()
    area = _force_or_404()
    overview = performance.exceptions(plan, area)
    context = {
        "plan": plan,
        "area": area,
        "flagged": overview.flagged,
        "clear": overview.clear,
        "out_of_date": overview.out_of_date,
        "coverage": overview.coverage,
        "threshold": settings.POLICEPLAN_EXCEPTION_CHANGE_THRESHOLD,
        "breadcrumbs": [("Home", reverse("home")), ("Exceptions", None)],
    }
    return render(request, "publishing/exceptions.html", context)


def national_measures_page(request: HttpRequest) -> HttpResponse:
    plan = queries.get_plan()
    area = _force_or_404()
    context = {
        "plan": plan,
        "area": area,
        "measures": performance.national_measures(plan, area),
        "breadcrumbs": [("Home", reverse("home")), ("National Crime and Policing Measures", None)],
    }
    return render(request, "publishing/national_measures.html", context)


def coverage_page(request: HttpRequest) -> HttpResponse:
    context = {
        "coverage": coverage(),
        "breadcrumbs": [("Home", reverse("home")), ("Data coverage", None)],
    }
    return render(request, "publishing/coverage.html", context)
