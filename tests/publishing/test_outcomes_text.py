"""Finding 5 of issue 12: unusable outcome statuses are shown, and pending only where held."""

from __future__ import annotations

import csv
import gzip
from collections import Counter

import pytest
from django.test import Client

from tests.conftest import LEICESTERSHIRE_STREET
from tests.publishing.text import page_text

pytestmark = pytest.mark.django_db


def _outcomes(month: str) -> Counter[str]:
    """Last outcome categories of a raw street file's crimes (ASB has none), via csv."""
    path = LEICESTERSHIRE_STREET / f"{month}-leicestershire-street.csv.gz"
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        return Counter(
            row["Last outcome category"]
            for row in csv.DictReader(handle)
            if row["Crime type"] != "Anti-social behaviour"
        )


def test_january_2020_unusable_statuses_are_shown_with_a_caveat(client: Client) -> None:
    counts = _outcomes("2020-01")
    crimes, unusable = sum(counts.values()), counts["Status update unavailable"]
    assert (unusable, crimes) == (4_291, 7_937)
    text = page_text(client, "/plans/llr-2024-2029/metrics/positive-outcomes/")
    assert (
        f"In January 2020, {unusable:,} of {crimes:,} crimes (54%) have no usable outcome status "
        '("Status update unavailable"), so that month\'s positive outcome rate is understated, '
        "not a real fall." in text
    )
    share = f"{100 * unusable / crimes:.1f}% ({unusable:,})"
    assert f"January 2020 5.7% 451 {crimes:,} {share} Not in this file" in text


def test_pending_share_only_where_the_file_carries_pending_statuses(client: Client) -> None:
    text = page_text(client, "/plans/llr-2024-2029/metrics/positive-outcomes/")
    october = _outcomes("2022-10")
    pending = f"{100 * october['Under investigation'] / sum(october.values()):.1f}%"
    assert pending == "51.4%"
    assert f"October 2022 3.9% 356 9,050 0.0% (0) {pending}" in text
    assert _outcomes("2025-06")["Under investigation"] == 0
    june = text[text.index("June 2025 ") :][:80]
    assert "Not in this file" in june and " 0% " not in june
