"""Turn data.police.uk API answers into the bulk-download CSV layouts, so they import through
the same parser, provenance and revision path as downloaded files.

Pure Python, no Django, no network: JSON (as decoded by the API client) in, CSV bytes out.

Caveats of API-derived files, compared with the files on https://data.police.uk/data/ :

* ``LSOA code`` and ``LSOA name`` are empty: the API does not give them, so no local
  authority can be derived for these rows;
* crimes without a location (``No Location`` rows in a downloaded file) are missing: the API
  can only be asked for crimes inside an area;
* crimes recorded by British Transport Police (``location_type`` ``BTP``) are left out, as
  they are published in the BTP file, not the force's.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from policeplan.sources.police_uk_formats import (
    STOP_AND_SEARCH_HEADER,
    STREET_HEADER,
    describe_bad_month,
    is_month,
)

CRIME_TYPES: dict[str, str] = {
    "anti-social-behaviour": "Anti-social behaviour",
    "bicycle-theft": "Bicycle theft",
    "burglary": "Burglary",
    "criminal-damage-arson": "Criminal damage and arson",
    "drugs": "Drugs",
    "other-theft": "Other theft",
    "possession-of-weapons": "Possession of weapons",
    "public-order": "Public order",
    "robbery": "Robbery",
    "shoplifting": "Shoplifting",
    "theft-from-the-person": "Theft from the person",
    "vehicle-crime": "Vehicle crime",
    "violent-crime": "Violence and sexual offences",
    "other-crime": "Other crime",
    # Used before May 2013, when it was split into public order and possession of weapons.
    "public-disorder-weapons": "Public disorder and weapons",
}
"""API category slug (``/crime-categories``) -> the ``Crime type`` written in the CSV files."""

NO_LOCATION = "No Location"


class ApiDataError(ValueError):
    """An API answer that cannot be turned into a CSV row; the message says which record."""


@dataclass(frozen=True)
class ConvertedMonth:
    """One month of API records as CSV bytes in a data.police.uk layout."""

    data: bytes
    rows: int
    left_out: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Availability:
    """Which months in a requested range data.police.uk holds for a force."""

    street: list[str]
    stop_and_search: list[str]
    missing: list[str]
    stop_and_search_missing: list[str]


# --- months ----------------------------------------------------------------------------------


def month_range(first: str, last: str) -> list[str]:
    """Every month from ``first`` to ``last`` inclusive, as ``YYYY-MM``."""
    for value in (first, last):
        if not is_month(value):
            raise ValueError(describe_bad_month(value))
    if first > last:
        raise ValueError(f"the first month {first} is after the last month {last}")
    year, month = int(first[:4]), int(first[5:])
    months: list[str] = []
    while (current := f"{year:04d}-{month:02d}") <= last:
        months.append(current)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def available_months(
    dates: Iterable[Mapping[str, Any]], force: str, first: str, last: str
) -> Availability:
    """Read ``/crimes-street-dates`` for the months in range that hold street crimes and,
    for ``force``, stop and search; the rest are reported missing."""
    wanted = month_range(first, last)
    street: set[str] = set()
    searches: set[str] = set()
    for index, entry in enumerate(dates):
        month = entry.get("date") if isinstance(entry, Mapping) else None
        if not isinstance(month, str) or not is_month(month):
            raise ApiDataError(f"entry {index + 1} has no month 'date': {entry!r:.120}")
        street.add(month)
        forces = entry.get("stop-and-search") or []
        if not isinstance(forces, list):
            raise ApiDataError(f"entry {index + 1}: 'stop-and-search' is not a list")
        if force in forces:
            searches.add(month)
    return Availability(
        street=[m for m in wanted if m in street],
        stop_and_search=[m for m in wanted if m in searches],
        missing=[m for m in wanted if m not in street],
        stop_and_search_missing=[m for m in wanted if m not in searches],
    )


def force_name(forces: Iterable[Mapping[str, Any]], force: str) -> str:
    """The force's name (``Reported by``/``Falls within``) from the ``/forces`` list."""
    known: list[str] = []
    for entry in forces:
        if entry.get("id") == force and isinstance(entry.get("name"), str) and entry["name"]:
            return str(entry["name"])
        known.append(str(entry.get("id")))
    raise ApiDataError(
        f"'{force}' is not a data.police.uk force id; known ids: {', '.join(sorted(known))}"
    )


# --- street crimes ---------------------------------------------------------------------------


def crime_key(crime: Mapping[str, Any]) -> str:
    """A crime's identity across overlapping queries: its ``persistent_id`` (the CSV's Crime
    ID), or its API ``id`` for anti-social behaviour, which has no persistent id."""
    persistent = crime.get("persistent_id")
    if persistent:
        return f"crime:{persistent}"
    if crime.get("id") is None:
        raise ApiDataError(f"a crime has neither persistent_id nor id: {crime!r:.200}")
    return f"id:{crime['id']}"


def unique_crimes(batches: Iterable[Iterable[Mapping[str, Any]]]) -> list[Mapping[str, Any]]:
    """All crimes from several area queries, each once (neighbourhoods share their edges)."""
    seen: set[str] = set()
    kept: list[Mapping[str, Any]] = []
    for batch in batches:
        for crime in batch:
            key = crime_key(crime)
            if key not in seen:
                seen.add(key)
                kept.append(crime)
    return kept


def street_csv(
    crimes: Iterable[Mapping[str, Any]], *, month: str, force_name: str
) -> ConvertedMonth:
    """Street crimes from ``/crimes-street`` as a ``-street.csv`` file for ``month``.

    Rows are sorted, so the same crimes always give the same bytes (and the same hash).
    """
    rows: list[tuple[str, ...]] = []
    left_out = {"British Transport Police": 0}
    for index, crime in enumerate(crimes, start=1):
        try:
            row = _street_row(crime, month, force_name)
        except ApiDataError as exc:
            raise ApiDataError(f"crime {index} ({_describe(crime)}): {exc}") from None
        if row is None:
            left_out["British Transport Police"] += 1
        else:
            rows.append(row)
    return ConvertedMonth(_csv_bytes(STREET_HEADER, sorted(rows)), len(rows), left_out)


def _street_row(crime: Mapping[str, Any], month: str, force: str) -> tuple[str, ...] | None:
    if not isinstance(crime, Mapping):
        raise ApiDataError("is not a JSON object")
    if crime.get("location_type") == "BTP":
        return None
    if crime.get("month") != month:
        raise ApiDataError(f"month is {crime.get('month')!r}, not the month asked for ({month})")
    category = crime.get("category")
    if category not in CRIME_TYPES:
        raise ApiDataError(
            f"category {category!r} is not a known crime category "
            f"({', '.join(sorted(CRIME_TYPES))})"
        )
    longitude, latitude, location = _location(crime.get("location"))
    outcome = crime.get("outcome_status")
    if outcome is not None and not isinstance(outcome, Mapping):
        raise ApiDataError("outcome_status is neither an object nor null")
    return (
        _text(crime.get("persistent_id")),
        month,
        force,
        force,
        longitude,
        latitude,
        location,
        "",  # LSOA code: not given by the API
        "",  # LSOA name: not given by the API
        CRIME_TYPES[category],
        _text(outcome.get("category")) if outcome else "",
        _text(crime.get("context")),
    )


# --- stop and search -------------------------------------------------------------------------


def stop_and_search_csv(stops: Iterable[Mapping[str, Any]], *, month: str) -> ConvertedMonth:
    """Stop and searches from ``/stops-force`` as a ``-stop-and-search.csv`` file."""
    rows: list[tuple[str, ...]] = []
    for index, stop in enumerate(stops, start=1):
        try:
            rows.append(_stop_row(stop))
        except ApiDataError as exc:
            raise ApiDataError(f"stop and search {index}: {exc}") from None
    return ConvertedMonth(_csv_bytes(STOP_AND_SEARCH_HEADER, sorted(rows)), len(rows))


def _stop_row(stop: Mapping[str, Any]) -> tuple[str, ...]:
    if not isinstance(stop, Mapping):
        raise ApiDataError("is not a JSON object")
    moment = stop.get("datetime")
    if not isinstance(moment, str):
        raise ApiDataError("has no datetime")
    try:
        datetime.fromisoformat(moment)
    except ValueError:
        raise ApiDataError(f"datetime {moment!r} is not an ISO 8601 date and time") from None
    location = stop.get("location")
    if location is None:
        latitude = longitude = ""
    else:
        longitude, latitude, _ = _location(location)
    return (
        _text(stop.get("type")),
        moment,
        _yes_no(stop.get("operation"), "operation"),
        _text(stop.get("operation_name")),
        latitude,
        longitude,
        _text(stop.get("gender")),
        _text(stop.get("age_range")),
        _text(stop.get("self_defined_ethnicity")),
        _text(stop.get("officer_defined_ethnicity")),
        _text(stop.get("legislation")),
        _text(stop.get("object_of_search")),
        _stop_outcome(stop),
        _yes_no(stop.get("outcome_linked_to_object_of_search"), "outcome_linked_to_object"),
        _yes_no(stop.get("removal_of_more_than_outer_clothing"), "removal_of_outer_clothing"),
    )


def _stop_outcome(stop: Mapping[str, Any]) -> str:
    """``outcome`` is text in current answers; older ones gave ``false`` with the name in
    ``outcome_object``."""
    outcome = stop.get("outcome")
    if isinstance(outcome, str):
        return outcome
    detail = stop.get("outcome_object")
    if isinstance(detail, Mapping) and isinstance(detail.get("name"), str):
        return str(detail["name"])
    return ""


# --- cells -----------------------------------------------------------------------------------


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise ApiDataError(f"{value!r:.60} is not text")


def _yes_no(value: object, name: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "True" if value else "False"
    raise ApiDataError(f"{name} is {value!r:.40}, not true, false or null")


def _coordinate(value: object, limit: float, what: str) -> str:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ApiDataError(f"{what} {value!r:.40} is not a number") from None
    if not -limit <= number <= limit:
        raise ApiDataError(f"{what} {value!r:.40} is out of range")
    return value.strip() if isinstance(value, str) else f"{number:.6f}"


def _location(location: object) -> tuple[str, str, str]:
    """(Longitude, Latitude, Location) cells; a missing location is written as in the CSVs."""
    if location is None:
        return "", "", NO_LOCATION
    if not isinstance(location, Mapping):
        raise ApiDataError("location is neither an object nor null")
    street = location.get("street")
    name = street.get("name") if isinstance(street, Mapping) else None
    return (
        _coordinate(location.get("longitude"), 180.0, "longitude"),
        _coordinate(location.get("latitude"), 90.0, "latitude"),
        _text(name),
    )


def _describe(crime: object) -> str:
    if isinstance(crime, Mapping):
        return f"id {crime.get('id')!r}"
    return "not an object"


def _csv_bytes(header: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")
