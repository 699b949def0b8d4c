"""Property tests (hypothesis) for the analysis functions; skipped if hypothesis is absent.

The hand-worked examples in the other test files are the specification; these check general
properties over many generated series.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest

pytest.importorskip("hypothesis")

from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from policeplan.analysis.periods import Month  # noqa: E402
from policeplan.analysis.polarity import Polarity  # noqa: E402
from policeplan.analysis.spc import PointClass, Rule, xmr_chart  # noqa: E402
from policeplan.analysis.trends import rolling_12_month_change  # noqa: E402

START = Month(2018, 12)


def series(values: Sequence[float | None], start: Month = START) -> dict[Month, float | None]:
    return {start + i: value for i, value in enumerate(values)}


@given(st.integers(100, 9000), st.integers(1, 12), st.integers(-500, 500))
def test_adding_then_subtracting_returns_the_month(year: int, month: int, n: int) -> None:
    start = Month(year, month)
    assert (start + n) - n == start
    assert (start + n) - start == n
    assert Month.parse(str(start)) == start


values_strategy = st.lists(
    st.one_of(st.none(), st.integers(0, 500).map(float)), min_size=2, max_size=40
)


@given(values_strategy, st.lists(st.integers(1, 39), max_size=3))
def test_limits_are_symmetric_around_the_mean(
    values: list[float | None], rebase_offsets: list[int]
) -> None:
    rebase_at = [START + offset for offset in rebase_offsets if offset < len(values)]
    for segment in xmr_chart(series(values), rebase_at=rebase_at).segments:
        if segment.limits is not None:
            limits = segment.limits
            assert limits.upper - limits.mean == pytest.approx(limits.mean - limits.lower)
            assert limits.upper_two_sigma - limits.mean == pytest.approx(
                2 / 3 * (limits.upper - limits.mean)
            )
            assert limits.mean_moving_range >= 0


@given(values_strategy)
def test_swapping_polarity_swaps_improvement_and_concern(values: list[float | None]) -> None:
    lower = xmr_chart(series(values), polarity=Polarity.LOWER_IS_BETTER)
    higher = xmr_chart(series(values), polarity=Polarity.HIGHER_IS_BETTER)
    swap = {PointClass.IMPROVEMENT: PointClass.CONCERN, PointClass.CONCERN: PointClass.IMPROVEMENT}
    for a, b in zip(lower.points, higher.points, strict=True):
        assert a.rules == b.rules
        assert swap.get(a.classification, a.classification) is b.classification


@given(st.lists(st.integers(0, 100).map(float), min_size=2, max_size=6))
def test_short_series_never_meet_the_run_rules(values: list[float | None]) -> None:
    result = xmr_chart(series(values))
    assert not any({Rule.SHIFT, Rule.TREND} & set(p.rules) for p in result.points)


@given(st.lists(st.integers(0, 10_000).map(float), min_size=24, max_size=24))
def test_rolling_change_is_current_minus_previous(values: list[float]) -> None:
    result = rolling_12_month_change(series(list(values), Month(2023, 4)), Month(2025, 3))
    assert result.current.value == sum(values[12:])
    assert result.previous.value == sum(values[:12])
    assert result.change == sum(values[12:]) - sum(values[:12])
