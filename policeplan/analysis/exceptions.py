"""Exception reporting: should a metric be brought to the board's attention, and why?

A metric is an exception when any of these holds:

1. its latest point is special cause variation of concern (see ``spc.py``);
2. its assurance icon says it will consistently fail its target;
3. its 12-month percentage change crosses ``percent_change_threshold`` in the bad direction
   (a rise for lower-is-better, a fall for higher-is-better). "Crosses" includes equality:
   with a 10 % threshold, a rise of exactly 10.0 % on a lower-is-better metric is an exception.
   Metrics where neither direction is better are never exceptions on this test.

Checks that cannot be made (no SPC result, change unavailable) are listed in ``notes`` so a
missing figure is never mistaken for "no exception".
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from .polarity import Polarity
from .spc_model import AssuranceIcon, AssuranceSummary, PointClass, SpcResult
from .trends import Comparison

DEFAULT_PERCENT_CHANGE_THRESHOLD = 10.0


class ExceptionReasonCode(StrEnum):
    SPECIAL_CAUSE_CONCERN = "special_cause_concern"
    CONSISTENTLY_FAILING_TARGET = "consistently_failing_target"
    TWELVE_MONTH_CHANGE = "twelve_month_change"


@dataclass(frozen=True)
class ExceptionReason:
    code: ExceptionReasonCode
    text: str


@dataclass(frozen=True)
class ExceptionAssessment:
    reasons: tuple[ExceptionReason, ...]
    notes: tuple[str, ...] = ()  # checks that could not be made, in plain English

    @property
    def is_exception(self) -> bool:
        return bool(self.reasons)

    @property
    def reason_texts(self) -> list[str]:
        return [reason.text for reason in self.reasons]


def assess_exception(
    *,
    polarity: Polarity | str,
    spc: SpcResult | None = None,
    assurance: AssuranceSummary | None = None,
    twelve_month_change: Comparison | float | None = None,
    percent_change_threshold: float | None = DEFAULT_PERCENT_CHANGE_THRESHOLD,
) -> ExceptionAssessment:
    """Decide whether a metric is an exception, giving every reason in plain English.

    ``assurance`` defaults to ``spc.assurance``. ``twelve_month_change`` is a ``Comparison`` from
    ``trends.rolling_12_month_change`` or a percentage change (12.5 means +12.5 %).
    ``percent_change_threshold=None`` turns the change test off.
    """
    polarity = Polarity.parse(polarity)
    if percent_change_threshold is not None and percent_change_threshold < 0:
        raise ValueError(f"The threshold must not be negative, not {percent_change_threshold}")
    reasons: list[ExceptionReason] = []
    notes: list[str] = []

    if spc is None:
        notes.append("Variation could not be checked: there is no SPC chart for this measure.")
    else:
        latest = spc.latest
        if latest is not None and latest.classification is PointClass.CONCERN:
            reasons.append(
                ExceptionReason(
                    ExceptionReasonCode.SPECIAL_CAUSE_CONCERN, spc.variation.explanation
                )
            )
        elif latest is None or latest.limits is None:
            why = spc.variation.explanation
            notes.append(f"Variation could not be checked: {why[:1].lower()}{why[1:]}")

    assurance = assurance if assurance is not None else (spc.assurance if spc else None)
    if assurance is not None and assurance.icon is AssuranceIcon.CONSISTENTLY_FAIL:
        reasons.append(
            ExceptionReason(ExceptionReasonCode.CONSISTENTLY_FAILING_TARGET, assurance.explanation)
        )

    if percent_change_threshold is not None:
        reason, note = _change_reason(polarity, twelve_month_change, percent_change_threshold)
        if reason:
            reasons.append(reason)
        if note:
            notes.append(note)
    return ExceptionAssessment(tuple(reasons), tuple(notes))


def _change_reason(
    polarity: Polarity, change: Comparison | float | None, threshold: float
) -> tuple[ExceptionReason | None, str | None]:
    if polarity is Polarity.NEUTRAL:
        return None, None
    if isinstance(change, Comparison):
        percent = change.percent_change
        unavailable = change.unavailable_reason or "no figure"
    else:
        percent = change
        unavailable = "no figure was given"
    if percent is None:
        return None, f"The 12-month change could not be checked: {unavailable}."
    bad = percent != 0 and percent * polarity.good_direction <= -threshold
    if not bad:
        return None, None
    word = "up" if percent > 0 else "down"
    text = (
        f"{word.capitalize()} {abs(percent):.1f}% on the previous 12 months, beyond the "
        f"{threshold:g}% threshold for an exception ({polarity.description})."
    )
    return ExceptionReason(ExceptionReasonCode.TWELVE_MONTH_CHANGE, text), None
