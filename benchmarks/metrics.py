"""Benchmark: recompute every metric for every area and month.

Two data sets: the bundled data (SQLite, as `make run` has it) and every police.uk file under
../shared/data/police_uk (PostgreSQL). Each prints seconds, records scanned per second and
observations written, and a ratio against a naive baseline run in the same process: one ORM
COUNT query per metric series, area and month (what a first implementation would do).

    make bench-metrics        # or: python benchmarks/metrics.py [--skip-shared]
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
PG_DB = "policeplan_bench_metrics"


def setup(database_url: str, data: Path) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    call_command("load_plans", verbosity=0)
    call_command("load_geography", verbosity=0)
    from policeplan.ingest.parallel import import_files
    from policeplan.ingest.police_uk import discover

    results = import_files(list(discover([data])), run_by="benchmarks/metrics.py")
    print(f"  loaded {sum(r.rows_written for r in results):,} records from {len(results)} files")


def naive_baseline() -> tuple[int, float]:
    """One COUNT query per crime-type series, area and month: the baseline."""
    from policeplan.catalogue.models import Metric
    from policeplan.geography.models import Area
    from policeplan.metrics.computations import computation_of
    from policeplan.provenance.models import ImportRun
    from policeplan.records.models import StreetRecord

    started = time.perf_counter()
    figures = 0
    runs = ImportRun.objects.filter(source="police_uk", kind="street", status="current")
    for metric in Metric.objects.all():
        for series in metric.series:
            crime_types = computation_of(series).lsoa_crime_types()
            if crime_types is None:  # only plain counts of crime types
                continue
            for force, month in runs.exclude(month=None).values_list("force", "month"):
                assert month is not None
                areas = [None, *Area.objects.filter(kind="local_authority", force=force)]
                for area in areas:
                    rows = StreetRecord.objects.filter(
                        force=force, month=month, crime_type__in=crime_types
                    )
                    if area is not None:
                        rows = rows.filter(local_authority=area.name)
                    rows.count()
                    figures += 1
    return figures, time.perf_counter() - started


def measure(label: str) -> None:
    from policeplan.metrics.compute import recompute
    from policeplan.metrics.models import Observation

    started = time.perf_counter()
    result = recompute(full=True)
    seconds = time.perf_counter() - started
    monthly = Observation.objects.filter(period_kind="month").count()
    figures, baseline_seconds = naive_baseline()
    print(
        f"{label}: full recompute {seconds:.2f} s, {result.records_scanned:,} records scanned "
        f"({result.records_scanned / seconds:,.0f} records/s), "
        f"{result.observations_written:,} observations written ({monthly:,} monthly)"
    )
    started = time.perf_counter()
    incremental = recompute()
    print(
        f"  incremental recompute with nothing changed: {time.perf_counter() - started:.2f} s "
        f"({incremental.months_recomputed} months)"
    )
    print(
        f"  naive baseline (one COUNT per series/area/month, crime-type series only): "
        f"{figures:,} figures in {baseline_seconds:.2f} s; engine is "
        f"{baseline_seconds / seconds:.1f}x faster while computing more"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--skip-shared", action="store_true")
    args = parser.parse_args()
    if not args.skip_shared and not SHARED.is_dir():
        sys.exit(f"{SHARED} not found: run with --skip-shared")
    if args.skip_shared:
        with tempfile.TemporaryDirectory() as folder:
            print("Bundled data (SQLite):")
            setup(f"sqlite:///{Path(folder) / 'bench.sqlite3'}", REPO / "data" / "police_uk")
            measure("bundled data, SQLite")
        return
    # Django is configured once per process, so the PostgreSQL run uses all shared files and
    # the bundled run is `--skip-shared` in a second process (the Makefile runs both).
    with psycopg.connect("host=127.0.0.1 user=postgres dbname=postgres", autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{PG_DB}" WITH (FORCE)')
        c.execute(f'CREATE DATABASE "{PG_DB}"')
    print("Every file under ../shared/data/police_uk (PostgreSQL):")
    setup(f"postgres://postgres@127.0.0.1:5432/{PG_DB}", SHARED)
    measure("all shared data, PostgreSQL")


if __name__ == "__main__":
    main()
