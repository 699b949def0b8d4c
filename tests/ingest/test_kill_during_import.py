"""kill -9 during an import leaves the database exactly as it was before the killed file.

Runs real subprocesses (``manage.py migrate`` and ``manage.py import_police_uk``) against a
database of their own, of the same engine as the test run, and reads it back with the plain
driver (sqlite3 / psycopg), independently of Django.
"""

from __future__ import annotations

import os
import signal

import pytest

from tests.conftest import LEICESTERSHIRE_STREET

from .conftest import ScratchDatabase, manage, wait_for

pytestmark = pytest.mark.slow
FILES = 48


def _consistent(db: ScratchDatabase) -> tuple[int, int]:
    """Every run's records are all there, and no record lacks its run. Returns (runs, rows)."""
    per_run = db.query(
        "SELECT r.id, r.rows_written, COUNT(s.id) FROM ingest_importrun r "
        "LEFT JOIN records_streetrecord s ON s.import_run_id = r.id "
        "GROUP BY r.id, r.rows_written"
    )
    for run_id, written, held in per_run:
        assert written == held, f"run {run_id}: {held} records held, {written} written"
    orphans = db.scalar(
        "SELECT COUNT(*) FROM records_streetrecord s WHERE NOT EXISTS "
        "(SELECT 1 FROM ingest_importrun r WHERE r.id = s.import_run_id)"
    )
    assert orphans == 0
    return len(per_run), db.scalar("SELECT COUNT(*) FROM records_streetrecord")


def test_kill_9_mid_import_leaves_no_partial_file(scratch_db: ScratchDatabase) -> None:
    migrate = manage(scratch_db.url, "migrate", "--no-input")
    assert migrate.wait(timeout=300) == 0, migrate.stderr.read() if migrate.stderr else ""
    importer = manage(scratch_db.url, "import_police_uk", str(LEICESTERSHIRE_STREET))
    try:
        wait_for(
            lambda: scratch_db.scalar("SELECT COUNT(*) FROM ingest_importrun") >= 3,
            120,
            "three files to be committed",
        )
        if scratch_db.url.startswith("postgres"):
            # Kill while a COPY is streaming rows: certainly in the middle of a file.
            wait_for(
                lambda: (
                    scratch_db.scalar(
                        "SELECT COUNT(*) FROM pg_stat_activity WHERE query LIKE 'COPY%'"
                        " AND state = 'active'"
                    )
                    > 0
                ),
                60,
                "a COPY in progress",
            )
        os.kill(importer.pid, signal.SIGKILL)
        importer.wait(timeout=30)
    finally:
        if importer.poll() is None:
            importer.kill()
    assert importer.returncode == -signal.SIGKILL
    runs_after_kill, rows_after_kill = _consistent(scratch_db)
    assert 3 <= runs_after_kill < FILES, "the import must have been killed part-way"
    # Running the import again completes it, skipping the files already held.
    again = manage(scratch_db.url, "import_police_uk", str(LEICESTERSHIRE_STREET))
    assert again.wait(timeout=600) == 0
    runs, rows = _consistent(scratch_db)
    assert runs == FILES
    assert rows == 417_845 > rows_after_kill
