"""Embargo times: typed as local wall-clock time (Europe/London), stored in UTC."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings

EMBARGO_FORMAT = "%Y-%m-%dT%H:%M"


def parse_embargo(text: str) -> dt.datetime:
    """'YYYY-MM-DDTHH:MM' in the site's time zone (Europe/London) as an aware datetime.

    A time the clocks skip (spring) or pass twice (autumn) is refused rather than guessed.
    """
    try:
        naive = dt.datetime.strptime(text.strip(), EMBARGO_FORMAT)
    except ValueError:
        raise ValueError(
            f"'{text}' is not a date and time like 2026-12-01T09:30 (YYYY-MM-DDTHH:MM)"
        ) from None
    zone = ZoneInfo(settings.TIME_ZONE)
    first = naive.replace(tzinfo=zone, fold=0)
    if first.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None) != naive:
        raise ValueError(f"{text} does not exist in {settings.TIME_ZONE}: the clocks go forward")
    if first.utcoffset() != naive.replace(tzinfo=zone, fold=1).utcoffset():
        raise ValueError(
            f"{text} happens twice in {settings.TIME_ZONE} (the clocks go back): "
            "choose a time outside 01:00 to 02:00"
        )
    return first
