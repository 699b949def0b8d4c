"""Report periods and audiences: calendar quarters for both, two months for the Board only,
every mistake refused with a plain-English reason."""

from __future__ import annotations

import pytest

from policeplan.analysis.periods import Month
from policeplan.reporting.periods import Audience, ReportPeriodError, parse_report_period

TODAY = Month(2026, 1)


def period(text: str, audience: Audience = Audience.PANEL) -> str:
    parsed = parse_report_period(text, audience, today=TODAY)
    return f"{parsed.start}..{parsed.end} {parsed.text} {parsed.label}"


def test_a_calendar_quarter_is_three_months_from_january_april_july_or_october() -> None:
    assert period("2025-Q4") == (
        "2025-10..2025-12 2025-Q4 October to December 2025 (Q4 2025, calendar quarter)"
    )
    assert period("2025-q1").startswith("2025-01..2025-03 2025-Q1 January to March 2025")


def test_the_board_may_have_two_consecutive_months_even_across_a_year_end() -> None:
    assert period("2025-11..2025-12", Audience.BOARD) == (
        "2025-11..2025-12 2025-11..2025-12 November to December 2025"
    )
    assert period("2024-12..2025-01", Audience.BOARD) == (
        "2024-12..2025-01 2024-12..2025-01 December 2024 to January 2025"
    )
    assert period("2025-Q3", Audience.BOARD).startswith("2025-07..2025-09")


@pytest.mark.parametrize(
    ("text", "audience", "message"),
    [
        ("", Audience.PANEL, "Give a period: a calendar quarter such as 2025-Q4"),
        ("2025-Q5", Audience.PANEL, "quarters are numbered 1 to 4 (Q1 is January to March"),
        ("2025-Q0", Audience.BOARD, "is not a calendar quarter"),
        ("Q4 2025", Audience.PANEL, "'Q4 2025' is not a period: use a calendar quarter"),
        ("2025-11..2025-12", Audience.PANEL, "The Panel's reports cover a calendar quarter"),
        ("2025-10..2025-12", Audience.BOARD, "covers 3 months; a Board period is two"),
        ("2025-11..2025-11", Audience.BOARD, "covers 1 month; a Board period is two"),
        ("2025-12..2025-11", Audience.BOARD, "ends before it starts"),
        ("2025-13..2026-01", Audience.BOARD, "'2025-13' in '2025-13..2026-01' is not a month"),
        ("2026-Q2", Audience.PANEL, "2026-Q2 ends in June 2026, after this month (January 2026)"),
    ],
)
def test_mistakes_are_refused_in_plain_english(text: str, audience: Audience, message: str) -> None:
    with pytest.raises(ReportPeriodError) as error:
        parse_report_period(text, audience, today=TODAY)
    assert message in str(error.value)


def test_an_unknown_audience_names_the_two_there_are() -> None:
    with pytest.raises(ReportPeriodError, match="use board .* or panel"):
        Audience.parse("cabinet")
    assert Audience.parse(" Panel ") is Audience.PANEL
