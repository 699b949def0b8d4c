"""What the public pages, the API and the metrics read from the registers: published entries
only (approved and past any embargo), and the summaries each register page shows."""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Max, QuerySet, Sum
from django.utils import timezone

from policeplan.analysis.periods import FinancialYear, Month
from policeplan.catalogue.models import GovernanceBody
from policeplan.staff.local_data import force_areas

from .models import MODELS, Action, FinanceLine, Grant, Meeting, Place


def published(kind: str) -> QuerySet[Any]:
    """The entries of a register the public may see now."""
    return MODELS[kind].objects.published()


def last_published(kind: str) -> dt.datetime | None:
    return published(kind).aggregate(at=Max("published_from"))["at"]  # type: ignore[no-any-return]


def area_names() -> dict[str, str]:
    """Area code -> name, for the force and its local authorities."""
    return {area.code: area.name for area in force_areas()}


def financial_year(day: dt.date) -> str:
    return FinancialYear.containing(Month.from_date(day)).label


# --- grants ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class GrantTotals:
    """Totals of published grants: by area, by financial year, by both, and overall."""

    areas: list[tuple[str, Decimal, int]]  # (area name, amount, grants)
    years: list[tuple[str, Decimal, int]]  # (financial year, amount, grants)
    cells: dict[tuple[str, str], Decimal]  # (area name, year) -> amount
    total: Decimal
    count: int


def grant_totals(grants: QuerySet[Grant] | None = None) -> GrantTotals:
    names = area_names()
    rows = (grants if grants is not None else published("grants")).values_list(
        "area", "awarded", "amount"
    )
    by_area: dict[str, list[Any]] = defaultdict(lambda: [Decimal(0), 0])
    by_year: dict[str, list[Any]] = defaultdict(lambda: [Decimal(0), 0])
    cells: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for code, awarded, amount in rows:
        area, year = names.get(code, code), financial_year(awarded)
        for bucket, key in ((by_area, area), (by_year, year)):
            bucket[key][0] += amount
            bucket[key][1] += 1
        cells[(area, year)] += amount
    return GrantTotals(
        areas=sorted(((a, v[0], v[1]) for a, v in by_area.items()), key=lambda t: (-t[1], t[0])),
        years=sorted((y, v[0], v[1]) for y, v in by_year.items()),
        cells=dict(cells),
        total=sum((v[0] for v in by_area.values()), Decimal(0)),
        count=sum(v[1] for v in by_area.values()),
    )


# --- places ----------------------------------------------------------------------------------


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine), in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


def places_near(
    area_code: str = "", point: tuple[float, float] | None = None
) -> list[tuple[Place, float | None]]:
    """Published places in an area, or all of them nearest first to ``point`` (lon, lat)."""
    places = published("places")
    if area_code:
        places = places.filter(area=area_code)
    if point is None:
        return [(p, None) for p in places]
    lon, lat = point
    near = [(p, distance_km(lat, lon, float(p.latitude), float(p.longitude))) for p in places]
    return sorted(near, key=lambda pair: pair[1])  # type: ignore[arg-type,return-value]


# --- meetings and actions ------------------------------------------------------------------------


@dataclass(frozen=True)
class BodyRecord:
    body: GovernanceBody
    meetings: list[Meeting]
    open_actions: list[Action]
    overdue: int


def bodies() -> list[GovernanceBody]:
    from django.conf import settings

    return list(GovernanceBody.objects.filter(plan__slug=settings.POLICEPLAN_CURRENT_PLAN))


def body_record(body: GovernanceBody, today: dt.date | None = None) -> BodyRecord:
    today = today or timezone.localdate()
    meetings = list(published("meetings").filter(body=body.slug))
    actions = list(published("actions").filter(body=body.slug).exclude(status="complete"))
    overdue = sum(1 for a in actions if a.is_overdue(today))
    return BodyRecord(body, meetings, actions, overdue)


def meeting_counts() -> dict[str, int]:
    return dict(published("meetings").values_list("body").annotate(n=Count("pk")))


# --- finance -------------------------------------------------------------------------------------


def spend_by_category(line: str = "budget") -> list[dict[str, Any]]:
    """One row per (year, category) of a finance statement, oldest year first."""
    rows = (
        FinanceLine.objects.published()
        .filter(line=line)
        .values("year", "category")
        .annotate(amount=Sum("amount"))
        .order_by("year", "category")
    )
    return [
        {"year": r["year"], "category": r["category"], "amount": float(r["amount"])} for r in rows
    ]
