"""Benchmark: the production server under load, against Datasette, in one run.

policeplan runs as `make run` starts it (granian, config/serve.py, DEBUG off, a log
line per request) on a copy of the bundled SQLite data (var/policeplan.sqlite3, `make setup`).
Datasette (one process, immutable mode) serves a force x month x crime type aggregate of the
same police.uk files (data/police_uk), built here. The same load generator hits both: wrk
(Debian's package; `make bench-serve` installs it) with 2 threads and 50 connections, sending
`Accept-Encoding: gzip` as browsers do; without wrk, a Python asyncio generator (httpx),
which says so. The API's rate limit is off for the run (it would refuse a load test).

Prints req/s, p50/p95/p99 and errors per page, the ratios to Datasette (pages against its HTML
table, API answers against its JSON) and the bytes a page ships, plain and gzipped.

    make bench-serve                      # or: python benchmarks/serve.py [--seconds 15]
    python benchmarks/serve.py --code DIR # the same load on another checkout (e.g. main)
    python benchmarks/serve.py --soak 60  # mixed pages for 60 s; JSON summary (make test-slow)
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import gzip
import json
import os
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SOURCE_DB = REPO / "var" / "policeplan.sqlite3"
POLICE_UK = REPO / "data" / "police_uk"
BIN = Path(sys.executable).parent
THREADS, CONNECTIONS = 2, 50

METRIC = "burglary"  # a metric every plan with police.uk data has; the crime type below


def pages(database: Path) -> dict[str, str]:
    """The pages measured, for the configured plan and force (config/settings.py)."""
    sys.path.insert(0, str(REPO))
    from config import settings

    db = sqlite3.connect(database)
    row = db.execute(
        "SELECT la.slug FROM geography_area la JOIN geography_area f ON la.parent_id = f.id "
        "WHERE f.kind = 'force' AND f.force = ? AND la.kind = 'local_authority' "
        "ORDER BY la.name LIMIT 1",
        (settings.POLICEPLAN_FORCE,),
    ).fetchone()
    db.close()
    return {
        "home": "/",
        f"metric page ({METRIC})": f"/plans/{settings.POLICEPLAN_CURRENT_PLAN}/metrics/{METRIC}/",
        "local authority page": f"/areas/{row[0]}/",
        "/exceptions/": "/exceptions/",
        f"API observations ({METRIC}, monthly)": (
            f"/api/v1/observations?metric={METRIC}&period_kind=month"
        ),
        "API exceptions": "/api/v1/exceptions",
    }


def datasette_pages(force_name: str) -> dict[str, str]:
    query = urllib.parse.urlencode({"force": force_name, "crime_type": METRIC.capitalize()})
    return {
        "Datasette HTML table": f"/aggregate/crimes?{query}&_sort=month",
        "Datasette JSON": f"/aggregate/crimes.json?{query}&_sort=month&_shape=array",
    }


WRK_SCRIPT = """
wrk.headers["Accept-Encoding"] = "gzip"
local paths = {%(paths)s}
local i = 0
request = function()
  i = i + 1
  return wrk.format(nil, paths[(i %% #paths) + 1])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %%d %%d %%d %%d %%d %%d\\n", summary.requests,
    summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(95)))
  io.write(string.format("P99 %%d\\n", latency:percentile(99)))
end
"""


@dataclass
class Result:
    name: str
    requests: int
    seconds: float
    errors: int  # socket errors, timeouts and answers of 400 or more
    p50_ms: float
    p95_ms: float
    p99_ms: float
    generator: str
    cpu_ms: float = 0.0  # server CPU time per request: steadier than req/s on a busy machine

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def copy_database(target: Path) -> None:
    """A consistent copy of the development database (the backup API includes its WAL)."""
    if not SOURCE_DB.exists():
        sys.exit(f"{SOURCE_DB} is missing: run `make setup` first.")
    source, copy = sqlite3.connect(SOURCE_DB), sqlite3.connect(target)
    with copy:
        source.backup(copy)
    source.close()
    copy.close()


def build_aggregate(target: Path, force: str) -> tuple[int, str]:
    """Crimes per force, month and crime type from the bundled police.uk street files; and
    the name the configured ``force``'s files report it by."""
    counts: Counter[tuple[str, str, str]] = Counter()
    name = ""
    for path in sorted(POLICE_UK.rglob("*-street.csv.gz")):
        with gzip.open(path, "rt", encoding="utf-8-sig", newline="") as handle:
            for row in csv.DictReader(handle):
                counts[(row["Reported by"], row["Month"], row["Crime type"])] += 1
                if not name and path.name.endswith(f"-{force}-street.csv.gz"):
                    name = row["Reported by"]
    db = sqlite3.connect(target)
    with db:
        db.execute("CREATE TABLE crimes (force TEXT, month TEXT, crime_type TEXT, crimes INT)")
        db.executemany(
            "INSERT INTO crimes VALUES (?, ?, ?, ?)", [(*k, v) for k, v in counts.items()]
        )
        db.execute("CREATE INDEX crimes_force_type ON crimes (force, crime_type, month)")
    db.close()
    return len(counts), name


def wait_until_up(url: str, process: subprocess.Popen[bytes], seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"the server at {url} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:  # noqa: S310 - loopback
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    sys.exit(f"{url} did not answer within {seconds:.0f} s")


def server_name(code: Path) -> str:
    if (code / "config" / "serve.py").exists():
        return "granian (config/serve.py)"
    return "gunicorn (config/gunicorn.conf.py)"


def start_policeplan(database: Path, code: Path, log: Path) -> tuple[str, subprocess.Popen[bytes]]:
    """The server as `make run` starts it, on ``database``: granian (config/serve.py), or
    gunicorn for a checkout from before it (``--code``, to measure the change)."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_DEBUG": "0",
        "LOG_REQUESTS": "1",
        "POLICEPLAN_BIND": f"127.0.0.1:{port}",
        "POLICEPLAN_API_RATE_LIMIT": "off",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    if server_name(code).startswith("granian"):
        command = [sys.executable, "-m", "config.serve"]
    else:
        command = [str(BIN / "gunicorn"), "-c", "config/gunicorn.conf.py"]
    output = log.open("wb")
    process = subprocess.Popen(command, cwd=code, env=env, stdout=output, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    wait_until_up(f"{base}/healthz", process)
    return base, process


def start_datasette(database: Path, log: Path) -> tuple[str, subprocess.Popen[bytes]]:
    port = free_port()
    command = [str(BIN / "datasette"), "serve", "-i", str(database), "-p", str(port)]
    process = subprocess.Popen(command, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    wait_until_up(f"{base}/aggregate/crimes.json?_size=1", process)
    return base, process


def run_wrk(name: str, base: str, paths: list[str], seconds: int, script_dir: Path) -> Result:
    script = script_dir / "paths.lua"
    script.write_text(WRK_SCRIPT % {"paths": ", ".join(json.dumps(p) for p in paths)})
    command = ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "10s",
               "-s", str(script), base]  # fmt: skip
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    line = next(x for x in output.splitlines() if x.startswith("RESULT "))
    requests, micros, socket_errors, status_errors, p50, p95 = (int(v) for v in line.split()[1:])
    p99 = int(next(x for x in output.splitlines() if x.startswith("P99 ")).split()[1])
    return Result(name, requests, micros / 1e6, socket_errors + status_errors,
                  p50 / 1000, p95 / 1000, p99 / 1000, "wrk")  # fmt: skip


def run_python(name: str, base: str, paths: list[str], seconds: int) -> Result:
    """The fallback generator: CONNECTIONS asyncio workers, each one request at a time."""
    import httpx

    async def main() -> tuple[list[float], int]:
        latencies: list[float] = []
        errors = 0
        stop = time.monotonic() + seconds
        limits = httpx.Limits(max_connections=CONNECTIONS, max_keepalive_connections=CONNECTIONS)
        headers = {"Accept-Encoding": "gzip"}
        async with httpx.AsyncClient(base_url=base, limits=limits, headers=headers) as client:

            async def worker(offset: int) -> None:
                nonlocal errors
                i = offset
                while time.monotonic() < stop:
                    started = time.perf_counter()
                    try:
                        answer = await client.get(paths[i % len(paths)], timeout=10)
                        errors += answer.status_code >= 400
                    except httpx.HTTPError:
                        errors += 1
                    latencies.append(time.perf_counter() - started)
                    i += 1

            await asyncio.gather(*(worker(n) for n in range(CONNECTIONS)))
        return latencies, errors

    started = time.perf_counter()
    latencies, errors = asyncio.run(main())
    elapsed = time.perf_counter() - started
    cuts = statistics.quantiles([1000 * x for x in latencies], n=100)
    return Result(name, len(latencies), elapsed, errors, cuts[49], cuts[94], cuts[98], "python")


def server_cpu(pid: int) -> float:
    """CPU seconds used so far by ``pid`` and its children (the server's workers), from /proc."""
    ticks = os.sysconf("SC_CLK_TCK")

    def own(p: int, reaped: bool) -> float:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        used = int(fields[11]) + int(fields[12])  # utime, stime
        if reaped:
            used += int(fields[13]) + int(fields[14])  # cutime, cstime: workers recycled
        return used / ticks

    children = Path(f"/proc/{pid}/task/{pid}/children")
    kids = [int(c) for c in children.read_text().split()] if children.exists() else []
    return own(pid, True) + sum(own(kid, False) for kid in kids)


def load(name: str, base: str, paths: list[str], seconds: int, tmp: Path, pid: int = 0) -> Result:
    before = server_cpu(pid) if pid else 0.0
    if shutil.which("wrk"):
        result = run_wrk(name, base, paths, seconds, tmp)
    else:
        result = run_python(name, base, paths, seconds)
    if pid and result.requests:
        result.cpu_ms = 1000 * (server_cpu(pid) - before) / result.requests
    return result


def page_bytes(base: str, path: str) -> tuple[int, int]:
    """(bytes sent plain, bytes sent to a client accepting gzip)."""
    sizes = []
    for encoding in ("identity", "gzip"):
        request = urllib.request.Request(base + path, headers={"Accept-Encoding": encoding})
        with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310 - loopback
            sizes.append(len(answer.read()))
    return sizes[0], sizes[1]


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()


def bench(seconds: int, code: Path, tmp: Path) -> None:
    from config import settings

    copy_database(tmp / "policeplan.sqlite3")
    ours = pages(tmp / "policeplan.sqlite3")
    rows, force_name = build_aggregate(tmp / "aggregate.db", settings.POLICEPLAN_FORCE)
    theirs_pages = datasette_pages(force_name)
    print(f"Datasette aggregate: {rows:,} force x month x crime type rows from {POLICE_UK}")
    base, server = start_policeplan(tmp / "policeplan.sqlite3", code, tmp / "server.log")
    ds_base, datasette = start_datasette(tmp / "aggregate.db", tmp / "datasette.log")
    try:
        sizes = {n: page_bytes(base, p) for n, p in ours.items()}
        for path in ours.values():  # every worker renders each page once before the timing
            load("warm-up", base, [path], 2, tmp)
        load("warm-up", ds_base, list(theirs_pages.values()), 2, tmp)
        results = [load(n, base, [p], seconds, tmp, server.pid) for n, p in ours.items()]
        theirs = {
            n: load(n, ds_base, [p], seconds, tmp, datasette.pid) for n, p in theirs_pages.items()
        }
    finally:
        stop(server)
        stop(datasette)
    generator = results[0].generator
    print(f"\nLoad: {generator}, {THREADS} threads x {CONNECTIONS} connections x {seconds} s each,"
          f" loopback; policeplan: {server_name(code)} at {code}")  # fmt: skip
    header = f"{'page':40} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7}"
    print(header + f" {'x Datasette':>12} {'CPU ms/req':>11} {'CPU x':>7}")
    for r in [*results, *theirs.values()]:
        baseline = theirs["Datasette JSON" if r.name.startswith("API") else "Datasette HTML table"]
        ratio = f"{r.rate / baseline.rate:11.1f}x" if r.name in ours and baseline.rate else ""
        cpu = f"{baseline.cpu_ms / r.cpu_ms:6.1f}x" if r.name in ours and r.cpu_ms else ""
        print(f"{r.name:40} {r.rate:8.0f} {r.p50_ms:8.1f} {r.p95_ms:8.1f} {r.p99_ms:8.1f} "
              f"{r.errors:7d} {ratio:>12} {r.cpu_ms:11.2f} {cpu:>7}")  # fmt: skip
    print(f"\n{'bytes a page ships':40} {'plain':>10} {'gzip':>10}")
    for name, (plain, packed) in sizes.items():
        print(f"{name:40} {plain:10,} {packed:10,}")
    worst = max(r.p95_ms for r in results)
    baselines = [
        theirs["Datasette JSON" if r.name.startswith("API") else "Datasette HTML table"].rate
        for r in results
    ]
    ratios = [r.rate / b for r, b in zip(results, baselines, strict=True) if b] or [0.0]
    print(f"\nworst p95 {worst:.1f} ms (aim < 50 ms); lowest ratio to Datasette "
          f"{min(ratios):.1f}x (aim >= 5x); CPU x: Datasette's CPU per request / ours; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")  # fmt: skip


def soak(seconds: int, code: Path, tmp: Path) -> None:
    """Every benchmarked page in turn for ``seconds``; one JSON line (make test-slow)."""
    copy_database(tmp / "policeplan.sqlite3")
    paths = list(pages(tmp / "policeplan.sqlite3").values())
    base, server = start_policeplan(tmp / "policeplan.sqlite3", code, tmp / "server.log")
    try:
        result = load("soak: every page in turn", base, paths, seconds, tmp)
    finally:
        stop(server)
    print(json.dumps({**asdict(result), "rate": result.rate}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=15, help="load per page (default 15)")
    parser.add_argument("--code", type=Path, default=REPO, help="checkout to serve")
    parser.add_argument("--soak", type=int, metavar="SECONDS", help="mixed load only")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as folder:
        if args.soak:
            soak(args.soak, args.code.resolve(), Path(folder))
        else:
            bench(args.seconds, args.code.resolve(), Path(folder))


if __name__ == "__main__":
    main()
