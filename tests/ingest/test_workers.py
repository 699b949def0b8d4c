"""Issue 11 row 9: the parent of a parallel import killed, its pool workers stayed alive
holding database connections. Workers now die with their parent: by the kernel
(``prctl(PR_SET_PDEATHSIG)``) and, failing that, by a watchdog thread."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

# A parent that starts a pool of two sleeping workers the way ``ingest.parallel`` does, prints
# their process ids, then waits to be killed.
PARENT = """
import os, sys, time
from concurrent.futures import ProcessPoolExecutor
from policeplan.ingest.workers import die_with_parent

pool = ProcessPoolExecutor(
    max_workers=2, initializer=die_with_parent, initargs=(os.getpid(), sys.argv[1] == "kernel")
)
futures = [pool.submit(time.sleep, 120) for _ in range(2)]
time.sleep(1)
print(" ".join(str(pid) for pid in pool._processes), flush=True)
time.sleep(120)
"""


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"  # a zombie has ended; only its parent has not collected it yet


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("how", ["kernel", "watchdog"])
def test_killing_the_parent_ends_its_pool_workers(how: str) -> None:
    parent = subprocess.Popen(  # noqa: S603 - this interpreter running the script above
        [sys.executable, "-c", PARENT, how], cwd=REPO_ROOT, stdout=subprocess.PIPE, text=True
    )
    workers: list[int] = []
    try:
        assert parent.stdout is not None
        workers = [int(pid) for pid in parent.stdout.readline().split()]
        assert len(workers) == 2 and all(_alive(pid) for pid in workers)
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait(timeout=10)
        deadline = time.monotonic() + 10
        while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(_alive(pid) for pid in workers), f"workers left alive ({how})"
    finally:
        for pid in [parent.pid, *workers]:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
