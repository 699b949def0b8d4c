"""Positive outcome rates from police.uk "Last outcome category" counts (or Home Office types).

An *outcome set* says which outcomes count as positive. The default police.uk set follows the
Home Office idea of a positive outcome: charged/summonsed (types 1), cautions (2, 3), offences
taken into consideration (4), penalty notices (6), cannabis/khat and drugs possession
warnings (7) and community resolutions (8). Decisions for police.uk categories:

* every court category counts as *charged*, whatever the verdict: "Awaiting court outcome",
  "Court result unavailable", "Court case unable to proceed", "Defendant sent to Crown Court"
  and "Defendant found not guilty" included, because the Home Office counts a charge when it
  is made, not on conviction;
* "Suspect charged as part of another case" is positive (the offence was dealt with alongside
  a charge for another offence, like a TIC, type 4);
* "Offender given a drugs possession warning" is positive (type 7, an out-of-court disposal);
* "Local resolution" is positive (a community resolution, type 8);
* "Under investigation" is *pending*: it may still become positive;
* "Status update unavailable" is *unknown*: the force gave no status and it will not mature;
  it stays in the denominator (it is a crime) but is never positive;
* a blank category (police.uk anti-social behaviour rows) is *not applicable* and is left out.

Rates and shares are fractions (0.125 means 12.5 %).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from .periods import Month


class OutcomeGroup(StrEnum):
    POSITIVE = "positive"
    NOT_POSITIVE = "not_positive"
    PENDING = "pending"
    UNKNOWN = "unknown"
    NOT_APPLICABLE = "not_applicable"


_P, _N = OutcomeGroup.POSITIVE, OutcomeGroup.NOT_POSITIVE

POLICE_UK_CHARGED = (
    "Suspect charged",
    "Suspect charged as part of another case",
    "Awaiting court outcome",
    "Court result unavailable",
    "Court case unable to proceed",
    "Defendant sent to Crown Court",
    "Defendant found not guilty",
    "Offender sent to prison",
    "Offender given suspended prison sentence",
    "Offender given a suspended prison sentence",
    "Offender fined",
    "Offender given community sentence",
    "Offender given conditional discharge",
    "Offender given absolute discharge",
    "Offender ordered to pay compensation",
    "Offender deprived of property",
    "Offender otherwise dealt with",
)
POLICE_UK_OUT_OF_COURT = (
    "Offender given a caution",
    "Offender given penalty notice",
    "Offender given a penalty notice",
    "Offender given a drugs possession warning",
    "Local resolution",
)
POLICE_UK_NOT_POSITIVE = (
    "Investigation complete; no suspect identified",
    "Unable to prosecute suspect",
    "Formal action is not in the public interest",
    "Further investigation is not in the public interest",
    "Further action is not in the public interest",
    "Action to be taken by another organisation",
)
POLICE_UK_OTHER = {
    "Under investigation": OutcomeGroup.PENDING,
    "Status update unavailable": OutcomeGroup.UNKNOWN,
    "": OutcomeGroup.NOT_APPLICABLE,
}

# Home Office outcome types (crime outcomes framework). Type 19 is not mapped; any code not
# listed is reported as unclassified rather than guessed. "" = no outcome assigned yet.
HOME_OFFICE_OUTCOME_TYPES: dict[str, tuple[str, OutcomeGroup]] = {
    "1": ("Charged/summonsed", _P),
    "2": ("Caution - youths", _P),
    "3": ("Caution - adults", _P),
    "4": ("Taken into consideration", _P),
    "5": ("The offender has died", _N),
    "6": ("Penalty notice for disorder", _P),
    "7": ("Cannabis/khat warning", _P),
    "8": ("Community resolution", _P),
    "9": ("Prosecution not in the public interest (CPS)", _N),
    "10": ("Formal action against the offender is not in the public interest (police)", _N),
    "11": ("Prosecution prevented - suspect below the age of criminal responsibility", _N),
    "12": ("Prosecution prevented - suspect too ill", _N),
    "13": ("Prosecution prevented - victim or key witness dead or too ill", _N),
    "14": ("Evidential difficulties: suspect not identified; victim does not support action", _N),
    "15": ("Evidential difficulties: suspect identified; victim supports action", _N),
    "16": ("Evidential difficulties: suspect identified; victim does not support action", _N),
    "17": ("Prosecution time limit expired", _N),
    "18": ("Investigation complete - no suspect identified", _N),
    "20": ("Responsibility for further investigation transferred to another body", _N),
    "21": ("Further investigation to support formal action not in the public interest", _N),
    "22": ("Diversionary, educational or intervention activity; no further action", _N),
    "": ("No outcome assigned yet", OutcomeGroup.PENDING),
}


def _key(category: str | None) -> str:
    return (category or "").strip().casefold()


@dataclass(frozen=True)
class OutcomeSet:
    """A named mapping from outcome category (matched ignoring case and spaces) to a group."""

    slug: str
    description: str
    groups: Mapping[str, OutcomeGroup]
    _lookup: dict[str, OutcomeGroup] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_lookup", {_key(k): v for k, v in self.groups.items()})

    def group(self, category: str | None) -> OutcomeGroup | None:
        """The group for ``category``, or None if the set does not classify it."""
        return self._lookup.get(_key(category))

    def with_overrides(
        self, overrides: Mapping[str, OutcomeGroup], *, slug: str, description: str
    ) -> OutcomeSet:
        """A copy with some categories regrouped (or added), e.g. to make TICs not positive."""
        return OutcomeSet(slug, description, {**self.groups, **overrides})


DEFAULT_OUTCOME_SET = OutcomeSet(
    "default",
    "Charged or summonsed (any court result), cautions, penalty notices, drugs possession "
    "warnings and community resolutions",
    {
        **dict.fromkeys(POLICE_UK_CHARGED, _P),
        **dict.fromkeys(POLICE_UK_OUT_OF_COURT, _P),
        **dict.fromkeys(POLICE_UK_NOT_POSITIVE, _N),
        **POLICE_UK_OTHER,
    },
)
CHARGED_OUTCOME_SET = DEFAULT_OUTCOME_SET.with_overrides(
    dict.fromkeys(POLICE_UK_OUT_OF_COURT, _N),
    slug="charged",
    description="Charged or summonsed only (any court result)",
)
HOME_OFFICE_OUTCOME_SET = OutcomeSet(
    "home-office",
    "Home Office outcome types 1-4 and 6-8",
    {code: group for code, (_, group) in HOME_OFFICE_OUTCOME_TYPES.items()},
)
OUTCOME_SETS = {s.slug: s for s in (DEFAULT_OUTCOME_SET, CHARGED_OUTCOME_SET)}


def get_outcome_set(slug: str) -> OutcomeSet:
    try:
        return {**OUTCOME_SETS, HOME_OFFICE_OUTCOME_SET.slug: HOME_OFFICE_OUTCOME_SET}[slug]
    except KeyError:
        known = ", ".join(sorted([*OUTCOME_SETS, HOME_OFFICE_OUTCOME_SET.slug]))
        raise ValueError(f"'{slug}' is not an outcome set (known sets: {known})") from None


@dataclass(frozen=True)
class OutcomeRate:
    positive: int  # numerator
    crimes: int  # denominator: positive + not positive + pending + unknown
    pending: int
    unknown: int
    unclassified: Mapping[str, int]  # categories the set does not know; left out, see warnings

    @property
    def rate(self) -> float | None:
        """Share of crimes with a positive outcome so far; None if there are no crimes."""
        return self.positive / self.crimes if self.crimes else None

    @property
    def pending_share(self) -> float | None:
        return self.pending / self.crimes if self.crimes else None

    @property
    def unknown_share(self) -> float | None:
        return self.unknown / self.crimes if self.crimes else None

    @property
    def finalised_rate(self) -> float | None:
        """Positive share of crimes whose outcome is known and final (pending/unknown left out)."""
        finalised = self.crimes - self.pending - self.unknown
        return self.positive / finalised if finalised else None

    @property
    def warnings(self) -> list[str]:
        return [
            f"The outcome '{category}' ({count:,} crimes) is not in the outcome set and was "
            "left out of the rate."
            for category, count in sorted(self.unclassified.items())
        ]


def positive_outcome_rate(
    counts_by_category: Mapping[str, int], outcome_set: OutcomeSet = DEFAULT_OUTCOME_SET
) -> OutcomeRate:
    """Positive outcomes as a share of crimes, with the share still pending."""
    totals = dict.fromkeys(OutcomeGroup, 0)
    unclassified: dict[str, int] = {}
    for category, count in counts_by_category.items():
        group = outcome_set.group(category)
        if group is None:
            unclassified[category] = unclassified.get(category, 0) + count
        else:
            totals[group] += count
    crimes = sum(
        count for group, count in totals.items() if group is not OutcomeGroup.NOT_APPLICABLE
    )
    return OutcomeRate(
        positive=totals[OutcomeGroup.POSITIVE],
        crimes=crimes,
        pending=totals[OutcomeGroup.PENDING],
        unknown=totals[OutcomeGroup.UNKNOWN],
        unclassified=unclassified,
    )


@dataclass(frozen=True)
class OutcomeMaturity:
    month: Month  # the month the crimes were recorded
    months_since: int  # months from ``month`` to the latest month of data
    outcomes: OutcomeRate

    @property
    def pending_share(self) -> float | None:
        return self.outcomes.pending_share


def outcome_maturity(
    months: Mapping[Month, Mapping[str, int]],
    latest_month: Month,
    outcome_set: OutcomeSet = DEFAULT_OUTCOME_SET,
) -> list[OutcomeMaturity]:
    """For each crime month, its age and the share of its crimes still pending.

    Outcomes lag: a crime recorded last month is often still under investigation, so the latest
    months' positive outcome rates are low and will rise. Rows are in month order.
    """
    rows = []
    for month in sorted(months):
        if month > latest_month:
            raise ValueError(f"The month {month} is after the latest month {latest_month}")
        rate = positive_outcome_rate(months[month], outcome_set)
        rows.append(OutcomeMaturity(month, latest_month.months_since(month), rate))
    return rows


def maturity_note(rows: list[OutcomeMaturity], max_pending_share: float = 0.1) -> str | None:
    """Plain-English caution about recent months with many outcomes still pending, if any."""
    immature = [
        row
        for row in rows
        if row.pending_share is not None and row.pending_share > max_pending_share
    ]
    if not immature:
        return None
    first, last = immature[0].month, immature[-1].month
    which = first.label if first == last else f"{first.label} to {last.label}"
    return (
        f"Outcomes for {which} are not yet mature: more than {max_pending_share:.0%} of those "
        "crimes are still under investigation, so their positive outcome rates will change."
    )


# A month whose crimes carry no usable outcome status beyond this share gets a caveat: its
# positive outcome rate is understated, not a real drop (January 2020: 4,291 of 7,937).
UNUSABLE_CAVEAT_SHARE = 0.1


def carries_pending(counts_by_category: Mapping[str, int], outcome_set: OutcomeSet) -> bool:
    """Whether a file uses any pending status at all (later downloads often carry none)."""
    return any(
        count and outcome_set.group(category) is OutcomeGroup.PENDING
        for category, count in counts_by_category.items()
    )


@dataclass(frozen=True)
class UnusableMonth:
    month: Month
    unusable: int
    crimes: int

    @property
    def share(self) -> float:
        return self.unusable / self.crimes

    def describe(self) -> str:
        return (
            f"In {self.month.label}, {self.unusable:,} of {self.crimes:,} crimes "
            f'({self.share:.0%}) have no usable outcome status ("Status update unavailable"), '
            "so that month's positive outcome rate is understated, not a real fall."
        )


def unusable_months(
    months: Mapping[Month, tuple[float | None, int | None]],
    threshold: float = UNUSABLE_CAVEAT_SHARE,
) -> list[UnusableMonth]:
    """Months whose share of unusable statuses is over ``threshold``: (share, crimes) per month."""
    found = []
    for month in sorted(months):
        share, crimes = months[month]
        if share is not None and crimes and share > threshold:
            found.append(UnusableMonth(month, round(share * crimes), crimes))
    return found
