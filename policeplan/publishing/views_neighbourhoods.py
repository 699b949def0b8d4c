"""Public pages for neighbourhood policing teams (from the data.police.uk API).

Everything the API gives as HTML is shown as plain text (see ``policeplan.neighbourhoods.text``).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models.functions import Lower
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from policeplan.geography.models import Area, AreaKind
from policeplan.neighbourhoods.importer import KIND, SOURCE
from policeplan.neighbourhoods.models import Neighbourhood
from policeplan.neighbourhoods.text import (
    contact_details,
    group_by_initial,
    plain_text,
    web_link,
)
from policeplan.provenance.models import ImportRun

MAX_QUERY_LENGTH = 100


def neighbourhoods_index(request: HttpRequest) -> HttpResponse:
    """The force's neighbourhoods A to Z, filtered by a name search (``?q=``)."""
    force = settings.POLICEPLAN_FORCE
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    held = Neighbourhood.objects.filter(force=force)
    shown = held.filter(name__icontains=query) if query else held
    neighbourhoods = list(shown.order_by(Lower("name"), "police_uk_id"))
    context = {
        "force": force,
        "force_name": _force_name(force),
        "query": query,
        "held": held.count(),
        "shown": len(neighbourhoods),
        "groups": group_by_initial(neighbourhoods, lambda n: n.name),
        "run": ImportRun.objects.filter(
            source=SOURCE, kind=KIND, force=force, status=ImportRun.Status.CURRENT
        ).first(),
        "breadcrumbs": [("Home", reverse("home")), ("Neighbourhood policing teams", None)],
    }
    if not context["held"]:
        context.update(_register_teams())
    return render(request, "publishing/neighbourhoods/index.html", context)


def _register_teams() -> dict[str, Any]:
    """The teams staff entered in the teams register (published only): shown when the
    data.police.uk API has given none (issue 15)."""
    from policeplan.registers import pages, queries
    from policeplan.sources.register_specs import TEAMS

    return {
        "register_teams": pages.table_rows(TEAMS, queries.published("teams")),
        "register_team_headers": [pages.header(c) for c in pages.shown_columns(TEAMS)],
    }


def neighbourhood_detail(request: HttpRequest, force: str, police_uk_id: str) -> HttpResponse:
    """ "Your local policing team": description, team, contact details and priorities."""
    neighbourhood = get_object_or_404(Neighbourhood, force=force, police_uk_id=police_uk_id)
    context = {
        "neighbourhood": neighbourhood,
        "force_name": _force_name(force),
        "force_page": web_link(neighbourhood.url_force),
        "contacts": contact_details(neighbourhood.contact_details),
        "team": [
            {"member": member, "contacts": contact_details(member.contact_details)}
            for member in neighbourhood.team.all()
        ],
        "priorities": _priorities(neighbourhood.priorities),
        "locations": _locations(neighbourhood.locations),
        "breadcrumbs": [
            ("Home", reverse("home")),
            ("Neighbourhood policing teams", reverse("neighbourhoods")),
            (neighbourhood.name, None),
        ],
    }
    return render(request, "publishing/neighbourhoods/detail.html", context)


def _force_name(force: str) -> str:
    area = Area.objects.filter(kind=AreaKind.FORCE, force=force).first()
    return area.name if area else force


def _priorities(priorities: object) -> list[dict[str, str]]:
    if not isinstance(priorities, list):
        return []
    shown = []
    for priority in priorities:
        if not isinstance(priority, dict):
            continue
        issue = plain_text(_str(priority.get("issue")))
        if not issue:
            continue
        shown.append(
            {
                "issue": issue,
                "issue_date": _str(priority.get("issue-date"))[:10],
                "action": plain_text(_str(priority.get("action"))),
                "action_date": _str(priority.get("action-date"))[:10],
            }
        )
    return shown


def _locations(locations: object) -> list[dict[str, Any]]:
    if not isinstance(locations, list):
        return []
    shown = []
    for location in locations:
        if not isinstance(location, dict):
            continue
        lines = [plain_text(_str(location.get(key))) for key in ("name", "address", "postcode")]
        lines = [line for line in lines if line]
        if lines:
            shown.append(
                {
                    "lines": lines,
                    "type": plain_text(_str(location.get("type"))).replace("-", " "),
                    "description": plain_text(_str(location.get("description"))),
                }
            )
    return shown


def _str(value: object) -> str:
    return value if isinstance(value, str) else ""
