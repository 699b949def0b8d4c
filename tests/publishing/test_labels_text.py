"""Findings 8 and 9 of issue 12: labels claim no more than the data; area pages say why empty."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

from tests.publishing.text import page_text

pytestmark = pytest.mark.django_db


def test_violence_and_sexual_offences_is_not_called_a_vawg_proxy(client: Client) -> None:
    text = page_text(client, "/plans/llr-2024-2029/metrics/violence-and-sexual-offences/")
    assert "VAWG proxy" not in text
    assert "Violence and sexual offences (all victims)" in text
    assert "it does not measure violence against women and girls" in text
    assert "VAWG proxy" not in page_text(client, "/exceptions/")


def test_compare_plans_counts_headline_and_supplementary_metrics(client: Client) -> None:
    text = page_text(client, "/plans/compare/")
    assert "Headline metrics 0 42" not in text
    assert "Metrics None in the available text 37 headline, 5 supplementary" in text


def test_framework_says_awaiting_data_for_local_metrics_without_figures(client: Client) -> None:
    text = page_text(client, "/performance-framework/")
    row = text[text.index("Published Letters to Govt") :][:300]
    assert (
        "Awaiting data No figures yet; they will come from: documents register: letters to "
        "government published in the year; local data template"
    ) in row
    # A metric with figures names its series as before.
    burglary = text[text.index("Burglary National Crime") :][:300]
    assert "police.uk street-level crimes; ONS police force area tables (P1)" in burglary


def test_area_without_the_series_says_it_exists_only_for_the_force(client: Client) -> None:
    text = page_text(client, "/plans/llr-2024-2029/metrics/homicide/?area=blaby")
    assert "Figures published" not in text
    assert "Published for Leicestershire Police only" in text
    assert (
        "There are no figures for Blaby: this series exists only for Leicestershire Police as a "
        "whole (ONS police force area tables (P1), homicide)." in text
    )


def test_spc_convention_setting_changes_the_page_verdict(client: Client) -> None:
    url = "/plans/llr-2024-2029/metrics/vehicle-crime/"
    default = page_text(client, url)
    assert "Special cause: improvement (low)" in default
    assert "(Making Data Count conventions: every moving range is used" in default
    with override_settings(POLICEPLAN_SPC_CONVENTION="nhsrplotthedots"):
        nhsr = page_text(client, url)
    # November (406) and December 2025 (379) are below the lower 2-sigma line (406.6), but
    # October (515) is above the mean (508.7): NHSRplotthedots needs all three points of the
    # window on one side of the mean, so December is common cause.
    assert "Special cause: improvement (low)" not in nhsr
    assert "Common cause variation" in nhsr
    assert "(NHSRplotthedots conventions: moving ranges of 3.267 times" in nhsr
