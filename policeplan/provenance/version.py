"""The data version: what whole-page caches and ETags are keyed by.

Every import, computation, publication and plan load advances the number. Embargoes lift (and
targets start) with no one acting, so the row also lists the coming moments at which what the
public sees changes; the version counts how many of them have passed, and the stored read
side already holds the figures for each (``policeplan.metrics.readside``). ADR 0015.
"""

from __future__ import annotations

import datetime as dt
import secrets
import time
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import F
from django.utils import timezone

from .models import DataVersion

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Version:
    tag: str  # "<token>.<moments passed>": changes whenever what the public sees may change
    last_modified: dt.datetime
    next_change: dt.datetime | None  # the next coming moment, if any


# The row as last read, and when (time.monotonic): a worker reads it at most once a second, so
# a cached page costs no database query at all. Another worker's change shows within that
# second; this process's own change at once (advance() forgets it). Embargo moments are
# compared with the clock on every request, so a lift still shows at its minute.
REREAD_SECONDS = 1.0
_last_read: tuple[float, tuple[str, dt.datetime, list[str]] | None] | None = None


def forget() -> None:
    global _last_read
    _last_read = None


def _row() -> tuple[str, dt.datetime, list[str]] | None:
    global _last_read
    now = time.monotonic()
    if _last_read is not None and now - _last_read[0] < REREAD_SECONDS:
        return _last_read[1]
    row = DataVersion.objects.filter(pk=1).values_list("token", "changed_at", "moments").first()
    _last_read = (now, row)
    return row


def advance(moments: Iterable[dt.datetime] | None = None) -> None:
    """Say the data changed; with ``moments``, also replace the list of coming changes."""
    forget()
    now = timezone.now()
    token = secrets.token_hex(8)
    updates: dict[str, object] = {"number": F("number") + 1, "token": token, "changed_at": now}
    coming = [m.astimezone(dt.UTC).isoformat() for m in sorted(set(moments or []))]
    if moments is not None:
        updates["moments"] = coming
    if not DataVersion.objects.filter(pk=1).update(**updates):  # the migration creates it
        DataVersion.objects.create(pk=1, number=1, token=token, changed_at=now, moments=coming)


def current(at: dt.datetime | None = None) -> Version:
    """The version at ``at`` (default now): one primary-key read, at most once a second."""
    at = at or timezone.now()
    row = _row()
    if row is None:
        return Version("none.0", EPOCH, None)
    token, changed_at, moments = row
    times = [dt.datetime.fromisoformat(m) for m in moments]
    passed = [t for t in times if t <= at]
    coming = [t for t in times if t > at]
    last_modified = max([changed_at, *passed])
    return Version(f"{token}.{len(passed)}", last_modified, coming[0] if coming else None)
