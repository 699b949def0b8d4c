"""The data.police.uk API client against a real local HTTP server (127.0.0.1, a free port)
that serves SYNTHETIC answers in the JSON shapes data.police.uk publishes. Time is a fake
clock: nothing here waits on, or asserts about, wall-clock speed (except that a deliberately
slow answer really does time out)."""

from __future__ import annotations

import json
import math
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from policeplan.sources.police_uk_api import (
    ApiError,
    Checkpoint,
    CheckpointError,
    PoliceUkApi,
    TokenBucket,
    TooManyCrimes,
    point_in_polygon,
    polygon_from_boundary,
)
from policeplan.sources.police_uk_api_support import quadrants

# --- synthetic data in the API's shapes -------------------------------------------------------

FORCES = [  # synthetic
    {"id": "leicestershire", "name": "Leicestershire Police"},
    {"id": "northamptonshire", "name": "Northamptonshire Police"},
]
FORCE = {  # synthetic
    "description": "<p>Synthetic description</p>",
    "url": "https://www.example.org/",
    "engagement_methods": [{"url": "https://example.org", "type": "website", "title": "web"}],
    "telephone": "101",
    "id": "leicestershire",
    "name": "Leicestershire Police",
}
DATES = [  # synthetic
    {"date": "2025-01", "stop-and-search": ["leicestershire", "northamptonshire"]},
    {"date": "2024-12", "stop-and-search": ["leicestershire"]},
]
NEIGHBOURHOODS = [{"id": "NC04", "name": "City Centre"}, {"id": "NE07", "name": "Syston"}]
NEIGHBOURHOOD = {  # synthetic
    "url_force": "https://www.example.org/nc04",
    "contact_details": {"email": "team@example.org", "telephone": "101"},
    "name": "City Centre",
    "links": [],
    "centre": {"latitude": "52.6346", "longitude": "-1.1313"},
    "locations": [],
    "description": "Synthetic",
    "population": "0",
    "id": "NC04",
}
BOUNDARY = [  # synthetic, as served: strings
    {"latitude": "52.60", "longitude": "-1.20"},
    {"latitude": "52.70", "longitude": "-1.20"},
    {"latitude": "52.70", "longitude": "-1.10"},
    {"latitude": "52.60", "longitude": "-1.10"},
]
PEOPLE: list[dict[str, Any]] = [
    {"bio": None, "contact_details": {}, "name": "PC Example", "rank": "Constable"}
]
STOP = {  # synthetic
    "age_range": "18-24",
    "outcome": "A no further action disposal",
    "involved_person": True,
    "self_defined_ethnicity": "White - English/Welsh/Scottish/Northern Irish/British",
    "gender": "Male",
    "legislation": "Misuse of Drugs Act 1971 (section 23)",
    "outcome_linked_to_object_of_search": None,
    "datetime": "2025-01-05T14:20:00+00:00",
    "removal_of_more_than_outer_clothing": False,
    "outcome_object": {"id": "bu-no-further-action", "name": "A no further action disposal"},
    "location": {
        "latitude": "52.634",
        "street": {"id": 1, "name": "On or near Example Street"},
        "longitude": "-1.131",
    },
    "operation": False,
    "officer_defined_ethnicity": "White",
    "type": "Person search",
    "operation_name": None,
    "object_of_search": "Controlled drugs",
}


def synthetic_crime(crime_id: int, lat: float, lng: float) -> dict[str, Any]:
    """A synthetic crime in the shape of /crimes-street (coordinates are strings there)."""
    return {
        "category": "burglary",
        "location_type": "Force",
        "location": {
            "latitude": f"{lat:.6f}",
            "street": {"id": 900000 + crime_id, "name": "On or near Example Street"},
            "longitude": f"{lng:.6f}",
        },
        "context": "",
        "outcome_status": {"category": "Under investigation", "date": "2025-01"},
        "persistent_id": f"{crime_id:064x}",
        "id": crime_id,
        "location_subtype": "",
        "month": "2025-01",
    }


def synthetic_crimes() -> list[dict[str, Any]]:
    """100 crimes on a grid off the split lines, plus one at the centre of the grid."""
    crimes = [
        synthetic_crime(i * 10 + j, 52.605 + i * 0.01, -1.195 + j * 0.01)
        for i in range(10)
        for j in range(10)
    ]
    crimes.append(synthetic_crime(999, 52.65, -1.15))
    return crimes


def server_contains(poly: list[tuple[float, float]], lat: float, lng: float) -> bool:
    """The synthetic server's own test: inclusive for axis-aligned rectangles, otherwise a
    half-plane test for convex polygons (deliberately not the client's ray casting)."""
    lats = {p[0] for p in poly}
    lngs = {p[1] for p in poly}
    if len(poly) == 4 and len(lats) == 2 and len(lngs) == 2:
        return min(lats) <= lat <= max(lats) and min(lngs) <= lng <= max(lngs)
    signs = set()
    for (a_lat, a_lng), (b_lat, b_lng) in zip(poly, poly[1:] + poly[:1], strict=True):
        cross = (b_lat - a_lat) * (lng - a_lng) - (b_lng - a_lng) * (lat - a_lat)
        signs.add(cross > 0)
    return len(signs) == 1


# --- the local server -----------------------------------------------------------------------


@dataclass
class Scripted:
    status: int = 200
    body: bytes = b"[]"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass
class SyntheticApi:
    """State shared with the handler: scripted answers per path, and a log of requests."""

    scripts: dict[str, deque[Scripted]] = field(default_factory=lambda: defaultdict(deque))
    requests: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)
    crimes: list[dict[str, Any]] = field(default_factory=synthetic_crimes)
    max_crimes: int = 10_000

    def script(self, path: str, *answers: Scripted) -> None:
        self.scripts["/api" + path].extend(answers)

    def paths(self) -> list[str]:
        return [path for _, path, _ in self.requests]

    def answer(self, method: str, path: str, params: dict[str, str]) -> Scripted:
        if self.scripts.get(path):
            return self.scripts[path].popleft()
        routes: dict[str, Any] = {
            "/api/forces": FORCES,
            "/api/forces/leicestershire": FORCE,
            "/api/crimes-street-dates": DATES,
            "/api/leicestershire/neighbourhoods": NEIGHBOURHOODS,
            "/api/leicestershire/NC04": NEIGHBOURHOOD,
            "/api/leicestershire/NC04/boundary": BOUNDARY,
            "/api/leicestershire/NC04/people": PEOPLE,
            "/api/stops-force": [STOP],
        }
        if path in routes:
            return Scripted(body=json.dumps(routes[path]).encode())
        if path.startswith("/api/crimes-street/"):
            return self.crimes_street(params)
        if path.startswith("/api/outcomes-for-crime/"):
            crime = synthetic_crime(1, 52.63, -1.13)
            return Scripted(body=json.dumps({"crime": crime, "outcomes": []}).encode())
        if path == "/api/outcomes-at-location":
            return Scripted(body=b"[]")
        return Scripted(status=404, body=b"<html>Not found</html>")

    def crimes_street(self, params: dict[str, str]) -> Scripted:
        pairs = (point.split(",") for point in params["poly"].split(":"))
        poly = [(float(lat), float(lng)) for lat, lng in pairs]
        found = [
            crime
            for crime in self.crimes
            if server_contains(
                poly,
                float(crime["location"]["latitude"]),
                float(crime["location"]["longitude"]),
            )
        ]
        if len(found) > self.max_crimes:
            return Scripted(status=503, body=b"")  # the real API's "more than 10,000 crimes"
        return Scripted(body=json.dumps(found).encode())


class Handler(BaseHTTPRequestHandler):
    server: Server

    def do_GET(self) -> None:
        self.respond("GET", "")

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        self.respond("POST", self.rfile.read(length).decode())

    def respond(self, method: str, body: str) -> None:
        url = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        form = {k: v[0] for k, v in parse_qs(body).items()}
        api = self.server.api
        api.requests.append((method, url.path, {**query, **form}))
        answer = api.answer(method, url.path, {**query, **form})
        try:
            if answer.delay:
                time.sleep(answer.delay)
            self.send_response(answer.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer.body)))
            for name, value in answer.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(answer.body)
        except OSError:  # the client gave up (timeout test)
            pass

    def log_message(self, format: str, *args: Any) -> None:
        pass


class Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    api: SyntheticApi

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass


@pytest.fixture
def server() -> Iterator[tuple[str, SyntheticApi]]:
    httpd = Server(("127.0.0.1", 0), Handler)
    httpd.api = SyntheticApi()
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/api", httpd.api
    httpd.shutdown()
    httpd.server_close()


class FakeClock:
    def __init__(self) -> None:
        self.time = 1_000.0
        self.sleeps: list[float] = []

    def now(self) -> float:
        return self.time

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.time += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def make_client(
    server: tuple[str, SyntheticApi], clock: FakeClock
) -> Iterator[Callable[..., PoliceUkApi]]:
    clients: list[PoliceUkApi] = []

    def make(**options: Any) -> PoliceUkApi:
        options.setdefault("clock", clock.now)
        options.setdefault("sleep", clock.sleep)
        client = PoliceUkApi(options.pop("base_url", server[0]), **options)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


# --- endpoints ------------------------------------------------------------------------------


def test_simple_endpoints(make_client: Callable[..., PoliceUkApi], server: Any) -> None:
    api = make_client()
    assert api.forces() == FORCES
    assert api.force("leicestershire")["telephone"] == "101"
    assert api.crimes_street_dates()[0]["date"] == "2025-01"
    assert api.neighbourhoods("leicestershire") == NEIGHBOURHOODS
    assert api.neighbourhood("leicestershire", "NC04")["centre"]["latitude"] == "52.6346"
    assert api.neighbourhood_people("leicestershire", "NC04")[0]["rank"] == "Constable"
    boundary = api.neighbourhood_boundary("leicestershire", "NC04")
    assert polygon_from_boundary(boundary)[0] == (52.60, -1.20)
    assert api.stops_force("leicestershire", "2025-01")[0]["type"] == "Person search"
    assert api.outcomes_for_crime("ab" * 32)["outcomes"] == []
    assert api.outcomes_at_location("2025-01", location_id=883345) == []
    assert api.outcomes_at_location("2025-01", lat=52.63, lng=-1.13) == []
    log = server[1].requests
    assert ("GET", "/api/stops-force", {"force": "leicestershire", "date": "2025-01"}) in log
    assert ("GET", "/api/outcomes-at-location", {"date": "2025-01", "location_id": "883345"}) in log
    assert server[1].paths()[-3] == "/api/outcomes-for-crime/" + "ab" * 32


def test_outcomes_at_location_needs_exactly_one_place(
    make_client: Callable[..., PoliceUkApi],
) -> None:
    api = make_client()
    with pytest.raises(ValueError, match="exactly one"):
        api.outcomes_at_location("2025-01")
    with pytest.raises(ValueError, match="exactly one"):
        api.outcomes_at_location("2025-01", lat=52.6)
    with pytest.raises(ValueError, match="exactly one"):
        api.outcomes_at_location("2025-01", location_id=1, lat=52.6, lng=-1.1)


def test_crimes_street_in_a_neighbourhood_boundary(
    make_client: Callable[..., PoliceUkApi], server: Any
) -> None:
    api = make_client()
    poly = polygon_from_boundary(api.neighbourhood_boundary("leicestershire", "NC04"))
    crimes = api.crimes_street(poly, date="2025-01")
    assert len(crimes) == 101
    method, path, params = server[1].requests[-1]
    assert (method, path) == ("GET", "/api/crimes-street/all-crime")
    assert params["date"] == "2025-01"
    assert params["poly"].startswith("52.600000,-1.200000:52.700000,-1.200000:")


def test_a_long_polygon_is_sent_by_post(
    make_client: Callable[..., PoliceUkApi], server: Any
) -> None:
    api = make_client()
    # 300 points round the grid's centre: far too long for a 4,094-character URL.
    angles = [2 * math.pi * k / 300 for k in range(300)]
    circle = [(52.65 + 0.03 * math.sin(a), -1.15 + 0.03 * math.cos(a)) for a in angles]
    crimes = api.crimes_street(circle, date="2025-01", category="burglary")
    method, path, params = server[1].requests[-1]
    assert (method, path) == ("POST", "/api/crimes-street/burglary")
    assert params["poly"].count(":") == 299 and params["date"] == "2025-01"
    expected = {
        c["id"]
        for c in synthetic_crimes()
        if (float(c["location"]["latitude"]) - 52.65) ** 2
        + (float(c["location"]["longitude"]) + 1.15) ** 2
        < 0.029**2
    }
    assert expected <= {c["id"] for c in crimes}
    assert 999 in expected


PENTAGON = [(52.60, -1.20), (52.60, -1.10), (52.66, -1.10), (52.70, -1.16), (52.70, -1.20)]


def test_too_many_crimes_splits_the_area(
    make_client: Callable[..., PoliceUkApi], server: Any
) -> None:
    url, api_state = server
    api_state.max_crimes = 30  # synthetic stand-in for the real 10,000
    crimes = make_client().crimes_street(PENTAGON, date="2025-01")
    expected = {
        c["id"]
        for c in synthetic_crimes()
        if server_contains(
            PENTAGON, float(c["location"]["latitude"]), float(c["location"]["longitude"])
        )
    }
    ids = [c["id"] for c in crimes]
    assert sorted(ids) == sorted(expected)  # every crime inside, each once
    assert ids.count(999) == 1  # the centre crime came back from all four quadrants
    assert len(expected) < 101  # the cut corner's crimes were dropped
    assert api_state.paths() == ["/api/crimes-street/all-crime"] * 5  # 1 refused + 4 quarters


def test_splitting_recurses_and_then_gives_up(
    make_client: Callable[..., PoliceUkApi], server: Any
) -> None:
    _, api_state = server
    api_state.max_crimes = -1  # every area is "too big"
    with pytest.raises(TooManyCrimes, match="after 2 splits") as err:
        make_client(max_split_depth=2).crimes_street(PENTAGON)
    assert err.value.status == 503
    assert str(err.value).startswith(server[0] + "/crimes-street/all-crime?poly=")
    # Depth first: the first quarter of the first quarter is still too big, so it stops there.
    assert len(api_state.requests) == 3


def test_503_elsewhere_is_retried_not_split(
    make_client: Callable[..., PoliceUkApi], server: Any, clock: FakeClock
) -> None:
    server[1].script("/stops-force", Scripted(status=503, body=b""))
    assert make_client().stops_force("leicestershire")[0]["gender"] == "Male"
    assert clock.sleeps == [1.0]


# --- retries, timeouts and bad answers ------------------------------------------------------


def test_429_honours_retry_after(
    make_client: Callable[..., PoliceUkApi], server: Any, clock: FakeClock
) -> None:
    server[1].script("/forces", Scripted(status=429, headers={"Retry-After": "7"}))
    assert make_client().forces() == FORCES
    assert clock.sleeps == [7.0]
    assert server[1].paths() == ["/api/forces", "/api/forces"]


def test_retry_after_as_a_date_and_capped(
    make_client: Callable[..., PoliceUkApi], server: Any, clock: FakeClock
) -> None:
    soon = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    server[1].script(
        "/forces",
        Scripted(status=429, headers={"Retry-After": soon}),
        Scripted(status=429, headers={"Retry-After": "3600"}),
    )
    make_client(max_backoff_seconds=60).forces()
    assert clock.sleeps[0] == pytest.approx(30, abs=3)
    assert clock.sleeps[1] == 60


def test_500_then_success_backs_off_exponentially(
    make_client: Callable[..., PoliceUkApi], server: Any, clock: FakeClock
) -> None:
    server[1].script("/forces", Scripted(status=500), Scripted(status=502))
    assert make_client(backoff_seconds=0.5).forces() == FORCES
    assert clock.sleeps == [0.5, 1.0]


def test_persistent_server_errors_give_up(
    make_client: Callable[..., PoliceUkApi], server: Any
) -> None:
    server[1].script("/forces", *[Scripted(status=502)] * 5)
    with pytest.raises(ApiError) as err:
        make_client(max_attempts=3).forces()
    assert str(err.value) == f"{server[0]}/forces: answered 502 Bad Gateway after 3 attempts"
    assert err.value.status == 502
    assert len(server[1].requests) == 3


def test_not_found_is_not_retried(make_client: Callable[..., PoliceUkApi], server: Any) -> None:
    with pytest.raises(ApiError, match="/forces/atlantis: answered 404 Not Found") as err:
        make_client().force("atlantis")
    assert err.value.status == 404 and len(server[1].requests) == 1


def test_malformed_json_names_the_url(make_client: Callable[..., PoliceUkApi], server: Any) -> None:
    server[1].script("/leicestershire/neighbourhoods", Scripted(body=b'[{"id": "NC04",'))
    with pytest.raises(ApiError) as err:
        make_client().neighbourhoods("leicestershire")
    message = str(err.value)
    assert message.startswith(f"{server[0]}/leicestershire/neighbourhoods: returned malformed")
    assert 'the response began \'[{"id": "NC04",\'' in message


def test_wrong_json_shape(make_client: Callable[..., PoliceUkApi], server: Any) -> None:
    server[1].script("/forces", Scripted(body=b'{"id": "leicestershire"}'))
    with pytest.raises(ApiError, match="expected a JSON list but got dict"):
        make_client().forces()


def test_a_slow_answer_times_out(make_client: Callable[..., PoliceUkApi], server: Any) -> None:
    server[1].script("/forces", Scripted(body=b"[]", delay=1.0), Scripted(body=b"[]", delay=1.0))
    with pytest.raises(ApiError, match=r"/forces: timed out \(ReadTimeout\) after 2 attempts"):
        make_client(read_timeout=0.1, max_attempts=2).forces()


def test_a_timeout_then_success(
    make_client: Callable[..., PoliceUkApi], server: Any, clock: FakeClock
) -> None:
    server[1].script("/forces", Scripted(body=b"[]", delay=1.0))
    assert make_client(read_timeout=0.1).forces() == FORCES
    assert clock.sleeps == [1.0]


def test_an_unreachable_server(make_client: Callable[..., PoliceUkApi]) -> None:
    probe = Server(("127.0.0.1", 0), Handler)
    port = probe.server_address[1]
    probe.server_close()  # nothing listens there now
    with pytest.raises(ApiError, match="could not be reached .* after 2 attempts"):
        make_client(base_url=f"http://127.0.0.1:{port}/api", max_attempts=2).forces()


# --- rate limiting --------------------------------------------------------------------------


def test_rate_limit_allows_a_burst_of_30_then_15_a_second(
    make_client: Callable[..., PoliceUkApi], server: Any, clock: FakeClock
) -> None:
    api = make_client()
    for _ in range(30):
        api.forces()
    assert clock.sleeps == []
    api.forces()
    assert clock.sleeps == [pytest.approx(1 / 15)]
    clock.time += 1.0  # one second later: 15 more tokens
    for _ in range(15):
        api.forces()
    assert len(clock.sleeps) == 1
    api.forces()
    assert len(clock.sleeps) == 2
    assert len(server[1].requests) == 47


def test_token_bucket_refills_up_to_the_burst() -> None:
    clock = FakeClock()
    bucket = TokenBucket(rate=15, burst=30, clock=clock.now, sleep=clock.sleep)
    clock.time += 3600  # a long idle spell still allows only one burst
    waits = [bucket.acquire() for _ in range(45)]
    assert waits[:30] == [0.0] * 30
    assert all(w == pytest.approx(1 / 15) for w in waits[30:])
    assert clock.time - 1_000.0 - 3600 == pytest.approx(15 / 15)


def test_token_bucket_copes_with_a_clock_that_does_not_move() -> None:
    sleeps: list[float] = []
    bucket = TokenBucket(rate=10, burst=1, clock=lambda: 0.0, sleep=sleeps.append)
    for _ in range(4):
        bucket.acquire()
    assert sleeps == [pytest.approx(0.1)] * 3


# --- resuming -------------------------------------------------------------------------------


def test_checkpoint_skips_finished_requests_across_runs(
    make_client: Callable[..., PoliceUkApi], server: Any, tmp_path: Path
) -> None:
    path = tmp_path / "harvest" / "checkpoint.json"
    stored: list[Any] = []
    api = make_client(checkpoint=Checkpoint(path))
    params = {"force": "leicestershire", "date": "2025-01"}
    assert api.fetch_once("stops_force", params, stored.append) is True
    assert api.fetch_once("stops_force", params, stored.append) is False
    assert api.fetch_once("stops_force", {**params, "date": "2024-12"}, stored.append) is True
    assert len(stored) == 2 and len(server[1].requests) == 2
    content = json.loads(path.read_text())
    assert content["version"] == 1 and len(content["completed"]) == 2

    rerun = make_client(checkpoint=Checkpoint(path))  # a new run reads the same file
    assert rerun.fetch_once("stops_force", dict(reversed(params.items())), stored.append) is False
    poly = [(52.60, -1.20), (52.70, -1.20), (52.70, -1.10)]
    assert rerun.fetch_once("crimes_street", {"poly": poly, "date": "2025-01"}, stored.append)
    again = make_client(checkpoint=Checkpoint(path))
    assert not again.fetch_once("crimes_street", {"poly": poly, "date": "2025-01"}, stored.append)
    assert len(server[1].requests) == 3


def test_a_failed_store_is_not_marked_done(
    make_client: Callable[..., PoliceUkApi], tmp_path: Path
) -> None:
    checkpoint = Checkpoint(tmp_path / "checkpoint.json")
    api = make_client(checkpoint=checkpoint)

    def broken_store(_: Any) -> None:
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        api.fetch_once("forces", {}, broken_store)
    assert len(checkpoint) == 0 and not checkpoint.path.exists()
    assert api.fetch_once("forces", {}, lambda _: None) is True


def test_fetch_once_misuse(make_client: Callable[..., PoliceUkApi], tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="needs a Checkpoint"):
        make_client().fetch_once("forces", {}, lambda _: None)
    api = make_client(checkpoint=Checkpoint(tmp_path / "c.json"))
    with pytest.raises(ValueError, match="'close' is not a data.police.uk endpoint"):
        api.fetch_once("close", {}, lambda _: None)


@pytest.mark.parametrize("content", ["{not json", '{"version": 2, "completed": []}', "[]"])
def test_an_unreadable_checkpoint(tmp_path: Path, content: str) -> None:
    path = tmp_path / "checkpoint.json"
    path.write_text(content)
    with pytest.raises(CheckpointError, match="checkpoint .*checkpoint.json"):
        Checkpoint(path)


# --- geometry -------------------------------------------------------------------------------


def test_point_in_polygon() -> None:
    assert point_in_polygon(52.65, -1.15, PENTAGON)
    assert not point_in_polygon(52.69, -1.11, PENTAGON)  # in the cut-off corner
    assert not point_in_polygon(52.75, -1.15, PENTAGON)
    concave = [(0.0, 0.0), (0.0, 4.0), (4.0, 4.0), (4.0, 0.0), (2.0, 2.0)]
    assert point_in_polygon(1.0, 3.0, concave)
    assert not point_in_polygon(2.0, 0.5, concave)  # inside the notch


def test_quadrants_cover_the_bounding_box() -> None:
    quarters = quadrants(PENTAGON)
    assert len(quarters) == 4
    assert quarters[0] == [
        (52.60, -1.20),
        (pytest.approx(52.65), -1.20),
        (pytest.approx(52.65), pytest.approx(-1.15)),
        (52.60, pytest.approx(-1.15)),
    ]
    assert quarters[3][2] == (52.70, -1.10)


@pytest.mark.parametrize(
    ("poly", "message"),
    [
        ([(52.6, -1.2), (52.7, -1.2)], "at least three points"),
        ([(52.6, -1.2), (52.7, -1.2), (95.0, -1.1)], "is not a latitude and longitude"),
        ([(52.6, -1.2), (52.7,), (52.6, -1.1)], "is not a (latitude, longitude) pair"),
    ],
)
def test_bad_polygons(
    make_client: Callable[..., PoliceUkApi], poly: list[tuple[float, ...]], message: str
) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        make_client().crimes_street(poly)
