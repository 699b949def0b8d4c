"""Hooks for the staff workspace (issue 10 §4), kept in one place until it lands on main.

Each returns what a report shows today (nothing) and says what it will read. ``gather`` calls
them for every report; the templates already render what they return (commentary under its
metric, the embargo notice at the top of every PDF page) and the manifest records the
submissions and approvals used.
"""

from __future__ import annotations

from typing import Any

from policeplan.catalogue.models import Metric

from .content import Commentary
from .periods import Audience, ReportPeriod


def approved_commentary(
    metric: Metric, period: ReportPeriod, audience: Audience
) -> list[Commentary]:
    """Commentary on ``metric`` for ``period`` approved for ``audience``: for the Panel only
    published commentary; for the Board also approved commentary still under embargo (each
    with ``embargoed_until`` set). None is held until the staff workspace lands."""
    return []


def local_values_used(period: ReportPeriod, audience: Audience) -> list[dict[str, Any]]:
    """Approved local-data submissions whose values the report shows (for the manifest):
    published ones for the Panel, also embargoed ones for the Board."""
    return []


def approvals_used(period: ReportPeriod, audience: Audience) -> list[dict[str, Any]]:
    """The approvals (who, when, embargo) behind the submissions and commentary used."""
    return []


def embargo_notice(audience: Audience, embargoed_until: list[str]) -> str:
    """The mark on every page of a Board report carrying material still under embargo."""
    if audience is not Audience.BOARD or not embargoed_until:
        return ""
    return f"EMBARGOED until {min(embargoed_until)}: not for publication before then"
