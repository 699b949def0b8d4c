"""Positive outcomes: every real police.uk category is classified; rates and maturity."""

from __future__ import annotations

import csv
import gzip
from pathlib import Path

import pytest

from policeplan.analysis.outcomes import (
    CHARGED_OUTCOME_SET,
    DEFAULT_OUTCOME_SET,
    HOME_OFFICE_OUTCOME_SET,
    HOME_OFFICE_OUTCOME_TYPES,
    OutcomeGroup,
    get_outcome_set,
    maturity_note,
    outcome_maturity,
    positive_outcome_rate,
)
from policeplan.analysis.periods import Month

# Every "Last outcome category" in ../shared/data/police_uk street files (Leicestershire, its
# peers and Lancashire, December 2019 onwards), read with the csv module.
CATEGORIES_IN_REAL_FILES = {
    "Unable to prosecute suspect": OutcomeGroup.NOT_POSITIVE,
    "Investigation complete; no suspect identified": OutcomeGroup.NOT_POSITIVE,
    "": OutcomeGroup.NOT_APPLICABLE,  # anti-social behaviour rows
    "Status update unavailable": OutcomeGroup.UNKNOWN,
    "Under investigation": OutcomeGroup.PENDING,
    "Court result unavailable": OutcomeGroup.POSITIVE,
    "Local resolution": OutcomeGroup.POSITIVE,
    "Awaiting court outcome": OutcomeGroup.POSITIVE,
    "Action to be taken by another organisation": OutcomeGroup.NOT_POSITIVE,
    "Further investigation is not in the public interest": OutcomeGroup.NOT_POSITIVE,
    "Offender given a caution": OutcomeGroup.POSITIVE,
    "Formal action is not in the public interest": OutcomeGroup.NOT_POSITIVE,
    "Further action is not in the public interest": OutcomeGroup.NOT_POSITIVE,
    "Offender given penalty notice": OutcomeGroup.POSITIVE,
    "Offender given a drugs possession warning": OutcomeGroup.POSITIVE,
    "Suspect charged as part of another case": OutcomeGroup.POSITIVE,
}


@pytest.mark.parametrize(("category", "group"), CATEGORIES_IN_REAL_FILES.items())
def test_real_categories_are_classified(category: str, group: OutcomeGroup) -> None:
    assert DEFAULT_OUTCOME_SET.group(category) is group


def _categories_in(files: list[Path]) -> set[str]:
    found: set[str] = set()
    for path in files:
        with gzip.open(path, "rt", newline="", encoding="utf-8-sig") as handle:
            reader = csv.reader(handle)
            column = next(reader).index("Last outcome category")
            found.update(row[column] for row in reader)
    return found


def _street_files(shared_dir: Path) -> list[Path]:
    files = sorted((shared_dir / "data" / "police_uk").glob("*/*/*.csv.gz"))
    if not files:
        pytest.skip("no police.uk street files in ../shared/data/police_uk")
    return files


def test_sampled_real_files_have_only_known_categories(shared_dir: Path) -> None:
    files = _street_files(shared_dir)
    sample = [files[0], files[len(files) // 2], files[-1]]
    unknown = {c for c in _categories_in(sample) if DEFAULT_OUTCOME_SET.group(c) is None}
    assert unknown == set()


@pytest.mark.slow
def test_every_real_file_has_only_known_categories(shared_dir: Path) -> None:
    found = _categories_in(_street_files(shared_dir))
    assert {c for c in found if DEFAULT_OUTCOME_SET.group(c) is None} == set()
    assert found <= set(CATEGORIES_IN_REAL_FILES)


def test_court_results_count_as_charged_whatever_the_verdict() -> None:
    for category in (
        "Defendant found not guilty",
        "Court case unable to proceed",
        "Suspect charged",
    ):
        assert DEFAULT_OUTCOME_SET.group(category) is OutcomeGroup.POSITIVE
        assert CHARGED_OUTCOME_SET.group(category) is OutcomeGroup.POSITIVE


def test_charged_set_excludes_out_of_court_disposals() -> None:
    assert CHARGED_OUTCOME_SET.group("Offender given a caution") is OutcomeGroup.NOT_POSITIVE
    assert CHARGED_OUTCOME_SET.group("Local resolution") is OutcomeGroup.NOT_POSITIVE


def test_matching_ignores_case_and_surrounding_spaces() -> None:
    assert DEFAULT_OUTCOME_SET.group(" offender given a CAUTION ") is OutcomeGroup.POSITIVE
    assert DEFAULT_OUTCOME_SET.group(None) is OutcomeGroup.NOT_APPLICABLE


def test_rate_pending_and_unknown_shares() -> None:
    counts = {
        "Offender given a caution": 10,
        "Awaiting court outcome": 5,
        "Unable to prosecute suspect": 70,
        "Under investigation": 10,
        "Status update unavailable": 5,
        "": 100,  # anti-social behaviour: not a crime with an outcome
    }
    # Crimes = 10 + 5 + 70 + 10 + 5 = 100; positive = 15.
    result = positive_outcome_rate(counts)
    assert (result.positive, result.crimes, result.pending, result.unknown) == (15, 100, 10, 5)
    assert result.rate == pytest.approx(0.15)
    assert result.pending_share == pytest.approx(0.10)
    assert result.unknown_share == pytest.approx(0.05)
    assert result.finalised_rate == pytest.approx(15 / 85)
    assert result.warnings == []


def test_unclassified_categories_are_left_out_and_reported() -> None:
    result = positive_outcome_rate({"Offender fined": 1, "Suspect abducted by aliens": 3})
    assert (result.positive, result.crimes) == (1, 1)
    assert result.unclassified == {"Suspect abducted by aliens": 3}
    assert result.warnings == [
        "The outcome 'Suspect abducted by aliens' (3 crimes) is not in the outcome set and was "
        "left out of the rate."
    ]


def test_no_crimes_gives_no_rate() -> None:
    result = positive_outcome_rate({"": 40})
    assert result.rate is None and result.pending_share is None and result.finalised_rate is None


def test_overrides() -> None:
    strict = DEFAULT_OUTCOME_SET.with_overrides(
        {"Suspect charged as part of another case": OutcomeGroup.NOT_POSITIVE},
        slug="no-tic",
        description="Without offences charged in another case",
    )
    assert strict.group("Suspect charged as part of another case") is OutcomeGroup.NOT_POSITIVE
    assert (
        DEFAULT_OUTCOME_SET.group("Suspect charged as part of another case")
        is OutcomeGroup.POSITIVE
    )


def test_home_office_outcome_types() -> None:
    positive = {c for c, (_, g) in HOME_OFFICE_OUTCOME_TYPES.items() if g is OutcomeGroup.POSITIVE}
    assert positive == {"1", "2", "3", "4", "6", "7", "8"}
    assert set(HOME_OFFICE_OUTCOME_TYPES) == {str(n) for n in range(1, 23)} - {"19"} | {""}
    # Outcome 1 (10) + 8 (5) of 100 crimes, 20 of them with no outcome yet.
    result = positive_outcome_rate({"1": 10, "8": 5, "18": 65, "": 20}, HOME_OFFICE_OUTCOME_SET)
    assert (result.rate, result.pending_share) == (0.15, 0.20)


def test_get_outcome_set() -> None:
    assert get_outcome_set("default") is DEFAULT_OUTCOME_SET
    assert get_outcome_set("home-office") is HOME_OFFICE_OUTCOME_SET
    with pytest.raises(ValueError, match="'best' is not an outcome set"):
        get_outcome_set("best")


class TestMaturity:
    MONTHS = {
        Month(2024, 1): {"Offender fined": 20, "Unable to prosecute suspect": 80},
        Month(2024, 2): {
            "Offender fined": 15,
            "Unable to prosecute suspect": 80,
            "Under investigation": 5,
        },
        Month(2024, 3): {
            "Offender fined": 5,
            "Unable to prosecute suspect": 55,
            "Under investigation": 40,
        },
    }

    def test_rows(self) -> None:
        rows = outcome_maturity(self.MONTHS, Month(2024, 3))
        assert [(str(r.month), r.months_since, r.pending_share) for r in rows] == [
            ("2024-01", 2, 0.0),
            ("2024-02", 1, 0.05),
            ("2024-03", 0, 0.40),
        ]
        assert [r.outcomes.rate for r in rows] == [0.20, 0.15, 0.05]

    def test_note(self) -> None:
        rows = outcome_maturity(self.MONTHS, Month(2024, 3))
        assert maturity_note(rows) == (
            "Outcomes for March 2024 are not yet mature: more than 10% of those crimes are still "
            "under investigation, so their positive outcome rates will change."
        )
        assert maturity_note(rows, max_pending_share=0.5) is None

    def test_month_after_latest(self) -> None:
        with pytest.raises(ValueError, match="2024-03 is after the latest month 2024-02"):
            outcome_maturity(self.MONTHS, Month(2024, 2))


def test_unusable_months_and_pending_presence() -> None:
    from policeplan.analysis.outcomes import (
        DEFAULT_OUTCOME_SET,
        carries_pending,
        unusable_months,
    )

    assert carries_pending({"Under investigation": 3, "Local resolution": 1}, DEFAULT_OUTCOME_SET)
    assert not carries_pending({"Local resolution": 4, "": 9}, DEFAULT_OUTCOME_SET)
    found = unusable_months(
        {
            Month(2020, 1): (4291 / 7937, 7937),
            Month(2020, 2): (0.05, 7026),
            Month(2020, 3): (None, 1),
        }
    )
    assert [(m.month, m.unusable, m.crimes) for m in found] == [(Month(2020, 1), 4291, 7937)]
    assert found[0].describe().startswith("In January 2020, 4,291 of 7,937 crimes (54%)")
