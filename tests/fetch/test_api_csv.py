"""The pure API JSON -> data.police.uk CSV conversion, checked by the real parser."""

from __future__ import annotations

import random
from typing import Any

import pytest

from policeplan.sources import police_uk
from policeplan.sources.police_uk_api_csv import (
    CRIME_TYPES,
    ApiDataError,
    available_months,
    force_name,
    month_range,
    stop_and_search_csv,
    street_csv,
    unique_crimes,
)
from policeplan.sources.police_uk_formats import STOP_AND_SEARCH_HEADER, STREET_HEADER
from tests.fetch.synthetic_api import DATES, FORCE, crime, month_crimes, stop

MONTH = "2024-01"


def _parse(name: str, data: bytes) -> list[Any]:
    """The typed rows of a file that must parse without a single problem."""
    result = police_uk.parse_file(name, data)
    assert result.ok, [str(e) for e in result.errors]
    return list(result.rows)


def test_street_csv_has_the_published_layout_and_parses() -> None:
    converted = street_csv(month_crimes(MONTH), month=MONTH, force_name="Synthetic Police")
    lines = converted.data.decode().split("\n")
    assert lines[0] == ",".join(STREET_HEADER)
    assert converted.rows == 4 and converted.left_out == {"British Transport Police": 1}
    rows = _parse(f"{MONTH}-{FORCE}-street.csv", converted.data)
    assert {r.crime_type for r in rows} == {
        "Burglary",
        "Violence and sexual offences",
        "Anti-social behaviour",
        "Other theft",
    }
    assert all(r.lsoa_code is None and r.reported_by == "Synthetic Police" for r in rows)


def test_every_category_slug_maps_to_a_csv_crime_type() -> None:
    crimes = [crime(MONTH, n, slug, 52.6, -1.1) for n, slug in enumerate(CRIME_TYPES)]
    rows = _parse(
        f"{MONTH}-{FORCE}-street.csv", street_csv(crimes, month=MONTH, force_name="X").data
    )
    assert sorted(r.crime_type for r in rows) == sorted(CRIME_TYPES.values())
    assert CRIME_TYPES["violent-crime"] == "Violence and sexual offences"
    assert CRIME_TYPES["criminal-damage-arson"] == "Criminal damage and arson"


def test_the_same_crimes_in_any_order_give_the_same_bytes() -> None:
    crimes = month_crimes(MONTH)
    shuffled = crimes[:]
    random.Random(4).shuffle(shuffled)
    assert street_csv(crimes, month=MONTH, force_name="X") == street_csv(
        shuffled, month=MONTH, force_name="X"
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"category": "synthetic-unknown"}, "category 'synthetic-unknown' is not a known"),
        ({"month": "2023-12"}, "month is '2023-12', not the month asked for (2024-01)"),
        ({"location": {"latitude": "x", "longitude": "1"}}, "latitude 'x' is not a number"),
        ({"outcome_status": "closed"}, "outcome_status is neither an object nor null"),
    ],
)
def test_bad_crimes_are_named(change: dict[str, Any], message: str) -> None:
    crimes = month_crimes(MONTH)
    crimes[1].update(change)
    with pytest.raises(ApiDataError) as error:
        street_csv(crimes, month=MONTH, force_name="X")
    assert str(error.value).startswith("crime 2 (id 202401")
    assert message in str(error.value)


def test_a_crime_without_location_is_written_as_in_the_files() -> None:
    lost = crime(MONTH, 1, "drugs", 52.6, -1.1)
    lost["location"] = None
    (row,) = _parse(
        f"{MONTH}-{FORCE}-street.csv", street_csv([lost], month=MONTH, force_name="X").data
    )
    assert row.latitude is None and row.location == "No Location"


def test_unique_crimes_by_persistent_id_or_id() -> None:
    north = month_crimes(MONTH)[:3]
    south = month_crimes(MONTH)[2:]
    kept = unique_crimes([north, south])
    assert len(kept) == 5
    asb = [c for c in kept if c["category"] == "anti-social-behaviour"]
    assert len(asb) == 1 and asb[0]["persistent_id"] == ""
    nameless = {"category": "drugs", "persistent_id": ""}
    with pytest.raises(ApiDataError, match="neither persistent_id nor id"):
        unique_crimes([[nameless]])


def test_stop_and_search_csv_parses() -> None:
    old_style = stop(MONTH, 9)
    old_style.update(outcome=False, operation=None, removal_of_more_than_outer_clothing=True)
    converted = stop_and_search_csv(
        [stop(MONTH, 5), stop(MONTH, 20, located=False), old_style], month=MONTH
    )
    assert converted.data.decode().split("\n")[0] == ",".join(STOP_AND_SEARCH_HEADER)
    rows = _parse(f"{MONTH}-{FORCE}-stop-and-search.csv", converted.data)
    assert len(rows) == 3
    by_day = {r.date.day: r for r in rows}
    assert by_day[20].latitude is None
    assert by_day[9].outcome == "A no further action disposal"  # from outcome_object
    assert by_day[9].part_of_a_policing_operation is None
    assert by_day[9].removal_of_more_than_just_outer_clothing is True


def test_a_stop_with_a_bad_datetime_is_named() -> None:
    bad = stop(MONTH, 5)
    bad["datetime"] = "yesterday"
    with pytest.raises(ApiDataError, match="stop and search 1: datetime 'yesterday'"):
        stop_and_search_csv([bad], month=MONTH)


def test_available_months() -> None:
    found = available_months(DATES, FORCE, "2023-12", "2024-02")
    assert found.street == ["2024-01", "2024-02"]
    assert found.stop_and_search == ["2024-01"]
    assert found.missing == ["2023-12"]
    assert found.stop_and_search_missing == ["2023-12", "2024-02"]
    with pytest.raises(ApiDataError, match="entry 1 has no month"):
        available_months([{"date": "Jan"}], FORCE, "2024-01", "2024-01")


def test_month_range_and_force_name() -> None:
    assert month_range("2024-11", "2025-02") == ["2024-11", "2024-12", "2025-01", "2025-02"]
    with pytest.raises(ValueError, match="'2024-13' is not a month"):
        month_range("2024-13", "2025-01")
    forces = [{"id": FORCE, "name": "Leicestershire Police"}, {"id": "dyfed-powys", "name": "D"}]
    assert force_name(forces, FORCE) == "Leicestershire Police"
    with pytest.raises(ApiDataError, match="known ids: dyfed-powys, leicestershire"):
        force_name(forces, "atlantis")
