"""A client for the data.police.uk JSON API (https://data.police.uk/docs/).

Pure Python (httpx), no Django. What it adds to plain HTTP calls:

* rate limiting: a token bucket, 15 requests a second with bursts of 30 (the API's limit);
* retries (tenacity): 429 and 5xx answers and timeouts are retried with exponential backoff,
  honouring ``Retry-After``, up to ``max_attempts`` tries;
* large areas: ``crimes_street`` sends ``poly`` in a POST body when a GET URL would be too
  long, and when the API answers 503 because an area holds more than 10,000 crimes it splits
  the area's bounding box into four rectangles, queries each (recursively, up to
  ``max_split_depth`` times), keeps the crimes inside the original polygon and drops
  duplicates;
* resuming: :meth:`PoliceUkApi.fetch_once` with a :class:`Checkpoint` skips requests that an
  earlier run already completed and stored.

Every failure is an :class:`ApiError` whose message names the URL.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import quote

import httpx

from policeplan.sources.police_uk_api_support import (
    Checkpoint,
    CheckpointError,
    LatLng,
    RetryableFailure,
    TokenBucket,
    point_in_polygon,
    polygon_from_boundary,
    polygon_param,
    quadrants,
    retrying,
    validate_polygon,
)

__all__ = [
    "DEFAULT_BASE_URL",
    "ApiError",
    "Checkpoint",
    "CheckpointError",
    "PoliceUkApi",
    "TokenBucket",
    "TooManyCrimes",
    "point_in_polygon",
    "polygon_from_boundary",
]

DEFAULT_BASE_URL = "https://data.police.uk/api"
MAX_GET_URL_LENGTH = 4094
"""The API's documented limit on a GET URL; longer ``poly`` queries are sent by POST."""

Json = Any


class ApiError(Exception):
    """A request to data.police.uk that failed; the message names the URL."""

    def __init__(self, url: str, message: str, status: int | None = None) -> None:
        self.url = url
        self.status = status
        super().__init__(f"{url}: {message}")


class TooManyCrimes(ApiError):
    """An area still holds more than 10,000 crimes after splitting it as far as allowed."""


class _AreaTooBig(Exception):
    """Internal: a crimes-street request answered 503, so the area must be split."""

    def __init__(self, url: str) -> None:
        self.url = url


class PoliceUkApi:
    """The data.police.uk API. Use as a context manager, or call :meth:`close`."""

    def __init__(
        self,
        base_url: str = DEFAULT_BASE_URL,
        *,
        connect_timeout: float = 10.0,
        read_timeout: float = 60.0,
        max_attempts: int = 5,
        backoff_seconds: float = 1.0,
        max_backoff_seconds: float = 60.0,
        rate_per_second: float = 15.0,
        burst: int = 30,
        max_split_depth: int = 4,
        max_get_url_length: int = MAX_GET_URL_LENGTH,
        checkpoint: Checkpoint | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        user_agent: str = "policeplan (Police and Crime Plan performance framework)",
    ) -> None:
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        self.base_url = base_url.rstrip("/")
        self.max_attempts = max_attempts
        self.backoff_seconds = backoff_seconds
        self.max_backoff_seconds = max_backoff_seconds
        self.max_split_depth = max_split_depth
        self.max_get_url_length = max_get_url_length
        self.checkpoint = checkpoint
        self.rate_limiter = TokenBucket(rate_per_second, burst, clock=clock, sleep=sleep)
        self._sleep = sleep
        self._http = httpx.Client(
            timeout=httpx.Timeout(read_timeout, connect=connect_timeout),
            headers={"User-Agent": user_agent, "Accept": "application/json"},
        )

    def __enter__(self) -> PoliceUkApi:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the HTTP connection pool."""
        self._http.close()

    # --- endpoints ----------------------------------------------------------------------------

    def crimes_street_dates(self) -> list[dict[str, Any]]:
        """Months with street-level crime data, newest first, with forces' stop-and-search."""
        return self._list("/crimes-street-dates")

    def forces(self) -> list[dict[str, Any]]:
        """Every force as ``{"id": ..., "name": ...}``."""
        return self._list("/forces")

    def force(self, force_id: str) -> dict[str, Any]:
        """One force's details (description, telephone, engagement methods...)."""
        return self._object(f"/forces/{_segment(force_id)}")

    def crimes_street(
        self,
        poly: Iterable[Sequence[float]],
        date: str | None = None,
        category: str = "all-crime",
    ) -> list[dict[str, Any]]:
        """Street-level crimes inside a polygon of (lat, lng) points for a month ``YYYY-MM``
        (the latest month if ``date`` is None). Splits areas holding over 10,000 crimes."""
        polygon = validate_polygon(poly)
        path = f"/crimes-street/{_segment(category)}"
        extra = {"date": date} if date else {}
        return self._crimes_in_area(path, polygon, extra, polygon, depth=0)

    def outcomes_at_location(
        self,
        date: str | None = None,
        *,
        poly: Iterable[Sequence[float]] | None = None,
        lat: float | None = None,
        lng: float | None = None,
        location_id: int | str | None = None,
    ) -> list[dict[str, Any]]:
        """Outcomes in a month for a polygon, a point (1 mile radius) or a location id."""
        params: dict[str, str] = {"date": date} if date else {}
        chosen = [poly is not None, lat is not None or lng is not None, location_id is not None]
        if sum(chosen) != 1 or ((lat is None) != (lng is None)):
            raise ValueError("give exactly one of poly, lat and lng together, or location_id")
        if poly is not None:
            return self._poly_list("/outcomes-at-location", validate_polygon(poly), params)
        if location_id is not None:
            params["location_id"] = str(location_id)
        else:
            params.update(lat=f"{lat}", lng=f"{lng}")
        return self._list("/outcomes-at-location", params)

    def outcomes_for_crime(self, persistent_id: str) -> dict[str, Any]:
        """A crime and all its outcomes, by the 64-character ``persistent_id`` (Crime ID)."""
        return self._object(f"/outcomes-for-crime/{_segment(persistent_id)}")

    def stops_force(self, force: str, date: str | None = None) -> list[dict[str, Any]]:
        """Stop and searches reported by a force in a month (latest month if None)."""
        params = {"force": force, **({"date": date} if date else {})}
        return self._list("/stops-force", params)

    def neighbourhoods(self, force: str) -> list[dict[str, Any]]:
        """A force's neighbourhoods as ``{"id": ..., "name": ...}``."""
        return self._list(f"/{_segment(force)}/neighbourhoods")

    def neighbourhood(self, force: str, neighbourhood_id: str) -> dict[str, Any]:
        """One neighbourhood's details."""
        return self._object(f"/{_segment(force)}/{_segment(neighbourhood_id)}")

    def neighbourhood_boundary(self, force: str, neighbourhood_id: str) -> list[dict[str, Any]]:
        """Boundary points ``{"latitude": "...", "longitude": "..."}`` (strings, as served);
        see :func:`polygon_from_boundary`."""
        return self._list(f"/{_segment(force)}/{_segment(neighbourhood_id)}/boundary")

    def neighbourhood_people(self, force: str, neighbourhood_id: str) -> list[dict[str, Any]]:
        """The neighbourhood team (name, rank, bio, contact details)."""
        return self._list(f"/{_segment(force)}/{_segment(neighbourhood_id)}/people")

    # --- resuming -----------------------------------------------------------------------------

    _RESUMABLE = frozenset(
        {
            "crimes_street_dates", "forces", "force", "crimes_street", "outcomes_at_location",
            "outcomes_for_crime", "stops_force", "neighbourhoods", "neighbourhood",
            "neighbourhood_boundary", "neighbourhood_people",
        }
    )  # fmt: skip

    def fetch_once(
        self, endpoint: str, params: Mapping[str, Any], store: Callable[[Json], None]
    ) -> bool:
        """Call ``endpoint`` (a method name, e.g. ``"stops_force"``) with ``params`` and pass
        the result to ``store``, unless the checkpoint says an earlier run already did.

        The request is marked done only after ``store`` returns, so a crash while storing
        means the request is repeated next time. Returns True if the request was made.
        """
        if self.checkpoint is None:
            raise ValueError("fetch_once needs a Checkpoint (pass checkpoint=...)")
        if endpoint not in self._RESUMABLE:
            raise ValueError(f"'{endpoint}' is not a data.police.uk endpoint of this client")
        if self.checkpoint.is_done(endpoint, params):
            return False
        store(getattr(self, endpoint)(**params))
        self.checkpoint.mark_done(endpoint, params)
        return True

    # --- machinery ----------------------------------------------------------------------------

    def _crimes_in_area(
        self,
        path: str,
        area: list[LatLng],
        extra: dict[str, str],
        original: list[LatLng],
        depth: int,
    ) -> list[dict[str, Any]]:
        try:
            return self._poly_list(path, area, extra, too_big_on_503=True)
        except _AreaTooBig as exc:
            if depth >= self.max_split_depth:
                raise TooManyCrimes(
                    exc.url,
                    f"the area still holds more than 10,000 crimes after {depth} splits; "
                    "use a smaller polygon or raise max_split_depth",
                    503,
                ) from None
        crimes: list[dict[str, Any]] = []
        for quarter in quadrants(area):
            crimes.extend(self._crimes_in_area(path, quarter, extra, original, depth + 1))
        if depth > 0:
            return crimes  # filter and de-duplicate once, at the top
        return _inside_and_unique(crimes, original, f"{self.base_url}{path}")

    def _poly_list(
        self,
        path: str,
        poly: list[LatLng],
        extra: dict[str, str],
        *,
        too_big_on_503: bool = False,
    ) -> list[dict[str, Any]]:
        params = {"poly": polygon_param(poly), **extra}
        url = str(httpx.URL(self.base_url + path, params=params))
        if len(url) <= self.max_get_url_length:
            result = self._request("GET", path, params=params, too_big_on_503=too_big_on_503)
        else:
            result = self._request("POST", path, form=params, too_big_on_503=too_big_on_503)
        return _expect(list, result, url)

    def _list(self, path: str, params: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
        result = self._request("GET", path, params=params)
        return _expect(list, result, self._url(path, params))

    def _object(self, path: str) -> dict[str, Any]:
        return _expect(dict, self._request("GET", path), self._url(path, None))

    def _url(self, path: str, params: Mapping[str, str] | None) -> str:
        return str(httpx.URL(self.base_url + path, params=params or {}))

    def _request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        form: Mapping[str, str] | None = None,
        too_big_on_503: bool = False,
    ) -> Json:
        url = self._url(path, params)
        retry = retrying(
            max_attempts=self.max_attempts,
            backoff_seconds=self.backoff_seconds,
            max_backoff_seconds=self.max_backoff_seconds,
            sleep=self._sleep,
        )
        try:
            return retry(self._attempt, method, path, params, form, too_big_on_503, url)
        except RetryableFailure as failure:
            message = f"{failure.problem} after {self.max_attempts} attempts"
            raise ApiError(url, message, failure.status) from None

    def _attempt(
        self,
        method: str,
        path: str,
        params: Mapping[str, str] | None,
        form: Mapping[str, str] | None,
        too_big_on_503: bool,
        url: str,
    ) -> Json:
        """One request: the decoded answer, or a RetryableFailure for tenacity to retry."""
        self.rate_limiter.acquire()
        try:
            response = self._http.request(method, self.base_url + path, params=params, data=form)
        except httpx.TimeoutException as exc:
            raise RetryableFailure(f"timed out ({type(exc).__name__})") from None
        except httpx.TransportError as exc:
            raise RetryableFailure(f"could not be reached ({exc})") from None
        status = response.status_code
        if status == 503 and too_big_on_503:
            raise _AreaTooBig(url)
        if status == 429 or status >= 500:
            raise RetryableFailure(
                f"answered {status} {response.reason_phrase}",
                status,
                response.headers.get("Retry-After"),
            )
        return _decode(response, url)


def _segment(value: str) -> str:
    return quote(str(value), safe="")


def _decode(response: httpx.Response, url: str) -> Json:
    if response.status_code >= 400:
        raise ApiError(
            url, f"answered {response.status_code} {response.reason_phrase}", response.status_code
        )
    try:
        return response.json()
    except ValueError as exc:
        snippet = response.text[:80].replace("\n", " ")
        raise ApiError(
            url, f"returned malformed JSON ({exc}); the response began '{snippet}'"
        ) from None


def _expect(kind: type[Any], value: Json, url: str) -> Any:
    if not isinstance(value, kind):
        expected = "a JSON list" if kind is list else "a JSON object"
        raise ApiError(url, f"expected {expected} but got {type(value).__name__}")
    return value


def _inside_and_unique(
    crimes: list[dict[str, Any]], polygon: list[LatLng], url: str
) -> list[dict[str, Any]]:
    """Crimes inside ``polygon``, each once (by ``id``, or ``persistent_id`` if no id)."""
    seen: set[object] = set()
    kept: list[dict[str, Any]] = []
    for crime in crimes:
        try:
            key = crime.get("id") or crime["persistent_id"]
            lat = float(crime["location"]["latitude"])
            lng = float(crime["location"]["longitude"])
        except (KeyError, TypeError, ValueError, AttributeError):
            raise ApiError(url, f"a crime has no usable id or location: {crime!r:.200}") from None
        if key in seen or not point_in_polygon(lat, lng, polygon):
            continue
        seen.add(key)
        kept.append(crime)
    return kept
