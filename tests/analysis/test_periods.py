"""Months, financial years, quarters and rolling windows."""

from __future__ import annotations

import datetime as dt

import pytest

from policeplan.analysis.periods import (
    FinancialQuarter,
    FinancialYear,
    Month,
    MonthSpan,
    Quarter,
    contiguous_spans,
    describe_months,
    financial_year_to_date,
    missing_months,
    month_range,
    rolling_12_months_ending,
)

M = Month.parse


class TestMonth:
    def test_parse_and_format(self) -> None:
        assert M("2025-03") == Month(2025, 3)
        assert str(Month(2025, 3)) == "2025-03"
        assert str(Month(987, 1)) == "0987-01"
        assert M(" 2025-03 ") == Month(2025, 3)

    @pytest.mark.parametrize("text", ["2025-13", "2025-00", "2025-1", "25-01", "2025/01", "", "x"])
    def test_bad_text_is_a_plain_english_value_error(self, text: str) -> None:
        with pytest.raises(ValueError) as error:
            M(text)
        assert str(error.value) == f"'{text}' is not a month"

    def test_constructor_checks_month_number(self) -> None:
        with pytest.raises(ValueError, match="'2025-13' is not a month"):
            Month(2025, 13)

    def test_labels(self) -> None:
        assert M("2025-03").label == "March 2025"
        assert M("2025-03").short_label == "Mar 2025"

    def test_days(self) -> None:
        assert M("2024-02").first_day == dt.date(2024, 2, 1)
        assert M("2024-02").last_day == dt.date(2024, 2, 29)  # leap year
        assert M("2023-12").last_day == dt.date(2023, 12, 31)
        assert Month.from_date(dt.date(2024, 7, 19)) == M("2024-07")

    def test_ordering(self) -> None:
        assert M("2024-12") < M("2025-01") < M("2025-02")
        assert sorted([M("2025-01"), M("2023-06"), M("2024-12")]) == [
            M("2023-06"),
            M("2024-12"),
            M("2025-01"),
        ]

    def test_arithmetic_across_year_ends(self) -> None:
        assert M("2024-11") + 3 == M("2025-02")
        assert 3 + M("2024-11") == M("2025-02")
        assert M("2025-02") - 3 == M("2024-11")
        assert M("2025-02") - M("2024-11") == 3
        assert M("2024-11") - M("2025-02") == -3
        assert M("2025-01").shift(-1) == M("2024-12")
        assert M("2025-02").months_since(M("2023-02")) == 24


class TestFinancialYear:
    @pytest.mark.parametrize(
        ("month", "label"),
        [
            ("2024-03", "2023/24"),
            ("2024-04", "2024/25"),
            ("2025-03", "2024/25"),
            ("1999-12", "1999/00"),
        ],
    )
    def test_april_to_march(self, month: str, label: str) -> None:
        assert M(month).financial_year.label == label

    def test_span(self) -> None:
        year = FinancialYear(2024)
        assert (year.start, year.end) == (M("2024-04"), M("2025-03"))
        assert len(year.months) == 12
        assert M("2025-03") in year and M("2025-04") not in year
        assert year.previous().label == "2023/24" and year.next().label == "2025/26"

    def test_parse(self) -> None:
        assert FinancialYear.parse("2024/25") == FinancialYear(2024)
        assert FinancialYear.parse("1999/00") == FinancialYear(1999)
        with pytest.raises(ValueError, match="'2024/26' is not a financial year"):
            FinancialYear.parse("2024/26")
        with pytest.raises(ValueError, match="'2024-25' is not a financial year"):
            FinancialYear.parse("2024-25")


class TestQuarters:
    @pytest.mark.parametrize(
        ("month", "calendar", "financial"),
        [
            ("2024-01", "Q1 2024", "Q4 2023/24"),
            ("2024-03", "Q1 2024", "Q4 2023/24"),
            ("2024-04", "Q2 2024", "Q1 2024/25"),
            ("2024-06", "Q2 2024", "Q1 2024/25"),
            ("2024-07", "Q3 2024", "Q2 2024/25"),
            ("2024-12", "Q4 2024", "Q3 2024/25"),
        ],
    )
    def test_labels(self, month: str, calendar: str, financial: str) -> None:
        assert M(month).quarter.label == calendar
        assert M(month).financial_quarter.label == financial

    def test_months(self) -> None:
        assert FinancialQuarter(2024, 4).months == (M("2025-01"), M("2025-02"), M("2025-03"))
        assert Quarter(2024, 2).months == (M("2024-04"), M("2024-05"), M("2024-06"))
        assert [q.label for q in FinancialYear(2024).quarters] == [
            "Q1 2024/25",
            "Q2 2024/25",
            "Q3 2024/25",
            "Q4 2024/25",
        ]

    def test_bad_quarter(self) -> None:
        with pytest.raises(ValueError, match="'Q5 2024' is not a quarter"):
            Quarter(2024, 5)


class TestWindows:
    def test_rolling_12_months(self) -> None:
        window = rolling_12_months_ending(M("2025-03"))
        assert (window.start, window.end) == (M("2024-04"), M("2025-03"))
        assert window.label == "12 months to March 2025"
        assert window.previous().start == M("2023-04")
        assert window.previous().end == M("2024-03")

    def test_financial_year_to_date(self) -> None:
        ytd = financial_year_to_date(M("2024-06"))
        assert ytd.months == (M("2024-04"), M("2024-05"), M("2024-06"))
        assert ytd.label == "2024/25 to date (April 2024 to June 2024)"
        assert ytd.same_period_last_year().months == (M("2023-04"), M("2023-05"), M("2023-06"))

    def test_financial_year_to_date_in_april_is_one_month(self) -> None:
        assert financial_year_to_date(M("2024-04")).months == (M("2024-04"),)

    def test_financial_year_to_date_in_march_is_the_whole_year(self) -> None:
        assert financial_year_to_date(M("2025-03")).months == FinancialYear(2024).months

    def test_month_range(self) -> None:
        assert month_range(M("2024-11"), M("2025-02")) == (
            M("2024-11"),
            M("2024-12"),
            M("2025-01"),
            M("2025-02"),
        )
        assert month_range(M("2024-11"), M("2024-11")) == (M("2024-11"),)
        with pytest.raises(ValueError, match="end month 2024-10 is before the start month"):
            month_range(M("2024-11"), M("2024-10"))

    def test_month_span(self) -> None:
        span = MonthSpan(M("2024-11"), M("2025-02"))
        assert len(span) == 4
        assert M("2025-01") in span and M("2025-03") not in span
        assert span.label == "November 2024 to February 2025"
        assert MonthSpan(M("2024-11"), M("2024-11")).label == "November 2024"


class TestGaps:
    def test_missing_months_between_first_and_last(self) -> None:
        months = [M("2024-01"), M("2024-02"), M("2024-05"), M("2024-07")]
        assert missing_months(months) == (M("2024-03"), M("2024-04"), M("2024-06"))

    def test_missing_months_within_given_bounds(self) -> None:
        months = [M("2024-02")]
        assert missing_months(months, M("2024-01"), M("2024-03")) == (M("2024-01"), M("2024-03"))
        assert missing_months([]) == ()

    def test_contiguous_spans_and_description(self) -> None:
        months = [M("2020-04"), M("2020-05"), M("2020-06"), M("2021-01"), M("2021-03")]
        assert [len(span) for span in contiguous_spans(months)] == [3, 1, 1]
        assert describe_months(months) == "2020-04 to 2020-06, 2021-01 and 2021-03"
        assert describe_months([M("2021-01")]) == "2021-01"
