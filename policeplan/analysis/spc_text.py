"""Variation and assurance icons for an XmR chart, each with a plain-English explanation."""

from __future__ import annotations

from .polarity import Polarity
from .spc_model import (
    AssuranceIcon,
    AssuranceSummary,
    PointClass,
    Rule,
    Segment,
    SpcPoint,
    VariationIcon,
    VariationSummary,
)
from .trends import format_number

_ICONS = {
    (PointClass.IMPROVEMENT, 1): VariationIcon.IMPROVEMENT_HIGH,
    (PointClass.IMPROVEMENT, -1): VariationIcon.IMPROVEMENT_LOW,
    (PointClass.CONCERN, 1): VariationIcon.CONCERN_HIGH,
    (PointClass.CONCERN, -1): VariationIcon.CONCERN_LOW,
    (PointClass.NEITHER, 1): VariationIcon.NEITHER_HIGH,
    (PointClass.NEITHER, -1): VariationIcon.NEITHER_LOW,
}

_HEADINGS = {
    PointClass.IMPROVEMENT: "Special cause variation of an improving nature",
    PointClass.CONCERN: "Special cause variation of a concerning nature",
    PointClass.NEITHER: "Special cause variation",
}


def rule_descriptions(point: SpcPoint, run_lengths: tuple[int, int]) -> list[str]:
    """Why a point is special cause, one phrase per rule that fired."""
    shift_length, trend_length = run_lengths
    high = point.direction > 0
    mean = point.limits.mean if point.limits else 0.0
    above_mean = point.value is not None and point.value > mean
    phrases = {
        Rule.OUTSIDE_LIMITS: (
            "it is above the upper process limit" if high else "it is below the lower process limit"
        ),
        Rule.TREND: (
            f"it is part of a run of {trend_length} or more points, each "
            f"{'higher' if high else 'lower'} than the one before"
        ),
        Rule.TWO_OF_THREE: (
            "it is one of two out of three points in a row close to or beyond the "
            f"{'upper' if high else 'lower'} process limit"
        ),
        Rule.SHIFT: (
            f"it is part of a run of {shift_length} or more points "
            f"{'above' if above_mean else 'below'} the mean"
        ),
    }
    return [phrases[rule] for rule in point.rules]


def variation_summary(
    latest: SpcPoint | None,
    segment: Segment | None,
    polarity: Polarity,
    run_lengths: tuple[int, int],
) -> VariationSummary:
    """The variation icon for the latest point with data."""
    if latest is None or segment is None or segment.limits is None:
        return VariationSummary(
            VariationIcon.NONE,
            latest.month if latest else None,
            "There is not enough data to calculate process limits, so variation cannot be judged.",
        )
    when = f"the latest month ({latest.month.label})"
    if not latest.special_cause:
        return VariationSummary(
            VariationIcon.COMMON_CAUSE,
            latest.month,
            f"Common cause variation: {when} is within the expected range and no "
            "special cause rule is met, so there is no sign of significant change.",
        )
    icon = _ICONS[(latest.classification, latest.direction)]
    reasons = " and ".join(rule_descriptions(latest, run_lengths))
    level = "high" if latest.direction > 0 else "low"
    verdict = {
        PointClass.IMPROVEMENT: f"{polarity.description}, so this is an improvement",
        PointClass.CONCERN: f"{polarity.description}, so this is a cause for concern",
        PointClass.NEITHER: "neither higher nor lower is better for this measure",
    }[latest.classification]
    return VariationSummary(
        icon,
        latest.month,
        f"{_HEADINGS[latest.classification]}: {when} is unusually {level} ({reasons}); {verdict}.",
    )


def assurance_summary(
    polarity: Polarity,
    target: float | None,
    segment: Segment | None,
    latest: SpcPoint | None,
) -> AssuranceSummary:
    """Whether the process will reliably meet ``target``, judged against the latest limits."""
    if target is None:
        return AssuranceSummary(AssuranceIcon.NONE, None, "No target is set for this measure.")
    if polarity is Polarity.NEUTRAL:
        return AssuranceSummary(
            AssuranceIcon.NONE,
            target,
            "Assurance is not assessed because neither higher nor lower is better.",
        )
    if segment is None or segment.limits is None or latest is None:
        return AssuranceSummary(
            AssuranceIcon.NONE,
            target,
            "There is not enough data to calculate process limits, so assurance cannot be given.",
        )
    limits = segment.limits
    target_text = f"The target ({format_number(target)})"
    upper, lower = format_number(limits.upper), format_number(limits.lower)
    higher_is_better = polarity is Polarity.HIGHER_IS_BETTER
    if target > limits.upper or target < limits.lower:
        above = target > limits.upper
        passes = above != higher_is_better
        where = (
            f"above the upper process limit ({upper})"
            if above
            else f"below the lower process limit ({lower})"
        )
        if passes:
            icon = AssuranceIcon.CONSISTENTLY_PASS
            outlook = "the measure will consistently meet the target if nothing changes"
        else:
            icon = AssuranceIcon.CONSISTENTLY_FAIL
            outlook = "the measure will consistently fail to meet the target unless things change"
        text = f"{target_text} is {where}; {polarity.description}, so {outlook}."
    else:
        icon = AssuranceIcon.HIT_AND_MISS
        text = (
            f"{target_text} is between the process limits ({lower} to {upper}), so the measure "
            "will sometimes meet and sometimes miss the target (hit and miss)."
        )
    if segment.trial:
        text += " These are trial limits, so this may change as data is added."
    return AssuranceSummary(icon, target, text)
