"""Benchmark: import and full recompute at two sizes of a SYNTHETIC scale-up, on PostgreSQL,
and a linear extrapolation to a national deployment (docs/scaling.md).

    make bench-scale     # or: python benchmarks/scale.py [--sizes 1 4] [--limit N]

The real street files under ../shared/data/police_uk are size 1. Size k adds k-1 SYNTHETIC
copies of every file, generated on the fly into a temporary folder and never kept: the force
in the file name becomes ``synthetic<c>-<force>`` and "Reported by" / "Falls within" become
``"<original> (SYNTHETIC copy <c>)"``; every other value is the real one. Each synthetic force
gets a SYNTHETIC copy of the real force's areas (force and local authorities, codes prefixed
``SYN<c>-``) so that the metrics engine computes it as it would a real force.

For each size, in a child process with a freshly created database: migrate, load plans and
geography (not timed), generate the files (not timed), then time ``import_files`` (what
``import_police_uk`` runs: the import lifecycle, parallel on PostgreSQL) and
``compute_metrics --full``. The two sizes give a fixed and a per-row cost for each, which are
extrapolated to ``--target-rows`` (default 70 million: 43 forces x 10 years of street records).

The database ``--database`` (default ``policeplan_bench_scale``) on the server in BENCH_PG is
DROPPED and recreated for each size.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
SHARED = REPO.parent / "shared" / "data" / "police_uk"
SERVER = os.environ.get("BENCH_PG", "host=127.0.0.1 port=5432 user=postgres")
DEFAULT_DATABASE = os.environ.get("BENCH_SCALE_DB", "policeplan_bench_scale")  # recreated
TARGET_ROWS = 70_000_000
REPORTED_BY, FALLS_WITHIN = 2, 3  # columns of a street file relabelled in synthetic copies


def fresh_database(name: str) -> None:
    with psycopg.connect(f"{SERVER} dbname=postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')


def pg_url(database: str) -> str:
    parts = dict(item.split("=", 1) for item in SERVER.split())
    host, port, user = parts.get("host"), parts.get("port", "5432"), parts.get("user")
    return f"postgres://{user}@{host}:{port}/{database}"


def street_files(limit: int | None) -> list[Path]:
    found = sorted(SHARED.rglob("*-street.csv.gz"))
    if not found:
        sys.exit(f"No police.uk files under {SHARED}")
    return found[:limit] if limit else found


# --- the synthetic scale-up -------------------------------------------------------------------


def synthetic_force(force: str, copy: int) -> str:
    return f"synthetic{copy}-{force}"


def write_scaled_files(paths: list[Path], size: int, folder: Path) -> list[Path]:
    """The real files (copy 0) and ``size - 1`` SYNTHETIC relabelled copies, as plain CSV."""
    from policeplan.sources.police_uk import identify

    written = []
    for path in paths:
        identity = identify(path.name)
        text = gzip.decompress(path.read_bytes()).decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text, newline="")))
        for copy in range(size):
            force = identity.force if copy == 0 else synthetic_force(identity.force, copy)
            target = folder / f"{identity.month}-{force}-street.csv"
            if copy == 0:
                target.write_text(text, encoding="utf-8")
            else:
                out = io.StringIO(newline="")
                writer = csv.writer(out, lineterminator="\n")
                writer.writerow(rows[0])
                label = f" (SYNTHETIC copy {copy})"
                for row in rows[1:]:
                    if len(row) > FALLS_WITHIN:
                        row = list(row)
                        row[REPORTED_BY] += label
                        row[FALLS_WITHIN] += label
                    writer.writerow(row)
                target.write_text(out.getvalue(), encoding="utf-8")
            written.append(target)
    return written


def add_synthetic_areas(forces: set[str], size: int) -> int:
    """SYNTHETIC copies of each real force's force and local-authority areas."""
    from policeplan.geography.models import Area, AreaKind

    made = 0
    for force in sorted(forces):
        originals = list(
            Area.objects.filter(
                force=force, kind__in=[AreaKind.FORCE, AreaKind.LOCAL_AUTHORITY]
            ).order_by("kind", "id")
        )
        for copy in range(1, size):
            slug = synthetic_force(force, copy)
            copies: dict[int, Area] = {}
            for area in sorted(originals, key=lambda a: a.kind != AreaKind.FORCE):
                parent = copies.get(area.parent_id or 0, area.parent)
                # Local authorities keep their names: records name them (from the LSOA name).
                name = area.name
                if area.kind == AreaKind.FORCE:
                    name = f"{area.name} (SYNTHETIC copy {copy})"
                copies[area.id] = Area.objects.create(
                    kind=area.kind,
                    code=f"SYN{copy}-{area.code}",
                    name=name,
                    slug=f"{slug}-{area.slug}",
                    vintage=area.vintage,
                    parent=parent,
                    force=slug,
                    population=area.population,
                    population_year=area.population_year,
                    source="SYNTHETIC copy for benchmarks/scale.py",
                )
                made += 1
    return made


# --- one size, in a child process ----------------------------------------------------------------


def measure_size(database_url: str, size: int, limit: int | None, jobs: int | None) -> dict:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django
    from django.core.management import call_command

    django.setup()
    for command in ("migrate", "load_plans", "load_geography"):
        call_command(command, verbosity=0)
    from policeplan.ingest.parallel import import_files
    from policeplan.provenance.content import ImportInput
    from policeplan.sources.police_uk import identify

    paths = street_files(limit)
    areas = add_synthetic_areas({identify(p.name).force for p in paths}, size)
    with tempfile.TemporaryDirectory() as folder:
        files = write_scaled_files(paths, size, Path(folder))
        started = time.perf_counter()
        results = import_files(
            [ImportInput.from_path(f) for f in files], run_by="benchmarks/scale.py", jobs=jobs
        )
        import_seconds = time.perf_counter() - started
    failed = [r for r in results if r.status == "failed"]
    if failed:
        sys.exit(f"import failed: {failed[0].problems}")
    started = time.perf_counter()
    call_command("compute_metrics", "--full", stdout=io.StringIO())
    compute_seconds = time.perf_counter() - started
    from django.db import connection

    from policeplan.metrics.models import Observation
    from policeplan.records.models import StreetRecord

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_total_relation_size(%s)", [StreetRecord._meta.db_table])
        table_bytes = cursor.fetchone()[0]
    return {
        "table_bytes": table_bytes,
        "size": size,
        "files": len(results),
        "rows": sum(r.rows_written for r in results),
        "forces": len({identify(f.name).force for f in files}),
        "synthetic_areas": areas,
        "import_seconds": import_seconds,
        "compute_seconds": compute_seconds,
        "observations": Observation.objects.count(),
    }


def run_size(database: str, size: int, limit: int | None, jobs: int | None) -> dict:
    fresh_database(database)
    command = [sys.executable, __file__, "--child", str(size), "--database", database]
    command += ["--limit", str(limit)] if limit else []
    command += ["--jobs", str(jobs)] if jobs else []
    done = subprocess.run(command, check=True, capture_output=True, text=True)  # noqa: S603
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


# --- report ---------------------------------------------------------------------------------------


def linear(x1: float, y1: float, x2: float, y2: float) -> tuple[float, float]:
    """Fixed cost and cost per unit of x through two points."""
    slope = (y2 - y1) / (x2 - x1)
    return y1 - slope * x1, slope


def report(small: dict, large: dict, target: int) -> None:
    print(f"\n{'size':>5} {'forces':>6} {'files':>6} {'rows':>11} {'import s':>9} {'rows/s':>9} "
          f"{'compute s':>10} {'rows/s':>9} {'observations':>13}")  # fmt: skip
    for m in (small, large):
        print(
            f"{m['size']:>4}x {m['forces']:>6} {m['files']:>6} {m['rows']:>11,} "
            f"{m['import_seconds']:>9.1f} {m['rows'] / m['import_seconds']:>9,.0f} "
            f"{m['compute_seconds']:>10.1f} {m['rows'] / m['compute_seconds']:>9,.0f} "
            f"{m['observations']:>13,}"
        )
    growth = large["rows"] / small["rows"]
    import_growth = large["import_seconds"] / small["import_seconds"]
    compute_growth = large["compute_seconds"] / small["compute_seconds"]
    print(
        f"\nrows grew {growth:.2f}x: import time {import_growth:.2f}x, "
        f"compute time {compute_growth:.2f}x"
    )
    print(f"Extrapolation to {target:,} street records (43 forces x 10 years), this machine:")
    for what in ("import", "compute"):
        key = f"{what}_seconds"
        # Linear: the larger size plus the cost per row between the two sizes (marginal).
        per_row = linear(small["rows"], small[key], large["rows"], large[key])[1]
        at_margin = large[key] + per_row * (target - large["rows"])
        # Power law through both sizes: time ~ rows^b (pessimistic when b > 1 persists).
        exponent = math.log(large[key] / small[key]) / math.log(large["rows"] / small["rows"])
        by_power = large[key] * (target / large["rows"]) ** exponent
        print(
            f"  {what:<8} linear at {per_row * 1e6:6.2f} us/row: {at_margin / 3600:6.2f} h; "
            f"power law (time ~ rows^{exponent:.2f}): {by_power / 3600:6.2f} h"
        )
    storage = linear(small["rows"], small["table_bytes"], large["rows"], large["table_bytes"])
    print(
        f"  storage  {storage[1]:6.0f} bytes/row (table and indexes) -> "
        f"{(storage[0] + storage[1] * target) / 1e9:,.1f} GB of street records"
    )
    monthly = target / (43 * 120)
    per_row = linear(
        small["rows"], small["import_seconds"], large["rows"], large["import_seconds"]
    )[1]
    print(
        f"  a monthly update (43 force files, ~{monthly:,.0f} rows each): about "
        f"{43 * monthly * per_row:,.0f} s of import"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs=2, default=[1, 4], metavar=("SMALL", "LARGE"))
    parser.add_argument("--limit", type=int, help="only the first N real files (a quick run)")
    parser.add_argument("--jobs", type=int, help="import worker processes (default: cores)")
    parser.add_argument("--database", default=DEFAULT_DATABASE, help="PostgreSQL database")
    parser.add_argument("--target-rows", type=int, default=TARGET_ROWS)
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        result = measure_size(pg_url(args.database), args.child, args.limit, args.jobs)
        print(json.dumps(result))
        return
    small, large = sorted(args.sizes)
    if small == large:
        sys.exit("--sizes needs two different sizes")
    print(f"SYNTHETIC scale-up of {len(street_files(args.limit))} real street files, on "
          f"PostgreSQL, sizes {small}x and {large}x")  # fmt: skip
    measured = [run_size(args.database, size, args.limit, args.jobs) for size in (small, large)]
    report(measured[0], measured[1], args.target_rows)
    print(f"\nmeasurements: {json.dumps(measured)}")


if __name__ == "__main__":
    main()
