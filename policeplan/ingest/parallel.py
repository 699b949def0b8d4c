"""Import many files at once: one worker process per core on PostgreSQL.

Each file is still its own transaction on its own connection, so parallelism changes nothing
about atomicity or idempotency. SQLite allows one writer at a time, so it imports in order.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool

from django.db import connection, connections

from policeplan.provenance.content import ImportInput

from .police_uk import FAILED, FileResult, import_file
from .police_uk import source as police_uk_source
from .workers import die_with_parent


def default_jobs() -> int:
    return (os.cpu_count() or 1) if connection.vendor == "postgresql" else 1


def _slot(item: ImportInput) -> tuple[str, ...] | None:
    try:
        identity = police_uk_source.identify(item.name)
    except police_uk_source.UnrecognisedFileName:
        return None
    return (identity.force, identity.kind.value, identity.month)


def _start_worker(parent_pid: int) -> None:
    """Each pool worker: dies with the import that started it, and never shares the parent's
    database connections."""
    die_with_parent(parent_pid)
    connections.close_all()


def import_files(
    items: Sequence[ImportInput],
    run_by: str,
    jobs: int | None = None,
    on_done: Callable[[FileResult], None] | None = None,
    allow_shrink: bool = False,
    allow_new_crime_type: bool = False,
) -> list[FileResult]:
    """Import ``items``, in parallel where safe; results come back in the order given."""
    jobs = default_jobs() if jobs is None else jobs
    slots = [_slot(item) for item in items]
    # Two copies of the same force-month would race for the "current" revision: keep order.
    clash = len({s for s in slots if s}) != len([s for s in slots if s])
    # Inside a caller's transaction the files must share it (and its connection): in order.
    sequential = connection.vendor != "postgresql" or connection.in_atomic_block
    if jobs <= 1 or clash or sequential or len(items) < 2:
        results = []
        for item in items:
            results.append(import_file(item, run_by, allow_shrink, allow_new_crime_type))
            if on_done:
                on_done(results[-1])
        return results
    connections.close_all()  # a forked child must not share the parent's socket
    done: dict[int, FileResult] = {}
    with ProcessPoolExecutor(
        max_workers=jobs, initializer=_start_worker, initargs=(os.getpid(),)
    ) as pool:
        futures = {
            pool.submit(import_file, item, run_by, allow_shrink, allow_new_crime_type): i
            for i, item in enumerate(items)
        }
        for future in as_completed(futures):
            done[futures[future]] = _result(future, items[futures[future]].name)
            if on_done:
                on_done(done[futures[future]])
    return [done[i] for i in range(len(items))]


def _result(future: Future[FileResult], name: str) -> FileResult:
    """A worker that died (killed, out of memory) fails its file, not the whole batch: its
    transaction never committed, so nothing from the file was written."""
    try:
        return future.result()
    except BrokenProcessPool as exc:
        problem = f"{name}: the worker importing it stopped ({exc}); nothing from it was written"
        return FileResult(name, FAILED, problems=[problem])
