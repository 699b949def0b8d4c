"""Rolling 12 months, financial year to date and aggregates, with gaps kept as gaps."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from policeplan.analysis.periods import FinancialYear, Month, RollingYear
from policeplan.analysis.trends import (
    Aggregation,
    aggregate,
    financial_year_series,
    financial_year_to_date_change,
    quarterly_series,
    rate_per_1000,
    rolling_12_month_change,
    rolling_12_month_series,
    series_from_text,
)

M = Month.parse


def monthly(start: str, values: Sequence[float | None]) -> dict[Month, float | None]:
    return {M(start) + i: value for i, value in enumerate(values)}


# April 2023 to March 2025: 10 a month in 2023/24, 11 a month in 2024/25.
TWO_YEARS = monthly("2023-04", [10.0] * 12 + [11.0] * 12)


class TestRollingTwelveMonths:
    def test_change_and_percent_change(self) -> None:
        # Current: 12 × 11 = 132; previous: 12 × 10 = 120; change 12; 12 / 120 = 10 %.
        result = rolling_12_month_change(TWO_YEARS, M("2025-03"))
        assert (result.current.value, result.previous.value) == (132, 120)
        assert result.change == 12
        assert result.percent_change == pytest.approx(10.0)
        assert result.unavailable_reason is None
        assert result.direction == 1
        assert result.describe() == (
            "132 in 12 months to March 2025, up 10.0% (12) on 120 in 12 months to March 2024."
        )

    def test_windows_do_not_overlap(self) -> None:
        result = rolling_12_month_change(TWO_YEARS, M("2025-03"))
        assert (result.current.period.start, result.previous.period.end) == (
            M("2024-04"),
            M("2024-03"),
        )

    def test_missing_months_in_the_previous_window(self) -> None:
        values = dict(TWO_YEARS)
        for month in ("2023-04", "2023-05", "2023-06"):
            values[M(month)] = None
        result = rolling_12_month_change(values, M("2025-03"))
        assert result.current.value == 132
        assert result.previous.value is None
        assert result.change is None and result.percent_change is None
        assert result.unavailable_reason == (
            "3 months missing in the previous 12 months (April 2023 to March 2024): "
            "2023-04 to 2023-06"
        )
        assert result.describe().startswith("132 in 12 months to March 2025. No comparison: 3 ")

    def test_a_month_absent_from_the_mapping_is_a_gap_not_zero(self) -> None:
        values = dict(TWO_YEARS)
        del values[M("2024-12")]
        result = rolling_12_month_change(values, M("2025-03"))
        assert result.current.value is None
        assert result.current.missing == (M("2024-12"),)
        assert result.unavailable_reason == (
            "1 month missing in the latest 12 months (April 2024 to March 2025): 2024-12"
        )

    def test_nan_is_a_gap(self) -> None:
        values = dict(TWO_YEARS)
        values[M("2024-12")] = float("nan")
        assert rolling_12_month_change(values, M("2025-03")).current.value is None

    def test_previous_total_zero_gives_change_but_no_percentage(self) -> None:
        values = monthly("2023-04", [0.0] * 12 + [1.0] * 12)
        result = rolling_12_month_change(values, M("2025-03"))
        assert result.change == 12
        assert result.percent_change is None
        assert result.unavailable_reason is not None
        assert "zero" in result.unavailable_reason
        assert result.describe() == (
            "12 in 12 months to March 2025, up 12 on 0 in 12 months to March 2024."
        )

    def test_min_coverage_allows_a_scaled_estimate(self) -> None:
        values = dict(TWO_YEARS)
        values[M("2023-05")] = None
        # 11 months of 10 = 110, scaled to 12 months: 110 × 12 / 11 = 120.
        result = rolling_12_month_change(values, M("2025-03"), min_coverage=11 / 12)
        assert result.previous.value == pytest.approx(120)
        assert result.previous.estimated
        assert result.previous.note.startswith("Estimated (scaled up from 11 to 12 months)")
        assert result.percent_change == pytest.approx(10.0)
        # Two months missing is still below 11/12 coverage.
        values[M("2023-06")] = None
        assert rolling_12_month_change(values, M("2025-03"), min_coverage=11 / 12).change is None

    def test_mean_aggregation_for_rates(self) -> None:
        result = rolling_12_month_change(TWO_YEARS, M("2025-03"), how=Aggregation.MEAN)
        assert (result.current.value, result.previous.value) == (11, 10)

    def test_bad_min_coverage(self) -> None:
        with pytest.raises(ValueError, match="min_coverage"):
            aggregate(TWO_YEARS, RollingYear(M("2025-03")), min_coverage=0)


class TestFinancialYearToDate:
    def test_against_the_same_months_last_year(self) -> None:
        result = financial_year_to_date_change(TWO_YEARS, M("2024-06"))
        # April to June 2024: 3 × 11 = 33; April to June 2023: 3 × 10 = 30.
        assert (result.current.value, result.previous.value, result.change) == (33, 30, 3)
        assert result.current.label == "2024/25 to date (April 2024 to June 2024)"

    def test_in_march_it_is_the_whole_year(self) -> None:
        result = financial_year_to_date_change(TWO_YEARS, M("2025-03"))
        assert (result.current.value, result.previous.value) == (132, 120)

    def test_in_april_it_is_one_month(self) -> None:
        result = financial_year_to_date_change(TWO_YEARS, M("2024-04"))
        assert (result.current.value, result.previous.value) == (11, 10)

    def test_no_earlier_data(self) -> None:
        result = financial_year_to_date_change(TWO_YEARS, M("2023-05"))
        assert result.change is None
        assert result.unavailable_reason == (
            "2 months missing in the same period last year (April 2022 to May 2022): "
            "2022-04 to 2022-05"
        )


class TestAggregates:
    def test_financial_quarters_with_a_partial_first_quarter(self) -> None:
        values = monthly("2024-05", [1.0, 2, 3, 4, 5, 6, 7, 8])  # May to December 2024
        quarters = quarterly_series(values)
        assert [q.label for q in quarters] == ["Q1 2024/25", "Q2 2024/25", "Q3 2024/25"]
        assert [q.value for q in quarters] == [None, 3 + 4 + 5, 6 + 7 + 8]
        assert quarters[0].note == "1 month missing in Q1 2024/25: 2024-04"

    def test_calendar_quarters(self) -> None:
        values = monthly("2024-01", [1.0] * 6)
        quarters = quarterly_series(values, financial=False)
        assert [(q.label, q.value) for q in quarters] == [("Q1 2024", 3), ("Q2 2024", 3)]

    def test_financial_years(self) -> None:
        years = financial_year_series(TWO_YEARS)
        assert [(y.label, y.value) for y in years] == [("2023/24", 120), ("2024/25", 132)]

    def test_financial_year_with_a_gap_is_unavailable_unless_coverage_allows(self) -> None:
        values = dict(TWO_YEARS)
        values[M("2024-08")] = None
        assert aggregate(values, FinancialYear(2024)).value is None
        estimate = aggregate(values, FinancialYear(2024), min_coverage=0.9)
        assert estimate.value == pytest.approx(132) and estimate.estimated

    def test_rolling_series(self) -> None:
        rolling = rolling_12_month_series(TWO_YEARS)
        assert len(rolling) == 13  # windows ending March 2024 to March 2025
        assert rolling[0].label == "12 months to March 2024"
        assert [r.value for r in rolling[:3]] == [120, 121, 122]
        assert rolling[-1].value == 132

    def test_rolling_series_gap_spreads_to_every_window_containing_it(self) -> None:
        values = dict(TWO_YEARS)
        values[M("2024-06")] = None
        rolling = rolling_12_month_series(values)
        unavailable = [r.period.end for r in rolling if r.value is None]
        assert unavailable == [M("2024-06") + i for i in range(10)]  # June 2024 to March 2025

    def test_empty_series(self) -> None:
        assert quarterly_series({}) == [] and rolling_12_month_series({M("2024-01"): None}) == []


def test_rate_per_1000() -> None:
    assert rate_per_1000(50, 25_000) == 2.0
    assert rate_per_1000(None, 25_000) is None
    assert rate_per_1000(50, None) is None
    assert rate_per_1000(50, 0) is None


def test_series_from_text_names_a_bad_month() -> None:
    assert series_from_text({"2024-01": 3}) == {M("2024-01"): 3}
    with pytest.raises(ValueError, match="'2024-13' is not a month"):
        series_from_text({"2024-13": 3})


def test_rate_base_is_chosen_by_magnitude_as_ons_does() -> None:
    from policeplan.analysis.trends import choose_rate_base, format_rate

    population = 1_100_000.0
    homicide = [(9.0, population), (16.0, population), (7.0, population)]
    assert choose_rate_base(homicide).per == 1_000_000
    assert choose_rate_base([(900.0, population)]).per == 100_000
    assert choose_rate_base([(6_599.0, population)]).per == 1_000
    # Zero counts and missing populations do not drive the choice.
    assert choose_rate_base([(0.0, population), (6_599.0, None), (5_000.0, population)]).per == 1000
    assert choose_rate_base([]).per == 1_000
    base = choose_rate_base(homicide)
    assert base.label == "per million population"
    assert format_rate(base.rate(9, population)) == "8.2"
    # A non-zero rate never prints as 0.0.
    assert format_rate(9 / population * 1000) == "0.0082"
    assert format_rate(0.0) == "0.0"
