"""The NHSRplotthedots conventions beside the default (Making Data Count), on series where the
two give different answers. Figures are worked by hand in the comments."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from policeplan.analysis.periods import Month
from policeplan.analysis.spc import Rule, SpcConvention, xmr_chart

START = Month(2021, 1)
NHSR = SpcConvention.NHSRPLOTTHEDOTS


def _series(values: Sequence[float]) -> dict[Month, float | None]:
    return {START + i: v for i, v in enumerate(values)}


def test_nhsr_screens_out_large_moving_ranges_before_setting_limits() -> None:
    # One month of 50 among 10s and 11s. Moving ranges: 0 1 1 40 40 1 1 0 1 1 0 1 1 (sum 88,
    # 13 ranges): MR-bar 6.769; 3.267 x 6.769 = 22.11, so NHSRplotthedots drops both 40s and
    # recalculates MR-bar from the other 11: 8 / 11 = 0.7273.
    values = [10, 10, 11, 10, 50, 10, 11, 10, 10, 11, 10, 10, 11, 10]
    mean = sum(values) / len(values)
    default = xmr_chart(_series(values)).segments[0].limits
    screened = xmr_chart(_series(values), convention=NHSR).segments[0].limits
    assert default is not None and screened is not None
    assert default.mean == screened.mean == pytest.approx(mean)
    assert default.mean_moving_range == pytest.approx(88 / 13)
    assert screened.mean_moving_range == pytest.approx(8 / 11)
    assert screened.upper == pytest.approx(mean + 2.66 * 8 / 11)
    assert default.upper == pytest.approx(mean + 2.66 * 88 / 13)


def test_two_of_three_counts_only_points_short_of_the_limit_in_nhsr() -> None:
    # Limits fixed on 20 baseline points alternating 10 and 12: mean 11, MR-bar 2, so
    # sigma = 2.66 / 3 x 2 = 1.7733, the 2-sigma line 14.547 and the upper limit 16.32.
    # Then 11 (on the mean), 15 (between 2 sigma and the limit) and 20 (beyond the limit).
    values = [10.0, 12.0] * 10 + [11.0, 15.0, 20.0, 11.0]
    fifteen = START + 21
    default = xmr_chart(_series(values), baseline_points=20)
    nhsr = xmr_chart(_series(values), baseline_points=20, convention=NHSR)
    by_month = {p.month: p for p in default.points}
    nhsr_by_month = {p.month: p for p in nhsr.points}
    # Making Data Count: 15 and 20 are both beyond the 2-sigma line, so two of three.
    assert Rule.TWO_OF_THREE in by_month[fifteen].rules
    # NHSRplotthedots: 20 is beyond the limit, so only one point is "close to the limit";
    # 15 is common cause.
    assert nhsr_by_month[fifteen].rules == ()
    assert nhsr_by_month[START + 22].rules == (Rule.OUTSIDE_LIMITS,)


def test_two_of_three_needs_all_three_on_one_side_of_the_mean_in_nhsr() -> None:
    # 15, 9 (below the mean of 11), 15: two points between 2 sigma and the limit, but the
    # window straddles the mean. Making Data Count flags both 15s; NHSRplotthedots neither.
    values = [10.0, 12.0] * 10 + [15.0, 9.0, 15.0]
    default = xmr_chart(_series(values), baseline_points=20)
    nhsr = xmr_chart(_series(values), baseline_points=20, convention="nhsrplotthedots")
    assert Rule.TWO_OF_THREE in default.points[20].rules
    assert Rule.TWO_OF_THREE in default.points[22].rules
    assert nhsr.points[20].rules == () and nhsr.points[22].rules == ()


def test_unknown_convention_is_an_error() -> None:
    with pytest.raises(ValueError, match="'plot-the-dots' is not a valid SpcConvention"):
        xmr_chart(_series([1.0, 2.0]), convention="plot-the-dots")
