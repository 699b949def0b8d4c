"""The publication workflow: stage values, submit, approve (now or at an embargo), reject,
withdraw. Every step is one transaction, checks the actor's permission itself (so the web
pages and ``review_submission`` cannot differ) and is written to the audit log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from policeplan.analysis.due import reporting_period
from policeplan.analysis.periods import Month
from policeplan.catalogue.models import Metric
from policeplan.geography.models import Area
from policeplan.metrics.models import Observation, PeriodKind
from policeplan.metrics.readside import rebuild

from .models import Commentary, Correction, Submission

LOCAL_SERIES_KIND = "local_template"
PERIOD_KINDS = {1: PeriodKind.MONTH, 3: PeriodKind.QUARTER, 12: PeriodKind.ROLLING_12}


class WorkflowError(Exception):
    """A step that is not allowed; the message says why in plain English."""


@dataclass(frozen=True)
class StagedValue:
    """One figure to stage (already validated by the caller: the upload or the form)."""

    metric: Metric
    area: Area
    period_end: Month
    value: float
    numerator: int | None = None
    denominator: int | None = None
    note: str = ""


def local_series(metric: Metric) -> str:
    """The slug of the metric's staff-entered series (the local template)."""
    for series in metric.series:
        if series["computation"]["kind"] == LOCAL_SERIES_KIND:
            return str(series["slug"])
    raise WorkflowError(f"{metric.slug} has no local data series in the plan catalogue")


def _require(user: Any, permission: str, doing: str) -> None:
    if not (user.is_active and user.has_perm(permission)):
        raise WorkflowError(f"{user.get_username()} may not {doing}: their roles do not allow it")


def _locked(submission: Submission) -> Submission:
    return Submission.objects.select_for_update().get(pk=submission.pk)


def _log(user: Any, instance: Any, action: int, changes: dict[str, Any]) -> None:
    LogEntry.objects.log_create(
        instance, force_log=True, action=action, changes=changes, actor=user
    )


# --- what else a submission may hold --------------------------------------------------------


@dataclass(frozen=True)
class SubmissionContent:
    """Entries other than figures and commentary that a submission may hold (the registers),
    moved through the same workflow: ``holds`` (is there anything to approve), ``approve``
    (make it public at ``publish_at``, inside approve's transaction) and ``withdraw``."""

    name: str
    holds: Callable[[Submission], bool]
    approve: Callable[[Submission, dt.datetime], None]
    withdraw: Callable[[Submission, dt.datetime], None]
    describe: Callable[[Submission], str] = lambda submission: ""  # "4 grants", or ""
    review_html: Callable[[Submission], str] = lambda submission: ""  # for the review page


CONTENTS: dict[str, SubmissionContent] = {}


def register_content(content: SubmissionContent) -> None:
    CONTENTS[content.name] = content


def holds_content(submission: Submission) -> bool:
    return any(content.holds(submission) for content in CONTENTS.values())


def review_html(submission: Submission) -> str:
    """The contents' own review sections (HTML rendered by their templates, which escape)."""
    return "".join(content.review_html(submission) for content in CONTENTS.values())


def describe_contents(submission: Submission) -> str:
    """What a submission holds, in words: '2 figures, 0 commentary' (and '4 grants' etc.)."""
    parts = [
        f"{submission.observations.count()} figures",
        f"{submission.commentary.count()} commentary",
        *(text for content in CONTENTS.values() if (text := content.describe(submission))),
    ]
    return ", ".join(parts)


# --- creating -----------------------------------------------------------------------------


@transaction.atomic
def new_submission(user: Any, source: str, description: str) -> Submission:
    permission = "staff.draft_commentary" if source == "commentary" else "staff.enter_data"
    _require(user, permission, "start a submission")
    with set_actor(user):
        return Submission.objects.create(
            source=source, description=description[:300], created_by=user, created_at=timezone.now()
        )


@transaction.atomic
def stage_values(
    submission: Submission, values: Iterable[StagedValue], import_run: Any = None
) -> list[Observation]:
    """Add draft figures to a draft submission; none is public until approval."""
    submission = _locked(submission)
    if submission.status != Submission.Status.DRAFT:
        raise WorkflowError(f"submission {submission.pk} is {submission.status}, not a draft")
    now = timezone.now()
    staged = []
    for item in values:
        period = reporting_period(item.metric.frequency, item.period_end)
        observation = Observation.objects.create(
            metric=item.metric,
            series=local_series(item.metric),
            area=item.area,
            period_kind=PERIOD_KINDS[period.months],
            period_start=period.start.first_day,
            period_end=period.end.first_day,
            value=item.value,
            numerator=item.numerator,
            denominator=item.denominator,
            note=item.note,
            submission=submission,
            import_run=import_run,
            source_runs=[import_run.pk] if import_run is not None else [],
            series_hash="",
            computed_at=now,
        )
        _log(submission.created_by, observation, LogEntry.Action.CREATE,
             {"value": [None, item.value], "submission": [None, submission.pk]})  # fmt: skip
        staged.append(observation)
    return staged


@transaction.atomic
def add_commentary(
    submission: Submission, user: Any, metric: Metric, period_end: Month, meaning: str,
    action: str = "",
) -> Commentary:  # fmt: skip
    """Add commentary on ``metric`` for the period to ``period_end`` to a draft submission."""
    _require(user, "staff.draft_commentary", "draft commentary")
    if not meaning.strip():
        raise WorkflowError("say what the figures mean")
    submission = _locked(submission)
    if submission.status != Submission.Status.DRAFT:
        raise WorkflowError(f"submission {submission.pk} is {submission.status}, not a draft")
    with set_actor(user):
        return Commentary.objects.create(
            submission=submission, metric=metric, period_end=period_end.first_day,
            meaning=meaning.strip(), action=action.strip(),
        )  # fmt: skip


@transaction.atomic
def draft_commentary(
    user: Any, metric: Metric, period_end: Month, meaning: str, action: str = ""
) -> Commentary:
    """A new draft submission holding commentary on ``metric`` for the period to ``period_end``."""
    submission = new_submission(user, "commentary", f"Commentary on {metric.name}")
    return add_commentary(submission, user, metric, period_end, meaning, action)


# --- moving through the workflow ----------------------------------------------------------


@transaction.atomic
def submit(submission: Submission, user: Any) -> Submission:
    submission = _locked(submission)
    if not (user.has_perm("staff.enter_data") or user.has_perm("staff.draft_commentary")):
        raise WorkflowError(f"{user.get_username()} may not submit: their roles do not allow it")
    if submission.status != Submission.Status.DRAFT:
        raise WorkflowError(f"submission {submission.pk} is {submission.status}, not a draft")
    if not (
        submission.observations.exists()
        or submission.commentary.exists()
        or holds_content(submission)
    ):
        raise WorkflowError(f"submission {submission.pk} holds nothing to approve")
    with set_actor(user):
        submission.status = Submission.Status.SUBMITTED
        submission.submitted_at = timezone.now()
        submission.save()
    return submission


@transaction.atomic
def approve(submission: Submission, user: Any, publish_at: dt.datetime | None = None) -> Submission:
    """Approve; everything in it becomes public at ``publish_at`` (default: now), all at once."""
    _require(user, "staff.approve_submissions", "approve submissions")
    submission = _locked(submission)
    if submission.status != Submission.Status.SUBMITTED:
        raise WorkflowError(
            f"submission {submission.pk} is {submission.get_status_display().lower()}: "
            "only a submission awaiting approval can be approved"
        )
    if submission.created_by_id == user.pk:
        raise WorkflowError("a submission must be approved by someone other than its author")
    from .confirmation import check_confirmed

    check_confirmed(submission)
    now = timezone.now()
    if publish_at is not None and publish_at < now:
        raise WorkflowError(
            f"the embargo {timezone.localtime(publish_at):%Y-%m-%d %H:%M} has passed"
        )
    publish_at = publish_at or now
    with set_actor(user):
        for observation in submission.observations.all():
            _supersede(Observation.objects.filter(
                metric_id=observation.metric_id, series=observation.series,
                area_id=observation.area_id, period_kind=observation.period_kind,
                period_end=observation.period_end, submission__isnull=False,
            ), publish_at)  # fmt: skip
        submission.observations.update(published_from=publish_at)
        for commentary in submission.commentary.all():
            _supersede(Commentary.objects.filter(
                metric_id=commentary.metric_id, period_end=commentary.period_end
            ), publish_at)  # fmt: skip
        submission.commentary.update(published_from=publish_at)
        from .local_data import approved

        approved(submission)
        for content in CONTENTS.values():
            content.approve(submission, publish_at)
        submission.status = Submission.Status.APPROVED
        submission.reviewed_by, submission.reviewed_at = user, now
        submission.publish_at = publish_at
        submission.save()
    rebuild(only=_metrics(submission))  # what pages and the API read, now and at the embargo
    return submission


def _supersede(same_slot: Any, publish_at: dt.datetime) -> None:
    """The latest approval wins: earlier approved versions stop being public at ``publish_at``
    (one approved earlier but embargoed until later never becomes public)."""
    current = same_slot.filter(published_from__isnull=False, published_until__isnull=True)
    current.filter(published_from__lt=publish_at).update(published_until=publish_at)
    for later in current.filter(published_from__gte=publish_at):
        later.published_until = later.published_from
        later.save(update_fields=["published_until"])


@transaction.atomic
def reject(submission: Submission, user: Any, reason: str) -> Submission:
    """Send a submission back to its author with a reason; nothing in it is published."""
    _require(user, "staff.approve_submissions", "reject submissions")
    if not reason.strip():
        raise WorkflowError("give a reason for rejecting it, for its author")
    submission = _locked(submission)
    if submission.status != Submission.Status.SUBMITTED:
        raise WorkflowError(
            f"submission {submission.pk} is {submission.get_status_display().lower()}: "
            "only a submission awaiting approval can be rejected"
        )
    with set_actor(user):
        submission.status = Submission.Status.REJECTED
        submission.reviewed_by, submission.reviewed_at = user, timezone.now()
        submission.rejection_reason = reason.strip()
        submission.save()
    return submission


@transaction.atomic
def withdraw(submission: Submission, user: Any, note: str) -> list[Correction]:
    """Withdraw an approved submission. What was already public leaves a public correction
    note; what was still embargoed never appears, and the versions it replaced stay."""
    _require(user, "staff.withdraw_figures", "withdraw published figures")
    if not note.strip():
        raise WorkflowError("say why it is withdrawn: the note is shown to the public")
    submission = _locked(submission)
    if submission.status != Submission.Status.APPROVED:
        raise WorkflowError(f"submission {submission.pk} is not approved, so nothing to withdraw")
    now = timezone.now()
    corrections = []
    with set_actor(user):
        items = [*submission.observations.select_related("area", "metric"),
                 *submission.commentary.select_related("metric")]  # fmt: skip
        for item in items:
            if item.published_from is None or (
                item.published_until and item.published_until <= now
            ):
                continue
            if item.published_from > now:
                _restore_replaced(item)
                item.published_until = item.published_from
            else:
                item.published_until = now
                corrections.append(_correction(item, submission, user, note, now))
            item.save(update_fields=["published_until"])
        for content in CONTENTS.values():
            content.withdraw(submission, now)
        submission.status = Submission.Status.WITHDRAWN
        submission.save()
    rebuild(only=_metrics(submission))
    return corrections


def _metrics(submission: Submission) -> list[Metric] | None:
    """The metrics whose figures or commentary the submission holds (commentary is read at
    request time, but its embargo is a moment the page cache must turn at); None (rebuild
    everything) when it holds neither, as a register does (its counts feed figures computed
    elsewhere)."""
    metrics = list(
        Metric.objects.filter(
            Q(observations__submission=submission) | Q(commentary__submission=submission)
        ).distinct()
    )
    return metrics or None


def _restore_replaced(item: Observation | Commentary) -> None:
    """Undo the supersession an embargoed (never public) item made at approval."""
    slot: Any
    if isinstance(item, Observation):
        slot = Observation.objects.filter(
            metric_id=item.metric_id, series=item.series, area_id=item.area_id,
            period_kind=item.period_kind, period_end=item.period_end,
        )  # fmt: skip
    else:
        slot = Commentary.objects.filter(metric_id=item.metric_id, period_end=item.period_end)
    slot.exclude(pk=item.pk).filter(
        Q(published_until=item.published_from) & Q(published_from__lt=item.published_from)
    ).update(published_until=None)


def _correction(item: Any, submission: Submission, user: Any, note: str, now: Any) -> Correction:
    if isinstance(item, Observation):
        months = PeriodKind(item.period_kind)
        period = Month.from_date(item.period_end)
        label = (
            period.label
            if months == PeriodKind.MONTH
            else (f"{Month.from_date(item.period_start).short_label} to {period.short_label}")
        )
        return Correction.objects.create(
            metric=item.metric, period_label=label, area_name=item.area.name,
            withdrawn_value=item.value, note=note.strip(), withdrawn_at=now, withdrawn_by=user,
            submission=submission,
        )  # fmt: skip
    return Correction.objects.create(
        metric=item.metric, period_label=f"commentary to {Month.from_date(item.period_end).label}",
        note=note.strip(), withdrawn_at=now, withdrawn_by=user, submission=submission,
    )  # fmt: skip


# --- reading ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PreviewRow:
    """One staged figure against the figure the public sees now: new, revised or unchanged."""

    metric: Metric
    area: Area
    period: str
    old: float | None
    new: float

    @property
    def change(self) -> str:
        if self.old is None:
            return "New"
        return "Unchanged" if self.old == self.new else "Revised"


def preview(submission: Submission) -> list[PreviewRow]:
    """What approving ``submission`` would change, figure by figure (old → new)."""
    from policeplan.publishing.staff_figures import period_text

    rows = []
    staged = submission.observations.select_related("metric", "area").order_by(
        "metric__order", "area__name", "period_end"
    )
    for item in staged:
        current = (
            Observation.objects.published()
            .filter(
                metric_id=item.metric_id, series=item.series, area_id=item.area_id,
                period_kind=item.period_kind, period_end=item.period_end,
            )
            .exclude(submission=submission)
            .values_list("value", flat=True)
            .first()
        )  # fmt: skip
        period = period_text(item.period_kind, item.period_start, item.period_end)
        rows.append(PreviewRow(item.metric, item.area, period, current, item.value))
    return rows
