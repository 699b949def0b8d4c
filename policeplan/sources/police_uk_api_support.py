"""Helpers for the data.police.uk API client: rate limiting, retries, resume checkpoints,
polygons.

Pure Python, no Django, no network.
"""

from __future__ import annotations

import email.utils
import json
import os
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import tenacity

LatLng = tuple[float, float]
"""A point as (latitude, longitude), the order data.police.uk uses in ``poly``."""


class TokenBucket:
    """A token-bucket rate limiter: ``rate`` requests a second, bursts of up to ``burst``.

    ``clock`` and ``sleep`` are injectable so tests can use a fake clock.
    """

    def __init__(
        self,
        rate: float = 15.0,
        burst: int = 30,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("rate must be positive and burst at least 1")
        self.rate = rate
        self.burst = burst
        self._clock = clock
        self._sleep = sleep
        self._tokens = float(burst)
        self._updated = clock()
        self._lock = threading.Lock()

    def _refill(self, now: float) -> None:
        elapsed = max(0.0, now - self._updated)
        self._tokens = min(float(self.burst), self._tokens + elapsed * self.rate)
        self._updated = max(self._updated, now)

    def acquire(self) -> float:
        """Take one token, sleeping first if none is left; return the seconds slept."""
        with self._lock:
            self._refill(self._clock())
            waited = 0.0
            if self._tokens < 1.0:
                waited = (1.0 - self._tokens) / self.rate
                self._sleep(waited)
                # Trust the arithmetic if the clock has not moved on as far as the sleep.
                self._refill(max(self._clock(), self._updated + waited))
            self._tokens -= 1.0
            return waited


class CheckpointError(ValueError):
    """A checkpoint file that cannot be read."""


class Checkpoint:
    """An on-disk record of API requests already completed, so a re-run can skip them.

    The file (path chosen by the caller) is JSON: ``{"version": 1, "completed": [key, ...]}``
    where each key is the canonical JSON of ``[endpoint, params]`` (params with sorted keys,
    tuples as lists). It is rewritten atomically (temporary file, then rename) after each
    :meth:`mark_done`, so an interrupted run loses at most the request in flight. Delete the
    file to start again from scratch.
    """

    VERSION = 1

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._completed: set[str] = set()
        if self.path.exists():
            self._completed = self._load()

    def _load(self) -> set[str]:
        try:
            content = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CheckpointError(f"checkpoint {self.path} cannot be read: {exc}") from None
        if (
            not isinstance(content, dict)
            or content.get("version") != self.VERSION
            or not isinstance(content.get("completed"), list)
        ):
            raise CheckpointError(
                f"checkpoint {self.path} is not a version {self.VERSION} checkpoint file"
            )
        return {str(key) for key in content["completed"]}

    @staticmethod
    def key(endpoint: str, params: Mapping[str, Any]) -> str:
        """The canonical key for one request."""
        return json.dumps([endpoint, dict(params)], sort_keys=True, separators=(",", ":"))

    def __len__(self) -> int:
        return len(self._completed)

    def is_done(self, endpoint: str, params: Mapping[str, Any]) -> bool:
        """True if this request was completed by an earlier (or this) run."""
        return self.key(endpoint, params) in self._completed

    def mark_done(self, endpoint: str, params: Mapping[str, Any]) -> None:
        """Record a request as completed and save the file."""
        self._completed.add(self.key(endpoint, params))
        self._save()

    def _save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        content = {"version": self.VERSION, "completed": sorted(self._completed)}
        handle, temporary = tempfile.mkstemp(
            dir=self.path.parent, prefix=self.path.name, suffix=".tmp"
        )
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump(content, stream, indent=0)
            os.replace(temporary, self.path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise


# --- Retries ----------------------------------------------------------------------------------


class RetryableFailure(Exception):
    """An attempt that may succeed if tried again: a timeout, no connection, 429 or 5xx.
    ``problem`` says what happened ("answered 503 Service Unavailable")."""

    def __init__(self, problem: str, status: int | None = None, retry_after: str | None = None):
        super().__init__(problem)
        self.problem = problem
        self.status = status
        self.retry_after = retry_after


def retrying(
    *,
    max_attempts: int,
    backoff_seconds: float,
    max_backoff_seconds: float | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> tenacity.Retrying:
    """tenacity's retry loop for :class:`RetryableFailure`: ``max_attempts`` tries, waiting
    ``backoff_seconds`` doubling each time (up to ``max_backoff_seconds``), or the server's
    ``Retry-After`` when it gives one. The last failure is re-raised as it is."""
    cap = max_backoff_seconds if max_backoff_seconds is not None else float("inf")
    exponential = tenacity.wait_exponential(multiplier=backoff_seconds, min=0, max=cap)

    def wait(state: tenacity.RetryCallState) -> float:
        failure = state.outcome.exception() if state.outcome else None
        asked = None
        if isinstance(failure, RetryableFailure) and failure.retry_after:
            asked = parse_retry_after(failure.retry_after)
        delay = exponential(state) if asked is None else asked
        return min(max(delay, 0.0), cap)

    return tenacity.Retrying(
        stop=tenacity.stop_after_attempt(max_attempts),
        wait=wait,
        retry=tenacity.retry_if_exception_type(RetryableFailure),
        sleep=sleep,
        reraise=True,
    )


def parse_retry_after(value: str) -> float | None:
    """Seconds from a ``Retry-After`` header: a number of seconds or an HTTP date."""
    try:
        return float(value)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return (when - datetime.now(UTC)).total_seconds()


# --- Polygons ---------------------------------------------------------------------------------


def validate_polygon(poly: Iterable[Sequence[float]]) -> list[LatLng]:
    """Check a polygon of (lat, lng) points and return it as a list of float pairs."""
    points: list[LatLng] = []
    for point in poly:
        if len(point) != 2:
            raise ValueError(f"polygon point {point!r} is not a (latitude, longitude) pair")
        lat, lng = float(point[0]), float(point[1])
        if not (-90.0 <= lat <= 90.0 and -180.0 <= lng <= 180.0):
            raise ValueError(f"polygon point ({lat}, {lng}) is not a latitude and longitude")
        points.append((lat, lng))
    if len(points) < 3:
        raise ValueError("a polygon needs at least three points")
    return points


def polygon_param(poly: Sequence[LatLng]) -> str:
    """The API's ``poly`` value: ``lat,lng:lat,lng:...``."""
    return ":".join(f"{lat:.6f},{lng:.6f}" for lat, lng in poly)


def polygon_from_boundary(points: Iterable[Mapping[str, Any]]) -> list[LatLng]:
    """Turn a neighbourhood boundary (``[{"latitude": "52.6", "longitude": "-1.1"}]``)
    into (lat, lng) pairs ready for :meth:`PoliceUkApi.crimes_street`."""
    return [(float(p["latitude"]), float(p["longitude"])) for p in points]


def bounding_box(poly: Sequence[LatLng]) -> tuple[float, float, float, float]:
    """(south, west, north, east) of a polygon."""
    lats = [lat for lat, _ in poly]
    lngs = [lng for _, lng in poly]
    return min(lats), min(lngs), max(lats), max(lngs)


def quadrants(poly: Sequence[LatLng]) -> list[list[LatLng]]:
    """Split a polygon's bounding box into four rectangles (as polygons)."""
    south, west, north, east = bounding_box(poly)
    mid_lat, mid_lng = (south + north) / 2, (west + east) / 2
    boxes = [
        (south, west, mid_lat, mid_lng),
        (south, mid_lng, mid_lat, east),
        (mid_lat, west, north, mid_lng),
        (mid_lat, mid_lng, north, east),
    ]
    return [[(s, w), (n, w), (n, e), (s, e)] for s, w, n, e in boxes]


def point_in_polygon(lat: float, lng: float, poly: Sequence[LatLng]) -> bool:
    """Ray casting: is (lat, lng) inside the polygon? (Points on an edge may go either way.)"""
    inside = False
    count = len(poly)
    for index in range(count):
        lat1, lng1 = poly[index]
        lat2, lng2 = poly[index - 1]
        if (lat1 > lat) != (lat2 > lat):
            crossing = lng1 + (lat - lat1) * (lng2 - lng1) / (lat2 - lat1)
            if lng < crossing:
                inside = not inside
    return inside
