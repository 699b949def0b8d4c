"""A local HTTP server answering like data.police.uk, with SYNTHETIC data in its JSON
shapes, and a fake clock. Shared by the API client tests and the fetch tests."""

from __future__ import annotations

import json
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

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


class FakeClock:
    def __init__(self) -> None:
        self.time = 1_000.0
        self.sleeps: list[float] = []

    def now(self) -> float:
        return self.time

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.time += seconds


PENTAGON = [(52.60, -1.20), (52.60, -1.10), (52.66, -1.10), (52.70, -1.16), (52.70, -1.20)]
