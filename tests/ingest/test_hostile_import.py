"""Issue 11: hostile input through the import commands. Each case ends in a clear error naming
the file (and the layer, sheet, row or column) with nothing written."""

from __future__ import annotations

import gzip
import io
import shutil
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from policeplan.provenance.models import ImportRun
from policeplan.records.models import StreetRecord
from tests.sources.test_hostile_compression import HOSTILE, STREET, zeros_gzip

pytestmark = pytest.mark.django_db


def _state() -> tuple[int, int]:
    return ImportRun.objects.count(), StreetRecord.objects.count()


def _refused(command: str, path: Path, *expected: str) -> str:
    before = _state()
    with pytest.raises(CommandError) as caught:
        call_command(command, str(path), stdout=io.StringIO())
    assert _state() == before, "a refused file must write nothing"
    message = str(caught.value)
    for text in expected:
        assert text in message, message
    assert "Traceback" not in message
    return message


def test_row1_gzip_in_gzip_bomb_through_import_police_uk(tmp_path: Path) -> None:
    path = tmp_path / f"{STREET}.gz"
    shutil.copy(HOSTILE / f"{STREET}.gz", path)
    _refused("import_police_uk", path, f"{path}: gzip layer 2: expands more than 200 times")


def test_row1_gzip_inside_a_zip_member_through_import_police_uk(tmp_path: Path) -> None:
    path = tmp_path / "archive.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr(f"2025-01/{STREET}", gzip.compress(zeros_gzip(64), compresslevel=0))
    _refused("import_police_uk", path, f"{STREET}: gzip layer 2: expands more than 200 times")


def test_row1_outer_gzip_layer_ratio_is_capped_by_the_lifecycle(tmp_path: Path) -> None:
    path = tmp_path / f"{STREET}.gz"
    path.write_bytes(zeros_gzip(64))
    _refused("import_police_uk", path, f"{path}: gzip layer 1: expands more than 200 times")


HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
    "Crime type,Last outcome category,Context\n"
)


def _street_file(tmp_path: Path, name: str, force_name: str, **cells: str) -> Path:
    month = name[:7]
    row = {
        "id": "abc123",
        "month": month,
        "by": force_name,
        "within": force_name,
        "lat": "52.6",
        "type": "Burglary",
    } | cells
    line = (
        f"{row['id']},{row['month']},{row['by']},{row['within']},-1.1,{row['lat']},On or near X,"
        f"E01000001,Example 001A,{row['type']},Under investigation,\n"
    )
    path = tmp_path / name
    path.write_text(HEADER + line, encoding="utf-8")
    return path


def test_row6_a_derbyshire_file_holding_lincolnshire_rows(tmp_path: Path) -> None:
    path = _street_file(tmp_path, "2025-01-derbyshire-street.csv", "Lincolnshire Police")
    _refused(
        "import_police_uk",
        path,
        f"{path}, row 2, column Reported by: 'Lincolnshire Police' is not the file name's force, "
        "derbyshire (Derbyshire Constabulary)",
        f"{path}, row 2, column Falls within:",
    )


def test_row6_unknown_force_and_future_month(tmp_path: Path) -> None:
    path = _street_file(tmp_path, "2025-01-atlantis-street.csv", "Atlantis Police")
    _refused("import_police_uk", path, f"{path}: 'atlantis' in the file name is not a data")
    path = _street_file(tmp_path, "2099-01-cleveland-street.csv", "Cleveland Police")
    _refused("import_police_uk", path, f"{path}: the file name's month 2099-01 is after")


def test_row6_invented_crime_type_refused_then_accepted_with_the_flag(tmp_path: Path) -> None:
    path = _street_file(
        tmp_path, "2025-01-cleveland-street.csv", "Cleveland Police", type="Jaywalking"
    )
    _refused("import_police_uk", path, "row 2, column Crime type: 'Jaywalking' is not a")
    call_command("import_police_uk", str(path), "--allow-new-crime-type", stdout=io.StringIO())
    held = StreetRecord.objects.filter(force="cleveland").values_list("crime_type", flat=True)
    assert list(held) == ["Jaywalking"]


def test_row6_latitude_5_3_1_is_refused_not_stored_as_53_1(tmp_path: Path) -> None:
    path = _street_file(tmp_path, "2025-01-cleveland-street.csv", "Cleveland Police", lat="5_3.1")
    _refused("import_police_uk", path, f"{path}, row 2, column Latitude: '5_3.1' is not a number")


def test_row7_a_file_named_0000_01_is_a_clear_error(tmp_path: Path) -> None:
    path = _street_file(tmp_path, "0000-01-cleveland-street.csv", "Cleveland Police")
    _refused("import_police_uk", path, "'0000-01' is not a month")


def _official_state() -> tuple[int, int]:
    from policeplan.official.models import OfficialObservation

    return ImportRun.objects.count(), OfficialObservation.objects.count()


def test_row7_an_ons_value_of_1e30_through_import_ons_pfa(tmp_path: Path) -> None:
    from tests.sources.test_hostile_ons_values import figure_cell, with_value

    cell, _header = figure_cell()
    path = tmp_path / "pfatablesdec19.xlsx"
    path.write_bytes(with_value(cell, "1E+30"))
    before = _official_state()
    with pytest.raises(CommandError) as caught:
        call_command("import_ons_pfa", str(path), stdout=io.StringIO())
    assert _official_state() == before
    letters, row = cell.rstrip("0123456789"), cell.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    where = f"pfatablesdec19.xlsx, sheet 'Table P1', row {row}, column {letters}"
    assert f"{where}: 1e+30 is out of range" in str(caught.value)


def test_row2_an_ons_workbook_with_a_far_cell_through_import_ons_pfa(tmp_path: Path) -> None:
    from tests.sources.test_hostile_sheets import ons_bytes, part_of, with_cell

    path = tmp_path / "pfatablesdec19.xlsx"
    path.write_bytes(with_cell(ons_bytes(), part_of("Table P1"), "XFD1048576"))
    before = _official_state()
    with pytest.raises(CommandError) as caught:
        call_command("import_ons_pfa", str(path), stdout=io.StringIO())
    assert _official_state() == before
    assert (
        "pfatablesdec19.xlsx, sheet 'Table P1', row 1048576, column XFD: the sheet has a cell at "
        "XFD1048576"
    ) in str(caught.value)
