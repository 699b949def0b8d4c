"""Local data pages: template downloads, file upload and the single-value form. All three go
through ``local_data.import_local_data`` (the one import lifecycle), like the command."""

from __future__ import annotations

import csv
import io

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from policeplan.sources.local_template import MAX_BYTES, template_csv, template_xlsx

from . import local_data
from .access import staff_view
from .models import Submission

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Upload a completed template",
        help_text=f"CSV or XLSX, up to {MAX_BYTES // (1024 * 1024)} MB",
        error_messages={"required": "Choose a CSV or XLSX file to upload"},
    )


class SingleValueForm(forms.Form):
    metric = forms.ChoiceField(label="Metric")
    area = forms.ChoiceField(label="Area")
    period_end = forms.CharField(
        label="Period ending", help_text="The last month of the period, like 2026-03", max_length=7
    )
    value = forms.CharField(label="Figure", max_length=30)
    numerator = forms.CharField(label="Numerator (optional)", required=False, max_length=30)
    denominator = forms.CharField(label="Denominator (optional)", required=False, max_length=30)
    note = forms.CharField(label="Note (optional)", required=False, max_length=1000)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["metric"].choices = [(m.slug, m.name) for m in local_data.local_metrics()]  # type: ignore[attr-defined]
        self.fields["area"].choices = [(a.code, a.name) for a in local_data.force_areas()]  # type: ignore[attr-defined]

    def as_csv(self) -> bytes:
        """The form as a one-row template: it is checked and staged like any upload."""
        buffer = io.StringIO()
        columns = ["metric", "area", "period_end", "value", "numerator", "denominator", "note"]
        writer = csv.writer(buffer)
        writer.writerow(columns)
        writer.writerow([self.cleaned_data[c] for c in columns])
        return buffer.getvalue().encode("utf-8")


def _page(request: HttpRequest, status: int = 200, **context: object) -> HttpResponse:
    context.setdefault("upload_form", UploadForm())
    context.setdefault("problems", [])
    context["metrics"] = local_data.local_metrics()
    return render(request, "staff/local_data.html", context, status=status)


@staff_view("staff.enter_data")
@require_safe
def local_data_page(request: HttpRequest) -> HttpResponse:
    return _page(request)


@staff_view("staff.enter_data")
@require_safe
def template_download(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in ("csv", "xlsx"):
        raise Http404("Templates are .csv or .xlsx")
    slug = request.GET.get("metric", "")
    rows = local_data.template_for(slug)
    name = f"local-data-template{'-' + slug if slug and rows else ''}.{kind}"
    if kind == "xlsx":
        response = HttpResponse(template_xlsx(rows, local_data.GUIDE), content_type=XLSX)
    else:
        response = HttpResponse(template_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@staff_view("staff.enter_data")
@require_POST
def upload(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, 400, upload_form=form)
    upload_file = form.cleaned_data["file"]
    if upload_file.size > MAX_BYTES:
        problems = [
            f"{upload_file.name}: {upload_file.size:,} bytes is over the {MAX_BYTES:,} limit"
        ]
        return _page(request, 400, upload_form=form, problems=problems)
    result = local_data.import_local_data(upload_file.name, upload_file.read(), request.user)
    if result.problems:
        return _page(request, 400, upload_form=form, problems=result.problems)
    assert result.submission is not None
    return redirect("staff-submission", pk=result.submission.pk)


@staff_view("staff.enter_data")
def single_value(request: HttpRequest) -> HttpResponse:
    form = SingleValueForm(request.POST if request.method == "POST" else None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        result = local_data.import_local_data(
            "single-value form.csv", form.as_csv(), request.user, Submission.Source.FORM
        )
        if not result.problems and result.submission is not None:
            return redirect("staff-submission", pk=result.submission.pk)
        problems = [
            p.replace("single-value form.csv: ", "").replace("row 2, ", "") for p in result.problems
        ]
    status = 400 if (form.errors or problems) else 200
    return render(
        request, "staff/single_value.html", {"form": form, "problems": problems}, status=status
    )
