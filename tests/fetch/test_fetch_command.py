"""``fetch_police_uk`` end to end against a local SYNTHETIC data.police.uk.

The session database already holds the bundled (real) Leicestershire street files for
2019-12..2022-11 and 2025; the synthetic API months used here (2024-01, 2024-02) are in the
real gap, so they never collide with real data. Each test is rolled back.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError

from policeplan.provenance.models import ImportRun
from policeplan.records.models import StopSearchRecord, StreetRecord
from tests.fetch.conftest import LocalApi
from tests.fetch.synthetic_api import FORCE, FORCE_NAME, crime, persistent_id
from tests.sources.synthetic_police_api import Scripted

pytestmark = pytest.mark.django_db

RANGE = ["--force", FORCE, "--from", "2023-12", "--to", "2024-02"]
JAN, FEB = date(2024, 1, 1), date(2024, 2, 1)


def _runs(kind: str, month: date) -> list[ImportRun]:
    return list(
        ImportRun.objects.filter(source="police_uk", kind=kind, force=FORCE, month=month).order_by(
            "id"
        )
    )


def _state() -> tuple[int, int, int]:
    return ImportRun.objects.count(), StreetRecord.objects.count(), StopSearchRecord.objects.count()


def test_fetch_imports_the_available_months_with_provenance(
    run_command: Callable[..., str], local_api: LocalApi
) -> None:
    out = run_command("fetch_police_uk", *RANGE)

    street = _runs("street", JAN)
    assert [r.status for r in street] == ["current"]
    run = street[0]
    assert run.source_url == f"{local_api.base_url}/crimes-street/all-crime?date=2024-01"
    assert run.source_path == "2024-01-leicestershire-street.csv"
    assert run.rows_read == run.rows_written == 4
    assert len(run.content_sha256) == 64 and "fetch_police_uk" in run.run_by
    assert [r.status for r in _runs("street", FEB)] == ["current"]
    (stops,) = _runs("stop-and-search", JAN)
    assert stops.source_url == f"{local_api.base_url}/stops-force?force={FORCE}&date=2024-01"
    assert stops.rows_written == 2
    assert _runs("stop-and-search", FEB) == []  # not published for this force
    assert _runs("street", date(2023, 12, 1)) == []  # not published at all

    assert "Not published by data.police.uk: 2023-12" in out
    assert f"No stop and search published for {FORCE}: 2023-12, 2024-02" in out
    assert "Neighbourhoods without a usable boundary (their crimes may be missing): NC03" in out
    assert "3 imported" in out
    # One boundary request per neighbourhood, once; one crimes request per area per month.
    assert local_api.state.count(f"/api/{FORCE}/NA01/boundary") == 1
    assert local_api.state.count("/api/crimes-street/all-crime", date="2024-01") == 2


def test_rows_match_the_synthetic_json(run_command: Callable[..., str]) -> None:
    run_command("fetch_police_uk", *RANGE)

    rows = StreetRecord.objects.filter(force=FORCE, month=JAN)
    assert Counter(rows.values_list("crime_type", flat=True)) == {
        "Burglary": 1,
        "Violence and sexual offences": 1,
        "Anti-social behaviour": 1,  # in both neighbourhoods, kept once
        "Other theft": 1,
    }  # the British Transport Police shoplifting is left out
    burglary = rows.get(crime_type="Burglary")
    assert burglary.crime_id == persistent_id("2024-01", 1)
    assert (burglary.reported_by, burglary.falls_within) == (FORCE_NAME, FORCE_NAME)
    assert (burglary.latitude, burglary.longitude) == (52.65, -1.15)
    assert burglary.location == "On or near Synthetic Street 1"
    assert burglary.last_outcome_category == "Under investigation"
    assert burglary.lsoa_code is None and burglary.lsoa_name is None  # the API has no LSOAs
    asb = rows.get(crime_type="Anti-social behaviour")
    assert asb.crime_id is None and asb.last_outcome_category is None
    assert rows.get(crime_type="Other theft").context == "Synthetic context"
    violence = rows.get(crime_type="Violence and sexual offences")
    assert violence.last_outcome_category == "Unable to prosecute suspect"

    searches = StopSearchRecord.objects.filter(force=FORCE, month=JAN).order_by("date")
    assert [s.date.day for s in searches] == [5, 20]
    first, second = searches
    assert first.type == "Person search" and first.object_of_search == "Controlled drugs"
    assert first.latitude == 52.634 and first.part_of_a_policing_operation is False
    assert first.outcome == "A no further action disposal"
    assert first.outcome_linked_to_object_of_search is None
    assert second.latitude is None and second.outcome_linked_to_object_of_search is False


def test_a_rerun_is_a_no_op(run_command: Callable[..., str]) -> None:
    run_command("fetch_police_uk", *RANGE)
    before = _state()
    out = run_command("fetch_police_uk", *RANGE)
    assert _state() == before
    assert "3 unchanged" in out


def test_a_changed_answer_replaces_the_month_as_a_revision(
    run_command: Callable[..., str], local_api: LocalApi
) -> None:
    run_command("fetch_police_uk", *RANGE)
    crimes = local_api.state.crimes_by_month["2024-01"]
    crimes[0]["outcome_status"] = {"category": "Offender given a caution", "date": "2024-01"}
    crimes.append(crime("2024-01", 6, "robbery", 52.62, -1.16))

    out = run_command("fetch_police_uk", *RANGE)

    old, new = _runs("street", JAN)
    assert (old.status, new.status) == ("superseded", "current")
    assert new.supersedes_id == old.id and new.rows_written == 5
    assert new.changes["rows_before"] == 4 and new.changes["rows_after"] == 5
    assert {"value": "Robbery", "before": 0, "after": 1} in new.changes["crime_type"]
    assert not StreetRecord.objects.filter(import_run=old).exists()
    assert StreetRecord.objects.filter(import_run=new, crime_type="Robbery").count() == 1
    assert [r.status for r in _runs("street", FEB)] == ["current"]  # February unchanged
    assert "1 replaced" in out and "2 unchanged" in out


@pytest.mark.parametrize(
    "failure",
    [Scripted(status=429, headers={"Retry-After": "0"}), Scripted(status=500)],
    ids=["429", "500"],
)
def test_a_transient_failure_is_retried(
    run_command: Callable[..., str], local_api: LocalApi, failure: Scripted
) -> None:
    local_api.state.script_month("/crimes-street/all-crime", "2024-01", failure)
    run_command("fetch_police_uk", *RANGE)
    assert _runs("street", JAN)[0].rows_written == 4
    # One area asked twice (the failure, then success), the other once.
    assert local_api.state.count("/api/crimes-street/all-crime", date="2024-01") == 3


def test_a_timeout_stops_with_a_clear_error_and_leaves_the_month_unwritten(
    run_command: Callable[..., str], local_api: LocalApi
) -> None:
    slow = Scripted(body=b"[]", delay=1.0)
    # February's first area answers; the second times out on both attempts.
    local_api.state.script_month("/crimes-street/all-crime", "2024-02", None, slow, slow)

    with pytest.raises(CommandError) as error:
        run_command("fetch_police_uk", *RANGE)

    message = str(error.value)
    assert f"{local_api.base_url}/crimes-street/all-crime?poly=" in message
    assert "date=2024-02: timed out (ReadTimeout) after 2 attempts" in message
    assert "Stopped while fetching 2024-02-leicestershire-street.csv" in message
    assert "nothing from it was written" in message and "--checkpoint" in message
    assert _runs("street", FEB) == []
    assert not StreetRecord.objects.filter(force=FORCE, month=FEB).exists()
    assert [r.status for r in _runs("street", JAN)] == ["current"]  # finished months are kept


def test_malformed_json_is_a_clear_error(
    run_command: Callable[..., str], local_api: LocalApi
) -> None:
    local_api.state.script_month(
        "/stops-force", "2024-01", Scripted(body=b'[{"type": "Person search",')
    )
    before = _state()
    with pytest.raises(CommandError) as error:
        run_command("fetch_police_uk", *RANGE)
    message = str(error.value)
    assert message.startswith(
        f"{local_api.base_url}/stops-force?force={FORCE}&date=2024-01: returned malformed JSON"
    )
    assert 'the response began \'[{"type": "Person search",\'' in message
    assert _state() == before


def test_an_unknown_category_names_the_url(
    run_command: Callable[..., str], local_api: LocalApi
) -> None:
    local_api.state.crimes_by_month["2024-01"].append(
        crime("2024-01", 9, "synthetic-x", 52.6, -1.2)
    )
    with pytest.raises(CommandError, match="crimes-street/all-crime\\?date=2024-01: crime 5"):
        run_command("fetch_police_uk", *RANGE)
    assert _runs("street", JAN) == []


def test_a_checkpoint_resumes_without_repeating_finished_requests(
    run_command: Callable[..., str], local_api: LocalApi, tmp_path: Path
) -> None:
    checkpoint = tmp_path / "fetch.json"
    slow = Scripted(body=b"[]", delay=1.0)
    local_api.state.script_month("/crimes-street/all-crime", "2024-02", None, slow, slow)
    with pytest.raises(CommandError, match="Run the same command again to resume from"):
        run_command("fetch_police_uk", *RANGE, "--checkpoint", str(checkpoint))
    assert json.loads(checkpoint.read_text())["version"] == 1
    first_run = len(local_api.state.requests)
    imported = _state()

    out = run_command("fetch_police_uk", *RANGE, "--checkpoint", str(checkpoint))

    second_run = local_api.state.requests[first_run:]
    # Only February's unfinished area was asked again: no forces, dates, boundaries, January.
    assert [(path, params.get("date")) for _, path, params in second_run] == [
        ("/api/crimes-street/all-crime", "2024-02")
    ]
    assert [r.status for r in _runs("street", FEB)] == ["current"]
    assert _runs("street", FEB)[0].rows_written == 4
    assert _state()[0] == imported[0] + 1
    assert "imported by an earlier, interrupted run" in out
    assert not checkpoint.exists()  # a finished run removes its checkpoint
    assert not (tmp_path / "fetch.json.responses").exists()


def test_a_month_held_from_a_downloaded_file_is_kept(
    run_command: Callable[..., str], local_api: LocalApi
) -> None:
    (real,) = _runs("street", date(2025, 1, 1))  # bundled real file, with LSOAs
    out = run_command("fetch_police_uk", "--force", FORCE, "--from", "2025-01", "--to", "2025-01")
    assert _runs("street", date(2025, 1, 1)) == [real]
    assert "a downloaded file is held; --replace-files replaces it" in out
    assert local_api.state.count("/api/crimes-street/all-crime") == 0
    assert [r.status for r in _runs("stop-and-search", date(2025, 1, 1))] == ["current"]

    run_command(
        "fetch_police_uk",
        "--force",
        FORCE,
        "--from",
        "2025-01",
        "--to",
        "2025-01",
        "--replace-files",
        "--allow-shrink",  # the synthetic answer has 4 of the file's 8,448 rows (ADR 0013)
    )
    old, new = _runs("street", date(2025, 1, 1))
    assert old.id == real.id and old.status == "superseded" and new.status == "current"
    assert "/crimes-street/" in new.source_url


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--force", "atlantis", "--from", "2024-01", "--to", "2024-01"],
            r"'atlantis' is not a data.police.uk force id[\s\S]*Nothing was written\.",
        ),
        (["--force", FORCE, "--from", "2024-13", "--to", "2024-01"], "'2024-13' is not a month"),
        (["--force", FORCE, "--from", "2024-02", "--to", "2024-01"], "is after the last month"),
    ],
)
def test_bad_arguments(run_command: Callable[..., str], args: list[str], message: str) -> None:
    before = _state()
    with pytest.raises(CommandError, match=message):
        run_command("fetch_police_uk", *args)
    assert _state() == before
