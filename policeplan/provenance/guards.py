"""The lifecycle's guards (ADR 0013): one import per slot at a time, no silent shrinking, and
database errors turned into the file's own error.

* :func:`slot_lock`: inside the import's transaction, PostgreSQL takes a transaction-level
  advisory lock on the slot, waiting at most ``POLICEPLAN_IMPORT_LOCK_WAIT`` seconds; SQLite
  has one writer at a time, so its own lock (``BEGIN IMMEDIATE`` with a busy timeout of the
  same length) plays the part. Either way a second import of a slot waits, then either finds
  the first one's result (unchanged, or a revision of it) or reports "already being imported".
* :func:`refuse_shrink`: a revision that would remove more than ``POLICEPLAN_IMPORT_SHRINK_
  PERCENT`` of the rows or figures its slot holds is refused unless ``allow_shrink``.
* :func:`database_problem`: what to tell the user when the database refuses a file.
"""

from __future__ import annotations

import re
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import (
    DatabaseError,
    DataError,
    IntegrityError,
    InterfaceError,
    OperationalError,
    connection,
)

from .errors import ImportFailed
from .models import Slot

DEFAULT_SHRINK_PERCENT = 10.0
DEFAULT_LOCK_WAIT = 30.0
# The first key of the two-int advisory lock: this project's imports (b"PP" as a number), so
# its locks never collide with another application's on the same server.
LOCK_NAMESPACE = 0x5050
SQLITE_BUSY_TIMEOUT_MS = 30_000
# What drivers say when the server went away (restart, pg_terminate_backend, network).
_CONNECTION_LOST = re.compile(
    r"connection|terminat|server closed|shut ?down|could not receive|broken pipe", re.IGNORECASE
)  # config/settings.py "timeout", restored after an import


def shrink_percent() -> float:
    return float(getattr(settings, "POLICEPLAN_IMPORT_SHRINK_PERCENT", DEFAULT_SHRINK_PERCENT))


def lock_wait() -> float:
    return float(getattr(settings, "POLICEPLAN_IMPORT_LOCK_WAIT", DEFAULT_LOCK_WAIT))


def slot_key(slot: Slot) -> int:
    """A stable signed 32-bit key for a slot (two slots sharing one only wait for each other)."""
    key = "\x1f".join(str(v or "") for v in slot.key().values())
    value = zlib.crc32(key.encode())
    return value - (1 << 32) if value >= 1 << 31 else value


def already_importing(name: str, slot: Slot | str, waited: float) -> ImportFailed:
    return ImportFailed(
        name,
        [
            f"{name}: {slot} is already being imported by another process (waited "
            f"{waited:g} seconds, POLICEPLAN_IMPORT_LOCK_WAIT); nothing from this file was "
            "written. Run the import again when that one has finished."
        ],
    )


def slot_lock(name: str, slot: Slot) -> None:
    """Hold the slot's lock until the current transaction ends (PostgreSQL); on SQLite the
    transaction already holds the database's only write lock."""
    if connection.vendor != "postgresql":
        return
    key = slot_key(slot)
    wait = lock_wait()
    deadline = time.monotonic() + wait
    pause = 0.05
    with connection.cursor() as cursor:
        while True:
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", [LOCK_NAMESPACE, key])
            if cursor.fetchone()[0]:
                return
            if time.monotonic() >= deadline:
                raise already_importing(name, slot, wait)
            time.sleep(min(pause, max(0.0, deadline - time.monotonic())))
            pause = min(pause * 2, 0.5)


@contextmanager
def sqlite_write_wait(name: str, slot: Slot | None) -> Iterator[None]:
    """On SQLite, wait for the write lock at most POLICEPLAN_IMPORT_LOCK_WAIT seconds; a
    timeout is "already being imported", not a traceback."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield
        return
    wait = lock_wait()
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA busy_timeout = {int(wait * 1000)}")
    try:
        yield
    except OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise already_importing(name, slot or "this file's slot", wait) from exc
        raise
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")


def refuse_shrink(name: str, slot: Slot, held: int, removed: int, counted: str) -> None:
    """Raise ImportFailed when ``removed`` of ``held`` is over the allowed share."""
    limit = shrink_percent()
    if held <= 0 or removed <= 0:
        return
    share = 100.0 * removed / held
    if share <= limit:
        return
    raise ImportFailed(
        name,
        [
            f"{name}: this revision of {slot} would remove {removed:,} of the {held:,} "
            f"{counted} held ({share:.1f}%, over the {limit:g}% allowed by "
            "POLICEPLAN_IMPORT_SHRINK_PERCENT); nothing was changed. If the source really "
            "dropped them, import it again with --allow-shrink."
        ],
    )


def database_problem(name: str, exc: DatabaseError) -> str:
    """The file's error when the database refused it mid-import (everything rolled back)."""
    detail = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    if isinstance(exc, DataError):
        what = f"the database refused a value ({detail})"
    elif isinstance(exc, IntegrityError):
        what = f"the database refused the rows as inconsistent ({detail})"
    elif isinstance(exc, (OperationalError, InterfaceError)) and (
        _CONNECTION_LOST.search(detail) or not _connection_usable()
    ):
        what = (
            f"the connection to the database was lost during the import ({detail}); the "
            "server may have restarted"
        )
    else:
        what = f"the database failed during the import ({type(exc).__name__}: {detail})"
    return f"{name}: {what}. Nothing from this file was written; it can be imported again."


def _connection_usable() -> bool:
    if connection.connection is None:
        return False
    try:
        return bool(connection.is_usable())
    except Exception:  # noqa: BLE001 - a broken connection may fail in any way
        return False


def recover_connection() -> None:
    """After a database error outside any caller's transaction, drop a connection that no
    longer works, so the next file of the batch opens a new one."""
    if connection.in_atomic_block:
        return
    if connection.connection is not None and not _connection_usable():
        connection.close()
