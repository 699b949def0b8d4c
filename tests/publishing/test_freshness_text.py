"""Findings 3 and 4 of issue 12: old figures are labelled out of date; exceptions say which
rules could be tested and apply the 12-month rule to the latest comparable window."""

from __future__ import annotations

import csv
import gzip

import pytest
from django.test import Client, override_settings

from policeplan.analysis.periods import Month, month_range
from tests.conftest import LEICESTERSHIRE_STREET
from tests.publishing.text import page_text

pytestmark = pytest.mark.django_db

DEC_2019 = "Out of date: the latest figure is for the 12 months to December 2019, 6 years before"


def test_homicide_and_stalking_are_labelled_out_of_date_with_their_age(client: Client) -> None:
    for slug in ("homicide", "stalking-and-harassment"):
        text = page_text(client, f"/plans/llr-2024-2029/metrics/{slug}/")
        assert "Figures published" not in text
        assert f"{DEC_2019} the newest figures held here (December 2025)." in text
    # A current police.uk series beside a stale ONS one: the metric is published, the ONS
    # section alone carries the warning.
    text = page_text(client, "/plans/llr-2024-2029/metrics/shoplifting/")
    assert "Figures published" in text
    assert text.count("These are not current figures.") == 1


def test_national_measures_list_out_of_date_figures_apart(client: Client) -> None:
    text = page_text(client, "/national-measures/")
    section = text[text.index("Reduce murder and other homicide: out of date") :]
    assert section.startswith(
        "Reduce murder and other homicide: out of date, not current figures Metric "
        "Latest figure held Incidences of murder and other homicides Out of date 9 offences in "
        "the 12 months to December 2019, ONS police recorded crime,"
    )
    assert DEC_2019 in section


def test_exceptions_page_lists_out_of_date_metrics_apart(client: Client) -> None:
    text = page_text(client, "/exceptions/")
    apart = text[text.index("Out of date: not assessed") :]
    assert f"Incidences of murder and other homicides : {DEC_2019}" in apart
    assert f"Stalking and harassment offences : {DEC_2019}" in apart


def test_staleness_allowance_is_a_setting(client: Client) -> None:
    with override_settings(POLICEPLAN_STALE_AFTER_MONTHS="annual=100,quarterly=100"):
        text = page_text(client, "/plans/llr-2024-2029/metrics/homicide/")
    assert "Out of date" not in text and "Figures published" in text


def test_exceptions_say_which_rules_could_be_tested(client: Client) -> None:
    text = page_text(client, "/exceptions/")
    assert "There are no exceptions among the metrics with data." not in text
    assert (
        "12-month change: not testable on the latest 12 months for 8 metrics because 2024-01 to "
        "2024-12 are missing; applied instead to the latest 12 months that can be compared "
        "(Incidences of shoplifting, Burglary, Vehicle Crime, Theft from Person, Robbery, "
        "Anti-social behaviour, Neighbourhood crime, All crime (excluding ASB))." in text
    )
    assert "12-month change: does not apply to 2 metrics because it is a rate" in text
    assert "Special cause variation of concern: tested for 12 metrics" in text


def test_12_month_rule_applies_to_latest_comparable_window_named_as_such(client: Client) -> None:
    text = page_text(client, "/exceptions/")
    latest = _shoplifting(Month(2021, 12), Month(2022, 11))
    before = _shoplifting(Month(2020, 12), Month(2021, 11))
    assert (latest, before) == (4_153, 3_049)
    assert f"{100 * (latest - before) / before:.1f}" == "36.2"
    assert (
        "Up 36.2% in the 12 months to November 2022, the latest 12 months that can be compared, "
        "on the previous 12 months, beyond the 10% threshold" in text
    )
    with override_settings(POLICEPLAN_EXCEPTION_CHANGE_THRESHOLD=60):
        assert "Up 36.2%" not in page_text(client, "/exceptions/")


def _shoplifting(first: Month, last: Month) -> int:
    """Shoplifting rows in the raw street files, counted with the csv module."""
    total = 0
    for month in month_range(first, last):
        path = LEICESTERSHIRE_STREET / f"{month}-leicestershire-street.csv.gz"
        with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
            total += sum(row["Crime type"] == "Shoplifting" for row in csv.DictReader(handle))
    return total
