"""Totals and changes over reporting periods, with gaps kept as gaps.

A monthly series is a mapping ``Month -> value``. A month mapped to ``None`` (or NaN), or not
in the mapping at all, is a GAP: no figure was published. A gap is never treated as zero. An
aggregate over a window with any gap is unavailable (``value is None``) and says why, unless
``min_coverage`` allows a partial window, in which case the figure is marked ``estimated``.

Percentages are in percent (5.0 means 5 %), not fractions.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from .periods import (
    FinancialQuarter,
    FinancialYear,
    FinancialYearToDate,
    Month,
    MonthSpan,
    Period,
    Quarter,
    RollingYear,
    describe_months,
    months_in,
    plural,
)

Series = Mapping[Month, float | None]


class Aggregation(StrEnum):
    SUM = "sum"  # counts: crimes, incidents
    MEAN = "mean"  # rates and percentages already per month


def is_gap(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def present_months(series: Series) -> list[Month]:
    """Months with a figure, in order."""
    return sorted(month for month, value in series.items() if not is_gap(value))


def series_from_text(values: Mapping[str, float | None]) -> dict[Month, float | None]:
    """Build a series from {'2024-04': 12, ...}; a bad month is a ValueError naming it."""
    return {Month.parse(text): value for text, value in values.items()}


@dataclass(frozen=True)
class Aggregate:
    """One figure for a period, or ``None`` with the reason it cannot be given."""

    period: Period
    value: float | None
    months_expected: int
    missing: tuple[Month, ...]
    estimated: bool = False
    note: str = ""  # why value is None, or how an estimate was made

    @property
    def label(self) -> str:
        return self.period.label

    @property
    def months_present(self) -> int:
        return self.months_expected - len(self.missing)

    @property
    def coverage(self) -> float:
        return self.months_present / self.months_expected

    @property
    def available(self) -> bool:
        return self.value is not None


def _missing_text(missing: tuple[Month, ...], where: str) -> str:
    return f"{plural(len(missing), 'month')} missing in {where}: {describe_months(missing)}"


def aggregate(
    series: Series,
    period: Period,
    *,
    how: Aggregation = Aggregation.SUM,
    min_coverage: float = 1.0,
) -> Aggregate:
    """Total (or mean) of ``series`` over ``period``.

    With the default ``min_coverage=1.0`` any missing month makes the figure unavailable. With a
    lower value (e.g. ``11/12``) a window with enough months is given: a mean of the months
    present, or a sum scaled up to the full window (``sum * expected / present``) so that it is
    comparable with a complete window; either way ``estimated`` is True and ``note`` says so.
    """
    if not 0 < min_coverage <= 1:
        raise ValueError(f"min_coverage must be more than 0 and at most 1, not {min_coverage}")
    months = months_in(period)
    values = [series.get(month) for month in months]
    missing = tuple(month for month, value in zip(months, values, strict=True) if is_gap(value))
    present = [float(value) for value in values if value is not None and not is_gap(value)]
    expected = len(months)
    if not missing:
        total = math.fsum(present)
        value = total if how is Aggregation.SUM else total / expected
        return Aggregate(period, value, expected, missing)
    if not present or len(present) / expected < min_coverage:
        note = _missing_text(missing, period.label)
        return Aggregate(period, None, expected, missing, note=note)
    total = math.fsum(present)
    if how is Aggregation.SUM:
        value = total * expected / len(present)
        method = f"scaled up from {len(present)} to {expected} months"
    else:
        value = total / len(present)
        method = f"the mean of the {len(present)} months with data"
    note = f"Estimated ({method}): " + _missing_text(missing, period.label)
    return Aggregate(period, value, expected, missing, estimated=True, note=note)


@dataclass(frozen=True)
class Comparison:
    """A period against an earlier one. ``percent_change`` is in percent."""

    current: Aggregate
    previous: Aggregate
    change: float | None
    percent_change: float | None
    unavailable_reason: str | None  # why change or percent_change is None

    @property
    def direction(self) -> int | None:
        """+1 up, -1 down, 0 unchanged, None unknown."""
        if self.change is None:
            return None
        return (self.change > 0) - (self.change < 0)

    def describe(self) -> str:
        """One plain-English sentence for a text summary beside a chart."""
        current = self.current
        if current.value is None:
            return f"No figure for {current.label}: {current.note}."
        head = f"{format_number(current.value)} in {current.label}"
        if self.change is None or self.previous.value is None:
            return f"{head}. No comparison: {self.unavailable_reason}."
        previous = f"{format_number(self.previous.value)} in {self.previous.label}"
        if self.change == 0:
            return f"{head}, the same as {previous}."
        word = "up" if self.change > 0 else "down"
        amount = format_number(abs(self.change))
        if self.percent_change is None:
            return f"{head}, {word} {amount} on {previous}."
        percent = f"{abs(self.percent_change):.1f}%"
        return f"{head}, {word} {percent} ({amount}) on {previous}."


def _unavailable(aggregate_: Aggregate, role: str) -> str:
    where = f"{role} ({MonthSpan(aggregate_.period.start, aggregate_.period.end).label})"
    if aggregate_.missing:
        return _missing_text(aggregate_.missing, where)
    return f"there is no figure for {where}"


def compare(
    current: Aggregate,
    previous: Aggregate,
    *,
    current_role: str = "the current period",
    previous_role: str = "the earlier period",
) -> Comparison:
    """Change and percent change from ``previous`` to ``current``, or why they are unavailable."""
    if current.value is None or previous.value is None:
        reasons = []
        if current.value is None:
            reasons.append(_unavailable(current, current_role))
        if previous.value is None:
            reasons.append(_unavailable(previous, previous_role))
        return Comparison(current, previous, None, None, "; ".join(reasons))
    change = current.value - previous.value
    if previous.value == 0:
        reason = f"the figure for {previous_role} is zero, so a percentage change has no meaning"
        return Comparison(current, previous, change, None, reason)
    return Comparison(current, previous, change, 100 * change / abs(previous.value), None)


def compare_periods(
    series: Series,
    current: Period,
    previous: Period,
    *,
    current_role: str = "the current period",
    previous_role: str = "the earlier period",
    how: Aggregation = Aggregation.SUM,
    min_coverage: float = 1.0,
) -> Comparison:
    """Aggregate ``series`` over two periods and compare them."""
    return compare(
        aggregate(series, current, how=how, min_coverage=min_coverage),
        aggregate(series, previous, how=how, min_coverage=min_coverage),
        current_role=current_role,
        previous_role=previous_role,
    )


def rolling_12_month_change(
    series: Series,
    month: Month,
    *,
    how: Aggregation = Aggregation.SUM,
    min_coverage: float = 1.0,
) -> Comparison:
    """The 12 months to ``month`` against the 12 months before them."""
    window = RollingYear(month)
    return compare_periods(
        series,
        window,
        window.previous(),
        current_role="the latest 12 months",
        previous_role="the previous 12 months",
        how=how,
        min_coverage=min_coverage,
    )


def financial_year_to_date_change(
    series: Series,
    month: Month,
    *,
    how: Aggregation = Aggregation.SUM,
    min_coverage: float = 1.0,
) -> Comparison:
    """April to ``month`` against the same months a year earlier."""
    window = FinancialYearToDate(month)
    return compare_periods(
        series,
        window,
        window.same_period_last_year(),
        current_role="the financial year to date",
        previous_role="the same period last year",
        how=how,
        min_coverage=min_coverage,
    )


def _bounds(series: Series) -> tuple[Month, Month] | None:
    months = present_months(series)
    return (months[0], months[-1]) if months else None


def quarterly_series(
    series: Series,
    *,
    financial: bool = True,
    how: Aggregation = Aggregation.SUM,
    min_coverage: float = 1.0,
) -> list[Aggregate]:
    """One aggregate per quarter from the first to the last month with data.

    Financial quarters ("Q1 2024/25", April to June) by default, or calendar quarters.
    A quarter only partly covered by the data is unavailable unless ``min_coverage`` allows it.
    """
    bounds = _bounds(series)
    if bounds is None:
        return []
    first, last = bounds
    quarters: list[Quarter | FinancialQuarter] = []
    month = first
    while month <= last:
        quarter = month.financial_quarter if financial else month.quarter
        quarters.append(quarter)
        month = quarter.end + 1
    return [aggregate(series, q, how=how, min_coverage=min_coverage) for q in quarters]


def financial_year_series(
    series: Series, *, how: Aggregation = Aggregation.SUM, min_coverage: float = 1.0
) -> list[Aggregate]:
    """One aggregate per financial year from the first to the last month with data."""
    bounds = _bounds(series)
    if bounds is None:
        return []
    first, last = bounds
    years = range(first.financial_year.start_year, last.financial_year.start_year + 1)
    return [
        aggregate(series, FinancialYear(year), how=how, min_coverage=min_coverage) for year in years
    ]


def rolling_12_month_series(
    series: Series, *, how: Aggregation = Aggregation.SUM, min_coverage: float = 1.0
) -> list[Aggregate]:
    """A rolling 12-month figure for each month from the 12th month of data to the last."""
    bounds = _bounds(series)
    if bounds is None:
        return []
    first, last = bounds
    ends = range((first + 11).index, last.index + 1)
    return [
        aggregate(series, RollingYear(Month.from_index(end)), how=how, min_coverage=min_coverage)
        for end in ends
    ]


def rate_per_1000(count: float | None, population: float | None) -> float | None:
    """``count`` per 1,000 people; None when either figure is missing or population is not > 0."""
    return rate_per(count, population, per=1000)


def rate_per(count: float | None, population: float | None, *, per: float) -> float | None:
    """``count`` per ``per`` people (e.g. per 100,000)."""
    if count is None or population is None or is_gap(count) or is_gap(population):
        return None
    if population <= 0:
        return None
    return count / population * per


@dataclass(frozen=True)
class RateBase:
    """People per which a rate is given: 1,000, 100,000 or a million."""

    per: int

    @property
    def label(self) -> str:
        return {1_000: "per 1,000 population", 100_000: "per 100,000 population"}.get(
            self.per, "per million population"
        )

    def rate(self, count: float | None, population: float | None) -> float | None:
        return rate_per(count, population, per=self.per)


RATE_BASES = (RateBase(1_000), RateBase(100_000), RateBase(1_000_000))


def choose_rate_base(figures: Iterable[tuple[float | None, float | None]]) -> RateBase:
    """The base for a series of (count, population): by magnitude, as ONS does.

    The smallest of per 1,000, per 100,000 and per million at which every non-zero rate in the
    series is at least 1, so a rare crime (homicide: per million) never reads as 0.0 while
    common ones stay per 1,000.
    """
    per_person = [
        count / population
        for count, population in figures
        if count and population and not is_gap(count) and population > 0
    ]
    if not per_person:
        return RATE_BASES[0]
    smallest = min(per_person)
    for base in RATE_BASES:
        if smallest * base.per >= 1:
            return base
    return RATE_BASES[-1]


def format_rate(rate: float | None) -> str:
    """'83.5'; a small non-zero rate keeps two significant figures ('0.011'), never '0.0'."""
    if rate is None or is_gap(rate):
        return "Not available"
    if 0 < abs(rate) < 0.1:
        return f"{rate:.2g}"
    return f"{rate:,.1f}"


def format_number(value: float) -> str:
    """'1,234' for whole numbers, otherwise one decimal place: '12.5'."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.1f}"
