"""Load against the production server (`make test-slow`, marker `soak`): granian as `make run`
starts it, on a copy of the bundled data, 60 s at 50 connections over the home, metric, local
authority and exceptions pages and the observations and exceptions API, every answer a
success. Prints the throughput and p95. The same code as `make bench-serve`
(benchmarks/serve.py --soak)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import REPO_ROOT

SECONDS = 60


@pytest.mark.soak
def test_sixty_seconds_at_fifty_connections_with_no_errors() -> None:
    if not (REPO_ROOT / "var" / "policeplan.sqlite3").exists():
        pytest.fail("var/policeplan.sqlite3 is missing: `make test-slow` runs `make load` first")
    run = subprocess.run(
        [sys.executable, str(REPO_ROOT / "benchmarks" / "serve.py"), "--soak", str(SECONDS)],
        capture_output=True, text=True, timeout=SECONDS + 600, cwd=REPO_ROOT,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-3000:]
    result = json.loads(run.stdout.strip().splitlines()[-1])
    print(
        f"\nload: {result['requests']:,} requests in {result['seconds']:.0f} s "
        f"({result['rate']:.0f}/s, {result['generator']}), 50 connections; "
        f"p50 {result['p50_ms']:.1f} ms, p95 {result['p95_ms']:.1f} ms, "
        f"p99 {result['p99_ms']:.1f} ms; errors {result['errors']}"
    )
    assert result["requests"] > SECONDS  # the server answered throughout
    assert result["errors"] == 0
