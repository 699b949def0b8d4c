"""Exception reporting: should a metric be brought to the board's attention, and why?

A metric is an exception when any of these holds:

1. its latest point is special cause variation of concern (see ``spc.py``);
2. its assurance icon says it will consistently fail its target;
3. its 12-month percentage change crosses ``percent_change_threshold`` in the bad direction
   (a rise for lower-is-better, a fall for higher-is-better). "Crosses" includes equality:
   with a 10 % threshold, a rise of exactly 10.0 % on a lower-is-better metric is an exception.
   Metrics where neither direction is better are never exceptions on this test.

Checks that cannot be made (no SPC result, change unavailable) are listed in ``notes`` so a
missing figure is never mistaken for "no exception"; ``checks`` records, per rule, whether it
was tested, and if not why, so a page can say which rules were testable for which metrics.
When the latest 12 months cannot be compared, the rule may be applied to the latest window that
can (``fallback_change``), and its reason names that window.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from .periods import describe_months
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


class CheckStatus(StrEnum):
    TESTED = "tested"
    TESTED_EARLIER_WINDOW = "tested_earlier_window"  # on the latest comparable 12 months
    NOT_TESTABLE = "not_testable"  # data missing
    NOT_APPLICABLE = "not_applicable"  # the rule does not apply (neutral metric, no target)


@dataclass(frozen=True)
class RuleCheck:
    rule: ExceptionReasonCode
    status: CheckStatus
    why: str = ""  # for anything but TESTED: plain English, e.g. "2024-01 to 2024-12 are missing"


@dataclass(frozen=True)
class ExceptionAssessment:
    reasons: tuple[ExceptionReason, ...]
    notes: tuple[str, ...] = ()  # checks that could not be made, in plain English
    checks: tuple[RuleCheck, ...] = ()

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
    fallback_change: Comparison | None = None,
) -> ExceptionAssessment:
    """Decide whether a metric is an exception, giving every reason in plain English.

    ``assurance`` defaults to ``spc.assurance``. ``twelve_month_change`` is a ``Comparison`` from
    ``trends.rolling_12_month_change`` or a percentage change (12.5 means +12.5 %).
    ``percent_change_threshold=None`` turns the change test off. ``fallback_change`` is the
    latest 12 months that can be compared, used when ``twelve_month_change`` cannot be.
    """
    polarity = Polarity.parse(polarity)
    if percent_change_threshold is not None and percent_change_threshold < 0:
        raise ValueError(f"The threshold must not be negative, not {percent_change_threshold}")
    reasons: list[ExceptionReason] = []
    notes: list[str] = []
    checks: list[RuleCheck] = []
    spc_rule = ExceptionReasonCode.SPECIAL_CAUSE_CONCERN

    if spc is None:
        notes.append("Variation could not be checked: there is no SPC chart for this measure.")
        checks.append(RuleCheck(spc_rule, CheckStatus.NOT_TESTABLE, "there is no SPC chart"))
    else:
        latest = spc.latest
        if latest is not None and latest.classification is PointClass.CONCERN:
            reasons.append(ExceptionReason(spc_rule, spc.variation.explanation))
            checks.append(RuleCheck(spc_rule, CheckStatus.TESTED))
        elif latest is None or latest.limits is None:
            why = spc.variation.explanation
            notes.append(f"Variation could not be checked: {why[:1].lower()}{why[1:]}")
            checks.append(RuleCheck(spc_rule, CheckStatus.NOT_TESTABLE, "no process limits"))
        else:
            checks.append(RuleCheck(spc_rule, CheckStatus.TESTED))

    assurance = assurance if assurance is not None else (spc.assurance if spc else None)
    target_rule = ExceptionReasonCode.CONSISTENTLY_FAILING_TARGET
    if assurance is not None and assurance.icon is AssuranceIcon.CONSISTENTLY_FAIL:
        reasons.append(ExceptionReason(target_rule, assurance.explanation))
    if assurance is None or assurance.target is None:
        checks.append(RuleCheck(target_rule, CheckStatus.NOT_APPLICABLE, "no target is set"))
    else:
        checks.append(RuleCheck(target_rule, CheckStatus.TESTED))

    change_rule = ExceptionReasonCode.TWELVE_MONTH_CHANGE
    if percent_change_threshold is None:
        checks.append(RuleCheck(change_rule, CheckStatus.NOT_APPLICABLE, "it is a rate"))
    elif polarity is Polarity.NEUTRAL:
        why = "neither direction is better"
        checks.append(RuleCheck(change_rule, CheckStatus.NOT_APPLICABLE, why))
    else:
        reason, note = _change_reason(polarity, twelve_month_change, percent_change_threshold)
        status = CheckStatus.TESTED if note is None else CheckStatus.NOT_TESTABLE
        why = _missing_why(twelve_month_change) if note else ""
        if note and fallback_change is not None and fallback_change.percent_change is not None:
            window = fallback_change.current.period.end.label
            reason, _ = _change_reason(
                polarity, fallback_change, percent_change_threshold, window=window
            )
            status = CheckStatus.TESTED_EARLIER_WINDOW
        if reason:
            reasons.append(reason)
        if note:
            notes.append(note)
        checks.append(RuleCheck(change_rule, status, why))
    return ExceptionAssessment(tuple(reasons), tuple(notes), tuple(checks))


def _missing_why(change: Comparison | float | None) -> str:
    """'2024-01 to 2024-12 are missing', or the comparison's own reason."""
    if not isinstance(change, Comparison):
        return "there is no 12-month figure"
    missing = sorted({*change.current.missing, *change.previous.missing})
    if not missing:
        return change.unavailable_reason or "there is no 12-month figure"
    return f"{describe_months(missing)} {'is' if len(missing) == 1 else 'are'} missing"


def _change_reason(
    polarity: Polarity, change: Comparison | float | None, threshold: float, *, window: str = ""
) -> tuple[ExceptionReason | None, str | None]:
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
    where = (
        f" in the 12 months to {window}, the latest 12 months that can be compared,"
        if window
        else ""
    )
    text = (
        f"{word.capitalize()} {abs(percent):.1f}%{where} on the previous 12 months, beyond the "
        f"{threshold:g}% threshold for an exception ({polarity.description})."
    )
    return ExceptionReason(ExceptionReasonCode.TWELVE_MONTH_CHANGE, text), None
