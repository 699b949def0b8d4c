"""Finding 7 of issue 12: local authority rates per 1,000 residents, source and year named,
replaceable by one command."""

from __future__ import annotations

import csv
import gzip
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from policeplan.geography.models import Area
from tests.conftest import BUNDLED_DIR, LEICESTERSHIRE_STREET
from tests.publishing.text import page_text

pytestmark = pytest.mark.django_db
URL = "/plans/llr-2024-2029/metrics/shoplifting/"


def _raw_shoplifting_2025(local_authority: str) -> int:
    total = 0
    for path in sorted(LEICESTERSHIRE_STREET.glob("2025-*-street.csv.gz")):
        with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
            total += sum(
                row["Crime type"] == "Shoplifting"
                and row["LSOA name"].rsplit(" ", 1)[0] == local_authority
                for row in csv.DictReader(handle)
            )
    return total


def test_local_authority_rates_name_population_source_and_year(client: Client) -> None:
    with (BUNDLED_DIR / "geography" / "population.csv").open(encoding="utf-8") as handle:
        bundled = {row["area_code"]: row for row in csv.DictReader(handle)}
    residents = int(bundled["E06000016"]["population"])
    assert residents == 372_495
    count = _raw_shoplifting_2025("Leicester")
    assert count == 3_567
    text = page_text(client, URL)
    assert "Latest 12 months per 1,000 residents" in text
    rate = f"{count / residents * 1000:.1f}"
    assert f"Leicester {count:,} Not available (months missing) – {rate}" in text
    assert "Rutland 120 Not available (months missing) – No population held" in text
    assert "Residents: Leicester 372,495 (2022; 2022 population by LSOA" in text
    assert "No population is held for Blaby, Charnwood," in text


def test_a_newer_population_file_replaces_it_with_one_command(
    client: Client, tmp_path: Path
) -> None:
    newer = tmp_path / "population-2024.csv"
    newer.write_text(
        "area_code,population,year,source\n"
        'E06000016,"400,000",2024,A test file (synthetic figure)\n'
        "E06000017,40000,2024,A test file (synthetic figure)\n",
        encoding="utf-8",
    )
    call_command("load_population", str(newer), verbosity=0)
    text = page_text(client, URL)
    assert f"Leicester 3,567 Not available (months missing) – {3567 / 400:.1f}" in text
    assert f"Rutland 120 Not available (months missing) – {120 / 40:.1f}" in text
    assert "Leicester 400,000 (2024; A test file (synthetic figure))" in text
    # Reloading the bundled geography never undoes a newer population.
    call_command("load_geography", verbosity=0)
    assert Area.objects.get(kind="local_authority", code="E06000016").population == 400_000


def test_a_bad_population_file_names_row_and_column_and_writes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "area_code,population,year,source\nE06000017,40000,2024,ok\nE07000129,lots,2024,x\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match=r"bad.csv, row 3, column population: 'lots'"):
        call_command("load_population", str(bad), verbosity=0)
    assert Area.objects.get(kind="local_authority", code="E06000017").population is None
