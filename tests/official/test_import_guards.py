"""Issue 11 rows 5 and 7 (the DataError side) as regression tests on a real ONS edition
(December 2019, bundled), copied and altered here (SYNTHETIC copies): a workbook without
Table P3 removed 1,430 held figures while the summary said "Changed 0"; a value of 1e30 was a
DataError (PostgreSQL) or decimal.InvalidOperation (SQLite) traceback."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from policeplan.official.models import OfficialObservation
from policeplan.provenance.models import ImportRun

from .conftest import DEC_2019, ONS_DIR

pytestmark = pytest.mark.django_db


def _held() -> ImportRun:
    return ImportRun.objects.get(
        source="ons_pfa", period_label="year ending Dec 2019", status="current"
    )


def _copy(tmp_path: Path, name: str, change: object) -> Path:
    book = openpyxl.load_workbook(ONS_DIR / DEC_2019)
    change(book)  # type: ignore[operator]
    path = tmp_path / name
    book.save(path)
    return path


def test_a_workbook_missing_a_table_is_refused_unless_allowed(tmp_path: Path) -> None:
    held = _held()
    figures = OfficialObservation.objects.filter(import_run=held)
    in_p3 = figures.filter(table="P3").count()
    assert (in_p3, figures.count()) == (
        1430,
        4904,
    )  # recounted from the workbook by openpyxl in the issue
    without_p3 = _copy(tmp_path, "without-p3.xlsx", lambda book: book.remove(book["Table P3"]))
    with pytest.raises(CommandError) as refused:
        call_command("import_ons_pfa", str(without_p3), stdout=io.StringIO())
    assert (
        f"{without_p3}: this revision of ons_pfa pfa-tables year ending Dec 2019 would remove "
        "1,430 of the 4,904 figures held (29.2%, over the 10% allowed by "
        "POLICEPLAN_IMPORT_SHRINK_PERCENT); nothing was changed."
    ) in str(refused.value)
    assert _held() == held and figures.count() == 4904

    out = io.StringIO()
    call_command("import_ons_pfa", str(without_p3), "--allow-shrink", stdout=out)
    new = _held()
    assert new != held and new.changes["cells_removed"] == 1430
    assert OfficialObservation.objects.filter(import_run=new).count() == 4904 - 1430
    assert "Removed" in out.getvalue() and "1430" in out.getvalue().replace(",", "")


def test_a_value_too_large_for_its_column_names_sheet_and_cell(tmp_path: Path) -> None:
    held = _held()
    cell = OfficialObservation.objects.filter(import_run=held, table="P1", value__isnull=False)
    first = cell.order_by("id").first()
    assert first is not None

    def huge(book: openpyxl.Workbook) -> None:
        book[first.sheet][first.cell] = 1e30

    bad = _copy(tmp_path, "huge.xlsx", huge)
    with pytest.raises(CommandError) as refused:
        call_command("import_ons_pfa", str(bad), stdout=io.StringIO())
    message = str(refused.value)
    assert "Traceback" not in message
    # The parser refuses it first (ADR 0014), naming the cell by row and column.
    letters = first.cell.rstrip("0123456789")
    where = f"sheet {first.sheet!r}, row {first.cell[len(letters) :]}, column {letters}"
    assert f"huge.xlsx, {where}: 1e+30 is out of range" in message
    assert _held() == held
    assert OfficialObservation.objects.filter(import_run=held).count() == 4904
