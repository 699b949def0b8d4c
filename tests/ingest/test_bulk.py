"""The bulk writers keep every value exactly, hostile characters included, on both databases."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command

from policeplan.ingest.bulk import Columns, rows_of
from policeplan.records.models import StreetRecord

HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
    "Crime type,Last outcome category,Context"
)


def test_rows_of_a_batch_put_the_constant_columns_first() -> None:
    batch = Columns(
        2,
        {"import_run_id": 7, "force": "exampleshire"},
        {"row_number": range(1, 3), "longitude": (-1.5, None), "location": ("a\tb", None)},
    )
    assert batch.names == ["import_run_id", "force", "row_number", "longitude", "location"]
    assert list(rows_of(batch)) == [
        (7, "exampleshire", 1, -1.5, "a\tb"),
        (7, "exampleshire", 2, None, None),
    ]


@pytest.mark.django_db
def test_hostile_values_round_trip_through_the_importer(tmp_path: Path) -> None:
    # SYNTHETIC rows in the real layout, with values that need escaping in COPY's text format.
    locations = [
        "On or near \\N",
        "On or near a\tb",
        'On or near "x\ny"',
        "On or near C:\\path",
        "On or near Café Street ✓",
    ]
    longitudes = ["-1.1", "-1.123456789012345", "0.1", "-0.0001", "179.99999999999997"]

    def quoted(text: str) -> str:
        return '"' + text.replace('"', '""') + '"'

    rows = [
        f"id{i},2031-01,Exampleshire Police,Exampleshire Police,{lon},52.6,{quoted(loc)},"
        "E01000001,Example 001A,Burglary,,"
        for i, (loc, lon) in enumerate(zip(locations, longitudes, strict=True))
    ]
    path = tmp_path / "2031-01-exampleshire-street.csv"
    path.write_text(HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    call_command("import_police_uk", str(path), stdout=io.StringIO())
    held = list(
        StreetRecord.objects.filter(force="exampleshire", month=date(2031, 1, 1))
        .order_by("row_number")
        .values_list("location", "last_outcome_category", "local_authority", "longitude")
    )
    assert [h[0] for h in held] == locations
    assert all(h[1] is None and h[2] == "Example" for h in held)
    assert [h[3] for h in held] == [float(x) for x in longitudes]  # the same doubles, exactly
