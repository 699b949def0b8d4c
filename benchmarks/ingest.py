"""Benchmark: import every police.uk street file under ../shared/data/police_uk, on PostgreSQL
and on SQLite, against the bare loads of the same files in the same run.

    make bench-ingest      # or: python benchmarks/ingest.py [--limit N] [--repeat N] [--profile]

Printed, rows/s and policeplan's ratio to each (ADR 0016):

* PostgreSQL baseline: a bare ``COPY ... (FORMAT csv, HEADER)`` of each gunzipped file into an
  UNLOGGED table of 12 text columns, one connection, one transaction per file: no checks,
  no types, no index, no WAL. The ceiling for any loader that goes through COPY.
* SQLite baseline: ``csv.reader`` + ``executemany`` of the same rows into a table of 12 text
  columns, one transaction per file, the project's pragmas (WAL, synchronous=NORMAL).
* policeplan: ``import_files`` (the real ``import_police_uk`` path: the import lifecycle, every
  check of the parser, provenance, change counts, local authorities, COPY or executemany) into
  a freshly migrated database holding the geography, in a child process per database so each
  gets its own Django settings.
* For reference, unless ``--skip-others``: pandas ``read_csv`` + ``to_sql`` into PostgreSQL and
  DuckDB ``read_csv`` into a DuckDB table.

"CPU us/row" is the CPU time of the loading process (and of policeplan's worker processes),
not of the database server: on SQLite it is all the work, on PostgreSQL the client's share.
"CPU ratio" is the other loader's CPU per row over policeplan's (above 1: policeplan costs
less). On a shared machine the CPU figures vary less than the wall-clock ones.

With ``--repeat N`` each contender runs N times and its best time is kept (the machine is
shared; the best run is the least disturbed one). ``--profile`` runs policeplan's import of
the files in this process under cProfile instead (one process, no parallelism) and prints
where the time goes.

PostgreSQL: the server in BENCH_PG (default 127.0.0.1:5432, user postgres); the database
``--database`` (default ``policeplan_bench``) is DROPPED and recreated.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import psycopg

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
SHARED = REPO.parent / "shared" / "data" / "police_uk"
SERVER = os.environ.get("BENCH_PG", "host=127.0.0.1 port=5432 user=postgres")
DEFAULT_DATABASE = os.environ.get("BENCH_PG_DB", "policeplan_bench")  # dropped and recreated
TEXT_COLUMNS = 12  # the columns of a data.police.uk street file

Result = tuple[int, float, float]  # rows, wall-clock seconds, CPU seconds in this process


def fresh_database(name: str) -> None:
    with psycopg.connect(f"{SERVER} dbname=postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')


def pg_url(database: str) -> str:
    parts = dict(item.split("=", 1) for item in SERVER.split())
    host, port, user = parts.get("host"), parts.get("port", "5432"), parts.get("user")
    return f"postgres://{user}@{host}:{port}/{database}"


def files(limit: int | None) -> list[Path]:
    found = sorted(SHARED.rglob("*-street.csv.gz"))
    if not found:
        sys.exit(f"No police.uk files under {SHARED}")
    return found[:limit] if limit else found


# --- baselines ----------------------------------------------------------------------------------


def bare_copy(paths: list[Path], database: str) -> Result:
    """COPY each gunzipped file as it is into an unlogged all-text table."""
    columns = ", ".join(f"c{i} text" for i in range(TEXT_COLUMNS))
    with psycopg.connect(f"{SERVER} dbname={database}") as conn:
        conn.execute("DROP TABLE IF EXISTS bench_bare_copy")
        conn.execute(f"CREATE UNLOGGED TABLE bench_bare_copy ({columns})")
        conn.commit()
        rows = 0
        started, cpu = time.perf_counter(), time.process_time()
        for path in paths:
            with conn.cursor() as cursor:
                with cursor.copy("COPY bench_bare_copy FROM STDIN (FORMAT csv, HEADER)") as copy:
                    copy.write(gzip.decompress(path.read_bytes()))
                rows += cursor.rowcount
            conn.commit()
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        conn.execute("DROP TABLE bench_bare_copy")
    return rows, seconds, cpu


def sqlite_executemany(paths: list[Path]) -> Result:
    """csv.reader rows straight into executemany, one transaction per file."""
    with tempfile.TemporaryDirectory() as folder:
        conn = sqlite3.connect(Path(folder) / "bare.sqlite3", isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        columns = ", ".join(f"c{i} text" for i in range(TEXT_COLUMNS))
        conn.execute(f"CREATE TABLE street ({columns})")
        insert = f"INSERT INTO street VALUES ({', '.join('?' * TEXT_COLUMNS)})"  # noqa: S608
        rows = 0
        started, cpu = time.perf_counter(), time.process_time()
        for path in paths:
            reader = csv.reader(
                io.StringIO(gzip.decompress(path.read_bytes()).decode(), newline="")
            )
            next(reader)
            conn.execute("BEGIN")
            rows += conn.executemany(insert, reader).rowcount
            conn.execute("COMMIT")
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        conn.close()
    return rows, seconds, cpu


def pandas_to_sql(paths: list[Path], database: str) -> Result:
    import pandas as pd
    from sqlalchemy import create_engine

    engine = create_engine(pg_url(database).replace("postgres://", "postgresql+psycopg://"))
    rows = 0
    started, cpu = time.perf_counter(), time.process_time()
    for path in paths:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        frame.to_sql("bench_pandas_street", engine, if_exists="append", index=False)
        rows += len(frame)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE bench_pandas_street")
    engine.dispose()
    return rows, seconds, cpu


def duckdb_read_csv(paths: list[Path]) -> Result:
    import duckdb

    with tempfile.TemporaryDirectory() as folder:
        con = duckdb.connect(str(Path(folder) / "bench.duckdb"))
        listing = ", ".join(f"'{p}'" for p in paths)
        started, cpu = time.perf_counter(), time.process_time()
        con.execute(
            f"CREATE TABLE street AS SELECT * FROM read_csv([{listing}], header=true, "
            "all_varchar=true, union_by_name=true)"
        )
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        rows = con.execute("SELECT COUNT(*) FROM street").fetchone()[0]  # type: ignore[index]
        con.close()
    return rows, seconds, cpu


# --- policeplan -------------------------------------------------------------------------------


def _django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    call_command("load_geography", verbosity=0)


def _empty_records() -> None:
    from django.db import connection

    from policeplan.provenance.models import ImportRun
    from policeplan.records.models import StreetRecord

    verb = "TRUNCATE" if connection.vendor == "postgresql" else "DELETE FROM"
    with connection.cursor() as cursor:
        cursor.execute(f"{verb} {StreetRecord._meta.db_table}")
    ImportRun.objects.filter(source="police_uk").delete()


def policeplan_contender(database_url: str, paths: list[Path], jobs: int | None) -> Result:
    """Runs in a child process: Django configured for ``database_url``."""
    _django(database_url)
    from policeplan.ingest.parallel import import_files
    from policeplan.provenance.content import ImportInput

    _empty_records()
    sources = [ImportInput.from_path(p) for p in paths]
    started, cpu = time.perf_counter(), _cpu_with_workers()
    results = import_files(sources, run_by="benchmarks/ingest.py", jobs=jobs)
    seconds, cpu = time.perf_counter() - started, _cpu_with_workers() - cpu
    failed = [r for r in results if r.status == "failed"]
    if failed:
        sys.exit(f"policeplan import failed: {failed[0].problems}")
    return sum(r.rows_written for r in results), seconds, cpu


def _cpu_with_workers() -> float:
    """CPU seconds of this process and of its finished worker processes."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def policeplan(database_url: str, paths: list[Path], jobs: int | None, limit: int | None) -> Result:
    command = [sys.executable, __file__, "--contender", database_url]
    command += ["--limit", str(limit)] if limit else []
    command += ["--jobs", str(jobs)] if jobs else []
    done = subprocess.run(command, check=True, capture_output=True, text=True)  # noqa: S603
    rows, seconds, cpu = json.loads(done.stdout.strip().splitlines()[-1])
    return int(rows), float(seconds), float(cpu)


def profile(database_url: str, paths: list[Path]) -> None:
    import cProfile
    import pstats

    _django(database_url)
    from policeplan.ingest.police_uk import import_file
    from policeplan.provenance.content import ImportInput

    _empty_records()
    profiler = cProfile.Profile()
    profiler.enable()
    for path in paths:
        import_file(ImportInput.from_path(path), run_by="benchmarks/ingest.py --profile")
    profiler.disable()
    pstats.Stats(profiler).sort_stats("tottime").print_stats(20)


# --- report -----------------------------------------------------------------------------------


def best(repeat: int, run: Callable[[], Result]) -> Result:
    results = [run() for _ in range(repeat)]
    rows = {r for r, _, _ in results}
    if len(rows) != 1:
        sys.exit(f"row counts differ between runs: {results}")
    return min(results, key=lambda r: r[1])


def table(title: str, ours: Result, others: dict[str, Result]) -> None:
    print(f"\n{title}")
    print(
        f"{'loader':<52} {'rows':>10} {'seconds':>8} {'rows/s':>10} {'ours vs it':>10} "
        f"{'CPU us/row':>10} {'CPU ratio':>9}"
    )
    ours_rate, ours_cpu = ours[0] / ours[1], ours[2] / ours[0]
    for name, (rows, seconds, cpu) in {"policeplan": ours, **others}.items():
        if rows != ours[0]:
            sys.exit(f"{name} loaded {rows:,} rows, policeplan {ours[0]:,}")
        rate, per_row = rows / seconds, cpu / rows
        print(
            f"{name:<52} {rows:>10,} {seconds:>8.2f} {rate:>10,.0f} {ours_rate / rate:>9.2f}x "
            f"{per_row * 1e6:>10.2f} {per_row / ours_cpu:>8.2f}x"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--limit", type=int, help="only the first N files (a quick run)")
    parser.add_argument("--jobs", type=int, help="policeplan's worker processes (default: cores)")
    parser.add_argument("--repeat", type=int, default=1, help="keep each contender's best of N")
    parser.add_argument("--database", default=DEFAULT_DATABASE, help="PostgreSQL database")
    parser.add_argument("--skip-others", action="store_true", help="no pandas, no DuckDB")
    parser.add_argument("--profile", choices=["postgresql", "sqlite"], help="cProfile policeplan")
    parser.add_argument("--contender", help=argparse.SUPPRESS)
    args = parser.parse_args()
    paths = files(args.limit)
    if args.contender:
        print(json.dumps(policeplan_contender(args.contender, paths, args.jobs)))
        return
    with tempfile.TemporaryDirectory() as folder:
        sqlite_url = f"sqlite:///{Path(folder) / 'policeplan.sqlite3'}"
        if args.profile:
            if args.profile == "postgresql":
                fresh_database(args.database)
            profile(pg_url(args.database) if args.profile == "postgresql" else sqlite_url, paths)
            return
        size = sum(p.stat().st_size for p in paths) / 1e6
        print(f"{len(paths)} street files, {size:.0f} MB gzipped; best of {args.repeat}")
        fresh_database(args.database)
        jobs = args.jobs or os.cpu_count() or 1
        pg_ours = best(
            args.repeat, lambda: policeplan(pg_url(args.database), paths, jobs, args.limit)
        )
        pg_others = {
            "bare COPY (csv) into an unlogged text table": best(
                args.repeat, lambda: bare_copy(paths, args.database)
            )
        }
        sqlite_ours = best(args.repeat, lambda: policeplan(sqlite_url, paths, 1, args.limit))
        sqlite_bare = best(args.repeat, lambda: sqlite_executemany(paths))
        if not args.skip_others:
            pg_others["pandas read_csv + to_sql (PostgreSQL)"] = pandas_to_sql(paths, args.database)
            pg_others["DuckDB read_csv into a DuckDB table"] = duckdb_read_csv(paths)
    table(
        f"PostgreSQL: policeplan import_police_uk ({jobs} jobs, COPY) "
        f"{pg_ours[0]:,} rows in {pg_ours[1]:.2f} s = {pg_ours[0] / pg_ours[1]:,.0f} rows/s",
        pg_ours,
        pg_others,
    )
    table(
        f"SQLite: policeplan import_police_uk (executemany) "
        f"{sqlite_ours[0]:,} rows in {sqlite_ours[1]:.2f} s = "
        f"{sqlite_ours[0] / sqlite_ours[1]:,.0f} rows/s",
        sqlite_ours,
        {"csv.reader + executemany into a text table": sqlite_bare},
    )


if __name__ == "__main__":
    main()
