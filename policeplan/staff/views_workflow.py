"""Staff pages of the publication workflow: submissions, approval, commentary, targets.
Every step goes through ``workflow`` or ``targets``, which check the permission again."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST, require_safe

from . import confirmation, targets, workflow, workspace
from .access import staff_view
from .forms import (
    ApproveForm,
    CommentaryForm,
    ConfirmForm,
    RejectForm,
    TargetForm,
    WithdrawForm,
)
from .models import Submission


@staff_view("staff.view_drafts")
@require_safe
def submission_list(request: HttpRequest) -> HttpResponse:
    submissions = Submission.objects.select_related("created_by", "reviewed_by")
    context = {
        "awaiting": submissions.filter(status=Submission.Status.SUBMITTED).order_by("submitted_at"),
        "drafts": submissions.filter(status=Submission.Status.DRAFT),
        "decided": submissions.exclude(
            status__in=[Submission.Status.DRAFT, Submission.Status.SUBMITTED]
        )[:50],
    }
    return render(request, "staff/submissions.html", context)


def _detail(
    request: HttpRequest, submission: Submission, status: int = 200, **bound: Any
) -> HttpResponse:
    context = {
        "submission": submission,
        "preview": workflow.preview(submission),
        "contents_html": mark_safe(workflow.review_html(submission)),  # noqa: S308 - rendered by templates
        "commentary": submission.commentary.select_related("metric"),
        "approve_form": bound.get("approve_form") or ApproveForm(),
        "reject_form": bound.get("reject_form") or RejectForm(),
        "withdraw_form": bound.get("withdraw_form") or WithdrawForm(),
        "confirm_form": bound.get("confirm_form") or ConfirmForm(),
        "owners": [owner for owner in confirmation.owners_of(submission) if owner],
        "confirmation_required": confirmation.confirmation_required(),
        "commentary_form": bound.get("commentary_form") or CommentaryForm(),
        "metrics": sorted(
            {o.metric for o in submission.observations.select_related("metric")},
            key=lambda m: m.order,
        ),
        "error": bound.get("error", ""),
    }
    return render(request, "staff/submission.html", context, status=status)


@staff_view("staff.view_drafts")
@require_safe
def submission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, get_object_or_404(Submission, pk=pk))


def _step(
    request: HttpRequest,
    pk: int,
    form_class: type[forms.Form] | None,
    name: str,
    act: Callable[[Submission, dict[str, Any]], object],
) -> HttpResponse:
    submission = get_object_or_404(Submission, pk=pk)
    form = form_class(request.POST) if form_class else None
    if form is not None and not form.is_valid():
        return _detail(request, submission, 400, **{name: form})
    try:
        act(submission, form.cleaned_data if form is not None else {})
    except workflow.WorkflowError as exc:
        return _detail(request, submission, 400, **({name: form} if name else {}), error=str(exc))
    return redirect("staff-submission", pk=pk)


@staff_view("staff.enter_data")
@require_POST
def submission_submit(request: HttpRequest, pk: int) -> HttpResponse:
    def act(submission: Submission, _data: dict[str, Any]) -> None:
        workflow.submit(submission, request.user)

    return _step(request, pk, None, "", act)


@staff_view("staff.approve_submissions")
@require_POST
def submission_approve(request: HttpRequest, pk: int) -> HttpResponse:
    def act(submission: Submission, data: dict[str, Any]) -> None:
        workflow.approve(submission, request.user, data["embargo"])

    return _step(request, pk, ApproveForm, "approve_form", act)


@staff_view("staff.confirm_data")
@require_POST
def submission_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    def act(submission: Submission, data: dict[str, Any]) -> None:
        confirmation.confirm(submission, request.user, data["note"])

    return _step(request, pk, ConfirmForm, "confirm_form", act)


@staff_view("staff.approve_submissions")
@require_POST
def submission_reject(request: HttpRequest, pk: int) -> HttpResponse:
    def act(submission: Submission, data: dict[str, Any]) -> None:
        workflow.reject(submission, request.user, data["reason"])

    return _step(request, pk, RejectForm, "reject_form", act)


@staff_view("staff.withdraw_figures")
@require_POST
def submission_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    def act(submission: Submission, data: dict[str, Any]) -> None:
        workflow.withdraw(submission, request.user, data["note"])

    return _step(request, pk, WithdrawForm, "withdraw_form", act)


@staff_view("staff.draft_commentary")
@require_POST
def submission_commentary(request: HttpRequest, pk: int) -> HttpResponse:
    """Add commentary to a draft submission, on one of the metrics of its figures."""

    def act(submission: Submission, data: dict[str, Any]) -> None:
        metric = workspace.current_plan_metrics().filter(slug=request.POST.get("metric")).first()
        if metric is None:
            raise workflow.WorkflowError("choose the metric the commentary is about")
        workflow.add_commentary(
            submission, request.user, metric, data["period_end"], data["meaning"], data["action"]
        )

    return _step(request, pk, CommentaryForm, "commentary_form", act)


@staff_view("staff.draft_commentary")
def commentary_new(request: HttpRequest, slug: str) -> HttpResponse:
    metric = get_object_or_404(workspace.current_plan_metrics(), slug=slug)
    form = CommentaryForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        commentary = workflow.draft_commentary(
            request.user, metric, data["period_end"], data["meaning"], data["action"]
        )
        return redirect("staff-submission", pk=commentary.submission_id)
    status = 400 if form.errors else 200
    return render(
        request, "staff/commentary_form.html", {"metric": metric, "form": form}, status=status
    )


@staff_view("staff.set_targets")
def target_new(request: HttpRequest, slug: str) -> HttpResponse:
    metric = get_object_or_404(workspace.current_plan_metrics(), slug=slug)
    form = TargetForm(request.POST if request.method == "POST" else None)
    error = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            targets.set_target(request.user, metric, **data)
        except workflow.WorkflowError as exc:
            error = str(exc)
        else:
            return redirect("staff-metric", slug=metric.slug)
    status = 400 if (form.errors or error) else 200
    context = {
        "metric": metric,
        "form": form,
        "error": error,
        "current": targets.current_target(metric),
    }
    return render(request, "staff/target_form.html", context, status=status)
