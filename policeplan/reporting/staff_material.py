"""What a report takes from the staff workspace (issue 10): approved commentary, approved local
figures, targets, and the submissions and approvals behind them.

Which material a report may carry is one decision, the :class:`Cut`:

- the Panel sees what is published when the report is built (``Observation.objects.published``
  and ``Commentary.objects.published`` at the build time, the site's one rule);
- the Board also sees approved material still under embargo: the state the site will show once
  every embargo known at build time has lifted (the same rule at the latest embargo time), so
  a figure an embargoed approval supersedes is shown as it will be, and withdrawn material is
  never shown. Anything shown that is not yet public at build time is *embargoed* and marked.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Max
from django.utils import timezone

from policeplan.analysis.periods import Month
from policeplan.catalogue.models import Metric

from .content import Commentary
from .periods import Audience, ReportPeriod


@dataclass(frozen=True)
class Cut:
    """Which approved staff material a report shows: what is public at ``at``; anything made
    public after ``built_at`` is embargoed at build time (Board only)."""

    audience: Audience
    built_at: datetime
    at: datetime

    def embargoed(self, published_from: datetime | None) -> bool:
        return published_from is not None and published_from > self.built_at


def cut_for(audience: Audience, built_at: datetime) -> Cut:
    from policeplan.staff.models import Submission

    if audience is not Audience.BOARD:
        return Cut(audience, built_at, built_at)
    latest = Submission.objects.filter(
        status=Submission.Status.APPROVED, publish_at__gt=built_at
    ).aggregate(latest=Max("publish_at"))["latest"]
    return Cut(audience, built_at, max(built_at, latest or built_at))


def embargo_text(moment: datetime) -> str:
    """'09:30 on 20 January 2026' (London time)."""
    return f"{timezone.localtime(moment):%H:%M on %-d %B %Y}"


def author_of(user: Any) -> str:
    """The team or role title a member of staff writes for (never their user name)."""
    profile = getattr(user, "staff_profile", None)
    return (profile.team if profile is not None else "") or "OPCC staff"


def approved_commentary(metric: Metric, period: ReportPeriod, cut: Cut) -> list[Commentary]:
    """The newest commentary on ``metric`` covering a period ending by the report's last month
    that the audience may see (for the Board, also approved commentary under embargo)."""
    from policeplan.staff.models import Commentary as StaffCommentary

    note = (
        StaffCommentary.objects.published(cut.at)
        .filter(metric=metric, period_end__lte=period.end.first_day)
        .select_related("submission__created_by__staff_profile", "submission__reviewed_by")
        .order_by("-period_end", "-published_from", "-pk")
        .first()
    )
    if note is None:
        return []
    submission = note.submission
    reviewed = submission.reviewed_at or note.published_from
    return [
        Commentary(
            text=note.meaning,
            author_role=author_of(submission.created_by),
            approved_on=timezone.localtime(reviewed).date() if reviewed else date(1970, 1, 1),
            embargoed_until=embargo_text(note.published_from)
            if cut.embargoed(note.published_from)
            else "",
            action=note.action,
            period_label=Month.from_date(note.period_end).label,
            submission=submission.pk,
            published_from=note.published_from,
        )
    ]


def local_observations(metric: Metric, series: str, period: ReportPeriod, cut: Cut) -> list[Any]:
    """Approved staff figures of ``metric``'s local series for periods ending by the report's
    last month, as the audience may see them (oldest first, the force before its areas)."""
    from policeplan.metrics.models import Observation

    return list(
        Observation.objects.published(cut.at)
        .filter(
            metric=metric,
            series=series,
            submission__isnull=False,
            period_end__lte=period.end.first_day,
        )
        .select_related("area", "submission", "submission__reviewed_by", "import_run")
        .order_by("period_end", "area__kind", "area__name")
    )


def submissions_used(submission_ids: Iterable[int], cut: Cut) -> list[dict[str, Any]]:
    """The manifest's record of each staff submission a report shows material from."""
    from policeplan.staff.models import Submission

    rows = (
        Submission.objects.filter(pk__in=set(submission_ids))
        .select_related("import_run")
        .order_by("pk")
    )
    return [
        {
            "id": s.pk,
            "source": s.source,
            "description": s.description,
            "import_run": s.import_run_id,
            "sha256": s.import_run.sha256 if s.import_run else "",
            "submitted_at": s.submitted_at.isoformat() if s.submitted_at else "",
            "figures": s.observations.count(),
            "commentary": s.commentary.count(),
        }
        for s in rows
    ]


def approvals_used(submission_ids: Iterable[int], cut: Cut) -> list[dict[str, Any]]:
    """Who approved each submission used, when, and from when it is public (the embargo)."""
    from policeplan.staff.models import Submission

    rows = (
        Submission.objects.filter(pk__in=set(submission_ids))
        .select_related("reviewed_by")
        .order_by("pk")
    )
    return [
        {
            "submission": s.pk,
            "approved_by": s.reviewed_by.get_username() if s.reviewed_by else "",
            "approved_at": s.reviewed_at.isoformat() if s.reviewed_at else "",
            "public_from": s.publish_at.isoformat() if s.publish_at else "",
            "embargoed_when_built": cut.embargoed(s.publish_at),
        }
        for s in rows
    ]


def targets_used(metrics: Iterable[Any]) -> list[dict[str, Any]]:
    """The targets SPC assurance or the local figures were judged against."""
    used = []
    for section in metrics:
        target = section.target_record
        if target is None:
            continue
        used.append(
            {
                "metric": section.slug,
                "id": target.pk,
                "target": target.describe(),
                "set_at": target.set_at.isoformat(),
            }
        )
    return used


def embargo_notice(cut: Cut, embargoed_until: list[datetime]) -> str:
    """The mark on every page of a Board report carrying material still under embargo: the
    report may not be published before the last of its embargoes lifts."""
    if cut.audience is not Audience.BOARD or not embargoed_until:
        return ""
    return f"EMBARGOED until {embargo_text(max(embargoed_until))}: not for publication before then."
