"""Staff register pages: each register's template (CSV, XLSX) and upload. An upload goes
through ``publication.import_register`` (the one import lifecycle and submission workflow),
like ``import_register``; the staff area's own pages then review and approve it."""

from __future__ import annotations

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from policeplan.sources.local_template import MAX_BYTES
from policeplan.sources.register_specs import SPECS, RegisterSpec
from policeplan.sources.registers import template_csv, template_xlsx
from policeplan.staff.access import staff_view
from policeplan.staff.views_local_data import XLSX, UploadForm

from .publication import import_register


class RegisterUploadForm(UploadForm):
    allow_shrink = forms.BooleanField(
        required=False,
        label="It is meant to have far fewer entries than the published register",
    )


def _spec(kind: str) -> RegisterSpec:
    spec = SPECS.get(kind)
    if spec is None:
        raise Http404(f"No register called {kind}")
    return spec


def _page(
    request: HttpRequest, kind: str = "", status: int = 200, form: RegisterUploadForm | None = None,
    problems: list[str] | None = None,
) -> HttpResponse:  # fmt: skip
    context = {
        "specs": list(SPECS.values()),
        "kind": kind,
        "upload_form": form or RegisterUploadForm(),
        "problems": problems or [],
    }
    return render(request, "registers/staff.html", context, status=status)


@staff_view("staff.enter_data")
@require_safe
def registers_page(request: HttpRequest) -> HttpResponse:
    return _page(request)


@staff_view("staff.enter_data")
@require_safe
def template_download(request: HttpRequest, kind: str, ext: str) -> HttpResponse:
    spec = _spec(kind)
    if ext not in ("csv", "xlsx"):
        raise Http404("Templates are .csv or .xlsx")
    if ext == "xlsx":
        response = HttpResponse(template_xlsx(spec), content_type=XLSX)
    else:
        response = HttpResponse(template_csv(spec), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{kind}-template.{ext}"'
    return response


@staff_view("staff.enter_data")
@require_POST
def upload(request: HttpRequest, kind: str) -> HttpResponse:
    _spec(kind)
    form = RegisterUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, kind, 400, form)
    upload_file = form.cleaned_data["file"]
    if upload_file.size > MAX_BYTES:
        problems = [
            f"{upload_file.name}: {upload_file.size:,} bytes is over the {MAX_BYTES:,} limit"
        ]
        return _page(request, kind, 400, form, problems)
    result = import_register(
        kind,
        upload_file.name,
        upload_file.read(),
        request.user,
        submit=False,
        allow_shrink=form.cleaned_data["allow_shrink"],
    )
    if result.problems:
        return _page(request, kind, 400, form, result.problems)
    assert result.submission is not None
    return redirect("staff-submission", pk=result.submission.pk)
