"""What the staff start page and metric pages show: queries, not views."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import QuerySet

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
