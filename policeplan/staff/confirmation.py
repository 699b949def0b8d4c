"""The data owner's step: confirming the figures of the metrics their team owns.

A submission of figures awaiting approval can be confirmed by a data owner whose team owns
every metric it holds (``Metric.owner`` in the plan catalogue, ``StaffProfile.team``). The
approver sees whether it was confirmed; with ``POLICEPLAN_REQUIRE_OWNER_CONFIRMATION`` on, a
submission of figures cannot be approved until it is."""

from __future__ import annotations

from typing import Any

from auditlog.context import set_actor
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import Submission
from .workflow import WorkflowError
from .workspace import team_of


def owners_of(submission: Submission) -> list[str]:
    """The owners (teams) of the metrics whose figures ``submission`` holds, sorted."""
    owners = submission.observations.values_list("metric__owner", flat=True).distinct()
    return sorted({owner or "" for owner in owners})


def confirmation_required() -> bool:
    return bool(getattr(settings, "POLICEPLAN_REQUIRE_OWNER_CONFIRMATION", False))


def check_confirmed(submission: Submission) -> None:
    """Refuse approval of unconfirmed figures when the deployment requires confirmation."""
    if not confirmation_required() or submission.confirmed_at is not None:
        return
    if submission.observations.exists():
        owners = ", ".join(o for o in owners_of(submission) if o) or "the metrics' owners"
        raise WorkflowError(
            f"submission {submission.pk} must first be confirmed by its data owner ({owners})"
        )


@transaction.atomic
def confirm(submission: Submission, user: Any, note: str = "") -> Submission:
    """Record that ``user``, a data owner, confirms the figures of their team's metrics."""
    if not (user.is_active and user.has_perm("staff.confirm_data")):
        raise WorkflowError(
            f"{user.get_username()} may not confirm figures: their roles do not allow it"
        )
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    if submission.status != Submission.Status.SUBMITTED:
        raise WorkflowError(
            f"submission {submission.pk} is {submission.get_status_display().lower()}: "
            "only figures awaiting approval can be confirmed"
        )
    if submission.confirmed_at is not None:
        raise WorkflowError(f"submission {submission.pk} is already confirmed")
    owners = owners_of(submission)
    if not owners:
        raise WorkflowError(f"submission {submission.pk} holds no figures to confirm")
    if "" in owners:
        raise WorkflowError(
            "some of its metrics have no owner in the plan catalogue, so no data owner can "
            "confirm them"
        )
    team = team_of(user)
    if not team:
        raise WorkflowError(
            f"{user.get_username()} has no team: an administrator sets the team whose metrics "
            "they own"
        )
    others = [owner for owner in owners if owner.casefold() != team.casefold()]
    if others:
        raise WorkflowError(
            f"{team} does not own every metric in submission {submission.pk}: "
            f"{', '.join(others)} must confirm their own figures"
        )
    with set_actor(user):
        submission.confirmed_by, submission.confirmed_at = user, timezone.now()
        submission.confirmation_note = note.strip()
        submission.save()
    return submission


def awaiting_confirmation(user: Any) -> list[Submission]:
    """Submissions awaiting approval, not yet confirmed, whose figures ``user``'s team owns."""
    team = team_of(user)
    if not team or not user.has_perm("staff.confirm_data"):
        return []
    waiting = Submission.objects.filter(
        status=Submission.Status.SUBMITTED, confirmed_at__isnull=True, observations__isnull=False
    ).distinct()
    return [
        s for s in waiting.order_by("submitted_at") if owners_of(s) and all(
            owner.casefold() == team.casefold() for owner in owners_of(s)
        )
    ]  # fmt: skip
