"""What the staff start page and metric pages show: queries, not views."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from policeplan.analysis.due import latest_due_period_end, reporting_period
from policeplan.catalogue.models import Metric

from .models import StaffProfile


def team_of(user: Any) -> str:
    profile = StaffProfile.objects.filter(user=user).first()
    return profile.team if profile else ""


def current_plan_metrics() -> QuerySet[Metric]:
    """The current plan's metrics, headline first, in the plan's order."""
    return (
        Metric.objects.filter(plan__slug=settings.POLICEPLAN_CURRENT_PLAN)
        .select_related("plan", "strategy")
        .order_by("-headline", "order")
    )


@dataclass(frozen=True)
class StartPage:
    team: str
    owned: list[Metric]
    others: list[Metric]


def start_page(user: Any) -> StartPage:
    """The user's own metrics (their team owns them), then every other metric they may see."""
    team = team_of(user)
    metrics = list(current_plan_metrics())
    owned = [m for m in metrics if team and m.owner == team]
    return StartPage(team=team, owned=owned, others=[m for m in metrics if m not in owned])


def owner_titles() -> list[str]:
    """Every owner named in the current plan (the teams a staff user can belong to)."""
    return sorted(set(current_plan_metrics().exclude(owner="").values_list("owner", flat=True)))


@dataclass(frozen=True)
class DueFigure:
    """A staff-entered figure the metric's frequency says should be in by now."""

    metric: Metric
    period: str
    state: str  # "Missing", "Draft", "Awaiting approval" or "Approved: embargoed"


def due_and_missing(today: dt.date | None = None) -> list[DueFigure]:
    """For each metric with a local data series: the latest period due and not yet public."""
    from policeplan.metrics.models import Observation
    from policeplan.publishing.staff_figures import period_text

    from .models import Submission

    today = today or timezone.localdate()
    rows = []
    for metric in current_plan_metrics():
        if not any(s["computation"]["kind"] == "local_template" for s in metric.series):
            continue
        held = Observation.objects.filter(metric=metric, submission__isnull=False)
        latest_end = held.order_by("-period_end").values_list("period_end", flat=True).first()
        due = latest_due_period_end(
            metric.frequency, today, due_days=settings.POLICEPLAN_LOCAL_DATA_DUE_DAYS,
            annual_end_month=latest_end.month if latest_end else None,
        )  # fmt: skip
        if due is None:
            continue
        slot = held.filter(period_end=due.first_day)
        if slot.published().exists():
            continue
        statuses = set(slot.values_list("submission__status", flat=True))
        state = "Missing"
        for status, label in ((Submission.Status.APPROVED, "Approved: embargoed"),
                              (Submission.Status.SUBMITTED, "Awaiting approval"),
                              (Submission.Status.DRAFT, "Draft")):  # fmt: skip
            if status in statuses:
                state = label
                break
        period = reporting_period(metric.frequency, due)
        label = period_text("month" if period.months == 1 else "span", period.start.first_day,
                            due.first_day)  # fmt: skip
        rows.append(DueFigure(metric, label, state))
    return rows


def current_exceptions() -> list[Any]:
    """The current plan's exceptions for the force, as the public exceptions page lists them."""
    from policeplan.metrics.performance import exceptions
    from policeplan.publishing.metric_page import force_area
    from policeplan.publishing.queries import get_plan

    force = force_area()
    if force is None:
        return []
    return list(exceptions(get_plan(), force).flagged)
