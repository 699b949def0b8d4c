"""Exception reporting: each reason on its own, together, and checks that cannot be made."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from policeplan.analysis.exceptions import (
    ExceptionAssessment,
    ExceptionReasonCode,
    assess_exception,
)
from policeplan.analysis.periods import Month
from policeplan.analysis.spc import SpcResult, xmr_chart
from policeplan.analysis.trends import rolling_12_month_change

from .test_spc import BASELINE, series

LOWER = "lower-is-better"
HIGHER = "higher-is-better"


def chart(extra: Sequence[float | None], polarity: str, target: float | None = None) -> SpcResult:
    return xmr_chart(
        series([*BASELINE, *extra]), baseline_points=15, polarity=polarity, target=target
    )


def codes(assessment: ExceptionAssessment) -> list[ExceptionReasonCode]:
    return [reason.code for reason in assessment.reasons]


def test_common_cause_and_no_target_is_not_an_exception() -> None:
    result = assess_exception(polarity=LOWER, spc=chart([], LOWER), twelve_month_change=2.0)
    assert not result.is_exception
    assert result.reasons == () and result.notes == ()


def test_special_cause_concern() -> None:
    result = assess_exception(polarity=LOWER, spc=chart([61], LOWER))
    assert codes(result) == [ExceptionReasonCode.SPECIAL_CAUSE_CONCERN]
    assert result.reason_texts[0].startswith("Special cause variation of a concerning nature")


def test_special_cause_improvement_is_not_an_exception() -> None:
    result = assess_exception(polarity=HIGHER, spc=chart([61], HIGHER))
    assert not result.is_exception


def test_concern_earlier_in_the_series_but_not_latest_is_not_an_exception() -> None:
    result = assess_exception(polarity=LOWER, spc=chart([61, 50], LOWER))
    assert not result.is_exception


def test_consistently_failing_target() -> None:
    # Limits 39.36 to 60.64; a target of 35 with lower-is-better can never be met.
    result = assess_exception(polarity=LOWER, spc=chart([], LOWER, target=35))
    assert codes(result) == [ExceptionReasonCode.CONSISTENTLY_FAILING_TARGET]
    assert "consistently fail" in result.reason_texts[0]


def test_hit_and_miss_target_is_not_an_exception() -> None:
    assert not assess_exception(polarity=LOWER, spc=chart([], LOWER, target=45)).is_exception


@pytest.mark.parametrize(
    ("polarity", "percent", "expected"),
    [
        (LOWER, 12.0, True),
        (LOWER, 10.0, True),  # on the threshold counts
        (LOWER, 9.9, False),
        (LOWER, -25.0, False),  # a fall is good news
        (HIGHER, -10.0, True),
        (HIGHER, 25.0, False),
        ("neutral", 50.0, False),
    ],
)
def test_twelve_month_change_threshold(polarity: str, percent: float, expected: bool) -> None:
    result = assess_exception(polarity=polarity, twelve_month_change=percent, spc=chart([], LOWER))
    assert result.is_exception is expected


def test_change_reason_text() -> None:
    result = assess_exception(polarity=LOWER, spc=chart([], LOWER), twelve_month_change=12.34)
    assert result.reason_texts == [
        "Up 12.3% on the previous 12 months, beyond the 10% threshold for an exception "
        "(lower is better)."
    ]


def test_threshold_is_configurable_and_can_be_off() -> None:
    spc = chart([], LOWER)
    assert assess_exception(
        polarity=LOWER, spc=spc, twelve_month_change=6, percent_change_threshold=5
    ).is_exception
    off = assess_exception(
        polarity=LOWER, spc=spc, twelve_month_change=60, percent_change_threshold=None
    )
    assert not off.is_exception
    with pytest.raises(ValueError, match="must not be negative"):
        assess_exception(polarity=LOWER, spc=spc, percent_change_threshold=-1)


def test_all_three_reasons_together_in_order() -> None:
    months = {Month(2023, 4) + i: 100.0 for i in range(12)}
    months.update({Month(2024, 4) + i: 120.0 for i in range(12)})
    change = rolling_12_month_change(months, Month(2025, 3))  # +20 %
    result = assess_exception(
        polarity=LOWER, spc=chart([61], LOWER, target=35), twelve_month_change=change
    )
    assert codes(result) == [
        ExceptionReasonCode.SPECIAL_CAUSE_CONCERN,
        ExceptionReasonCode.CONSISTENTLY_FAILING_TARGET,
        ExceptionReasonCode.TWELVE_MONTH_CHANGE,
    ]


def test_checks_that_cannot_be_made_are_noted() -> None:
    months = {Month(2024, 4) + i: 120.0 for i in range(12)}  # no previous year
    change = rolling_12_month_change(months, Month(2025, 3))
    result = assess_exception(polarity=LOWER, twelve_month_change=change)
    assert not result.is_exception
    assert result.notes == (
        "Variation could not be checked: there is no SPC chart for this measure.",
        "The 12-month change could not be checked: 12 months missing in the previous 12 months "
        "(April 2023 to March 2024): 2023-04 to 2024-03.",
    )


def test_spc_without_limits_is_noted() -> None:
    result = assess_exception(polarity=LOWER, spc=xmr_chart(series([5])), twelve_month_change=0)
    assert result.notes[0].startswith("Variation could not be checked: there is not enough data")
