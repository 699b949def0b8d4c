"""``make test-slow``: kill -9 at random points of a multi-file import, and PostgreSQL
"restarted" during one (issue 11, ADR 0013). Each trial replaces six held months of
Leicestershire street data (bundled) with the other of two versions: the real files, and
SYNTHETIC revisions of them one row in a hundred shorter. After each kill the database must
hold, for every month, either exactly what it held before (the interrupted file left nothing)
or the complete new revision; the workers of a parallel import must be gone with their
parent; a rerun must give the clean counts, recounted here from the files themselves.

The trials choose their own databases: a scratch database on the server of ``PG_URL``
(20 trials, ``SOAK_PG_TRIALS``) and a scratch SQLite file (5, ``SOAK_SQLITE_TRIALS``).
PostgreSQL's restart is simulated by terminating the import's backends while it streams
rows, which is what the client sees of a restart, so the server shared with other databases
is never restarted; set ``SOAK_PG_RESTART_COMMAND`` (e.g. ``pg_ctlcluster 16 main restart``)
to restart the server for real instead.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import os
import random
import shlex
import signal
import sqlite3
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import psycopg
import pytest

from tests.conftest import LEICESTERSHIRE_STREET

from .conftest import ScratchDatabase, manage, wait_for

pytestmark = pytest.mark.soak
MONTHS = ["2020-01", "2020-02", "2020-03", "2020-04", "2020-05", "2020-06"]
PG_TRIALS = int(os.environ.get("SOAK_PG_TRIALS", "20"))
SQLITE_TRIALS = int(os.environ.get("SOAK_SQLITE_TRIALS", "5"))
SEED = int(os.environ.get("SOAK_SEED", "11"))


@dataclass
class Version:
    """One version of the six months: a folder of files, with each month's data row count and
    content SHA-256 counted here from the files (not by the importer)."""

    folder: Path
    rows: dict[str, int]
    sha256: dict[str, str]


def _versions(tmp_path: Path) -> tuple[Version, Version]:
    real = Version(tmp_path / "real", {}, {})
    shorter = Version(tmp_path / "shorter", {}, {})
    for version in (real, shorter):
        version.folder.mkdir()
    for month in MONTHS:
        name = f"{month}-leicestershire-street.csv"
        data = gzip.decompress((LEICESTERSHIRE_STREET / f"{name}.gz").read_bytes())
        (real.folder / name).write_bytes(data)
        rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
        real.rows[month], real.sha256[month] = len(rows) - 1, hashlib.sha256(data).hexdigest()
        kept = [row for i, row in enumerate(rows) if i == 0 or i % 100]
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(kept)
        short = out.getvalue().encode("utf-8")
        (shorter.folder / name).write_bytes(short)
        shorter.rows[month] = len(kept) - 1
        shorter.sha256[month] = hashlib.sha256(short).hexdigest()
    return real, shorter


@contextmanager
def _postgres_scratch() -> Iterator[ScratchDatabase]:
    url = urlsplit(os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432/policeplan"))
    base = (url.path.lstrip("/") or "policeplan")[:30]
    name = f"{base}_soak_{uuid.uuid4().hex[:8]}"
    server = f"host={url.hostname} port={url.port or 5432} user={url.username or 'postgres'}"
    try:
        admin = psycopg.connect(f"{server} dbname=postgres", autocommit=True)
    except psycopg.OperationalError as exc:
        pytest.skip(f"no PostgreSQL at PG_URL ({exc})")
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')

    def query(sql: str) -> list[tuple[Any, ...]]:
        with psycopg.connect(f"{server} dbname={name}") as conn:
            return conn.execute(sql).fetchall()  # type: ignore[arg-type]

    netloc = f"{url.username or 'postgres'}@{url.hostname}:{url.port or 5432}"
    try:
        yield ScratchDatabase(f"postgres://{netloc}/{name}", query)
    finally:
        with psycopg.connect(f"{server} dbname=postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def _sqlite_scratch(tmp_path: Path) -> Iterator[ScratchDatabase]:
    path = tmp_path / "soak.sqlite3"

    def query(sql: str) -> list[tuple[Any, ...]]:
        with sqlite3.connect(path, timeout=60) as conn:
            return conn.execute(sql).fetchall()

    yield ScratchDatabase(f"sqlite:///{path}", query)


Runs = dict[int, tuple[str, str, int, str, int]]  # id -> month, status, written, sha, held


def _runs(db: ScratchDatabase) -> Runs:
    rows = db.query(
        "SELECT r.id, r.month, r.status, r.rows_written, r.content_sha256, COUNT(s.id) "
        "FROM ingest_importrun r LEFT JOIN records_streetrecord s ON s.import_run_id = r.id "
        "GROUP BY r.id, r.month, r.status, r.rows_written, r.content_sha256"
    )
    return {r[0]: (str(r[1])[:7], r[2], r[3], r[4], r[5]) for r in rows}


def _current(runs: Runs) -> dict[str, int]:
    current: dict[str, int] = {}
    for run_id, (month, status, *_) in runs.items():
        if status == "current":
            assert month not in current, f"two current runs for {month}"
            current[month] = run_id
    return current


def _check_after_kill(db: ScratchDatabase, before: Runs, target: Version) -> tuple[int, int]:
    """Every month as before, or completely the target revision. Returns (replaced, untouched)."""
    after = _runs(db)
    orphans = db.scalar(
        "SELECT COUNT(*) FROM records_streetrecord s WHERE NOT EXISTS "
        "(SELECT 1 FROM ingest_importrun r WHERE r.id = s.import_run_id)"
    )
    assert orphans == 0
    for run_id, (month, status, written, _, held) in after.items():
        expected = written if status == "current" else 0  # superseded records are retired
        assert held == expected, f"run {run_id} ({month}, {status}): {held} records, {written}"
    assert set(before) <= set(after), "a committed run disappeared"
    old, new = _current(before), _current(after)
    assert set(new) == set(old) == set(MONTHS)
    replaced = untouched = 0
    for month in MONTHS:
        if new[month] == old[month]:
            assert after[new[month]] == before[old[month]]
            untouched += 1
        else:
            _, status, written, sha, _ = after[new[month]]
            assert (written, sha) == (target.rows[month], target.sha256[month]), month
            assert after[old[month]][1] == "superseded"
            replaced += 1
    assert all(after[r][1] == "current" for r in set(after) - set(before) if r in new.values())
    assert len(set(after) - set(before)) == replaced, "a new run that is not current"
    return replaced, untouched


def _check_clean(db: ScratchDatabase, target: Version) -> int:
    runs = _runs(db)
    current = _current(runs)
    for month in MONTHS:
        _, _, written, sha, held = runs[current[month]]
        assert (written, held, sha) == (
            target.rows[month],
            target.rows[month],
            target.sha256[month],
        )
    total = db.scalar("SELECT COUNT(*) FROM records_streetrecord")
    assert total == sum(target.rows.values())
    return int(total)


def _import(db: ScratchDatabase, version: Version, jobs: int) -> subprocess.Popen[bytes]:
    return manage(db.url, "import_police_uk", str(version.folder), "--jobs", str(jobs))


def _backends(db: ScratchDatabase) -> list[int]:
    name = db.url.rsplit("/", 1)[1]
    rows = db.query(
        f"SELECT pid FROM pg_stat_activity WHERE datname = '{name}' AND pid <> pg_backend_pid()"
    )
    return [r[0] for r in rows]


def _trials(db: ScratchDatabase, tmp_path: Path, trials: int, jobs: int) -> list[str]:
    real, shorter = _versions(tmp_path)
    migrate = manage(db.url, "migrate", "--no-input")
    assert migrate.wait(timeout=600) == 0
    started = time.monotonic()
    first = _import(db, real, jobs)
    assert first.wait(timeout=600) == 0, first.stderr.read() if first.stderr else ""
    full = time.monotonic() - started
    _check_clean(db, real)
    rng = random.Random(SEED)  # noqa: S311 - kill points, not secrets
    lines = [f"{db.url.split(':')[0]}: a clean import of {len(MONTHS)} files takes {full:.1f} s"]
    interrupted = 0
    for trial in range(1, trials + 1):
        target = shorter if trial % 2 else real
        before = _runs(db)
        # A random point: after a random number of files have committed (0 to 5), then a random
        # fraction of a file's time, so most kills land in the middle of a file's COPY.
        files, extra = rng.randrange(len(MONTHS)), rng.uniform(0.0, 0.8)
        importer = _import(db, target, jobs)
        started = time.monotonic()

        def committed(
            importer: subprocess.Popen[bytes] = importer, wanted: int = len(before) + files
        ) -> bool:
            return len(_runs(db)) >= wanted or importer.poll() is not None

        wait_for(committed, 300, f"{files} files to commit")
        time.sleep(extra)
        delay = time.monotonic() - started
        finished = importer.poll() is not None
        os.kill(importer.pid, signal.SIGKILL)
        importer.wait(timeout=30)
        if db.url.startswith("postgres"):  # the pool workers die with their parent
            wait_for(lambda: not _backends(db), 15, "the killed import's connections to close")
        replaced, untouched = _check_after_kill(db, before, target)
        rerun = _import(db, target, jobs)
        assert rerun.wait(timeout=600) == 0, rerun.stderr.read() if rerun.stderr else ""
        total = _check_clean(db, target)
        lines.append(
            f"trial {trial}: killed {delay:.2f} s in ({files} files committed + {extra:.2f} s): "
            f"{replaced} of {len(MONTHS)} files "
            f"replaced, {untouched} untouched, none partial; rerun clean ({total:,} rows)"
            + (" (the import had finished)" if finished else "")
        )
        interrupted += not finished and untouched > 0
    lines.append(f"{trials} trials, {interrupted} killed with files still to import")
    return lines


def _report(lines: list[str]) -> None:
    print("\n" + "\n".join(lines))  # noqa: T201 - make test-slow prints what it measured


def test_kill_9_trials_postgresql(tmp_path: Path) -> None:
    with _postgres_scratch() as db:
        _report(_trials(db, tmp_path, PG_TRIALS, jobs=2))


def test_kill_9_trials_sqlite(tmp_path: Path) -> None:
    with _sqlite_scratch(tmp_path) as db:
        _report(_trials(db, tmp_path, SQLITE_TRIALS, jobs=1))


def _restart(db: ScratchDatabase) -> str:
    command = os.environ.get("SOAK_PG_RESTART_COMMAND")
    if command:
        subprocess.run(shlex.split(command), check=True)  # noqa: S603 - the operator's command
        return f"server restarted ({command})"
    pids = _backends(db)
    for pid in pids:
        db.query(f"SELECT pg_terminate_backend({int(pid)})")
    return f"{len(pids)} backends terminated"


def test_postgresql_restarted_during_an_import(tmp_path: Path) -> None:
    with _postgres_scratch() as db:
        real, shorter = _versions(tmp_path)
        migrate = manage(db.url, "migrate", "--no-input")
        assert migrate.wait(timeout=600) == 0
        assert _import(db, real, 2).wait(timeout=600) == 0
        before = _runs(db)
        importer = _import(db, shorter, 2)
        name = db.url.rsplit("/", 1)[1]

        def copying() -> bool:
            return bool(
                db.scalar(
                    "SELECT COUNT(*) FROM pg_stat_activity WHERE query LIKE 'COPY%' "
                    f"AND state = 'active' AND datname = '{name}'"
                )
            )

        wait_for(copying, 120, "a COPY in progress")
        what = _restart(db)
        _, stderr = importer.communicate(timeout=600)
        text = stderr.decode()
        assert importer.returncode == 1, text
        assert "Traceback" not in text, text
        assert "the connection to the database was lost during the import" in text, text
        assert "Nothing from this file was written; it can be imported again." in text
        replaced, untouched = _check_after_kill(db, before, shorter)
        assert untouched >= 1  # the files being written when the server went
        assert _import(db, shorter, 2).wait(timeout=600) == 0
        total = _check_clean(db, shorter)
        _report(
            [f"PostgreSQL {what} mid-COPY: {untouched} files refused with a clear error and "
             f"left as they were, {replaced} replaced; rerun clean ({total:,} rows)"]
        )  # fmt: skip
