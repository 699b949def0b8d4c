"""Benchmark: import every police.uk file under ../shared/data/police_uk into PostgreSQL.

In the same run, load the same files with (a) pandas read_csv + to_sql into PostgreSQL and
(b) DuckDB read_csv into a DuckDB table, and print rows/s of each and the ratios.

    make bench-ingest            # or: python benchmarks/ingest.py [--limit N]

Each contender gets a fresh, empty database. Times are wall-clock for the whole load,
including decompression and parsing; all three keep every column.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import psycopg

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
SHARED = REPO.parent / "shared" / "data" / "police_uk"
SERVER = os.environ.get("BENCH_PG", "host=127.0.0.1 port=5432 user=postgres")
DB_POLICEPLAN = "policeplan_bench_ingest"
DB_PANDAS = "policeplan_bench_pandas"


def fresh_database(name: str) -> None:
    with psycopg.connect(f"{SERVER} dbname=postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')


def files(limit: int | None) -> list[Path]:
    found = sorted(SHARED.rglob("*-street.csv.gz"))
    if not found:
        sys.exit(f"No police.uk files under {SHARED}")
    return found[:limit] if limit else found


def bench_policeplan(paths: list[Path], jobs: int) -> tuple[int, float]:
    fresh_database(DB_POLICEPLAN)
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{DB_POLICEPLAN}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from policeplan.ingest.parallel import import_files
    from policeplan.provenance.content import ImportInput

    sources = [ImportInput(str(p), read=p.read_bytes) for p in paths]
    started = time.perf_counter()
    results = import_files(sources, run_by="benchmarks/ingest.py", jobs=jobs)
    seconds = time.perf_counter() - started
    failed = [r for r in results if r.status == "failed"]
    if failed:
        sys.exit(f"policeplan import failed: {failed[0].problems}")
    return sum(r.rows_written for r in results), seconds


def bench_pandas(paths: list[Path]) -> tuple[int, float]:
    import pandas as pd
    from sqlalchemy import create_engine

    fresh_database(DB_PANDAS)
    engine = create_engine(f"postgresql+psycopg://postgres@127.0.0.1:5432/{DB_PANDAS}")
    rows = 0
    started = time.perf_counter()
    for path in paths:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        frame.to_sql("street", engine, if_exists="append", index=False)
        rows += len(frame)
    seconds = time.perf_counter() - started
    engine.dispose()
    return rows, seconds


def bench_duckdb(paths: list[Path]) -> tuple[int, float]:
    import duckdb

    with tempfile.TemporaryDirectory() as folder:
        con = duckdb.connect(str(Path(folder) / "bench.duckdb"))
        listing = ", ".join(f"'{p}'" for p in paths)
        started = time.perf_counter()
        con.execute(
            f"CREATE TABLE street AS SELECT * FROM read_csv([{listing}], header=true, "
            "all_varchar=true, union_by_name=true)"
        )
        seconds = time.perf_counter() - started
        rows = con.execute("SELECT COUNT(*) FROM street").fetchone()[0]  # type: ignore[index]
        con.close()
    return rows, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--limit", type=int, help="only the first N files (a quick run)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    paths = files(args.limit)
    print(f"{len(paths)} files, {sum(p.stat().st_size for p in paths) / 1e6:.0f} MB gzipped")
    results = {
        f"policeplan import_police_uk (PostgreSQL COPY, {args.jobs} jobs)": bench_policeplan(
            paths, args.jobs
        ),
        "pandas read_csv + to_sql (PostgreSQL)": bench_pandas(paths),
        "DuckDB read_csv into a DuckDB table": bench_duckdb(paths),
    }
    counts = {rows for rows, _ in results.values()}
    if len(counts) != 1:
        sys.exit(f"row counts differ between loaders: {results}")
    ours = next(iter(results.values()))
    print(f"\n{'loader':<55} {'rows':>10} {'seconds':>8} {'rows/s':>10} {'ours vs it':>10}")
    for name, (rows, seconds) in results.items():
        rate = rows / seconds
        ratio = (ours[0] / ours[1]) / rate
        print(f"{name:<55} {rows:>10,} {seconds:>8.1f} {rate:>10,.0f} {ratio:>9.2f}x")


if __name__ == "__main__":
    main()
