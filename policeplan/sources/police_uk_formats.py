"""The data.police.uk bulk-download file formats: names, headers, typed rows, LSOA helpers.

Pure Python, no Django. Everything here describes the files as data.police.uk publishes them
(https://data.police.uk/data/ and the monthly archive zips): one CSV per force, month and kind,
named ``YYYY-MM-<force>-<kind>.csv``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import NamedTuple


class FileKind(StrEnum):
    """The three kinds of file in a data.police.uk download."""

    STREET = "street"
    OUTCOMES = "outcomes"
    STOP_AND_SEARCH = "stop-and-search"


# Headers exactly as data.police.uk writes them (checked against published files; the last
# stop-and-search column is "Removal of more than just outer clothing").
STREET_HEADER: tuple[str, ...] = (
    "Crime ID",
    "Month",
    "Reported by",
    "Falls within",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
    "Crime type",
    "Last outcome category",
    "Context",
)
OUTCOMES_HEADER: tuple[str, ...] = (
    "Crime ID",
    "Month",
    "Reported by",
    "Falls within",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
    "Outcome type",
)
STOP_AND_SEARCH_HEADER: tuple[str, ...] = (
    "Type",
    "Date",
    "Part of a policing operation",
    "Policing operation",
    "Latitude",
    "Longitude",
    "Gender",
    "Age range",
    "Self-defined ethnicity",
    "Officer-defined ethnicity",
    "Legislation",
    "Object of search",
    "Outcome",
    "Outcome linked to object of search",
    "Removal of more than just outer clothing",
)

HEADERS: dict[FileKind, tuple[str, ...]] = {
    FileKind.STREET: STREET_HEADER,
    FileKind.OUTCOMES: OUTCOMES_HEADER,
    FileKind.STOP_AND_SEARCH: STOP_AND_SEARCH_HEADER,
}


class StreetCrimeRow(NamedTuple):
    """One row of a ``-street.csv`` file (a crime or an anti-social behaviour incident).

    Empty cells are ``None``. ``crime_id`` and ``last_outcome_category`` are always ``None``
    for anti-social behaviour, which has no ID and no outcome.
    """

    crime_id: str | None
    month: str
    reported_by: str
    falls_within: str
    longitude: float | None
    latitude: float | None
    location: str | None
    lsoa_code: str | None
    lsoa_name: str | None
    crime_type: str
    last_outcome_category: str | None
    context: str | None


class OutcomeRow(NamedTuple):
    """One row of an ``-outcomes.csv`` file: an outcome recorded in ``month`` for a crime."""

    crime_id: str
    month: str
    reported_by: str
    falls_within: str
    longitude: float | None
    latitude: float | None
    location: str | None
    lsoa_code: str | None
    lsoa_name: str | None
    outcome_type: str


class StopAndSearchRow(NamedTuple):
    """One row of a ``-stop-and-search.csv`` file.

    ``month`` is the month of the file the search was published in (data.police.uk's own
    month for it); ``date`` is the timezone-aware date and time from the ``Date`` column.
    The yes/no columns are ``True``/``False``, or ``None`` when empty.
    """

    type: str
    date: datetime
    month: str
    part_of_a_policing_operation: bool | None
    policing_operation: str | None
    latitude: float | None
    longitude: float | None
    gender: str | None
    age_range: str | None
    self_defined_ethnicity: str | None
    officer_defined_ethnicity: str | None
    legislation: str | None
    object_of_search: str | None
    outcome: str | None
    outcome_linked_to_object_of_search: bool | None
    removal_of_more_than_just_outer_clothing: bool | None


PoliceUkRow = StreetCrimeRow | OutcomeRow | StopAndSearchRow

ROW_TYPES: dict[FileKind, type[StreetCrimeRow] | type[OutcomeRow] | type[StopAndSearchRow]] = {
    FileKind.STREET: StreetCrimeRow,
    FileKind.OUTCOMES: OutcomeRow,
    FileKind.STOP_AND_SEARCH: StopAndSearchRow,
}


def row_fields(kind: FileKind) -> tuple[str, ...]:
    """Field names of the typed row for ``kind``, in tuple order (handy for a COPY column list)."""
    return ROW_TYPES[kind]._fields


@dataclass(frozen=True)
class ParseError:
    """A problem found in a file. ``row`` is the 1-based line number (the header is row 1)."""

    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column}")
        return f"{', '.join(where)}: {self.message}"


@dataclass(frozen=True)
class FileIdentity:
    """What a data.police.uk file name says: its month, force slug and kind."""

    month: str
    force: str
    kind: FileKind

    @property
    def file_name(self) -> str:
        """The canonical (uncompressed) file name, e.g. ``2025-01-<force>-street.csv``."""
        return f"{self.month}-{self.force}-{self.kind.value}.csv"


class UnrecognisedFileName(ValueError):
    """A file name that does not follow the data.police.uk pattern."""


MONTH_PATTERN = r"\d{4}-(?:0[1-9]|1[0-2])"
_MONTH_RE = re.compile(MONTH_PATTERN + r"\Z")
_LOOSE_MONTH_RE = re.compile(r"\d{4}-\d{2}\Z")
FORCE_PATTERN = r"[a-z0-9]+(?:-[a-z0-9]+)*?"
KIND_PATTERN = r"street|outcomes|stop-and-search"
_NAME_RE = re.compile(
    rf"(?P<month>\d{{4}}-\d{{2}})-(?P<force>{FORCE_PATTERN})-(?P<kind>{KIND_PATTERN})"
    r"\.csv(?:\.gz)?\Z"
)
EXPECTED_NAME = "YYYY-MM-<force>-<street|outcomes|stop-and-search>.csv (optionally .gz)"


def is_month(value: str) -> bool:
    """True if ``value`` is a month written ``YYYY-MM`` (01-12)."""
    return _MONTH_RE.match(value) is not None


def base_name(name: str) -> str:
    """The last component of a path written with ``/`` or ``\\`` separators."""
    return name.replace("\\", "/").rsplit("/", 1)[-1]


def identify(name: str) -> FileIdentity:
    """Read month, force and kind from a name like ``2025-01-<force>-street.csv.gz``.

    Any leading folders are ignored. Raises :class:`UnrecognisedFileName` with a plain-English
    message if the name does not follow the data.police.uk pattern.
    """
    base = base_name(name)
    match = _NAME_RE.match(base)
    if match is None:
        raise UnrecognisedFileName(
            f"'{base}' is not a data.police.uk file name: expected {EXPECTED_NAME}"
        )
    month = match["month"]
    if not is_month(month) or month.startswith("0000"):
        raise UnrecognisedFileName(
            f"'{base}' is not a data.police.uk file name: '{month}' is not a month"
        )
    return FileIdentity(month=month, force=match["force"], kind=FileKind(match["kind"]))


# --- Geography helpers ------------------------------------------------------------------------

_LSOA_NAME_SUFFIX_RE = re.compile(r"\s+\d{3}[A-Z]\Z")

LSOA_2021_FIRST_MONTH = "2023-01"
"""First month assumed to carry LSOA 2021 codes (see :func:`lsoa_vintage_for_month`)."""


def local_authority_from_lsoa_name(lsoa_name: str) -> str:
    """The local authority part of an LSOA name: ``"<authority> 002A"`` -> ``"<authority>"``.

    LSOA names are the local authority name followed by a three-digit number and a letter, in
    both the 2011 and 2021 vintages, so this works for either. Raises ``ValueError`` if the name
    does not end in such a code.
    """
    match = _LSOA_NAME_SUFFIX_RE.search(lsoa_name)
    if match is None or match.start() == 0:
        raise ValueError(
            f"'{lsoa_name}' is not an LSOA name (a local authority name then a code like 002A)"
        )
    return lsoa_name[: match.start()]


def lsoa_vintage_for_month(month: str, first_2021_month: str = LSOA_2021_FIRST_MONTH) -> str:
    """Which LSOA vintage ('2011' or '2021') data.police.uk used for a month's files.

    LSOA 2011 and 2021 codes overlap (most LSOAs kept their code), so the vintage cannot be
    told reliably from a code. data.police.uk moved to LSOA 2021 boundaries during 2023; the
    bundled files agree (months up to 2022-11 carry 2011 codes, 2025 months carry 2021 codes).
    The default cut-off, ``2023-01``, treats every month from January 2023 as 2021 codes.
    Caveat: this describes files downloaded when the month was first published; a month
    re-downloaded from a later archive may have been re-coded, so pass ``first_2021_month``
    to match how your copy was obtained.
    """
    for value, label in ((month, "month"), (first_2021_month, "first_2021_month")):
        if not is_month(value):
            raise ValueError(f"{label} '{value}' is not a month (expected YYYY-MM)")
    return "2021" if month >= first_2021_month else "2011"


def describe_bad_month(value: str) -> str:
    """Plain-English reason why ``value`` is not an acceptable ``YYYY-MM`` month."""
    if _LOOSE_MONTH_RE.match(value):
        return f"'{value}' is not a month"
    if value == "":
        return "the month is empty (expected YYYY-MM)"
    return f"'{value}' is not a month (expected YYYY-MM)"
