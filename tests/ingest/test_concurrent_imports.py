"""Issue 11 row 8: three imports of the same month at once ended, for all but one, in an
IntegrityError traceback. Now the second waits for the first (PostgreSQL: an advisory lock on
the slot; SQLite: its write lock), then finds the month held; an import that waits longer than
POLICEPLAN_IMPORT_LOCK_WAIT says "already being imported". Real ``manage.py`` processes on a
scratch database of the test run's engine."""

from __future__ import annotations

import sqlite3
import subprocess
from datetime import date
from pathlib import Path

import psycopg
import pytest

from policeplan.provenance.guards import LOCK_NAMESPACE, slot_key
from policeplan.provenance.models import Slot
from tests.conftest import LEICESTERSHIRE_STREET

from .conftest import ScratchDatabase, manage

pytestmark = pytest.mark.slow
MONTH = LEICESTERSHIRE_STREET / "2020-01-leicestershire-street.csv.gz"
ROWS = 8_852  # data rows of that file (zcat | wc -l, less the header)


def _migrated(db: ScratchDatabase) -> None:
    migrate = manage(db.url, "migrate", "--no-input")
    assert migrate.wait(timeout=300) == 0, migrate.stderr.read() if migrate.stderr else ""


def test_three_imports_of_the_same_month_at_once(scratch_db: ScratchDatabase) -> None:
    _migrated(scratch_db)
    imports = [manage(scratch_db.url, "import_police_uk", str(MONTH)) for _ in range(3)]
    errors = []
    for process in imports:
        _, stderr = process.communicate(timeout=300)
        errors.append(stderr.decode())
        assert process.returncode == 0, stderr.decode()
    assert not any("Traceback" in e for e in errors), errors
    assert scratch_db.query("SELECT status, rows_written FROM ingest_importrun") == [
        ("current", ROWS)
    ]
    assert scratch_db.scalar("SELECT COUNT(*) FROM records_streetrecord") == ROWS


def _hold_the_slot(db: ScratchDatabase, tmp_path: Path) -> object:
    """Another import's lock on the slot: PostgreSQL's advisory lock, SQLite's write lock."""
    if db.url.startswith("sqlite"):
        holder = sqlite3.connect(db.url.removeprefix("sqlite:///"), isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        return holder
    holder_pg = psycopg.connect(db.url.replace("postgres://", "postgresql://"), autocommit=True)
    key = slot_key(Slot("police_uk", "street", "leicestershire", date(2020, 1, 1)))
    holder_pg.execute("SELECT pg_advisory_lock(%s, %s)", [LOCK_NAMESPACE, key])
    return holder_pg


def test_an_import_of_a_slot_being_imported_says_so(
    scratch_db: ScratchDatabase, tmp_path: Path
) -> None:
    _migrated(scratch_db)
    holder = _hold_the_slot(scratch_db, tmp_path)
    try:
        waiting = manage(
            scratch_db.url, "import_police_uk", str(MONTH),
            extra_env={"POLICEPLAN_IMPORT_LOCK_WAIT": "1"}, stdout=subprocess.PIPE,
        )  # fmt: skip
        _, stderr = waiting.communicate(timeout=120)
    finally:
        holder.close()  # type: ignore[attr-defined]
    text = stderr.decode()
    assert waiting.returncode == 1, text
    assert "Traceback" not in text
    assert "1 of 1 files were refused; nothing from them was written." in text
    assert (
        f"{MONTH}: police_uk street leicestershire 2020-01 is already being imported by "
        "another process (waited 1 seconds, POLICEPLAN_IMPORT_LOCK_WAIT)"
    ) in text
    assert scratch_db.scalar("SELECT COUNT(*) FROM ingest_importrun") == 0
    again = manage(scratch_db.url, "import_police_uk", str(MONTH))
    assert again.wait(timeout=300) == 0
    assert scratch_db.scalar("SELECT COUNT(*) FROM records_streetrecord") == ROWS
