"""Finding 6 of issue 12: both LSOA vintages held, chosen by month, every 2025 record placed.

The count placed is recounted here from the raw street files and the raw boundary files with
the csv and json modules, not through the importer or the database.
"""

from __future__ import annotations

import csv
import gzip
import json
import re

import pytest
from django.test import Client

from policeplan.metrics.lsoa import lsoa_map
from tests.conftest import BUNDLED_DIR, LEICESTERSHIRE_STREET
from tests.publishing.text import page_text

pytestmark = pytest.mark.django_db
GEOGRAPHY = BUNDLED_DIR / "geography"


def _raw_codes() -> tuple[set[str], set[str]]:
    """(LSOA 2011 codes of the force, new LSOA 2021 codes) from the bundled boundary files."""
    old: set[str] = set()
    with (GEOGRAPHY / "local_authorities.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["force"] == "leicestershire" and row["boundary_file"]:
                with gzip.open(GEOGRAPHY / row["boundary_file"], "rt", encoding="utf-8") as f:
                    old |= {feat["properties"]["LSOA11CD"] for feat in json.load(f)["features"]}
    new: set[str] = set()
    for path in (GEOGRAPHY / "lsoa2021_boundaries").glob("*.geojsonl.gz"):
        with gzip.open(path, "rt", encoding="utf-8") as f:
            new |= {json.loads(line)["properties"]["LSOA21CD"] for line in f if line.strip()}
    return old, new


def _raw_2025_burglaries() -> list[tuple[str, str]]:
    rows = []
    for path in sorted(LEICESTERSHIRE_STREET.glob("2025-*-street.csv.gz")):
        with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
            rows += [
                (row["LSOA code"], row["LSOA name"])
                for row in csv.DictReader(handle)
                if row["Crime type"] == "Burglary" and row["LSOA code"]
            ]
    return rows


def test_every_2025_record_with_a_force_lsoa_code_is_placed() -> None:
    old, new = _raw_codes()
    assert len(old) == 611 and len(new) == 47 and not old & new
    records = _raw_2025_burglaries()
    local_authorities = {"Blaby", "Charnwood", "Harborough", "Hinckley and Bosworth"}
    local_authorities |= {"Leicester", "Melton", "North West Leicestershire"}
    local_authorities |= {"Oadby and Wigston", "Rutland"}
    in_force = [code for code, name in records if name.rsplit(" ", 1)[0] in local_authorities]
    assert all(code in old | new for code in in_force)
    on_new_codes = sum(code in new for code in in_force)
    assert on_new_codes > 0  # the records the 2011 polygons alone could not place

    result = lsoa_map("leicestershire", ["Burglary"])
    assert result is not None and result.vintage == "2021"
    placed = sum(row["value"] for row in result.rows)
    assert placed == len(in_force)
    assert result.unmatched_records == result.outside_force == len(records) - len(in_force)
    drawn = {row["code"] for row in result.rows}
    assert new <= drawn and len(drawn) == 635


def test_metric_page_and_api_area_endpoints_carry_2021_lsoas(client: Client) -> None:
    result = lsoa_map("leicestershire", ["Burglary"])
    assert result is not None
    placed = sum(row["value"] for row in result.rows)
    text = page_text(client, "/plans/llr-2024-2029/metrics/burglary/")
    assert "on the 2021 LSOA boundaries" in text
    outside = len(_raw_2025_burglaries()) - placed
    assert (
        f"{placed + outside:,} records have an LSOA code; {outside:,} are not on the map: " in text
    )
    assert "are placed by the force just outside its area. Rows with no location" in text
    feature = client.get("/api/v1/areas/E01034008.geojson").json()
    assert feature["properties"]["vintage"] == "2021"
    assert feature["properties"]["name"] == "Leicester 006F"
    assert feature["geometry"]["type"] == "MultiPolygon"
    listing = client.get("/api/v1/areas?kind=lsoa&force=leicestershire&limit=5000").json()
    by_vintage = {v: [a for a in listing["results"] if a["vintage"] == v] for v in ("2011", "2021")}
    assert (len(by_vintage["2011"]), len(by_vintage["2021"])) == (611, 635)
    assert all(a["has_geometry"] for a in listing["results"])
    assert re.search(r"Leicester 006F \(E01034008\) \d+", text)
