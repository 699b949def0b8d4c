"""Who a report is for and which months it covers, read strictly from what a user typed.

Pure Python (no Django), so the rules are easy to test. The Police and Crime Panel receives a
report every calendar quarter; the Corporate Governance Board every two months, or for a
calendar quarter. Calendar quarters, not financial ones: 2025-Q4 is October to December 2025.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from policeplan.analysis.periods import MONTH_NAMES, Month, Quarter, month_range

_QUARTER = re.compile(r"(\d{4})-[Qq](\d+)")
_TWO_MONTHS = re.compile(r"(\S+?)\.\.(\S+)")
EXAMPLES = "a calendar quarter such as 2025-Q4 (October to December 2025)"
BOARD_EXAMPLE = "two consecutive months such as 2025-11..2025-12"


class Audience(StrEnum):
    BOARD = "board"
    PANEL = "panel"

    @property
    def label(self) -> str:
        return {"board": "Corporate Governance Board", "panel": "Police and Crime Panel"}[self]

    @property
    def short_label(self) -> str:
        return {"board": "the Board", "panel": "the Panel"}[self]

    @classmethod
    def parse(cls, text: str) -> Audience:
        try:
            return cls(text.strip().lower())
        except ValueError:
            raise ReportPeriodError(
                f"'{text}' is not an audience: use board (the Corporate Governance Board) or "
                "panel (the Police and Crime Panel)."
            ) from None


class ReportPeriodError(ValueError):
    """A period or audience a report cannot be built for, explained in plain English."""


@dataclass(frozen=True)
class ReportPeriod:
    """The months a report covers: a calendar quarter or two consecutive months."""

    start: Month
    end: Month

    @property
    def is_quarter(self) -> bool:
        return self.start.month % 3 == 1 and self.end == self.start + 2

    @property
    def text(self) -> str:
        """As typed on the command line: '2025-Q4' or '2025-11..2025-12'."""
        if self.is_quarter:
            return f"{self.start.year}-Q{(self.start.month + 2) // 3}"
        return f"{self.start}..{self.end}"

    @property
    def slug(self) -> str:
        return self.text.lower().replace("..", "-to-")

    @property
    def label(self) -> str:
        """'October to December 2025 (calendar quarter 4)' or 'November to December 2025'."""
        if self.start.year == self.end.year:
            months = f"{MONTH_NAMES[self.start.month - 1]} to {self.end.label}"
        else:
            months = f"{self.start.label} to {self.end.label}"
        if self.is_quarter:
            quarter = Quarter(self.start.year, (self.start.month + 2) // 3)
            return f"{months} ({quarter.label}, calendar quarter)"
        return months

    @property
    def months(self) -> tuple[Month, ...]:
        return month_range(self.start, self.end)


def _month(text: str, whole: str) -> Month:
    try:
        return Month.parse(text)
    except ValueError:
        raise ReportPeriodError(
            f"'{text}' in '{whole}' is not a month: write months as YYYY-MM, for example "
            f"{BOARD_EXAMPLE}."
        ) from None


def parse_report_period(text: str, audience: Audience, *, today: Month) -> ReportPeriod:
    """The period ``text`` names for ``audience``, or a ReportPeriodError saying what is wrong.

    ``today`` is the current month: a period that ends after it has not happened yet.
    """
    given = text.strip()
    if not given:
        raise ReportPeriodError(f"Give a period: {EXAMPLES}, or for the Board {BOARD_EXAMPLE}.")
    quarter = _QUARTER.fullmatch(given)
    two_months = _TWO_MONTHS.fullmatch(given)
    if quarter:
        year, number = int(quarter.group(1)), int(quarter.group(2))
        if not 1 <= number <= 4:
            raise ReportPeriodError(
                f"'{given}' is not a calendar quarter: quarters are numbered 1 to 4 (Q1 is "
                "January to March, Q4 is October to December)."
            )
        if year < 1:
            raise ReportPeriodError(f"'{given}' is not a calendar quarter: the year is wrong.")
        period = ReportPeriod(Month(year, 3 * number - 2), Month(year, 3 * number))
    elif two_months:
        start = _month(two_months.group(1), given)
        end = _month(two_months.group(2), given)
        if end < start:
            raise ReportPeriodError(
                f"'{given}' ends before it starts: put the earlier month first."
            )
        if audience is Audience.PANEL:
            raise ReportPeriodError(
                f"The Panel's reports cover a calendar quarter, such as 2025-Q4; two-month "
                f"periods like '{given}' are for the Board."
            )
        length = end.months_since(start) + 1
        if length != 2:
            raise ReportPeriodError(
                f"'{given}' covers {length} month{'s' if length != 1 else ''}; a Board period is "
                f"{BOARD_EXAMPLE}, or {EXAMPLES}."
            )
        period = ReportPeriod(start, end)
    else:
        raise ReportPeriodError(
            f"'{given}' is not a period: use {EXAMPLES}"
            + (f", or {BOARD_EXAMPLE}." if audience is Audience.BOARD else ".")
        )
    if period.end > today:
        raise ReportPeriodError(
            f"{period.text} ends in {period.end.label}, after this month ({today.label}): a "
            "report covers a period that has happened."
        )
    return period
