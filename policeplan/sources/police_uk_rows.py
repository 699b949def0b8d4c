"""Column-by-column checks for data.police.uk rows, with plain-English problems.

The parser's fast path handles ordinary rows itself; every row it cannot accept at a glance
(and every stop-and-search row) comes here, so that each problem in the row is reported with
its column name. Pure Python, no Django.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from policeplan.sources.police_uk_content import (
    ALLOW_NEW_CRIME_TYPE_HINT,
    ContentRules,
    strict_decimal,
)
from policeplan.sources.police_uk_formats import (
    HEADERS,
    FileIdentity,
    FileKind,
    describe_bad_month,
    is_month,
)


class CellProblem(ValueError):
    """A cell that cannot be accepted; the message is shown to users."""


Converter = Callable[[str], object]
ColumnCheck = tuple[str, Converter]

# Stop-and-search times are published in UTC but filed under the force's local month, so a
# search just after midnight on the 1st (British Summer Time) carries the previous day's date.
STOP_AND_SEARCH_DATE_TOLERANCE = timedelta(days=1)


def optional_text(value: str) -> str | None:
    """Text, with an empty cell as ``None``."""
    return value or None


def required_text(value: str) -> str:
    """Text that must be present."""
    if not value:
        raise CellProblem("must not be empty")
    return value


def _coordinate(value: str, limit: float, what: str) -> float | None:
    if not value:
        return None
    if not strict_decimal(value):  # float() would take '5_3.1', ' 53.1', '1e1', 'inf'
        raise CellProblem(f"'{value}' is not a number (expected digits like -1.130254)")
    number = float(value)
    if not -limit <= number <= limit:  # also rejects nan
        raise CellProblem(f"'{value}' is not a {what} (must be between -{limit:g} and {limit:g})")
    return number


def longitude(value: str) -> float | None:
    """A longitude in degrees, or ``None`` when the location was withheld."""
    return _coordinate(value, 180.0, "longitude")


def latitude(value: str) -> float | None:
    """A latitude in degrees, or ``None`` when the location was withheld."""
    return _coordinate(value, 90.0, "latitude")


_BOOLEANS = {"true": True, "false": False, "": None}


def yes_no(value: str) -> bool | None:
    """``True``/``False`` as written by data.police.uk (any case); empty is ``None``."""
    try:
        return _BOOLEANS[value.lower()]
    except KeyError:
        raise CellProblem(f"'{value}' is not True or False") from None


def month_in_file(file_month: str) -> Converter:
    """A ``Month`` cell, which must be a real month and the file's own month."""

    def convert(value: str) -> str:
        if not is_month(value):
            raise CellProblem(describe_bad_month(value))
        if value != file_month:
            raise CellProblem(f"'{value}' does not match the file's month {file_month}")
        return value

    return convert


def month_bounds(month: str) -> tuple[datetime, datetime]:
    """The first instant of ``month`` and of the month after, in UTC."""
    year, number = int(month[:4]), int(month[5:7])
    start = datetime(year, number, 1, tzinfo=UTC)
    end = datetime(year + number // 12, number % 12 + 1, 1, tzinfo=UTC)
    return start, end


def date_in_file(file_month: str) -> Converter:
    """A stop-and-search ``Date``: ISO 8601 date and time, within the file's month.

    A time without a UTC offset is taken as UTC, like the rest of the column.
    """
    start, end = month_bounds(file_month)
    earliest = start - STOP_AND_SEARCH_DATE_TOLERANCE
    latest = end + STOP_AND_SEARCH_DATE_TOLERANCE

    def convert(value: str) -> datetime:
        if not value:
            raise CellProblem("must not be empty")
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise CellProblem(
                f"'{value}' is not a date and time (expected e.g. 2024-03-01T09:58:14+00:00)"
            ) from None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        if not earliest <= moment < latest:
            raise CellProblem(f"'{value}' is not in the file's month {file_month}")
        return moment

    return convert


def one_of(allowed: frozenset[str], describe: Callable[[str], str]) -> Converter:
    """Text that must be one of ``allowed``; ``describe`` says why another value is not."""

    def convert(value: str) -> str:
        if not value:
            raise CellProblem("must not be empty")
        if value not in allowed:
            raise CellProblem(describe(value))
        return value

    return convert


def content_checks(identity: FileIdentity, rules: ContentRules) -> dict[str, Converter]:
    """The columns whose values must match the file's name and this deployment."""
    checks: dict[str, Converter] = {}
    reporters = rules.reporters(identity)
    if reporters is not None:
        force = rules.forces[identity.force]
        named = f"the file name's force, {identity.force} ({force.name})"
        hint = " (if data.police.uk has renamed it, add the name to data/police_uk/forces.csv)"
        checks["Reported by"] = one_of(reporters, lambda v: f"'{v}' is not {named}{hint}")
        checks["Falls within"] = one_of(
            rules.falls_within(identity), lambda v: f"'{v}' does not match {named}"
        )
    types = rules.crime_types_for(identity.kind)
    if types is not None:
        checks["Crime type"] = one_of(
            types,
            lambda v: f"'{v}' is not a data.police.uk crime type ({ALLOW_NEW_CRIME_TYPE_HINT})",
        )
    return checks


def make_checks(identity: FileIdentity, rules: ContentRules | None = None) -> list[ColumnCheck]:
    """The converter for each column of ``identity.kind``, in header order; with ``rules``,
    the columns that must match the file's name and this deployment are checked too."""
    month = month_in_file(identity.month)
    common: dict[str, Converter] = {
        "Crime ID": optional_text,
        "Month": month,
        "Reported by": required_text,
        "Falls within": required_text,
        "Longitude": longitude,
        "Latitude": latitude,
        "Crime type": required_text,
        "Outcome type": required_text,
        "Type": required_text,
        "Date": date_in_file(identity.month),
        "Part of a policing operation": yes_no,
        "Outcome linked to object of search": yes_no,
        "Removal of more than just outer clothing": yes_no,
    }
    if identity.kind is FileKind.OUTCOMES:
        # An outcome always belongs to a crime, so it always has the crime's ID.
        common["Crime ID"] = required_text
    if rules is not None:
        common.update(content_checks(identity, rules))
    return [(name, common.get(name, optional_text)) for name in HEADERS[identity.kind]]


def check_row(
    checks: list[ColumnCheck], fields: list[str]
) -> tuple[list[object], list[tuple[str | None, str]]]:
    """Convert ``fields``; return the values and every ``(column, message)`` problem."""
    if len(fields) != len(checks):
        return [], [(None, f"expected {len(checks)} fields but found {len(fields)}")]
    values: list[object] = []
    problems: list[tuple[str | None, str]] = []
    for (column, convert), value in zip(checks, fields, strict=True):
        try:
            values.append(convert(value))
        except CellProblem as exc:
            problems.append((column, str(exc)))
    return values, problems
