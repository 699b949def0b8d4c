"""Public register pages: an index, one page per register (search, and what each register
needs: grant totals, places near you, overdue actions, time open, the finance chart) and one
page per governance body. Only published entries are ever read (``queries.published``)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from policeplan.sources.register_specs import SPECS

from . import pages, placemap, queries

TITLE = "Holding the police to account"


def _crumbs(*trail: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [("Home", reverse("home")), *trail]


def registers_index(request: HttpRequest) -> HttpResponse:
    registers = [
        {"spec": spec, "count": queries.published(kind).count(),
         "url": reverse("register", kwargs={"kind": kind})}
        for kind, spec in SPECS.items()
    ]  # fmt: skip
    counts = queries.meeting_counts()
    bodies = [(body, counts.get(body.slug, 0)) for body in queries.bodies()]
    context = {
        "title": TITLE,
        "registers": registers,
        "bodies": bodies,
        "breadcrumbs": _crumbs((TITLE, None)),
    }
    return render(request, "registers/index.html", context)


def register_page(request: HttpRequest, kind: str) -> HttpResponse:
    spec = SPECS.get(kind)
    if spec is None:
        raise Http404(f"No register called {kind}")
    entries = queries.published(kind)
    query = request.GET.get("q", "").strip()[: pages.MAX_QUERY_LENGTH]
    if query:
        entries = pages.search(spec, entries, query)
    context: dict[str, Any] = {
        "spec": spec,
        "query": query,
        "held": queries.published(kind).count(),
        "headers": [pages.header(c) for c in pages.shown_columns(spec)],
        "numeric": [c.type == "money" for c in pages.shown_columns(spec)],
        "api_url": f"/api/v1/{kind}",
        "show_overdue": kind == "actions",
        "overdue_column": pages.column_number(spec, "due"),
        "show_days_open": kind == "recommendations",
        "breadcrumbs": _crumbs((TITLE, reverse("registers")), (spec.title, None)),
    }
    if kind == "grants":
        context["totals"] = queries.grant_totals()
    if kind == "finance":
        context["chart"] = pages.finance_chart()
    if kind == "places":
        context.update(_places_near(request))
        if context.get("near") is not None:
            entries = entries.filter(pk__in=[p.pk for p, _ in context["near"]])
    context["rows"] = pages.table_rows(spec, entries)
    if kind == "actions":
        context["overdue"] = sum(1 for r in context["rows"] if r["overdue"])
    return render(request, "registers/register.html", context)


def _places_near(request: HttpRequest) -> dict[str, Any]:
    """Places in a chosen local authority (``?area=``) or nearest a point clicked on the map
    (``?map.x=&map.y=``, sent by the image button without JavaScript)."""
    areas = [(code, name) for code, name in queries.area_names().items()][1:]
    chosen_area = request.GET.get("area", "")
    point = None
    message = ""
    try:
        x, y = float(request.GET["map.x"]), float(request.GET["map.y"])
    except (KeyError, ValueError):
        x = y = None  # type: ignore[assignment]
    if x is not None and y is not None:
        point = placemap.point_at(x, y)
        authority = placemap.local_authority_at(*point) if point else None
        if authority is None:
            message = "That point is outside the force area: choose a point on the map."
            point = None
        else:
            chosen_area = ""
            message = f"Places nearest the point you chose, in {authority.name}."
    near = None
    if point is not None or chosen_area in dict(areas):
        near = queries.places_near(chosen_area, point)
    return {
        "areas": areas,
        "chosen_area": chosen_area,
        "near": near,
        "near_message": message,
        "map_height": (placemap.frame() or placemap.Frame(0, 0, 1, 1)).height,
    }


def places_map(request: HttpRequest) -> HttpResponse:
    places = [(p.name, float(p.longitude), float(p.latitude)) for p in queries.published("places")]
    body = placemap.svg(places)
    if not body:
        raise Http404("No boundaries are held")
    response = HttpResponse(body, content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=300"
    return response


def governance_body(request: HttpRequest, slug: str) -> HttpResponse:
    body = next((b for b in queries.bodies() if b.slug == slug), None)
    if body is None:
        raise Http404(f"No governance body called {slug}")
    record = queries.body_record(body)
    context = {
        "record": record,
        "meetings": pages.table_rows(SPECS["meetings"], record.meetings),
        "actions": pages.table_rows(SPECS["actions"], record.open_actions),
        "overdue_column": pages.column_number(SPECS["actions"], "due"),
        "meeting_headers": [pages.header(c) for c in pages.shown_columns(SPECS["meetings"])],
        "action_headers": [pages.header(c) for c in pages.shown_columns(SPECS["actions"])],
        "breadcrumbs": _crumbs((TITLE, reverse("registers")), (body.name, None)),
    }
    return render(request, "registers/body.html", context)
