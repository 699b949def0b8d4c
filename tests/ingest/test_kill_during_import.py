"""kill -9 during an import leaves the database exactly as it was before the killed file.

Runs real subprocesses (``manage.py migrate`` and ``manage.py import_police_uk``) against a
database of their own, of the same engine as the test run, and reads it back with the plain
driver (sqlite3 / psycopg), independently of Django.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.conf import settings

from tests.conftest import LEICESTERSHIRE_STREET, REPO_ROOT

pytestmark = pytest.mark.slow
FILES = 48


class ScratchDatabase:
    def __init__(self, url: str, query: Callable[[str], list[tuple[Any, ...]]]) -> None:
        self.url = url
        self.query = query

    def scalar(self, sql: str) -> Any:
        return self.query(sql)[0][0]


def _manage(url: str, *args: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings"}
    return subprocess.Popen(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, str(REPO_ROOT / "manage.py"), *args],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


@pytest.fixture
def scratch_db(tmp_path: Path) -> Iterator[ScratchDatabase]:
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        path = tmp_path / "kill.sqlite3"

        def sqlite_query(sql: str) -> list[tuple[Any, ...]]:
            with sqlite3.connect(path, timeout=30) as conn:
                return conn.execute(sql).fetchall()

        yield ScratchDatabase(f"sqlite:///{path}", sqlite_query)
        return
    name = f"policeplan_kill_{uuid.uuid4().hex[:8]}"
    server = f"host={db['HOST']} port={db['PORT'] or 5432} user={db['USER']}"
    with psycopg.connect(f"{server} dbname=postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')

    def pg_query(sql: str) -> list[tuple[Any, ...]]:
        with psycopg.connect(f"{server} dbname={name}") as conn:
            return conn.execute(sql).fetchall()  # type: ignore[arg-type]

    try:
        yield ScratchDatabase(f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{name}", pg_query)
    finally:
        with psycopg.connect(f"{server} dbname=postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


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


def _wait_for(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


def test_kill_9_mid_import_leaves_no_partial_file(scratch_db: ScratchDatabase) -> None:
    migrate = _manage(scratch_db.url, "migrate", "--no-input")
    assert migrate.wait(timeout=300) == 0, migrate.stderr.read() if migrate.stderr else ""
    importer = _manage(scratch_db.url, "import_police_uk", str(LEICESTERSHIRE_STREET))
    try:
        _wait_for(
            lambda: scratch_db.scalar("SELECT COUNT(*) FROM ingest_importrun") >= 3,
            120,
            "three files to be committed",
        )
        if scratch_db.url.startswith("postgres"):
            # Kill while a COPY is streaming rows: certainly in the middle of a file.
            _wait_for(
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
    again = _manage(scratch_db.url, "import_police_uk", str(LEICESTERSHIRE_STREET))
    assert again.wait(timeout=600) == 0
    runs, rows = _consistent(scratch_db)
    assert runs == FILES
    assert rows == 417_845 > rows_after_kill
