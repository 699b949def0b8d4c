"""The staff area: start page, metric pages, audit log."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from . import audit, workspace
from .access import staff_view
from .roles import roles_of

AUDIT_PAGE_SIZE = 50


@staff_view("staff.use_staff_area")
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    from .confirmation import awaiting_confirmation
    from .models import Submission

    context = {
        "page": workspace.start_page(request.user),
        "roles": roles_of(request.user),
        "due": workspace.due_and_missing(),
        "awaiting": Submission.objects.filter(status=Submission.Status.SUBMITTED)
        .select_related("created_by")
        .order_by("submitted_at"),
        "exceptions": workspace.current_exceptions(),
        "to_confirm": awaiting_confirmation(request.user),
    }
    return render(request, "staff/home.html", context)


@staff_view("staff.use_staff_area")
@require_safe
def metric_detail(request: HttpRequest, slug: str) -> HttpResponse:
    from .targets import current_target

    metric = get_object_or_404(workspace.current_plan_metrics(), slug=slug)
    context = {
        "metric": metric,
        "target": current_target(metric),
        "entered": metric.observations.filter(submission__isnull=False)
        .select_related("area", "submission")
        .order_by("-period_end", "-pk")[:100],
    }
    return render(request, "staff/metric.html", context)


@staff_view("staff.view_audit_log")
@require_safe
def audit_log(request: HttpRequest) -> HttpResponse:
    object_type = request.GET.get("type", "")
    paginator = Paginator(audit.entries(object_type), AUDIT_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    context = {
        "page": page,
        "rows": [audit.as_row(entry) for entry in page.object_list],
        "object_types": audit.object_types(),
        "object_type": object_type,
    }
    return render(request, "staff/audit.html", context)


@staff_view("staff.view_audit_log")
@require_safe
def audit_log_csv(request: HttpRequest) -> StreamingHttpResponse:
    object_type = request.GET.get("type", "")
    rows = (audit.as_row(entry) for entry in audit.entries(object_type).iterator())
    response = StreamingHttpResponse(audit.csv_lines(rows), content_type="text/csv")
    stamp = timezone.localtime().strftime("%Y-%m-%dT%H%M")
    response["Content-Disposition"] = f'attachment; filename="audit-log-{stamp}.csv"'
    return response
