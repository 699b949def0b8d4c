"""The bulk writers keep every value exactly, hostile characters included, on both databases."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command

from policeplan.ingest.bulk import Columns, ColumnsCheck, rows_of
from policeplan.provenance.limits import column_problems
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
        f"id{i},2025-01,Cleveland Police,Cleveland Police,{lon},52.6,{quoted(loc)},"
        "E01000001,Example 001A,Burglary,,"
        for i, (loc, lon) in enumerate(zip(locations, longitudes, strict=True))
    ]
    path = tmp_path / "2025-01-cleveland-street.csv"
    path.write_text(HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    call_command("import_police_uk", str(path), stdout=io.StringIO())
    held = list(
        StreetRecord.objects.filter(force="cleveland", month=date(2025, 1, 1))
        .order_by("row_number")
        .values_list("location", "last_outcome_category", "local_authority", "longitude")
    )
    assert [h[0] for h in held] == locations
    assert all(h[1] is None and h[2] == "Example" for h in held)
    assert [h[3] for h in held] == [float(x) for x in longitudes]  # the same doubles, exactly


def _street_batch(**changes: tuple[object, ...]) -> Columns:
    varying: dict[str, Sequence[object]] = {
        "row_number": range(1, 3),
        "crime_type": ("Burglary", "Drugs"),
        "location": ("On or near A", None),
        "longitude": (-1.5, None),
    }
    varying.update(changes)
    return Columns(2, {"import_run_id": 7, "force": "exampleshire"}, varying)


def test_columns_check_passes_a_batch_within_every_limit() -> None:
    assert ColumnsCheck(StreetRecord).passes(_street_batch())


@pytest.mark.parametrize(
    "changes",
    [
        {"location": ("On or near A", "x" * 201)},  # max_length 200
        {"location": ("On or near \x00", None)},  # NUL cannot be stored
        {"crime_type": ("Burglary", None)},  # NOT NULL
        {"longitude": (float("nan"), None)},
        {"longitude": (float("inf"), -1.0)},
        {"row_number": (1, -2)},  # a positive integer column
        {"row_number": (1, 2**31)},
    ],
)
def test_columns_check_sends_a_batch_over_a_limit_to_the_row_check(
    changes: dict[str, tuple[object, ...]],
) -> None:
    batch = _street_batch(**changes)
    assert not ColumnsCheck(StreetRecord).passes(batch)
    # Exactly one row of the batch has a value its column cannot hold.
    rows = list(rows_of(batch))
    problems = [column_problems(StreetRecord, zip(batch.names, r, strict=True)) for r in rows]
    assert problems.count([]) == 1
