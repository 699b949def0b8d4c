"""Reporting periods: months, quarters, financial years and rolling windows.

Pure Python (no Django). Every period is explicit: a value is never inferred from a file name.
A UK public-sector financial year runs from April to the following March and is labelled
"2024/25"; its quarters are "Q1 2024/25" (April to June) to "Q4 2024/25" (January to March).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Protocol, overload

MONTH_NAMES = (
    *("January", "February", "March", "April", "May", "June"),
    *("July", "August", "September", "October", "November", "December"),
)

_MONTH_PATTERN = re.compile(r"(\d{4})-(\d{2})")
_FINANCIAL_YEAR_PATTERN = re.compile(r"(\d{4})/(\d{2})")
FINANCIAL_YEAR_START_MONTH = 4  # April


@dataclass(frozen=True, order=True, slots=True)
class Month:
    """A calendar month, written 'YYYY-MM'. Ordered by time; ``Month + 3`` is three months on."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12 or not 1 <= self.year <= 9999:
            raise ValueError(f"'{self.year:04d}-{self.month:02d}' is not a month")

    @classmethod
    def parse(cls, text: str) -> Month:
        """Read 'YYYY-MM'; anything else raises ValueError("'2025-13' is not a month")."""
        match = _MONTH_PATTERN.fullmatch(text.strip()) if isinstance(text, str) else None
        if match is None:
            raise ValueError(f"'{text}' is not a month")
        year, month = int(match.group(1)), int(match.group(2))
        if not 1 <= month <= 12 or year < 1:
            raise ValueError(f"'{text}' is not a month")
        return cls(year, month)

    @classmethod
    def from_date(cls, day: dt.date) -> Month:
        return cls(day.year, day.month)

    @classmethod
    def from_index(cls, index: int) -> Month:
        """The month ``index`` months after January of year 0 (the inverse of ``index``)."""
        year, zero_based_month = divmod(index, 12)
        return cls(year, zero_based_month + 1)

    @property
    def index(self) -> int:
        """Months since January of year 0: differences of indexes count months between."""
        return self.year * 12 + self.month - 1

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label(self) -> str:
        """Plain-English name, e.g. 'March 2025'."""
        return f"{MONTH_NAMES[self.month - 1]} {self.year}"

    @property
    def short_label(self) -> str:
        """Abbreviated name, e.g. 'Mar 2025'."""
        return f"{MONTH_NAMES[self.month - 1][:3]} {self.year}"

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def last_day(self) -> dt.date:
        return (self + 1).first_day - dt.timedelta(days=1)

    def __add__(self, months: int) -> Month:
        if not isinstance(months, int):
            return NotImplemented
        return Month.from_index(self.index + months)

    def __radd__(self, months: int) -> Month:
        return self.__add__(months)

    @overload
    def __sub__(self, other: Month) -> int: ...

    @overload
    def __sub__(self, other: int) -> Month: ...

    def __sub__(self, other: int | Month) -> Month | int:
        """``month - 3`` is three months earlier; ``later - earlier`` is the months between."""
        if isinstance(other, Month):
            return self.index - other.index
        if isinstance(other, int):
            return Month.from_index(self.index - other)
        return NotImplemented

    def months_since(self, earlier: Month) -> int:
        """Whole months from ``earlier`` to this month (typed alternative to subtraction)."""
        return self.index - earlier.index

    def shift(self, months: int) -> Month:
        """This month moved by ``months`` (negative for earlier); typed alternative to +/-."""
        return Month.from_index(self.index + months)

    @property
    def financial_year(self) -> FinancialYear:
        start = self.year if self.month >= FINANCIAL_YEAR_START_MONTH else self.year - 1
        return FinancialYear(start)

    @property
    def quarter(self) -> Quarter:
        """The calendar quarter (Q1 = January to March)."""
        return Quarter(self.year, (self.month - 1) // 3 + 1)

    @property
    def financial_quarter(self) -> FinancialQuarter:
        """The financial quarter (Q1 = April to June)."""
        months_into_year = self.months_since(self.financial_year.start)
        return FinancialQuarter(self.financial_year.start_year, months_into_year // 3 + 1)


def month_range(start: Month, end: Month) -> tuple[Month, ...]:
    """Every month from ``start`` to ``end`` inclusive; ValueError if ``end`` is earlier."""
    if end < start:
        raise ValueError(f"The end month {end} is before the start month {start}")
    return tuple(start.shift(offset) for offset in range(end.months_since(start) + 1))


class Period(Protocol):
    """Anything covering a run of whole months, with a plain-English label."""

    @property
    def start(self) -> Month: ...

    @property
    def end(self) -> Month: ...

    @property
    def label(self) -> str: ...


def months_in(period: Period) -> tuple[Month, ...]:
    return month_range(period.start, period.end)


@dataclass(frozen=True, order=True, slots=True)
class MonthSpan:
    """An inclusive run of months, e.g. a rolling 12 months or a financial year to date."""

    start: Month
    end: Month

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"The end month {self.end} is before the start month {self.start}")

    @property
    def months(self) -> tuple[Month, ...]:
        return month_range(self.start, self.end)

    def __len__(self) -> int:
        return self.end.months_since(self.start) + 1

    def __iter__(self) -> Iterator[Month]:
        return iter(self.months)

    def __contains__(self, month: object) -> bool:
        return isinstance(month, Month) and self.start <= month <= self.end

    def shift(self, months: int) -> MonthSpan:
        return MonthSpan(self.start.shift(months), self.end.shift(months))

    @property
    def label(self) -> str:
        """E.g. 'April 2024 to March 2025', or just 'April 2024' for one month."""
        if self.start == self.end:
            return self.start.label
        return f"{self.start.label} to {self.end.label}"


@dataclass(frozen=True, order=True, slots=True)
class FinancialYear:
    """April to March, labelled '2024/25' for April 2024 to March 2025."""

    start_year: int

    @classmethod
    def parse(cls, text: str) -> FinancialYear:
        """Read '2024/25'; the second part must be the year after the first."""
        match = _FINANCIAL_YEAR_PATTERN.fullmatch(text.strip()) if isinstance(text, str) else None
        if match is None or int(match.group(2)) != (int(match.group(1)) + 1) % 100:
            raise ValueError(f"'{text}' is not a financial year (expected e.g. '2024/25')")
        return cls(int(match.group(1)))

    @classmethod
    def containing(cls, month: Month) -> FinancialYear:
        return month.financial_year

    @property
    def start(self) -> Month:
        return Month(self.start_year, FINANCIAL_YEAR_START_MONTH)

    @property
    def end(self) -> Month:
        return self.start + 11

    @property
    def span(self) -> MonthSpan:
        return MonthSpan(self.start, self.end)

    @property
    def months(self) -> tuple[Month, ...]:
        return self.span.months

    @property
    def label(self) -> str:
        return f"{self.start_year}/{(self.start_year + 1) % 100:02d}"

    def __str__(self) -> str:
        return self.label

    def __contains__(self, month: object) -> bool:
        return month in self.span

    @property
    def quarters(self) -> tuple[FinancialQuarter, ...]:
        return tuple(FinancialQuarter(self.start_year, number) for number in range(1, 5))

    def previous(self) -> FinancialYear:
        return FinancialYear(self.start_year - 1)

    def next(self) -> FinancialYear:
        return FinancialYear(self.start_year + 1)


@dataclass(frozen=True, order=True, slots=True)
class Quarter:
    """A calendar quarter: Q1 is January to March. Labelled 'Q1 2025'."""

    year: int
    number: int

    def __post_init__(self) -> None:
        if not 1 <= self.number <= 4:
            raise ValueError(f"'Q{self.number} {self.year}' is not a quarter")

    @property
    def start(self) -> Month:
        return Month(self.year, 3 * (self.number - 1) + 1)

    @property
    def end(self) -> Month:
        return self.start + 2

    @property
    def months(self) -> tuple[Month, ...]:
        return month_range(self.start, self.end)

    @property
    def label(self) -> str:
        return f"Q{self.number} {self.year}"

    def __str__(self) -> str:
        return self.label


@dataclass(frozen=True, order=True, slots=True)
class FinancialQuarter:
    """A quarter of a financial year: Q1 2024/25 is April to June 2024."""

    start_year: int  # the financial year's first calendar year
    number: int

    def __post_init__(self) -> None:
        if not 1 <= self.number <= 4:
            raise ValueError(f"'Q{self.number}' is not a quarter")

    @property
    def financial_year(self) -> FinancialYear:
        return FinancialYear(self.start_year)

    @property
    def start(self) -> Month:
        return self.financial_year.start + 3 * (self.number - 1)

    @property
    def end(self) -> Month:
        return self.start + 2

    @property
    def months(self) -> tuple[Month, ...]:
        return month_range(self.start, self.end)

    @property
    def label(self) -> str:
        return f"Q{self.number} {self.financial_year.label}"

    def __str__(self) -> str:
        return self.label


@dataclass(frozen=True, slots=True)
class RollingYear:
    """The 12 months ending with (and including) ``end``: 'the 12 months to March 2025'."""

    end: Month

    @property
    def start(self) -> Month:
        return self.end - 11

    @property
    def span(self) -> MonthSpan:
        return MonthSpan(self.start, self.end)

    @property
    def months(self) -> tuple[Month, ...]:
        return self.span.months

    @property
    def label(self) -> str:
        return f"12 months to {self.end.label}"

    def previous(self) -> RollingYear:
        """The 12 months before this window, with no overlap."""
        return RollingYear(self.end - 12)


@dataclass(frozen=True, slots=True)
class FinancialYearToDate:
    """From April of the financial year containing ``end`` up to and including ``end``."""

    end: Month

    @property
    def financial_year(self) -> FinancialYear:
        return self.end.financial_year

    @property
    def start(self) -> Month:
        return self.financial_year.start

    @property
    def span(self) -> MonthSpan:
        return MonthSpan(self.start, self.end)

    @property
    def months(self) -> tuple[Month, ...]:
        return self.span.months

    @property
    def label(self) -> str:
        return f"{self.financial_year.label} to date ({self.span.label})"

    def same_period_last_year(self) -> FinancialYearToDate:
        return FinancialYearToDate(self.end - 12)


def rolling_12_months_ending(month: Month) -> RollingYear:
    """The 12 months ending with ``month`` (inclusive)."""
    return RollingYear(month)


def financial_year_to_date(month: Month) -> FinancialYearToDate:
    """April of ``month``'s financial year up to and including ``month``."""
    return FinancialYearToDate(month)


def missing_months(
    months: Iterable[Month], start: Month | None = None, end: Month | None = None
) -> tuple[Month, ...]:
    """Months between ``start`` and ``end`` (default: the earliest and latest given) not present."""
    present = set(months)
    if not present and (start is None or end is None):
        return ()
    first = start if start is not None else min(present)
    last = end if end is not None else max(present)
    if last < first:
        return ()
    return tuple(month for month in month_range(first, last) if month not in present)


def contiguous_spans(months: Iterable[Month]) -> tuple[MonthSpan, ...]:
    """Group months into runs of consecutive months, e.g. the gaps in a series."""
    spans: list[MonthSpan] = []
    for month in sorted(set(months)):
        if spans and month == spans[-1].end + 1:
            spans[-1] = MonthSpan(spans[-1].start, month)
        else:
            spans.append(MonthSpan(month, month))
    return tuple(spans)


def describe_months(months: Iterable[Month]) -> str:
    """Plain English for a set of months: '2020-04 to 2020-06 and 2021-01'."""
    parts = []
    for span in contiguous_spans(months):
        parts.append(str(span.start) if len(span) == 1 else f"{span.start} to {span.end}")
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """'1 month', '3 months'."""
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{count} {word}"
