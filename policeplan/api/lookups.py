"""Turning query parameters into plans, metrics, areas and months, with plain-English problems
when they name nothing. Only published plans (status current or previous) are visible."""

from __future__ import annotations

import difflib
from datetime import datetime

from django.conf import settings
from django.db.models import Max, QuerySet
from django.utils import timezone

from policeplan.analysis.periods import Month
from policeplan.catalogue.models import Metric, Plan
from policeplan.geography.models import Area
from policeplan.metrics.models import Observation
from policeplan.provenance.models import ImportRun

from .problems import Problem

# Draft plans are never exposed, and staff-entered figures only once approved and past their
# embargo (Observation.objects.published, decided at query time).
PUBLISHED_PLAN_STATUSES = ("current", "previous")
SHOWN_CHOICES = 8


def published_plans() -> QuerySet[Plan]:
    return Plan.objects.filter(status__in=PUBLISHED_PLAN_STATUSES)


def published_metrics() -> QuerySet[Metric]:
    return Metric.objects.filter(plan__status__in=PUBLISHED_PLAN_STATUSES)


def published_observations() -> QuerySet[Observation]:
    return Observation.objects.published().filter(metric__plan__status__in=PUBLISHED_PLAN_STATUSES)


def _choices_text(wanted: str, known: list[str], noun: str) -> str:
    """Text for a problem: " Did you mean 'burglary'? Known metrics: a, b, … (42 in all)."."""
    close = difflib.get_close_matches(wanted, known, n=1)
    hint = f" Did you mean '{close[0]}'?" if close else ""
    shown = ", ".join(known[:SHOWN_CHOICES])
    more = f", … ({len(known)} in all)" if len(known) > SHOWN_CHOICES else ""
    return f"{hint} Known {noun}: {shown}{more}."


def resolve_plan(slug: str | None) -> Plan:
    """The published plan ``slug``, or the configured current plan."""
    wanted = slug or settings.POLICEPLAN_CURRENT_PLAN
    plan = published_plans().filter(slug=wanted).first()
    if plan is None:
        known = list(published_plans().values_list("slug", flat=True))
        raise Problem(
            "unknown-plan", f"No published plan '{wanted}'.{_choices_text(wanted, known, 'plans')}"
        )
    return plan


def resolve_metric(plan: Plan, slug: str) -> Metric:
    metric = plan.metrics.select_related("strategy__mission").filter(slug=slug).first()
    if metric is None:
        known = list(plan.metrics.order_by("slug").values_list("slug", flat=True))
        raise Problem(
            "unknown-metric",
            f"No metric '{slug}' in plan '{plan.slug}'.{_choices_text(slug, known, 'metrics')} "
            f"See /api/v1/metrics?plan={plan.slug}.",
        )
    return metric


def check_series(metric: Metric, slug: str) -> None:
    known = [series["slug"] for series in metric.series]
    if slug not in known:
        raise Problem(
            "invalid-parameter",
            f"Metric '{metric.slug}' has no series '{slug}'.{_choices_text(slug, known, 'series')}",
        )


def find_area(code_or_slug: str) -> Area | None:
    """An area by ONS code (the newest vintage when codes repeat) or else by slug."""
    by_code = Area.objects.filter(code=code_or_slug).order_by("-vintage", "kind").first()
    if by_code is not None:
        return by_code
    return Area.objects.filter(slug=code_or_slug).order_by("-vintage", "kind").first()


def resolve_area(code_or_slug: str) -> Area:
    area = find_area(code_or_slug)
    if area is None:
        close = difflib.get_close_matches(
            code_or_slug,
            list(Area.objects.exclude(kind="lsoa").values_list("slug", flat=True)),
            n=1,
        )
        hint = f" Did you mean '{close[0]}'?" if close else ""
        raise Problem(
            "unknown-area",
            f"No area '{code_or_slug}'.{hint} Give an ONS code or a slug, as listed at "
            "/api/v1/areas.",
        )
    return area


def month_range_filter(first: str | None, last: str | None) -> tuple[Month | None, Month | None]:
    """The from/to months (already checked as YYYY-MM by the query schema); from not after to."""
    start = Month.parse(first) if first else None
    end = Month.parse(last) if last else None
    if start is not None and end is not None and start > end:
        raise Problem("invalid-range", f"from {start} is after to {end}.")
    return start, end


def latest(*moments: datetime | None) -> datetime | None:
    """The latest of several last-modified times, ignoring unknowns."""
    known = [moment for moment in moments if moment is not None]
    return max(known) if known else None


def plans_modified() -> datetime | None:
    return published_plans().aggregate(latest=Max("loaded_at"))["latest"]


def observations_modified() -> datetime | None:
    """When the published figures last changed: a computation, or the moment an embargo
    passed or a figure was withdrawn or superseded (so a cached copy is never kept past it)."""
    now = timezone.now()
    computed = published_observations().aggregate(latest=Max("computed_at"))["latest"]
    windows = Observation.objects.filter(submission__isnull=False)
    opened = windows.filter(published_from__lte=now).aggregate(m=Max("published_from"))["m"]
    closed = windows.filter(published_until__lte=now).aggregate(m=Max("published_until"))["m"]
    return latest(computed, opened, closed)


def import_runs_modified() -> datetime | None:
    return ImportRun.objects.aggregate(latest=Max("finished_at"))["latest"]
