"""The data.police.uk API client against a real local HTTP server (127.0.0.1, a free port)
that serves SYNTHETIC answers in the JSON shapes data.police.uk publishes. Time is a fake
clock: nothing here waits on, or asserts about, wall-clock speed (except that a deliberately
slow answer really does time out)."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import pytest

from policeplan.sources.police_uk_api import (
    ApiError,
    PoliceUkApi,
    TooManyCrimes,
    polygon_from_boundary,
)
from tests.sources.synthetic_police_api import (
    FORCES,
    NEIGHBOURHOODS,
    PENTAGON,
    FakeClock,
    Handler,
    Scripted,
    Server,
    server_contains,
    synthetic_crimes,
)

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
