"""police.uk import: real files, provenance, idempotency, revisions and refused input.

The session fixture has already imported the 48 bundled Leicestershire street months.
"""

from __future__ import annotations

import csv
import gzip
import io
import zipfile
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, Sum

from policeplan.provenance.models import ImportRun
from policeplan.records.models import StreetRecord
from tests.conftest import LEICESTERSHIRE_STREET

pytestmark = pytest.mark.django_db

HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
    "Crime type,Last outcome category,Context"
)


def _recount(path: Path) -> Counter[str]:
    """Count rows by crime type straight from the gzip file: independent of the importer."""
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        return Counter(row["Crime type"] for row in csv.DictReader(handle))


def _state() -> tuple[int, int]:
    return ImportRun.objects.count(), StreetRecord.objects.count()


def test_all_48_leicestershire_months_are_held_with_provenance() -> None:
    runs = ImportRun.objects.filter(force="leicestershire", kind="street", status="current")
    assert runs.count() == 48
    months = sorted(m for m in runs.values_list("month", flat=True) if m is not None)
    assert months[0] == date(2019, 12, 1) and months[-1] == date(2025, 12, 1)
    assert not runs.filter(month__gte=date(2022, 12, 1), month__lte=date(2024, 12, 1)).exists()
    run = runs.get(month=date(2022, 10, 1))
    assert len(run.sha256) == 64
    assert (
        run.size_bytes
        == (LEICESTERSHIRE_STREET / "2022-10-leicestershire-street.csv.gz").stat().st_size
    )
    assert run.rows_read == run.rows_written == 9802
    assert run.run_by and run.finished_at >= run.started_at
    total = runs.aggregate(n=Sum("rows_written"))["n"]
    assert StreetRecord.objects.count() == total


@pytest.mark.parametrize("month", ["2019-12", "2020-04", "2022-10", "2022-11", "2025-06"])
def test_counts_by_crime_type_match_an_independent_recount(month: str) -> None:
    expected = _recount(LEICESTERSHIRE_STREET / f"{month}-leicestershire-street.csv.gz")
    held = dict(
        StreetRecord.objects.filter(force="leicestershire", month=date.fromisoformat(month + "-01"))
        .values_list("crime_type")
        .annotate(n=Count("id"))
        .order_by()
    )
    assert held == dict(expected)


def test_published_check_figures() -> None:
    # From ../shared/data/README.md section 4, recounted there with a CSV reader.
    oct22 = StreetRecord.objects.filter(force="leicestershire", month=date(2022, 10, 1))
    assert oct22.count() == 9802
    assert oct22.filter(crime_type="Anti-social behaviour").count() == 752
    assert oct22.filter(crime_type="Violence and sexual offences").count() == 3733
    apr20 = StreetRecord.objects.filter(force="leicestershire", month=date(2020, 4, 1))
    assert (apr20.count(), apr20.filter(crime_type="Anti-social behaviour").count()) == (7809, 1736)
    year_2025 = StreetRecord.objects.filter(force="leicestershire", month__year=2025).count()
    assert year_2025 == 106_149


def test_rows_with_no_location_are_kept_and_counted() -> None:
    run = ImportRun.objects.get(force="leicestershire", kind="street", month=date(2020, 3, 1))
    no_location = StreetRecord.objects.filter(import_run=run, lsoa_code__isnull=True).count()
    assert no_location == run.rows_without_location == 1157  # README: 2020-03 has 1,157
    asb = StreetRecord.objects.filter(import_run=run, crime_type="Anti-social behaviour")
    assert asb.filter(crime_id__isnull=False).count() == 0  # ASB has no Crime ID


def test_rows_outside_the_force_area_are_kept_and_counted() -> None:
    run = ImportRun.objects.get(force="leicestershire", kind="street", month=date(2022, 10, 1))
    llr = {
        "Leicester", "Rutland", "Blaby", "Charnwood", "Harborough", "Hinckley and Bosworth",
        "Melton", "North West Leicestershire", "Oadby and Wigston",
    }  # fmt: skip
    outside = (
        StreetRecord.objects.filter(import_run=run, local_authority__isnull=False)
        .exclude(local_authority__in=llr)
        .count()
    )
    assert outside > 0
    assert run.rows_outside_force_area == outside


def test_importing_the_same_folder_again_writes_nothing() -> None:
    before = _state()
    out = io.StringIO()
    call_command("import_police_uk", str(LEICESTERSHIRE_STREET), stdout=out)
    assert _state() == before
    assert "48 unchanged" in out.getvalue()


def _revised_copy(tmp_path: Path) -> Path:
    """A SYNTHETIC later revision of the real 2022-10 file: some outcomes moved on."""
    source = LEICESTERSHIRE_STREET / "2022-10-leicestershire-street.csv.gz"
    text = gzip.decompress(source.read_bytes()).decode("utf-8")
    text = text.replace(
        ",Under investigation,", ",Investigation complete; no suspect identified,", 100
    )
    target = tmp_path / "2022-10-leicestershire-street.csv"
    target.write_text(text, encoding="utf-8", newline="")
    return target


def test_a_new_copy_of_a_month_replaces_it_and_keeps_the_old_run(tmp_path: Path) -> None:
    old = ImportRun.objects.get(force="leicestershire", kind="street", month=date(2022, 10, 1))
    before_investigating = StreetRecord.objects.filter(
        import_run=old, last_outcome_category="Under investigation"
    ).count()
    out = io.StringIO()
    call_command("import_police_uk", str(_revised_copy(tmp_path)), stdout=out)
    old.refresh_from_db()
    assert old.status == "superseded"
    new = ImportRun.objects.get(
        force="leicestershire", kind="street", month=date(2022, 10, 1), status="current"
    )
    assert new.supersedes_id == old.id
    assert not StreetRecord.objects.filter(import_run=old).exists()
    month_rows = StreetRecord.objects.filter(month=date(2022, 10, 1))
    assert month_rows.count() == 9802
    assert month_rows.filter(last_outcome_category="Under investigation").count() == (
        before_investigating - 100
    )
    changed = {d["value"]: d for d in new.changes["last_outcome_category"]}
    assert changed["Under investigation"]["before"] == before_investigating
    assert changed["Under investigation"]["after"] == before_investigating - 100
    assert new.changes["crime_type"] == []  # only outcomes changed
    assert "1 replaced" in out.getvalue()
    assert "Under investigation" in out.getvalue()


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _refused(path: Path, *expected: str) -> str:
    before = _state()
    with pytest.raises(CommandError) as caught:
        call_command("import_police_uk", str(path), stdout=io.StringIO())
    assert _state() == before, "a refused file must write nothing"
    message = str(caught.value)
    for text in expected:
        assert text in message, message
    return message


GOOD_ROW = (
    "abc123,2025-01,Leicestershire Police,Leicestershire Police,-1.1,52.6,On or near X,"
    "E01025610,Blaby 008A,Burglary,Under investigation,"
)  # a SYNTHETIC row in the real layout


def test_refuses_wrong_header(tmp_path: Path) -> None:
    data = (HEADER.replace("Crime type", "Offence") + "\n" + GOOD_ROW + "\n").encode()
    _refused(_write(tmp_path, "2025-01-leicestershire-street.csv", data), "Crime type")


def test_refuses_bad_month_naming_row_and_column(tmp_path: Path) -> None:
    bad = GOOD_ROW.replace("2025-01", "2025-13")
    data = f"{HEADER}\n{GOOD_ROW}\n{bad}\n".encode()
    _refused(_write(tmp_path, "2025-01-leicestershire-street.csv", data), "row 3", "Month")


def test_refuses_month_that_differs_from_file_name(tmp_path: Path) -> None:
    data = f"{HEADER}\n{GOOD_ROW.replace('2025-01', '2025-02')}\n".encode()
    _refused(_write(tmp_path, "2025-01-leicestershire-street.csv", data), "row 2", "Month")


def test_refuses_non_utf8(tmp_path: Path) -> None:
    data = f"{HEADER}\n{GOOD_ROW}\n".encode().replace(b"On or near X", b"On or near \xff")
    _refused(_write(tmp_path, "2025-01-leicestershire-street.csv", data), "UTF-8", "row 2")


def test_refuses_truncated_gzip(tmp_path: Path) -> None:
    whole = (LEICESTERSHIRE_STREET / "2025-01-leicestershire-street.csv.gz").read_bytes()
    path = _write(tmp_path, "2025-01-leicestershire-street.csv.gz", whole[: len(whole) // 2])
    _refused(path, "2025-01-leicestershire-street.csv.gz")


def test_refuses_empty_file(tmp_path: Path) -> None:
    _refused(_write(tmp_path, "2025-01-leicestershire-street.csv", b""), "empty")


def test_refuses_unrecognised_file_name(tmp_path: Path) -> None:
    data = f"{HEADER}\n{GOOD_ROW}\n".encode()
    _refused(_write(tmp_path, "crimes.csv", data), "crimes.csv", "not a data.police.uk file name")
    _refused(_write(tmp_path, "january-leicestershire-street.csv", data), "not a data.police.uk")


def test_refuses_zip_with_path_traversal(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("2025-01/2025-01-leicestershire-street.csv", f"{HEADER}\n{GOOD_ROW}\n")
        archive.writestr("../evil/2025-01-leicestershire-street.csv", f"{HEADER}\n{GOOD_ROW}\n")
    _refused(_write(tmp_path, "archive.zip", buffer.getvalue()), "..")


def test_refuses_zip_bomb(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        body = HEADER + "\n" + (GOOD_ROW + "\n") + "\n" * 50_000_000
        archive.writestr("2025-01/2025-01-leicestershire-street.csv", body)
    _refused(_write(tmp_path, "bomb.zip", buffer.getvalue()), "zip bomb")


def test_zip_in_archive_layout_imports(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    real = gzip.decompress(
        (LEICESTERSHIRE_STREET / "2025-03-leicestershire-street.csv.gz").read_bytes()
    )
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("2025-03/2025-03-leicestershire-street.csv", real)
    path = _write(tmp_path, "custom-download.zip", buffer.getvalue())
    before = _state()
    out = io.StringIO()
    call_command("import_police_uk", str(path), stdout=out)
    # byte-identical content to the .gz already held: same sha256, so a reported no-op
    assert _state() == before
    assert "1 unchanged" in out.getvalue()
