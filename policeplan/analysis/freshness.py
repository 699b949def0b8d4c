"""Is a series current? Its latest period against the newest figures held, by its frequency.

A series is *out of date* when its latest period ends more months before the reference month
(the newest month of any figure held for the force) than its frequency allows. Out-of-date
figures are labelled with their age and never called current.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .periods import Month, plural

# Months a series may lag the newest figures held, by the catalogue's reporting frequency.
DEFAULT_ALLOWED_LAG = {"monthly": 3, "quarterly": 6, "annual": 15, "ad-hoc": 36}


def parse_allowed_lag(text: str) -> dict[str, int]:
    """'monthly=3,quarterly=6' -> {'monthly': 3, 'quarterly': 6}; a bad entry is a ValueError."""
    allowed = dict(DEFAULT_ALLOWED_LAG)
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, sep, months = part.partition("=")
        if not sep or not months.strip().isdigit():
            raise ValueError(f"'{part}' is not FREQUENCY=MONTHS (e.g. quarterly=6)")
        allowed[name.strip()] = int(months)
    return allowed


@dataclass(frozen=True)
class Freshness:
    latest: Month  # the month the series' latest period ends in
    reference: Month  # the newest month of any figure held
    allowed_months: int
    period_label: str  # "December 2019" or "the 12 months to December 2019"

    @property
    def age_months(self) -> int:
        return self.reference.months_since(self.latest)

    @property
    def out_of_date(self) -> bool:
        return self.age_months > self.allowed_months

    @property
    def age_text(self) -> str:
        years, months = divmod(self.age_months, 12)
        if years and not months:
            return plural(years, "year")
        if years:
            return f"{plural(years, 'year')} and {plural(months, 'month')}"
        return plural(months, "month")

    def describe(self) -> str:
        """'Out of date: the latest figure is for the 12 months to December 2019, ...'."""
        if not self.out_of_date:
            return f"The latest figure is for {self.period_label}."
        return (
            f"Out of date: the latest figure is for {self.period_label}, {self.age_text} before "
            f"the newest figures held here ({self.reference.label})."
        )


def freshness(
    latest: Month,
    reference: Month | None,
    frequency: str,
    allowed: Mapping[str, int] = DEFAULT_ALLOWED_LAG,
    *,
    period_label: str | None = None,
) -> Freshness:
    """How current a series ending in ``latest`` is; ``reference`` None means itself."""
    lag = allowed.get(frequency, max(allowed.values()))
    return Freshness(latest, max(latest, reference or latest), lag, period_label or latest.label)
