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
