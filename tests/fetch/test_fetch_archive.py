"""``fetch_police_uk --archive`` with small SYNTHETIC archive zips served locally."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError

from policeplan.provenance.models import ImportRun
from policeplan.records.models import StopSearchRecord, StreetRecord
from tests.fetch.conftest import LocalApi
from tests.fetch.synthetic_api import FORCE, Scripted, archive_street_csv, synthetic_archive

FORCE_NAME = "Leicestershire Police"  # what data.police.uk writes in Reported by

pytestmark = pytest.mark.django_db

RANGE = ["--force", FORCE, "--from", "2024-01", "--to", "2024-02", "--archive"]


@pytest.fixture
def fetch_archive(run_command: Callable[..., str], local_api: LocalApi) -> Callable[..., str]:
    def run(*extra: str) -> str:
        return run_command(
            "fetch_police_uk", *RANGE, "--archive-base-url", local_api.archive_base_url, *extra
        )

    return run


def _current(kind: str, month: date, force: str = FORCE) -> ImportRun | None:
    return ImportRun.objects.filter(
        source="police_uk", kind=kind, force=force, month=month, status="current"
    ).first()


def test_the_forces_members_are_imported_from_one_archive(
    fetch_archive: Callable[..., str], local_api: LocalApi
) -> None:
    local_api.state.archives["2024-02"] = synthetic_archive("2024-02")

    out = fetch_archive()

    url = f"{local_api.archive_base_url}/2024-02.zip"
    february = _current("street", date(2024, 2, 1))
    assert february is not None and february.source_url == url
    assert february.source_path == "2024-02.zip!2024-02/2024-02-leicestershire-street.csv"
    assert february.rows_written == 3
    row = StreetRecord.objects.filter(import_run=february).first()
    assert row is not None and row.lsoa_code == "E01099999" and row.lsoa_name == "Synthetic 001A"
    january = _current("street", date(2024, 1, 1))  # the same archive holds earlier months
    assert january is not None and january.rows_written == 2 and january.source_url == url
    searches = _current("stop-and-search", date(2024, 2, 1))
    assert searches is not None
    assert StopSearchRecord.objects.filter(import_run=searches).count() == 1
    assert _current("street", date(2024, 2, 1), "northamptonshire") is None  # another force
    assert local_api.state.count("/data/archive/2024-02.zip") == 1
    assert local_api.state.count("/data/archive/2024-01.zip") == 0
    assert local_api.state.count("/api/crimes-street/all-crime") == 0
    assert "3 imported" in out

    before = ImportRun.objects.count()
    assert "3 unchanged" in fetch_archive()
    assert ImportRun.objects.count() == before


def test_a_month_missing_from_the_archive_is_reported(
    fetch_archive: Callable[..., str], local_api: LocalApi
) -> None:
    local_api.state.archives["2024-02"] = synthetic_archive(
        "2024-02",
        {"2024-02/2024-02-leicestershire-street.csv": archive_street_csv("2024-02", FORCE_NAME, 1)},
    )
    local_api.state.archives["2024-01"] = synthetic_archive(
        "2024-01",
        {"2024-01/2024-01-northamptonshire-street.csv": archive_street_csv("2024-01", "Y", 1)},
    )
    out = fetch_archive()
    # 2024-01 was not in the 2024-02 archive, so the 2024-01 archive was fetched too.
    assert local_api.state.count("/data/archive/2024-01.zip") == 1
    assert "the archive holds no street file of this force for the month" in out
    assert _current("street", date(2024, 1, 1)) is None


def test_an_archive_over_the_size_limit_is_refused(
    fetch_archive: Callable[..., str], local_api: LocalApi
) -> None:
    local_api.state.archives["2024-02"] = synthetic_archive("2024-02")
    before = ImportRun.objects.count()
    with pytest.raises(CommandError, match="over the 100-byte limit; nothing was kept"):
        fetch_archive("--archive-max-bytes", "100")
    assert ImportRun.objects.count() == before


def test_an_unsafe_archive_is_refused(
    fetch_archive: Callable[..., str], local_api: LocalApi
) -> None:
    local_api.state.archives["2024-02"] = synthetic_archive(
        "2024-02",
        {"../2024-02-leicestershire-street.csv": archive_street_csv("2024-02", FORCE_NAME, 1)},
    )
    before = ImportRun.objects.count()
    with pytest.raises(CommandError) as error:
        fetch_archive()
    assert f"{local_api.archive_base_url}/2024-02.zip: member '../" in str(error.value)
    assert "refers to a parent folder" in str(error.value)
    assert ImportRun.objects.count() == before


def test_a_missing_archive_is_a_clear_error(fetch_archive: Callable[..., str]) -> None:
    with pytest.raises(CommandError, match="2024-02.zip: answered 404 Not Found"):
        fetch_archive()


def test_a_checkpoint_skips_archives_already_imported(
    fetch_archive: Callable[..., str], local_api: LocalApi, tmp_path: Path
) -> None:
    checkpoint = tmp_path / "archive.json"
    local_api.state.archives["2024-02"] = synthetic_archive(
        "2024-02",
        {"2024-02/2024-02-leicestershire-street.csv": archive_street_csv("2024-02", FORCE_NAME, 1)},
    )
    local_api.state.archives["2024-01"] = synthetic_archive(
        "2024-01",
        {"2024-01/2024-01-leicestershire-street.csv": archive_street_csv("2024-01", FORCE_NAME, 2)},
    )
    local_api.state.scripts["/data/archive/2024-01.zip"].extend([Scripted(status=502)] * 2)
    with pytest.raises(CommandError, match="2024-01.zip: answered 502 Bad Gateway after 2"):
        fetch_archive("--checkpoint", str(checkpoint))
    assert _current("street", date(2024, 2, 1)) is not None  # the first archive is kept

    out = fetch_archive("--checkpoint", str(checkpoint))
    assert local_api.state.count("/data/archive/2024-02.zip") == 1  # not downloaded again
    assert local_api.state.count("/data/archive/2024-01.zip") == 3
    assert _current("street", date(2024, 1, 1)) is not None
    assert "imported by an earlier, interrupted run" in out
    assert not checkpoint.exists()
