"""Result types for XmR charts (see ``spc.py`` for the method and rule definitions)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from .periods import Month
from .polarity import Polarity

LIMIT_FACTOR = 2.66  # 3 / d2 where d2 = 1.128 for moving ranges of two points
SIGMA_FACTOR = LIMIT_FACTOR / 3
DEFAULT_RUN_LENGTH = 7
TRIAL_LIMIT_POINTS = 13
MOVING_RANGE_SCREEN = 3.267  # D4 for n = 2: NHSRplotthedots drops moving ranges this far out


class SpcConvention(StrEnum):
    """Which published reading of the XmR rules to follow (see ``spc.py``)."""

    MAKING_DATA_COUNT = "making-data-count"  # NHS MDC Excel tools: the default
    NHSRPLOTTHEDOTS = "nhsrplotthedots"  # the NHS-R Community's R package

    @property
    def description(self) -> str:
        if self is SpcConvention.NHSRPLOTTHEDOTS:
            return (
                "NHSRplotthedots conventions: moving ranges of 3.267 times the mean moving "
                "range or more are screened out before the limits are set, and two of three "
                "counts only points between the 2-sigma line and the limit, all three on the "
                "same side of the mean"
            )
        return (
            "Making Data Count conventions: every moving range is used, and two of three "
            "counts any point beyond the 2-sigma line, including points beyond the limit"
        )


class Rule(StrEnum):
    OUTSIDE_LIMITS = "outside_limits"
    SHIFT = "shift"
    TREND = "trend"
    TWO_OF_THREE = "two_of_three"


class PointClass(StrEnum):
    COMMON_CAUSE = "common_cause"
    IMPROVEMENT = "improvement"
    CONCERN = "concern"
    NEITHER = "neither"  # special cause on a metric where neither direction is better


class VariationIcon(StrEnum):
    COMMON_CAUSE = "common_cause"
    IMPROVEMENT_HIGH = "improvement_high"
    IMPROVEMENT_LOW = "improvement_low"
    CONCERN_HIGH = "concern_high"
    CONCERN_LOW = "concern_low"
    NEITHER_HIGH = "neither_high"
    NEITHER_LOW = "neither_low"
    NONE = "none"  # no limits could be calculated


class AssuranceIcon(StrEnum):
    CONSISTENTLY_PASS = "consistently_pass"  # noqa: S105 - an icon name, not a password
    CONSISTENTLY_FAIL = "consistently_fail"
    HIT_AND_MISS = "hit_and_miss"
    NONE = "none"  # no target, a neutral metric, or no limits


@dataclass(frozen=True)
class Limits:
    mean: float
    mean_moving_range: float

    @property
    def sigma(self) -> float:
        return SIGMA_FACTOR * self.mean_moving_range

    @property
    def upper(self) -> float:
        return self.mean + LIMIT_FACTOR * self.mean_moving_range

    @property
    def lower(self) -> float:
        return self.mean - LIMIT_FACTOR * self.mean_moving_range

    @property
    def upper_one_sigma(self) -> float:
        return self.mean + self.sigma

    @property
    def lower_one_sigma(self) -> float:
        return self.mean - self.sigma

    @property
    def upper_two_sigma(self) -> float:
        return self.mean + 2 * self.sigma

    @property
    def lower_two_sigma(self) -> float:
        return self.mean - 2 * self.sigma


@dataclass(frozen=True)
class Segment:
    """A stretch of the series with its own limits (the whole series unless rebased)."""

    number: int  # 1, 2, ... in time order
    start: Month
    end: Month
    baseline_points: int  # present points the limits were calculated from
    limits: Limits | None
    trial: bool

    @property
    def label(self) -> str:
        return f"{self.start.label} to {self.end.label}"


@dataclass(frozen=True)
class SpcPoint:
    month: Month
    value: float | None
    segment: int
    moving_range: float | None
    limits: Limits | None
    in_baseline: bool
    rules: tuple[Rule, ...] = ()
    direction: int = 0  # +1 unusually high, -1 unusually low, 0 common cause
    classification: PointClass = PointClass.COMMON_CAUSE

    @property
    def special_cause(self) -> bool:
        return bool(self.rules)

    def as_row(self) -> dict[str, Any]:
        """A flat, JSON-ready row for a chart's data and its table."""
        limits = self.limits
        lines = [
            "mean",
            "upper",
            "lower",
            "upper_one_sigma",
            "lower_one_sigma",
            "upper_two_sigma",
            "lower_two_sigma",
        ]
        return {
            "month": str(self.month),
            "value": self.value,
            "segment": self.segment,
            "moving_range": self.moving_range,
            **{name: (getattr(limits, name) if limits else None) for name in lines},
            "in_baseline": self.in_baseline,
            "rules": [rule.value for rule in self.rules],
            "classification": self.classification.value,
        }


@dataclass(frozen=True)
class VariationSummary:
    icon: VariationIcon
    month: Month | None
    explanation: str


@dataclass(frozen=True)
class AssuranceSummary:
    icon: AssuranceIcon
    target: float | None
    explanation: str


@dataclass(frozen=True)
class SpcResult:
    points: tuple[SpcPoint, ...]
    segments: tuple[Segment, ...]
    polarity: Polarity
    target: float | None
    variation: VariationSummary
    assurance: AssuranceSummary
    warnings: tuple[str, ...]

    @property
    def latest(self) -> SpcPoint | None:
        """The latest point with data."""
        present = [point for point in self.points if point.value is not None]
        return present[-1] if present else None

    def chart_rows(self) -> list[dict[str, Any]]:
        return [point.as_row() for point in self.points]
