"""The one import lifecycle, with a SYNTHETIC source (see conftest): provenance, idempotency
by content, one transaction, supersession, limits and staging."""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

import pytest

from policeplan.official.models import OfficialTable
from policeplan.provenance.content import ImportInput
from policeplan.provenance.lifecycle import promote, run_import
from policeplan.provenance.models import ImportRun, Slot

from .conftest import RegisterLines, register_file

pytestmark = pytest.mark.django_db
SLOT = Slot("synthetic_register", "a", "", None)
TWO = "slot:a\nP1,first\nP2,second\n"


def _rows(run: ImportRun | None) -> list[str]:
    return list(OfficialTable.objects.filter(import_run=run).values_list("title", flat=True))


def test_first_import_records_provenance(register: RegisterLines) -> None:
    outcome = run_import(register, register_file(TWO, url="https://example.org/r"), run_by="tester")
    assert outcome.status == "imported"
    run = outcome.run
    assert run is not None
    assert run.status == "current" and run.slot.key() == SLOT.key()
    assert (run.source_path, run.source_url, run.run_by) == (
        "register.csv",
        "https://example.org/r",
        "tester",
    )
    assert run.sha256 == run.content_sha256 == hashlib.sha256(TWO.encode()).hexdigest()
    assert (run.size_bytes, run.rows_read, run.rows_written) == (len(TWO), 2, 2)
    assert run.period_label == "register a" and run.finished_at >= run.started_at
    assert _rows(run) == ["first", "second"]
    assert ImportRun.objects.current_for(SLOT) == run


def test_the_same_content_again_is_a_no_op_even_gzipped(register: RegisterLines) -> None:
    first = run_import(register, register_file(TWO), run_by="tester")
    again = run_import(register, register_file(TWO, name="copy.csv"), run_by="tester")
    packed = gzip.compress(TWO.encode())
    zipped = run_import(register, ImportInput("r.csv.gz", read=lambda: packed), run_by="tester")
    assert (again.status, zipped.status) == ("unchanged", "unchanged")
    assert again.run_id == zipped.run_id == first.run_id
    assert ImportRun.objects.for_slot(SLOT).count() == 1


def test_a_new_revision_supersedes_and_retires_the_old_rows(register: RegisterLines) -> None:
    old = run_import(register, register_file(TWO), run_by="tester").run
    # half the rows go: over the shrink guard's share, so allowed explicitly (see test_guards)
    outcome = run_import(
        register, register_file("slot:a\nP1,first\n"), run_by="tester", allow_shrink=True
    )
    assert outcome.status == "replaced"
    assert old is not None
    old.refresh_from_db()
    new = ImportRun.objects.current_for(SLOT)
    assert new is not None and new.supersedes == old and old.status == "superseded"
    assert _rows(old) == [] and _rows(new) == ["first"]
    assert new.changes["rows_before"] == 2 and new.changes["rows_after"] == 1
    assert outcome.changes.held == 2 and outcome.changes.removed == 1
    # another slot is another slot
    other = run_import(register, register_file("slot:b\nP1,first\n"), run_by="tester")
    assert other.status == "imported"


def test_a_writer_failure_rolls_everything_back(register: RegisterLines) -> None:
    held = run_import(register, register_file(TWO), run_by="tester").run
    before = (ImportRun.objects.count(), OfficialTable.objects.count())
    outcome = run_import(register, register_file("slot:a\nP1,BAD\n"), run_by="tester")
    assert outcome.status == "failed" and outcome.problems == ["register.csv: a BAD row"]
    assert (ImportRun.objects.count(), OfficialTable.objects.count()) == before
    assert ImportRun.objects.current_for(SLOT) == held and _rows(held) == ["first", "second"]


def test_parse_errors_and_limits_are_failed_outcomes(register: RegisterLines) -> None:
    bad = run_import(register, register_file("nothing\n"), run_by="tester")
    assert bad.problems == ["register.csv: row 1, column slot: missing"]

    def never() -> bytes:
        raise AssertionError("an oversized file must not be read")

    big = run_import(register, ImportInput("big.csv", read=never, size=lambda: 1001), run_by="t")
    assert big.problems == ["big.csv: 1,001 bytes is over the 1,000 limit"]
    bomb = gzip.compress(b"slot:a\n" + b"P1,x\n" * 1000)
    expands = run_import(register, ImportInput("bomb.gz", read=lambda: bomb), run_by="t")
    assert expands.problems == [
        "bomb.gz: gzip layer 1: expands beyond the 1,000-byte limit: refusing a possible "
        "decompression bomb"
    ]
    missing = run_import(register, ImportInput.from_path(Path("/no/such")), run_by="t")
    assert missing.problems == ["/no/such: no such file"]
    assert not ImportRun.objects.for_slot(SLOT).exists()


def test_staged_until_promoted_then_current() -> None:
    keeping = RegisterLines(retire_rows=False)  # like local data: revisions keep their rows
    held = run_import(keeping, register_file(TWO), run_by="analyst").run
    staged = run_import(
        keeping,
        register_file("slot:a\nP1,revised\n"),
        run_by="analyst",
        stage=True,
        allow_shrink=True,
    )
    assert staged.status == "staged" and staged.run is not None
    assert ImportRun.objects.current_for(SLOT) == held
    assert list(ImportRun.objects.staged()) == [staged.run]
    assert staged.run.changes["rows_before"] == 2  # the preview compares with what is held
    assert promote(keeping, staged.run) == held
    assert held is not None
    held.refresh_from_db()
    assert ImportRun.objects.current_for(SLOT) == staged.run and held.status == "superseded"
    assert _rows(held) == ["first", "second"] and _rows(staged.run) == ["revised"]
    with pytest.raises(ValueError, match="not staged"):
        promote(keeping, staged.run)


def test_sources_whose_readers_ignore_status_cannot_stage() -> None:
    from policeplan.ingest.police_uk import PoliceUkFiles

    with pytest.raises(ValueError, match="cannot be staged"):
        run_import(PoliceUkFiles(), register_file(TWO), run_by="t", stage=True)
