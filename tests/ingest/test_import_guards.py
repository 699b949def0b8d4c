"""Issue 11 rows 3 and 4 as regression tests on real police.uk files (Leicestershire,
bundled): an over-long value is a clear error naming file, row and column while the other
files of the batch still import; a header-only file for a held month is refused unless
``--allow-shrink``, and the summary counts removed rows."""

from __future__ import annotations

import csv
import gzip
import io
from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from policeplan.provenance.models import ImportRun
from policeplan.records.models import StreetRecord
from policeplan.sources.police_uk_formats import STREET_HEADER
from tests.conftest import LEICESTERSHIRE_STREET

pytestmark = pytest.mark.django_db


def _rows(month: str) -> list[list[str]]:
    data = gzip.decompress(
        (LEICESTERSHIRE_STREET / f"{month}-leicestershire-street.csv.gz").read_bytes()
    )
    return list(csv.reader(io.StringIO(data.decode("utf-8"))))


def _write(path: Path, rows: list[list[str]]) -> Path:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def _current(month: str) -> ImportRun:
    run = ImportRun.objects.get(
        source="police_uk", kind="street", force="leicestershire",
        month=date.fromisoformat(month + "-01"), status="current",
    )  # fmt: skip
    return run


def test_over_long_values_name_file_row_and_column_and_the_batch_goes_on(tmp_path: Path) -> None:
    """Row 3: a Crime ID of 70 characters (limit 64), an LSOA code of 13 (limit 12) and a crime
    type of 61 (limit 60) were a PostgreSQL traceback that abandoned the batch, and stored on
    SQLite."""
    held_bad, held_good = _current("2020-02"), _current("2020-03")
    rows = _rows("2020-02")
    with_id = next(i for i, r in enumerate(rows) if i and r[0])
    rows[with_id][0] = "c" * 70
    bad = _write(tmp_path / "2020-02-leicestershire-street.csv", rows)
    good_rows = _rows("2020-03")[:-1]  # a revision one row shorter: well within the guard
    good = _write(tmp_path / "2020-03-leicestershire-street.csv", good_rows)
    out = io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("import_police_uk", str(bad), str(good), stdout=out)
    message = str(refused.value)
    assert message.startswith("1 of 2 files were refused; nothing from them was written.")
    assert (
        f"{bad}, row {with_id + 1}, column Crime ID: 70 characters is over the column's "
        "limit of 64 ('ccccccccccccccccccccccccccccccccccccc...')"
    ) in message
    # nothing of the bad file; the held revision untouched
    assert _current("2020-02") == held_bad
    assert StreetRecord.objects.filter(import_run=held_bad).count() == held_bad.rows_written
    assert not StreetRecord.objects.filter(crime_id="c" * 70).exists()
    # the good file imported, and the summary says so, counting the removed row
    new = _current("2020-03")
    assert new != held_good and new.source_path == str(good)
    assert new.rows_written == held_good.rows_written - 1 == len(good_rows) - 1
    summary = out.getvalue()
    assert "0 imported, 1 replaced, 0 unchanged, 1 failed; 1 rows removed" in summary


def test_every_column_over_its_limit_is_named(tmp_path: Path) -> None:
    rows = _rows("2020-04")
    crime = next(i for i, r in enumerate(rows) if i and r[0])
    rows[crime][0] = "c" * 65
    rows[crime][7] = "E0100000000001"  # LSOA code, 14 characters
    rows[crime][9] = "Violence " * 7  # crime type, 63 characters
    bad = _write(tmp_path / "2020-04-leicestershire-street.csv", rows)
    with pytest.raises(CommandError) as refused:
        # A crime type police.uk never used is refused by the parser (ADR 0014) unless allowed:
        # allowed here, so that the column limits are what refuses it.
        call_command("import_police_uk", str(bad), "--allow-new-crime-type", stdout=io.StringIO())
    message = str(refused.value)
    where = f"{bad}, row {crime + 1}, column"
    assert f"{where} Crime ID: 65 characters is over the column's limit of 64" in message
    # The parser may refuse the LSOA code and crime type first; either way nothing is written
    # and no traceback escapes.
    assert "LSOA code" in message and "Crime type" in message
    assert _current("2020-04").source_path.endswith(".csv.gz")


def test_a_header_only_file_for_a_held_month_is_refused_unless_allowed(tmp_path: Path) -> None:
    """Row 4: a header-only file for a month already held became a revision: 4,743 rows -> 0."""
    held = _current("2020-05")
    assert held.rows_written > 1000
    empty = _write(tmp_path / "2020-05-leicestershire-street.csv", [list(STREET_HEADER)])
    with pytest.raises(CommandError) as refused:
        call_command("import_police_uk", str(empty), stdout=io.StringIO())
    assert (
        f"{empty}: this revision of police_uk street leicestershire 2020-05 would remove "
        f"{held.rows_written:,} of the {held.rows_written:,} rows held (100.0%, over the 10% "
        "allowed by POLICEPLAN_IMPORT_SHRINK_PERCENT); nothing was changed. If the source "
        "really dropped them, import it again with --allow-shrink."
    ) in str(refused.value)
    assert _current("2020-05") == held
    assert StreetRecord.objects.filter(import_run=held).count() == held.rows_written

    out = io.StringIO()
    call_command("import_police_uk", str(empty), "--allow-shrink", stdout=out)
    assert _current("2020-05").rows_written == 0
    assert not StreetRecord.objects.filter(month=date(2020, 5, 1)).exists()
    assert f"0 imported, 1 replaced, 0 unchanged, 0 failed; {held.rows_written:,} rows removed" in (
        out.getvalue()
    )
