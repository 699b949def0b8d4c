"""XmR statistical process control charts, as in NHS England's "Making Data Count" (MDC).

Calculation, per segment (the whole series, or the stretch between two rebase months):

* mean of the baseline values (all points, or the first ``baseline_points`` present points);
* moving range of a point = |value - previous month's value|; MR-bar is the mean moving range
  over the baseline;
* process limits = mean ± 2.66 × MR-bar; one sigma = 2.66 / 3 × MR-bar; the "2 sigma" lines
  used by the two-in-three rule are mean ± 2 × 2.66 / 3 × MR-bar (2/3 of the way to a limit).
  Moving-range outliers are not screened out (the MDC Excel tools' default). With
  ``convention=SpcConvention.NHSRPLOTTHEDOTS`` moving ranges of 3.267 × MR-bar or more are
  dropped and MR-bar is recalculated from the rest, as NHSRplotthedots does.

Special-cause rules, each applied within one segment (rules never run across a rebase):

* ``OUTSIDE_LIMITS``: a value strictly above the upper or strictly below the lower limit;
* ``SHIFT``: ``shift_length`` (default 7) or more consecutive points all above, or all below,
  the mean; a point exactly on the mean ends a run;
* ``TREND``: ``trend_length`` (default 7) or more consecutive points each strictly higher (or
  each strictly lower) than the one before; an equal value ends the trend;
* ``TWO_OF_THREE``: in any three consecutive points, two or more strictly beyond the same
  2-sigma line (above mean + 2 sigma, or below mean - 2 sigma); the points beyond the line
  are flagged. Points beyond the process limit count (Western Electric reading). With the
  NHSRplotthedots convention only points between the 2-sigma line and the limit count, and
  all three points must be on the same side of the mean.

Every point of a qualifying run is flagged, not only the last.

Gaps (``None``/missing months) are left out. A moving range is only calculated between two
consecutive calendar months that both have data, so no moving range spans a gap (a range across a
gap would cover two or more months of change and inflate MR-bar). The run, trend and
two-in-three rules look at the points with data in order: a gap neither breaks nor extends a run.

Fewer than ``trial_limit_points`` (default 13) baseline points give *trial limits* and a warning
(MDC guidance: 15 to 20 points are ideal; NHSRplotthedots warns below 13).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

from .periods import Month, describe_months, month_range, plural
from .polarity import Polarity
from .spc_model import (
    DEFAULT_RUN_LENGTH,
    LIMIT_FACTOR,
    MOVING_RANGE_SCREEN,
    SIGMA_FACTOR,
    TRIAL_LIMIT_POINTS,
    AssuranceIcon,
    AssuranceSummary,
    Limits,
    PointClass,
    Rule,
    Segment,
    SpcConvention,
    SpcPoint,
    SpcResult,
    VariationIcon,
    VariationSummary,
)
from .spc_text import assurance_summary, variation_summary
from .trends import is_gap

__all__ = [
    "DEFAULT_RUN_LENGTH",
    "LIMIT_FACTOR",
    "SIGMA_FACTOR",
    "TRIAL_LIMIT_POINTS",
    "AssuranceIcon",
    "AssuranceSummary",
    "Limits",
    "PointClass",
    "Polarity",
    "Rule",
    "Segment",
    "SpcConvention",
    "SpcPoint",
    "SpcResult",
    "VariationIcon",
    "VariationSummary",
    "xmr_chart",
]


def xmr_chart(
    series: Mapping[Month, float | None],
    *,
    polarity: Polarity | str = Polarity.NEUTRAL,
    target: float | None = None,
    rebase_at: Iterable[Month] = (),
    baseline_points: int | None = None,
    shift_length: int = DEFAULT_RUN_LENGTH,
    trend_length: int = DEFAULT_RUN_LENGTH,
    trial_limit_points: int = TRIAL_LIMIT_POINTS,
    convention: SpcConvention | str = SpcConvention.MAKING_DATA_COUNT,
) -> SpcResult:
    """An XmR chart of a monthly series, with special causes and variation/assurance icons.

    ``rebase_at`` lists months at which a new segment (new mean and limits) starts, e.g.
    ``Month(2020, 3)`` for the first lockdown. ``baseline_points`` fixes each segment's limits
    on its first N points with data and extends them over the rest of the segment.
    """
    polarity = Polarity.parse(polarity)
    convention = SpcConvention(convention)
    for name, length in (("shift_length", shift_length), ("trend_length", trend_length)):
        if length < 2:
            raise ValueError(f"{name} must be at least 2, not {length}")
    if baseline_points is not None and baseline_points < 2:
        raise ValueError(f"baseline_points must be at least 2, not {baseline_points}")
    warnings: list[str] = []
    if not series or all(is_gap(value) for value in series.values()):
        variation = variation_summary(None, None, polarity, (shift_length, trend_length))
        assurance = assurance_summary(polarity, target, None, None)
        return SpcResult((), (), polarity, target, variation, assurance, ("There is no data.",))

    months = month_range(min(series), max(series))
    values = {month: _value(series.get(month)) for month in months}
    gaps = [month for month in months if values[month] is None]
    if gaps:
        warnings.append(
            f"{plural(len(gaps), 'month')} with no data left out: {describe_months(gaps)}. "
            "Moving ranges are not calculated across a gap."
        )
    starts = _segment_starts(months, rebase_at, warnings)
    points: list[SpcPoint] = []
    segments: list[Segment] = []
    ends = [*starts[1:], months[-1] + 1]
    for number, (first, last) in enumerate(zip(starts, ends, strict=True), 1):
        seg_months = [month for month in months if first <= month < last]
        segment, seg_points = _segment(
            number, seg_months, values, baseline_points, trial_limit_points, warnings, convention
        )
        segments.append(segment)
        points.extend(_apply_rules(seg_points, polarity, shift_length, trend_length, convention))

    present = [point for point in points if point.value is not None]
    latest = present[-1]
    if latest.month != months[-1]:
        warnings.append(
            f"The latest month ({months[-1].label}) has no data; the icons describe "
            f"{latest.month.label}."
        )
    latest_segment = segments[latest.segment - 1]
    variation = variation_summary(latest, latest_segment, polarity, (shift_length, trend_length))
    assurance = assurance_summary(polarity, target, latest_segment, latest)
    return SpcResult(
        tuple(points), tuple(segments), polarity, target, variation, assurance, tuple(warnings)
    )


def _value(value: float | None) -> float | None:
    return None if value is None or is_gap(value) else float(value)


def _segment_starts(
    months: list[Month] | tuple[Month, ...], rebase_at: Iterable[Month], warnings: list[str]
) -> list[Month]:
    starts = [months[0]]
    for month in sorted(set(rebase_at)):
        if months[0] < month <= months[-1]:
            starts.append(month)
        elif month != months[0]:
            warnings.append(
                f"The rebase month {month} is outside the series ({months[0]} to {months[-1]}) "
                "and was ignored."
            )
    return starts


def _segment(
    number: int,
    months: list[Month],
    values: Mapping[Month, float | None],
    baseline_points: int | None,
    trial_limit_points: int,
    warnings: list[str],
    convention: SpcConvention,
) -> tuple[Segment, list[SpcPoint]]:
    present = [month for month in months if values[month] is not None]
    in_segment = set(months)
    baseline = set(present[:baseline_points] if baseline_points else present)
    moving_ranges: dict[Month, float] = {}
    for month in present:
        previous = values.get(month - 1)
        this = values[month]
        if month - 1 in in_segment and previous is not None and this is not None:
            moving_ranges[month] = abs(this - previous)
    baseline_ranges = [mr for month, mr in moving_ranges.items() if {month, month - 1} <= baseline]
    if convention is SpcConvention.NHSRPLOTTHEDOTS and baseline_ranges:
        screen = MOVING_RANGE_SCREEN * math.fsum(baseline_ranges) / len(baseline_ranges)
        baseline_ranges = [mr for mr in baseline_ranges if mr < screen] or baseline_ranges
    label = f"{months[0].label} to {months[-1].label}"
    limits: Limits | None = None
    if len(baseline) >= 2 and baseline_ranges:
        mean = math.fsum(v for m in baseline if (v := values[m]) is not None) / len(baseline)
        limits = Limits(mean, math.fsum(baseline_ranges) / len(baseline_ranges))
    else:
        warnings.append(
            f"Process limits cannot be calculated for {label}: at least two consecutive months "
            "with data are needed."
        )
    trial = limits is not None and len(baseline) < trial_limit_points
    if trial:
        still_growing = len(baseline) == len(present)
        warnings.append(
            f"The process limits for {label} are trial limits, based on only "
            f"{plural(len(baseline), 'point')} (at least {trial_limit_points}, ideally 15 to 20, "
            "are needed for reliable limits)"
            + ("; they will change as data is added." if still_growing else ".")
        )
    segment = Segment(number, months[0], months[-1], len(baseline), limits, trial)
    points = [
        SpcPoint(month, values[month], number, moving_ranges.get(month), limits, month in baseline)
        for month in months
    ]
    return segment, points


def _apply_rules(
    points: list[SpcPoint],
    polarity: Polarity,
    shift_length: int,
    trend_length: int,
    convention: SpcConvention = SpcConvention.MAKING_DATA_COUNT,
) -> list[SpcPoint]:
    limits = points[0].limits
    present = [i for i, point in enumerate(points) if point.value is not None]
    if limits is None or not present:
        return points
    values = [_known(points[i].value) for i in present]
    flags: list[dict[Rule, int]] = [{} for _ in present]  # rule -> direction, per present point
    sides = [(v > limits.mean) - (v < limits.mean) for v in values]

    for j, value in enumerate(values):
        if value > limits.upper or value < limits.lower:
            flags[j][Rule.OUTSIDE_LIMITS] = sides[j]
    for start, end, side in _runs(sides):
        if side != 0 and end - start >= shift_length:
            for j in range(start, end):
                flags[j][Rule.SHIFT] = side
    steps = [(b > a) - (b < a) for a, b in zip(values, values[1:], strict=False)]
    for start, end, step in _runs(steps):
        # steps[start:end] joins points start..end; a peak in two trends takes the later one.
        if step != 0 and end - start + 1 >= trend_length:
            for j in range(start, end + 1):
                flags[j][Rule.TREND] = step
    nhsr = convention is SpcConvention.NHSRPLOTTHEDOTS
    for j in range(len(values) - 2):
        window = range(j, j + 3)
        for side, line in ((1, limits.upper_two_sigma), (-1, limits.lower_two_sigma)):
            beyond = [k for k in window if (values[k] - line) * side > 0]
            if nhsr:  # only points short of the limit, with all three on this side of the mean
                beyond = [k for k in beyond if Rule.OUTSIDE_LIMITS not in flags[k]]
                if any(sides[k] != side for k in window):
                    continue
            if len(beyond) >= 2:
                for k in beyond:
                    flags[k][Rule.TWO_OF_THREE] = side

    result = list(points)
    for j, i in enumerate(present):
        if flags[j]:
            rules = tuple(rule for rule in Rule if rule in flags[j])
            direction = _direction(flags[j], sides[j])
            result[i] = SpcPoint(
                points[i].month,
                points[i].value,
                points[i].segment,
                points[i].moving_range,
                limits,
                points[i].in_baseline,
                rules,
                direction,
                _classify(direction, polarity),
            )
    return result


def _known(value: float | None) -> float:
    assert value is not None  # only called for present points
    return value


def _runs(items: list[int]) -> list[tuple[int, int, int]]:
    """(start, end, item) for each maximal run of equal items; ``end`` is exclusive."""
    runs: list[tuple[int, int, int]] = []
    start = 0
    for j in range(1, len(items) + 1):
        if j == len(items) or items[j] != items[start]:
            runs.append((start, j, items[start]))
            start = j
    return runs


def _direction(flags: dict[Rule, int], side: int) -> int:
    """High (+1) or low (-1): a trend's direction, unless the point is outside the limits.

    The precedence (limits, then trend, then side of the mean) follows NHSRplotthedots.
    """
    if Rule.OUTSIDE_LIMITS in flags:
        return flags[Rule.OUTSIDE_LIMITS]
    if Rule.TREND in flags:
        return flags[Rule.TREND]
    if Rule.TWO_OF_THREE in flags:
        return flags[Rule.TWO_OF_THREE]
    return side


def _classify(direction: int, polarity: Polarity) -> PointClass:
    verdict = polarity.judge(direction)
    if direction == 0:
        return PointClass.COMMON_CAUSE
    return {"improvement": PointClass.IMPROVEMENT, "concern": PointClass.CONCERN}.get(
        verdict, PointClass.NEITHER
    )
