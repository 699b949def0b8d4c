"""Fixtures for the official statistics tests: the eight real ONS editions and the bundled
provisional peer groups, imported once for this package on top of the session's base data.

The import is committed (tests then run in transactions that are rolled back), so the fixture
removes afterwards exactly what it added, leaving the session database as it found it.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command

from policeplan.geography.models import Area, PeerGroup
from policeplan.official.models import OfficialObservation
from policeplan.provenance.models import ImportRun
from tests.conftest import REPO_ROOT

ONS_DIR = REPO_ROOT / "data" / "ons_pfa"
LEICESTERSHIRE = "E23000021"
TOTAL = "Total recorded crime (excluding fraud)"
DEC_2019 = "pfatablesdec19.xlsx"
# From /work/shared/data/README.md section 2: Leicestershire, total recorded crime excluding
# fraud (Table P1). December 2019 is read from the workbook itself in the tests.
PUBLISHED_TOTALS = {
    "policeforceareatablesyearendingmarch2018v2.xlsx": ("2018-03", 81_960),
    "policeforceareadatatablesyearendingjune2018corrected.xlsx": ("2018-06", 84_571),
    "policeforceareatablesyearendingsep18corrected.xlsx": ("2018-09", 86_251),
    "policeforceareatablesyearendingdecember2018.xlsx": ("2018-12", 87_167),
    "policeforceareatablesyeendingmarch2019.xlsx": ("2019-03", 91_315),
    "policeforceareatablesyearendingjune2019.xlsx": ("2019-06", 92_046),
    "policeforceareatablesyearendingseptember2019.xlsx": ("2019-09", 93_499),
}
ALL_WORKBOOKS = sorted(ONS_DIR.glob("*.xlsx"))


@pytest.fixture(scope="package")
def ons_editions(
    django_db_setup: None, django_db_blocker: pytest.FixtureRequest
) -> Iterator[list[Path]]:
    """Import the eight editions and the default peer groups; undo that afterwards."""
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        runs_before = set(ImportRun.objects.values_list("id", flat=True))
        areas_before = set(Area.objects.values_list("id", flat=True))
        groups_before = set(PeerGroup.objects.values_list("id", flat=True))
        call_command("import_ons_pfa", *map(str, ALL_WORKBOOKS), verbosity=0)
        call_command("load_peer_groups", verbosity=0)
    yield ALL_WORKBOOKS
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        PeerGroup.objects.exclude(id__in=groups_before).delete()
        new_runs = ImportRun.objects.exclude(id__in=runs_before)
        OfficialObservation.objects.filter(import_run__in=new_runs).delete()
        new_runs.delete()
        Area.objects.exclude(id__in=areas_before).delete()


@pytest.fixture
def edited_workbook(tmp_path: Path) -> Callable[..., Path]:
    """SYNTHETIC: a copy of a real edition with cells changed by openpyxl.

    ``edited_workbook(name, {("Table P1", "C26"): 91243}, out="x.xlsx")``; a value of None
    clears the cell.
    """

    def make(source: str, edits: dict[tuple[str, str], object], out: str = "") -> Path:
        workbook = openpyxl.load_workbook(ONS_DIR / source)
        for (sheet, cell), value in edits.items():
            workbook[sheet][cell].value = value
        buffer = io.BytesIO()
        workbook.save(buffer)
        path = tmp_path / (out or f"synthetic-{source}")
        path.write_bytes(buffer.getvalue())
        return path

    return make
