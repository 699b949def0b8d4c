"""XmR charts: hand-worked limits, each special-cause rule met exactly and missed by one."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from policeplan.analysis.periods import Month
from policeplan.analysis.spc import (
    AssuranceIcon,
    PointClass,
    Rule,
    SpcResult,
    VariationIcon,
    xmr_chart,
)

START = Month(2018, 12)

# The hand-worked baseline: 15 months of burglaries, December 2018 to February 2020.
BASELINE = [52, 48, 55, 50, 47, 53, 51, 49, 54, 50, 46, 52, 51, 48, 44]
# Sum = 750, so mean = 750 / 15 = 50.
# Moving ranges |x(i) - x(i-1)|: 4 7 5 3 6 2 2 5 4 4 6 1 3 4; sum = 56 over 14 ranges,
# so MR-bar = 56 / 14 = 4.
# Process limits = 50 ± 2.66 × 4 = 50 ± 10.64 -> upper 60.64, lower 39.36.
# One sigma = 2.66 / 3 × 4 = 3.5467 -> 53.5467 and 46.4533.
# Two sigma = 7.0933 -> 57.0933 and 42.9067 (the two-in-three lines).
# No point is beyond two sigma (max 55, min 44), no 7-run on one side of 50, no 7-point trend.
MEAN, MR_BAR, UPPER, LOWER = 50.0, 4.0, 60.64, 39.36
TWO_SIGMA = 2 * 2.66 / 3 * 4


def series(values: Sequence[float | None], start: Month = START) -> dict[Month, float | None]:
    return {start + i: value for i, value in enumerate(values)}


def extended(
    extra: Sequence[float | None],
    *,
    polarity: str = "neutral",
    target: float | None = None,
    shift_length: int = 7,
) -> SpcResult:
    """The baseline plus ``extra`` months, with limits fixed on the 15 baseline points."""
    return xmr_chart(
        series([*BASELINE, *extra]),
        baseline_points=15,
        polarity=polarity,
        target=target,
        shift_length=shift_length,
    )


def flagged(result: SpcResult, rule: Rule) -> list[float | None]:
    return [p.value for p in result.points if rule in p.rules]


def extra_flags(result: SpcResult) -> list[tuple[float | None, tuple[Rule, ...]]]:
    return [(p.value, p.rules) for p in result.points[15:]]


class TestHandWorkedLimits:
    def test_mean_moving_ranges_and_limits(self) -> None:
        result = xmr_chart(series(BASELINE))
        (segment,) = result.segments
        assert segment.limits is not None
        assert segment.limits.mean == pytest.approx(MEAN)
        assert segment.limits.mean_moving_range == pytest.approx(MR_BAR)
        assert segment.limits.upper == pytest.approx(UPPER)
        assert segment.limits.lower == pytest.approx(LOWER)
        assert segment.limits.upper_one_sigma == pytest.approx(53.546667, abs=1e-6)
        assert segment.limits.lower_one_sigma == pytest.approx(46.453333, abs=1e-6)
        assert segment.limits.upper_two_sigma == pytest.approx(50 + TWO_SIGMA)
        assert [p.moving_range for p in result.points] == [
            None, 4, 7, 5, 3, 6, 2, 2, 5, 4, 4, 6, 1, 3, 4
        ]  # fmt: skip
        assert not segment.trial
        assert result.warnings == ()

    def test_common_cause_everywhere(self) -> None:
        result = xmr_chart(series(BASELINE), polarity="lower-is-better")
        assert all(p.classification is PointClass.COMMON_CAUSE for p in result.points)
        assert result.variation.icon is VariationIcon.COMMON_CAUSE
        assert result.variation.month == Month(2020, 2)
        assert "February 2020" in result.variation.explanation

    def test_chart_rows_are_flat_and_json_ready(self) -> None:
        row = xmr_chart(series(BASELINE)).chart_rows()[1]
        assert row["month"] == "2019-01"
        assert row["value"] == 48
        assert row["moving_range"] == 4
        assert row["upper"] == pytest.approx(UPPER)
        assert row["rules"] == [] and row["classification"] == "common_cause"

    def test_fixed_baseline_keeps_limits_as_points_are_added(self) -> None:
        result = extended([55, 45, 52])
        (segment,) = result.segments
        assert segment.baseline_points == 15
        assert segment.limits is not None and segment.limits.mean == pytest.approx(MEAN)
        assert [p.in_baseline for p in result.points[14:]] == [True, False, False, False]
        # Without fixing, the extra points join the calculation: mean = (750 + 152) / 18.
        free = xmr_chart(series([*BASELINE, 55, 45, 52]))
        assert free.segments[0].limits is not None
        assert free.segments[0].limits.mean == pytest.approx(902 / 18)


class TestOutsideLimits:
    def test_a_point_above_the_upper_limit(self) -> None:
        result = extended([61])  # 61 > 60.64
        assert extra_flags(result) == [(61, (Rule.OUTSIDE_LIMITS,))]

    def test_one_short_just_inside_the_limit(self) -> None:
        result = extended([60])  # 60 < 60.64, and alone beyond two sigma
        assert extra_flags(result) == [(60, ())]

    def test_a_point_below_the_lower_limit(self) -> None:
        result = extended([39])  # 39 < 39.36
        assert extra_flags(result) == [(39, (Rule.OUTSIDE_LIMITS,))]
        assert result.points[-1].direction == -1


class TestShift:
    def test_seven_points_above_the_mean(self) -> None:
        result = extended([51] * 7)  # the baseline ends below the mean at 44
        assert flagged(result, Rule.SHIFT) == [51] * 7

    def test_six_points_fall_one_short(self) -> None:
        assert flagged(extended([51] * 6), Rule.SHIFT) == []

    def test_a_point_on_the_mean_breaks_the_run(self) -> None:
        assert flagged(extended([51, 51, 51, 50, 51, 51, 51, 51]), Rule.SHIFT) == []

    def test_a_gap_neither_breaks_nor_counts_towards_the_run(self) -> None:
        result = extended([51, 51, 51, None, 51, 51, 51, 51])
        assert flagged(result, Rule.SHIFT) == [51] * 7
        assert extended([51, 51, 51, None, 51, 51]).points[-1].rules == ()

    def test_configurable_length(self) -> None:
        assert flagged(extended([51] * 6, shift_length=6), Rule.SHIFT) == [51] * 6


class TestTrend:
    # The baseline ends 52, 51, 48, 44; from 44 upwards each point is higher than the last.
    # Sides of the mean: 48, 44, 45, 47, 49 are below 50 (five in a row, no shift).
    RISING = [45, 47, 49, 51, 53, 55]

    def test_seven_points_each_higher_than_the_last(self) -> None:
        result = extended(self.RISING)
        assert flagged(result, Rule.TREND) == [44, *self.RISING]
        assert all(p.direction == 1 for p in result.points if p.rules)
        assert flagged(result, Rule.SHIFT) == []

    def test_six_points_fall_one_short(self) -> None:
        assert flagged(extended(self.RISING[:-1]), Rule.TREND) == []

    def test_an_equal_value_breaks_the_trend(self) -> None:
        assert flagged(extended([45, 47, 47, 49, 51, 53, 55]), Rule.TREND) == []

    def test_a_falling_trend(self) -> None:
        # 52, 51, 48, 44 then 43.5, 43, 42.95: seven points each lower than the last.
        # 42.95 is just above the lower two-sigma line (42.9067), so two-in-three stays quiet.
        result = extended([43.5, 43, 42.95])
        assert flagged(result, Rule.TREND) == [52, 51, 48, 44, 43.5, 43, 42.95]
        assert result.points[-1].direction == -1


class TestTwoOutOfThree:
    # Two-sigma lines: 57.0933 above, 42.9067 below.
    def test_two_of_three_beyond_two_sigma_on_the_same_side(self) -> None:
        result = extended([58, 50, 58])
        assert extra_flags(result) == [
            (58, (Rule.TWO_OF_THREE,)),
            (50, ()),
            (58, (Rule.TWO_OF_THREE,)),
        ]

    def test_one_short_when_the_two_are_four_points_apart(self) -> None:
        assert flagged(extended([58, 50, 50, 58]), Rule.TWO_OF_THREE) == []

    def test_one_on_each_side_does_not_count(self) -> None:
        assert flagged(extended([58, 50, 42]), Rule.TWO_OF_THREE) == []

    def test_a_point_outside_the_limits_counts_towards_two_of_three(self) -> None:
        result = extended([61, 50, 58])
        assert extra_flags(result) == [
            (61, (Rule.OUTSIDE_LIMITS, Rule.TWO_OF_THREE)),
            (50, ()),
            (58, (Rule.TWO_OF_THREE,)),
        ]

    def test_below(self) -> None:
        result = extended([42, 42])  # 44 is not beyond 42.9067; 42 and 42 are
        assert flagged(result, Rule.TWO_OF_THREE) == [42, 42]
        assert result.points[-1].direction == -1


class TestPolarity:
    @pytest.mark.parametrize(
        ("polarity", "classification", "icon"),
        [
            ("lower-is-better", PointClass.CONCERN, VariationIcon.CONCERN_HIGH),
            ("higher-is-better", PointClass.IMPROVEMENT, VariationIcon.IMPROVEMENT_HIGH),
            ("neutral", PointClass.NEITHER, VariationIcon.NEITHER_HIGH),
        ],
    )
    def test_a_high_point(self, polarity: str, classification: PointClass, icon: str) -> None:
        result = extended([61], polarity=polarity)
        assert result.points[-1].classification is classification
        assert result.variation.icon is icon

    @pytest.mark.parametrize(
        ("polarity", "icon"),
        [
            ("lower-is-better", VariationIcon.IMPROVEMENT_LOW),
            ("higher-is-better", VariationIcon.CONCERN_LOW),
            ("neutral", VariationIcon.NEITHER_LOW),
        ],
    )
    def test_a_low_point(self, polarity: str, icon: str) -> None:
        assert extended([39], polarity=polarity).variation.icon is icon

    def test_a_trend_is_classed_by_its_direction_not_its_side_of_the_mean(self) -> None:
        result = extended(TestTrend.RISING, polarity="higher-is-better")
        below_mean_in_trend = [p for p in result.points if p.value == 45][0]
        assert below_mean_in_trend.classification is PointClass.IMPROVEMENT

    def test_explanation_is_plain_english(self) -> None:
        text = extended([61], polarity="lower-is-better").variation.explanation
        assert text == (
            "Special cause variation of a concerning nature: the latest month (March 2020) is "
            "unusually high (it is above the upper process limit); lower is better, so this is "
            "a cause for concern."
        )

    def test_unknown_polarity(self) -> None:
        with pytest.raises(ValueError, match="'up' is not a polarity"):
            xmr_chart(series(BASELINE), polarity="up")


class TestAssurance:
    @pytest.mark.parametrize(
        ("polarity", "target", "icon"),
        [
            ("lower-is-better", 65, AssuranceIcon.CONSISTENTLY_PASS),  # above upper 60.64
            ("lower-is-better", 35, AssuranceIcon.CONSISTENTLY_FAIL),  # below lower 39.36
            ("lower-is-better", 45, AssuranceIcon.HIT_AND_MISS),
            ("higher-is-better", 35, AssuranceIcon.CONSISTENTLY_PASS),
            ("higher-is-better", 65, AssuranceIcon.CONSISTENTLY_FAIL),
            ("higher-is-better", 60.64, AssuranceIcon.HIT_AND_MISS),  # on the limit: within
            ("neutral", 65, AssuranceIcon.NONE),
            ("lower-is-better", None, AssuranceIcon.NONE),
        ],
    )
    def test_icons(self, polarity: str, target: float | None, icon: AssuranceIcon) -> None:
        assert xmr_chart(series(BASELINE), polarity=polarity, target=target).assurance.icon is icon

    def test_fail_explanation(self) -> None:
        result = xmr_chart(series(BASELINE), polarity="lower-is-better", target=35)
        assert result.assurance.explanation == (
            "The target (35) is below the lower process limit (39.4); lower is better, so the "
            "measure will consistently fail to meet the target unless things change."
        )

    def test_hit_and_miss_explanation(self) -> None:
        result = xmr_chart(series(BASELINE), polarity="lower-is-better", target=45)
        assert "between the process limits (39.4 to 60.6)" in result.assurance.explanation


# After the lockdown rebase: 13 months around 30.
# Sum = 7 × 30 + 3 × 32 + 3 × 28 = 390, mean 30; every moving range is 2, so MR-bar = 2;
# limits 30 ± 5.32 -> 35.32 and 24.68.
LOCKDOWN = [30, 32, 30, 28, 30, 32, 30, 28, 30, 32, 30, 28, 30]


class TestRebasing:
    def test_each_segment_has_its_own_limits(self) -> None:
        result = xmr_chart(series([*BASELINE, *LOCKDOWN]), rebase_at=[Month(2020, 3)])
        first, second = result.segments
        assert (first.start, first.end) == (Month(2018, 12), Month(2020, 2))
        assert (second.start, second.end) == (Month(2020, 3), Month(2021, 3))
        assert first.limits is not None and second.limits is not None
        assert (first.limits.mean, first.limits.mean_moving_range) == (MEAN, MR_BAR)
        assert (second.limits.mean, second.limits.mean_moving_range) == (30, 2)
        assert second.limits.upper == pytest.approx(35.32)
        # No moving range joins the two segments (|30 - 44| would be 14).
        assert result.points[15].moving_range is None
        assert all(not p.rules for p in result.points)
        assert result.variation.icon is VariationIcon.COMMON_CAUSE

    def test_without_rebasing_the_drop_is_special_cause(self) -> None:
        result = xmr_chart(series([*BASELINE, *LOCKDOWN]), polarity="lower-is-better")
        assert len(result.segments) == 1
        assert result.variation.icon is VariationIcon.IMPROVEMENT_LOW

    def test_assurance_uses_the_latest_segment(self) -> None:
        result = xmr_chart(
            series([*BASELINE, *LOCKDOWN]),
            rebase_at=[Month(2020, 3)],
            polarity="lower-is-better",
            target=40,
        )
        assert result.assurance.icon is AssuranceIcon.CONSISTENTLY_PASS  # 40 > 35.32

    def test_rebase_months_outside_the_series_are_ignored_with_a_warning(self) -> None:
        result = xmr_chart(series(BASELINE), rebase_at=[Month(2030, 1), START])
        assert len(result.segments) == 1
        assert result.warnings == (
            "The rebase month 2030-01 is outside the series (2018-12 to 2020-02) and was ignored.",
        )


class TestGapsAndShortSeries:
    def test_moving_ranges_never_span_a_gap(self) -> None:
        # Present: 10, 14, 12, 16 -> mean 52 / 4 = 13.
        # Moving ranges: 14 follows a gap (none), |12 - 14| = 2, |16 - 12| = 4 -> MR-bar = 3.
        # (Spanning the gap would add |14 - 10| = 4 and give MR-bar 10 / 3.)
        result = xmr_chart(series([10, None, 14, 12, 16]))
        limits = result.segments[0].limits
        assert limits is not None
        assert (limits.mean, limits.mean_moving_range) == (13, 3)
        assert [p.moving_range for p in result.points] == [None, None, None, 2, 4]
        assert result.points[1].value is None and result.points[1].rules == ()

    def test_months_missing_from_the_mapping_are_gaps(self) -> None:
        values = {Month(2024, 1): 10.0, Month(2024, 3): 14.0, Month(2024, 4): 12.0}
        result = xmr_chart(values)
        assert [str(p.month) for p in result.points] == ["2024-01", "2024-02", "2024-03", "2024-04"]
        assert result.warnings[0] == (
            "1 month with no data left out: 2024-02. Moving ranges are not calculated across a gap."
        )

    def test_trial_limits_below_thirteen_points(self) -> None:
        twelve = xmr_chart(series(BASELINE[:12]))
        assert twelve.segments[0].trial
        assert twelve.warnings == (
            "The process limits for December 2018 to November 2019 are trial limits, based on "
            "only 12 points (at least 13, ideally 15 to 20, are needed for reliable limits); "
            "they will change as data is added.",
        )
        thirteen = xmr_chart(series(BASELINE[:13]))
        assert not thirteen.segments[0].trial and thirteen.warnings == ()

    def test_trial_limits_fixed_on_a_short_baseline_do_not_promise_to_change(self) -> None:
        result = xmr_chart(series(BASELINE), baseline_points=10)
        assert result.segments[0].trial
        assert result.warnings[0].endswith("are needed for reliable limits).")

    def test_trial_limits_are_mentioned_in_assurance(self) -> None:
        result = xmr_chart(series(BASELINE[:12]), polarity="lower-is-better", target=45)
        assert result.assurance.explanation.endswith("this may change as data is added.")

    def test_a_single_point_has_no_limits(self) -> None:
        result = xmr_chart(series([10]))
        assert result.segments[0].limits is None
        assert result.variation.icon is VariationIcon.NONE
        assert result.assurance.icon is AssuranceIcon.NONE
        assert "at least two consecutive months" in result.warnings[0]

    def test_no_data(self) -> None:
        result = xmr_chart({Month(2024, 1): None}, target=5, polarity="lower-is-better")
        assert result.points == () and result.warnings == ("There is no data.",)
        assert result.variation.icon is VariationIcon.NONE
        assert result.assurance.icon is AssuranceIcon.NONE

    def test_latest_month_missing_is_flagged(self) -> None:
        result = extended([61, None])
        assert result.variation.month == Month(2020, 3)
        assert result.warnings[-1] == (
            "The latest month (April 2020) has no data; the icons describe March 2020."
        )

    def test_rule_lengths_must_make_sense(self) -> None:
        with pytest.raises(ValueError, match="trend_length must be at least 2"):
            xmr_chart(series(BASELINE), trend_length=1)
