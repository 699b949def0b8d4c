"""Public pages for official statistics (ONS Police Force Area data tables).

Thin: queries live in ``policeplan.official.queries``, statistics in ``policeplan.analysis``.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from policeplan.official import queries


def official_statistics(request: HttpRequest) -> HttpResponse:
    held = queries.editions()
    context = {
        "groups": queries.offence_groups(),
        "editions": list(reversed(held)),
        "force": queries.force_by_id(settings.POLICEPLAN_FORCE),
        "breadcrumbs": [("Home", reverse("home")), ("Official statistics", None)],
    }
    return render(request, "publishing/official/index.html", context)


def official_offence_group(request: HttpRequest, slug: str) -> HttpResponse:
    group = queries.offence_group(slug)
    if group is None:
        raise Http404("No such offence group")
    force_id = request.GET.get("force") or settings.POLICEPLAN_FORCE
    force = queries.force_by_id(force_id)
    if force is None:
        raise Http404("No such police force")
    held = queries.editions()
    edition = queries.edition_for(request.GET.get("period") or None, held)
    if edition is None:
        raise Http404("No edition held for that period")
    trend = queries.force_trend(group, force, held)
    context = {
        "group": group,
        "force": force,
        "edition": edition,
        "editions": list(reversed(held)),
        "forces": queries.forces(),
        "comparison": queries.compare_force(group, force, edition),
        "trend": trend,
        "trend_markers": queries.markers_in(point.count for point in trend),
        "breadcrumbs": [
            ("Home", reverse("home")),
            ("Official statistics", reverse("official-statistics")),
            (group.name, None),
        ],
    }
    return render(request, "publishing/official/offence_group.html", context)
