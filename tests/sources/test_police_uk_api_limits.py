"""The data.police.uk API client: rate limiting, resuming and polygon geometry (against
the SYNTHETIC local server in synthetic_police_api.py)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from policeplan.sources.police_uk_api import (
    Checkpoint,
    CheckpointError,
    PoliceUkApi,
    TokenBucket,
    point_in_polygon,
)
from policeplan.sources.police_uk_api_support import quadrants
from tests.sources.synthetic_police_api import PENTAGON, FakeClock

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
