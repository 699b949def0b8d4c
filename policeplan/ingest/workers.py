"""Pool workers that die with their parent (issue 11 row 9, ADR 0013).

A ``kill -9`` of an import leaves its ``ProcessPoolExecutor`` workers orphaned: they keep their
database connections (and may go on importing). Each worker therefore asks Linux to send it
SIGKILL when its parent dies (``prctl(PR_SET_PDEATHSIG)``), and, where that is unavailable or
the parent died before the worker got that far, a watchdog thread notices the parent is gone
(its parent id changes) and ends the worker.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1
WATCHDOG_SECONDS = 0.5


def die_with_parent(parent_pid: int, use_kernel: bool = True) -> bool:
    """Arrange for this process to end when ``parent_pid`` does. Returns True when the kernel
    does it (prctl); the watchdog thread runs either way (``use_kernel=False``: only it)."""
    by_kernel = _pdeathsig() if use_kernel else False
    if os.getppid() != parent_pid:  # the parent died before prctl took effect
        os._exit(1)
    watchdog = threading.Thread(
        target=_watch, args=(parent_pid,), name="parent-watchdog", daemon=True
    )
    watchdog.start()
    return by_kernel


def _pdeathsig() -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch(parent_pid: int) -> None:
    while os.getppid() == parent_pid:
        time.sleep(WATCHDOG_SECONDS)
    os._exit(1)
