"""The bulk writers keep every value exactly, hostile characters included, on both databases."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command

from policeplan.ingest.bulk import copy_text_line
from policeplan.records.models import StreetRecord

HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
    "Crime type,Last outcome category,Context"
)


def test_copy_text_line_escapes_only_what_it_must() -> None:
    assert copy_text_line((1, "a", None, 2.5, date(2025, 1, 1))) == "1\ta\t\\N\t2.5\t2025-01-01\n"
    hostile = ("tab\there", "new\nline", "back\\slash", "\\N", "cr\rx", None)
    assert copy_text_line(hostile) == (
        "tab\\there\tnew\\nline\tback\\\\slash\t\\\\N\tcr\\rx\t\\N\n"
    )


@pytest.mark.django_db
def test_hostile_values_round_trip_through_the_importer(tmp_path: Path) -> None:
    # SYNTHETIC rows in the real layout, with values that need escaping in COPY's text format.
    locations = ["On or near \\N", "On or near a\tb", 'On or near "x\ny"', "On or near C:\\path"]

    def quoted(text: str) -> str:
        return '"' + text.replace('"', '""') + '"'

    rows = [
        f"id{i},2025-01,Cleveland Police,Cleveland Police,-1.1,52.6,{quoted(loc)},"
        "E01000001,Example 001A,Burglary,,"
        for i, loc in enumerate(locations)
    ]
    path = tmp_path / "2025-01-cleveland-street.csv"
    path.write_text(HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    call_command("import_police_uk", str(path), stdout=io.StringIO())
    held = list(
        StreetRecord.objects.filter(force="cleveland", month=date(2025, 1, 1))
        .order_by("row_number")
        .values_list("location", "last_outcome_category", "local_authority")
    )
    assert [h[0] for h in held] == locations
    assert all(h[1] is None and h[2] == "Example" for h in held)
