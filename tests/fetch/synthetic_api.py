"""A SYNTHETIC data.police.uk for the fetch tests: the local HTTP server of
``tests/sources/test_police_uk_api.py`` with more routes (per-month crimes and stop and search,
three neighbourhoods with teams and priorities, archive zips).

Every value here is made up for testing and says so ("Synthetic ..."); the shapes are those
data.police.uk publishes. Nothing here is real data and none of it is shown as real.
"""

from __future__ import annotations

import copy
import hashlib
import io
import json
import zipfile
from collections import defaultdict, deque
from dataclasses import dataclass, field
from typing import Any

from tests.sources.synthetic_police_api import Scripted, SyntheticApi, server_contains

FORCE = "leicestershire"
FORCE_NAME = "Leicestershire Police"  # the real force's name, as /forces gives it

DATES = [  # synthetic availability: 2023-12 is "not published"; no stop and search 2024-02
    {"date": "2025-01", "stop-and-search": [FORCE]},
    {"date": "2024-02", "stop-and-search": ["northamptonshire"]},
    {"date": "2024-01", "stop-and-search": [FORCE, "northamptonshire"]},
]

NORTH = [(52.60, -1.20), (52.70, -1.20), (52.70, -1.10), (52.60, -1.10)]
SOUTH = [(52.50, -1.20), (52.61, -1.20), (52.61, -1.10), (52.50, -1.10)]  # overlaps NORTH

HOSTILE = '<script>alert("synthetic")</script><img src=x onerror=alert(1)>'


def boundary(points: list[tuple[float, float]]) -> list[dict[str, str]]:
    return [{"latitude": f"{lat:.2f}", "longitude": f"{lng:.2f}"} for lat, lng in points]


def neighbourhood_details(nid: str, name: str) -> dict[str, Any]:
    return {
        "url_force": f"https://www.example.org/synthetic/{nid}",
        "contact_details": {
            "email": f"synthetic.{nid.lower()}@example.org",
            "telephone": "101",
            "twitter": f"https://twitter.example.org/synthetic{nid}",
            "facebook": "javascript:alert('synthetic')",
        },
        "name": name,
        "links": [],
        "centre": {"latitude": "52.6", "longitude": "-1.15"},
        "locations": [
            {
                "name": "Synthetic Police Station",
                "longitude": None,
                "latitude": None,
                "postcode": "ZZ99 9ZZ",
                "address": "1 Synthetic Street",
                "telephone": "101",
                "type": "station",
                "description": None,
            }
        ],
        "description": f"<p>Synthetic description of {name}.</p><p>Second paragraph.</p>{HOSTILE}",
        "population": "0",
        "id": nid,
    }


def default_neighbourhoods() -> dict[str, dict[str, Any]]:
    """Synthetic neighbourhoods by id: details, boundary, people, priorities."""
    return {
        "NA01": {
            "details": neighbourhood_details("NA01", "Synthetic North"),
            "boundary": boundary(NORTH),
            "people": [
                {
                    "bio": f"<p>Synthetic bio.</p>{HOSTILE}",
                    "contact_details": {"email": "synthetic.officer@example.org"},
                    "name": "Synthetic Officer One",
                    "rank": "Sergeant",
                },
                {
                    "bio": None,
                    "contact_details": {},
                    "name": "Synthetic Officer Two",
                    "rank": "PCSO",
                },
            ],
            "priorities": [
                {
                    "issue": "<p>Synthetic priority: speeding on Synthetic Road.</p>",
                    "issue-date": "2024-01-10T00:00:00",
                    "action": "<p>Synthetic action: speed checks.</p>",
                    "action-date": "2024-02-01T00:00:00",
                }
            ],
        },
        "NB02": {
            "details": neighbourhood_details("NB02", "Synthetic South"),
            "boundary": boundary(SOUTH),
            "people": [],
            "priorities": [],
        },
        "NC03": {  # a neighbourhood without a boundary (some real ones have none)
            "details": neighbourhood_details("NC03", "another Synthetic Place"),
            "boundary": [],
            "people": [{"bio": "", "contact_details": {}, "name": "Synthetic Officer Three"}],
            "priorities": [],
        },
    }


def persistent_id(month: str, number: int) -> str:
    return hashlib.sha256(f"synthetic-{month}-{number}".encode()).hexdigest()


def crime(
    month: str,
    number: int,
    category: str,
    lat: float,
    lng: float,
    *,
    outcome: str | None = "Under investigation",
    location_type: str = "Force",
    context: str = "",
) -> dict[str, Any]:
    """A synthetic crime in the shape of /crimes-street."""
    asb = category == "anti-social-behaviour"
    return {
        "category": category,
        "location_type": location_type,
        "location": {
            "latitude": f"{lat:.6f}",
            "street": {"id": 700000 + number, "name": f"On or near Synthetic Street {number}"},
            "longitude": f"{lng:.6f}",
        },
        "context": context,
        "outcome_status": None if asb or outcome is None else {"category": outcome, "date": month},
        "persistent_id": "" if asb else persistent_id(month, number),
        "id": int(month.replace("-", "")) * 100 + number,
        "location_subtype": "",
        "month": month,
    }


def month_crimes(month: str) -> list[dict[str, Any]]:
    """Five synthetic crimes: one in each neighbourhood, one (ASB) where they overlap, one
    British Transport Police crime and one with context."""
    return [
        crime(month, 1, "burglary", 52.65, -1.15),
        crime(month, 2, "violent-crime", 52.55, -1.15, outcome="Unable to prosecute suspect"),
        crime(month, 3, "anti-social-behaviour", 52.605, -1.15),
        crime(month, 4, "shoplifting", 52.66, -1.12, location_type="BTP"),
        crime(month, 5, "other-theft", 52.68, -1.18, context="Synthetic context"),
    ]


def stop(month: str, day: int, *, located: bool = True) -> dict[str, Any]:
    """A synthetic stop and search in the shape of /stops-force."""
    return {
        "age_range": "18-24",
        "outcome": "A no further action disposal",
        "involved_person": True,
        "self_defined_ethnicity": "Synthetic - Other ethnic group",
        "gender": "Male",
        "legislation": "Misuse of Drugs Act 1971 (section 23)",
        "outcome_linked_to_object_of_search": None if located else False,
        "datetime": f"{month}-{day:02d}T14:20:00+00:00",
        "removal_of_more_than_outer_clothing": False,
        "outcome_object": {"id": "bu-no-further-action", "name": "A no further action disposal"},
        "location": (
            {
                "latitude": "52.634000",
                "street": {"id": 1, "name": "On or near Synthetic Street"},
                "longitude": "-1.131000",
            }
            if located
            else None
        ),
        "operation": False,
        "officer_defined_ethnicity": "White",
        "type": "Person search",
        "operation_name": None,
        "object_of_search": "Controlled drugs",
    }


STREET_HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
    "Crime type,Last outcome category,Context"
)


def archive_street_csv(month: str, force_name: str, rows: int) -> str:
    lines = [STREET_HEADER]
    for n in range(rows):
        lines.append(
            f"{persistent_id(month, 100 + n)},{month},{force_name},{force_name},-1.150000,"
            f"52.650000,On or near Synthetic Street,E01099999,Synthetic 001A,Burglary,"
            "Under investigation,"
        )
    return "\n".join(lines) + "\n"


def archive_stop_csv(month: str) -> str:
    header = (
        "Type,Date,Part of a policing operation,Policing operation,Latitude,Longitude,Gender,"
        "Age range,Self-defined ethnicity,Officer-defined ethnicity,Legislation,"
        "Object of search,Outcome,Outcome linked to object of search,"
        "Removal of more than just outer clothing"
    )
    row = (
        f"Person search,{month}-03T10:00:00+00:00,False,,52.634,-1.131,Female,25-34,"
        "Synthetic - Other ethnic group,White,Misuse of Drugs Act 1971 (section 23),"
        "Controlled drugs,A no further action disposal,False,False"
    )
    return f"{header}\n{row}\n"


def synthetic_archive(month: str, members: dict[str, str] | None = None) -> bytes:
    """A small SYNTHETIC archive zip in the data.police.uk layout (two months, two forces)."""
    if members is None:
        previous = "2024-01" if month == "2024-02" else month
        members = {
            f"{month}/{month}-{FORCE}-street.csv": archive_street_csv(month, FORCE_NAME, 3),
            f"{month}/{month}-{FORCE}-stop-and-search.csv": archive_stop_csv(month),
            f"{month}/{month}-northamptonshire-street.csv": archive_street_csv(
                month, "Northamptonshire Police", 2
            ),
            f"{previous}/{previous}-{FORCE}-street.csv": archive_street_csv(
                previous, FORCE_NAME, 2
            ),
        }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return buffer.getvalue()


@dataclass
class FetchApi(SyntheticApi):
    """The synthetic API, per month, plus answers scripted for one month's requests."""

    dates: list[dict[str, Any]] = field(default_factory=lambda: copy.deepcopy(DATES))
    crimes_by_month: dict[str, list[dict[str, Any]]] = field(
        default_factory=lambda: {m: month_crimes(m) for m in ("2024-01", "2024-02", "2025-01")}
    )
    stops_by_month: dict[str, list[dict[str, Any]]] = field(
        default_factory=lambda: {
            "2024-01": [stop("2024-01", 5), stop("2024-01", 20, located=False)],
            "2025-01": [stop("2025-01", 7)],
        }
    )
    neighbourhoods: dict[str, dict[str, Any]] = field(default_factory=default_neighbourhoods)
    archives: dict[str, bytes] = field(default_factory=dict)
    by_date: dict[tuple[str, str], deque[Scripted | None]] = field(
        default_factory=lambda: defaultdict(deque)
    )

    def script_month(self, path: str, month: str, *answers: Scripted | None) -> None:
        """Answers for requests to ``path`` for ``month``, in order (None: answer normally)."""
        self.by_date[("/api" + path, month)].extend(answers)

    def count(self, path: str, **params: str) -> int:
        return sum(
            1
            for _, p, q in self.requests
            if p == path and all(q.get(k) == v for k, v in params.items())
        )

    def answer(self, method: str, path: str, params: dict[str, str]) -> Scripted:
        if self.scripts.get(path):
            return self.scripts[path].popleft()
        queue = self.by_date.get((path, params.get("date", "")))
        if queue:
            scripted = queue.popleft()
            if scripted is not None:
                return scripted
        if path == "/api/crimes-street-dates":
            return _json(self.dates)
        if path.startswith("/api/crimes-street/"):
            return self.month_crimes_in(params)
        if path == "/api/stops-force":
            if params.get("force") != FORCE:
                return _json([])
            return _json(self.stops_by_month.get(params.get("date", ""), []))
        if path.startswith("/data/archive/") and path.endswith(".zip"):
            data = self.archives.get(path.rsplit("/", 1)[-1][:-4])
            return Scripted(body=data) if data is not None else Scripted(404, b"Not found")
        return self.neighbourhood_answer(path) or super().answer(method, path, params)

    def month_crimes_in(self, params: dict[str, str]) -> Scripted:
        pairs = (point.split(",") for point in params["poly"].split(":"))
        poly = [(float(lat), float(lng)) for lat, lng in pairs]
        found = [
            c
            for c in self.crimes_by_month.get(params.get("date", ""), [])
            if server_contains(
                poly, float(c["location"]["latitude"]), float(c["location"]["longitude"])
            )
        ]
        return _json(found)

    def neighbourhood_answer(self, path: str) -> Scripted | None:
        parts = path.split("/")  # ["", "api", force, id, part?]
        if len(parts) < 4 or parts[2] != FORCE:
            return None
        if len(parts) == 4 and parts[3] == "neighbourhoods":
            listing = [
                {"id": i, "name": n["details"]["name"]} for i, n in self.neighbourhoods.items()
            ]
            return _json(listing)
        hood = self.neighbourhoods.get(parts[3])
        if hood is None:
            return Scripted(404, b"Not found")
        if len(parts) == 4:
            return _json(hood["details"])
        if len(parts) == 5 and parts[4] in {"boundary", "people", "priorities"}:
            return _json(hood[parts[4]])
        return None


def _json(value: Any) -> Scripted:
    return Scripted(body=json.dumps(value).encode())
