"""Reporting periods of staff-entered figures, from a metric's frequency (pure: no Django).

A figure is for the period ending in ``period_end`` (a month): 1 month for a monthly metric,
3 for a quarterly one (financial quarters, ending March, June, September or December), 12 for
an annual one. A period is *due* once ``due_days`` have passed since its last day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .periods import Month

PERIOD_MONTHS = {"monthly": 1, "quarterly": 3, "annual": 12}
QUARTER_END_MONTHS = (3, 6, 9, 12)
# An annual metric with no figure yet is expected for the financial year (ending March).
DEFAULT_ANNUAL_END_MONTH = 3


@dataclass(frozen=True)
class ReportingPeriod:
    """The months a figure covers."""

    start: Month
    end: Month

    @property
    def months(self) -> int:
        return self.end.months_since(self.start) + 1

    @property
    def label(self) -> str:
        if self.months == 1:
            return self.end.label
        return f"{self.start.short_label} to {self.end.short_label}"


def period_problem(frequency: str, period_end: Month) -> str:
    """Why ``period_end`` cannot end a period of this frequency, or "" when it can."""
    if frequency not in PERIOD_MONTHS:
        return f"figures for a metric reported {frequency} cannot be entered by period"
    if frequency == "quarterly" and period_end.month not in QUARTER_END_MONTHS:
        return (
            f"{period_end} does not end a quarter: a quarterly figure's period_end is March, "
            "June, September or December"
        )
    return ""


def reporting_period(frequency: str, period_end: Month) -> ReportingPeriod:
    """The period ending ``period_end``; ValueError when the frequency does not allow it."""
    problem = period_problem(frequency, period_end)
    if problem:
        raise ValueError(problem)
    return ReportingPeriod(period_end.shift(1 - PERIOD_MONTHS[frequency]), period_end)


def latest_due_period_end(
    frequency: str, today: dt.date, *, due_days: int = 30, annual_end_month: int | None = None
) -> Month | None:
    """The end of the latest period whose figure is due by ``today`` (None: not by period).

    ``annual_end_month`` is the month an annual metric's periods end in (from the last figure
    held); without one, the financial year.
    """
    if frequency not in PERIOD_MONTHS:
        return None
    cutoff = today - dt.timedelta(days=due_days)
    month = Month.from_date(cutoff)
    if month.last_day > cutoff:
        month = month.shift(-1)
    wanted: tuple[int, ...]
    if frequency == "monthly":
        return month
    if frequency == "quarterly":
        wanted = QUARTER_END_MONTHS
    else:
        wanted = (annual_end_month or DEFAULT_ANNUAL_END_MONTH,)
    while month.month not in wanted:
        month = month.shift(-1)
    return month
