"""The approver's report pages: build a Board or Panel report, read the draft, publish it to
the permanent public archive. The role is checked on the server by ``staff_view`` (anonymous
visitors are sent to sign in, other roles get 403); building and publishing go through the
same functions as ``build_report`` and ``build_report --publish``."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from policeplan.catalogue.models import Plan
from policeplan.staff.access import staff_view

from .build import build_report, publish_report
from .gather import ReportDataError
from .models import Report
from .periods import Audience, ReportPeriodError
from .views import BIG_FIELDS

PERMISSION = "staff.approve_submissions"  # approvers: they approve and publish


class BuildReportForm(forms.Form):
    plan = forms.ChoiceField(label="Plan")
    period = forms.CharField(
        label="Period",
        max_length=30,
        help_text="A calendar quarter such as 2025-Q4 (October to December 2025), or for the "
        "Board two consecutive months such as 2025-11..2025-12",
        error_messages={"required": "Enter the period the report covers"},
    )
    audience = forms.ChoiceField(
        label="Audience",
        choices=[(a.value, a.label) for a in Audience],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the Board or the Panel"},
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        plans = Plan.objects.order_by("slug").values_list("slug", "title")
        field = self.fields["plan"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = list(plans)
        field.initial = settings.POLICEPLAN_CURRENT_PLAN


def _reports_page(request: HttpRequest, form: BuildReportForm, error: str = "") -> HttpResponse:
    reports = Report.objects.select_related("plan").defer(*BIG_FIELDS).order_by("-built_at", "-pk")
    context = {"form": form, "error": error, "reports": reports[:50]}
    return render(
        request,
        "reporting/staff/reports.html",
        context,
        status=400 if (form.errors or error) else 200,
    )


@staff_view(PERMISSION)
def report_builder(request: HttpRequest) -> HttpResponse:
    """The reports built so far, and a form to build one (POST builds it)."""
    if request.method != "POST":
        return _reports_page(request, BuildReportForm())
    form = BuildReportForm(request.POST)
    if not form.is_valid():
        return _reports_page(request, form)
    data = form.cleaned_data
    try:
        built = build_report(
            data["plan"], data["period"], data["audience"], built_by=request.user.get_username()
        )
    except (ReportPeriodError, ReportDataError) as error:
        return _reports_page(request, form, str(error))
    return redirect("staff-report", pk=built.report.pk)


@staff_view(PERMISSION)
@require_safe
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(
        Report.objects.select_related("plan").defer("pdf", "document_html", "charts"), pk=pk
    )
    return render(request, "reporting/staff/report.html", {"report": report, "error": ""})


@staff_view(PERMISSION)
@require_safe
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The PDF of any build, draft or published, for approvers to read before publishing."""
    report = get_object_or_404(Report.objects.only("pdf", "plan", "audience", "period"), pk=pk)
    response = HttpResponse(bytes(report.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="report-{report.pk}-draft.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@staff_view(PERMISSION)
@require_POST
def report_publish(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(Report.objects.select_related("plan"), pk=pk)
    try:
        publish_report(report, published_by=request.user.get_username())
    except ReportDataError as error:
        context = {"report": report, "error": str(error)}
        return render(request, "reporting/staff/report.html", context, status=400)
    return redirect("staff-report", pk=report.pk)
