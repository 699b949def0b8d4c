"""The API's rate limit per client address: django-ninja's throttle (a sliding window of
request times in Django's cache), configured by ``POLICEPLAN_API_RATE_LIMIT``.

Two adjustments to ninja's ``AnonRateThrottle``, both small: the rate is read from settings on
every request (so it can be changed or switched off without rebuilding the API), and the
per-request state ninja keeps on the throttle object is kept per thread, because one NinjaAPI
(and so one throttle object) serves every thread of a threaded server.
"""

from __future__ import annotations

import re
import threading
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from ninja.throttling import AnonRateThrottle

PERIODS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
_RATE = re.compile(r"\s*(\d+)\s*/\s*(second|minute|hour|day|s|m|h|d)\s*", re.IGNORECASE)


def parse_rate(text: str | None) -> tuple[int, int] | None:
    """'120/minute' -> (120, 60): requests allowed per window of seconds. '' or 'off': None."""
    if text is None or text.strip().lower() in {"", "0", "off", "none"}:
        return None
    match = _RATE.fullmatch(text)
    if match is None:
        raise ImproperlyConfigured(
            f"POLICEPLAN_API_RATE_LIMIT '{text}' is not a rate like '120/minute'"
        )
    unit = match.group(2).lower()
    seconds = next(s for name, s in PERIODS.items() if name.startswith(unit))
    return int(match.group(1)), seconds


def configured_rate() -> tuple[int, int] | None:
    return parse_rate(getattr(settings, "POLICEPLAN_API_RATE_LIMIT", None))


class _PerThread:
    """An attribute whose value belongs to the thread that set it."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, instance: Any, owner: type | None = None) -> Any:
        if instance is None:
            return self
        try:
            return getattr(instance._state, self.name)
        except AttributeError:
            raise AttributeError(self.name) from None

    def __set__(self, instance: Any, value: Any) -> None:
        setattr(instance._state, self.name, value)


class ClientAddressThrottle(AnonRateThrottle):
    """``POLICEPLAN_API_RATE_LIMIT`` requests per window from each client address."""

    # What ninja's SimpleRateThrottle sets during allow_request() and reads in wait().
    key = _PerThread()
    history = _PerThread()
    now = _PerThread()
    num_requests = _PerThread()
    duration = _PerThread()

    def __init__(self) -> None:  # the rate is read per request, not here
        self._state = threading.local()
        self.rate = None

    def allow_request(self, request: HttpRequest) -> bool:
        # Decided once per request: the API middleware asks first, before serving a cached
        # answer, and ninja's own check then reads the same decision.
        decided: bool | None = getattr(request, DECIDED, None)
        if decided is not None:
            return decided
        rate = configured_rate()
        allowed = True
        if rate is not None:
            self.num_requests, self.duration = rate
            allowed = super().allow_request(request)
        setattr(request, DECIDED, allowed)
        return allowed


DECIDED = "_policeplan_rate_decided"
# The one throttle the API uses (v1.py), asked by the middleware too.
RATE_LIMIT = ClientAddressThrottle()
