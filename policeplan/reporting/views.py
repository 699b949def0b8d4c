"""The public archive of published reports: permanent addresses for each report and its files.

Only published reports are served; a draft's address answers 404 as if it did not exist.
"""

from __future__ import annotations

import json

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.cache import cache_control

from .models import Report
from .render import SCREEN_CSS

# A published report never changes (a rebuild is a new report), so its files may be kept.
PERMANENT = {"public": True, "max_age": 86400}


BIG_FIELDS = ("pdf", "body_html", "document_html", "charts", "manifest", "figures")


def _published(report_id: int, *needed: str) -> Report:
    """The published report, loading only the ``needed`` big columns (a PDF is ~0.5 MB)."""
    unneeded = [name for name in BIG_FIELDS if name not in needed]
    reports = Report.objects.published().select_related("plan").defer(*unneeded)
    report = reports.filter(pk=report_id).first()
    if report is None:
        raise Http404("No published report with that number")
    return report


def report_list(request: HttpRequest) -> HttpResponse:
    reports = (
        Report.objects.published()
        .select_related("plan")
        .order_by("-period_end", "audience", "-published_at")
    )
    context = {
        "reports": reports,
        "breadcrumbs": [("Home", reverse("home")), ("Reports", None)],
    }
    return render(request, "reporting/list.html", context)


def report_detail(request: HttpRequest, report_id: int) -> HttpResponse:
    report = _published(report_id, "body_html")
    newer = (
        Report.objects.published()
        .filter(plan=report.plan, audience=report.audience, period=report.period)
        .filter(published_at__gt=report.published_at)
        .defer(*BIG_FIELDS)
        .order_by("-published_at")
        .first()
    )
    context = {
        "report": report,
        # Built by this application from escaped templates: safe to include as it is.
        "body": mark_safe(report.body_html),  # noqa: S308
        "newer": newer,
        "breadcrumbs": [
            ("Home", reverse("home")),
            ("Reports", reverse("reports")),
            (report.report_period.label, None),
        ],
    }
    return render(request, "reporting/report.html", context)


@cache_control(**PERMANENT)
def report_pdf(request: HttpRequest, report_id: int) -> HttpResponse:
    report = _published(report_id, "pdf")
    response = HttpResponse(bytes(report.pdf), content_type="application/pdf")
    name = f"{report.plan.slug}-{report.audience}-{report.report_period.slug}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@cache_control(**PERMANENT)
def report_html(request: HttpRequest, report_id: int) -> HttpResponse:
    document = _published(report_id, "document_html").document_html
    return HttpResponse(document, content_type="text/html")


@cache_control(**PERMANENT)
def report_css(request: HttpRequest, report_id: int) -> HttpResponse:
    _published(report_id)
    return HttpResponse(SCREEN_CSS.read_text(encoding="utf-8"), content_type="text/css")


@cache_control(**PERMANENT)
def report_chart(request: HttpRequest, report_id: int, name: str) -> HttpResponse:
    svg = _published(report_id, "charts").charts.get(f"charts/{name}.svg")
    if svg is None:
        raise Http404("No such chart in this report")
    response = HttpResponse(svg, content_type="image/svg+xml")
    # Opened on its own, the SVG may run nothing and load nothing.
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response


@cache_control(**PERMANENT)
def report_manifest(request: HttpRequest, report_id: int) -> HttpResponse:
    report = _published(report_id, "manifest")
    body = json.dumps(report.manifest, indent=2, sort_keys=True, ensure_ascii=False)
    return HttpResponse(body, content_type="application/json")
