"""Records produced by the ONS Police Force Area table parser (see ``ons_pfa``).

Plain frozen dataclasses: an edition, its tables and observations, and the errors that stop a
workbook being read. Pure Python: no Django.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

AreaKind = Literal["force", "region", "country", "other"]
Unit = Literal[
    "count",
    "percent_change",
    "rate_per_1000",
    "rate_per_1000_households",
    "population",
    "households",
    "percent",
    "rate_per_100000",
]
TableKind = Literal[
    "offence_counts",
    "offence_percent_change",
    "offence_rates",
    "knife_counts",
    "knife_series",
    "knife_rates",
]

# What the markers printed instead of a number mean (from the tables' own footnotes).
MARKERS = {
    "-": "suppressed: the base number is fewer than 50, or not applicable",
    "..": "not available",
    ".": "not available",
    "NA": "not available",
    "N/A": "not available",
    "+": "suppressed: population too small for a rate",
}
_FORCE_PREFIXES = ("E23", "W15")
_REGION_PREFIXES = ("E12",)
_COUNTRY_PREFIXES = ("K04", "K03", "K02", "E92", "W92")
_COUNTRY_NAMES = {"england and wales", "england", "wales"}


@dataclass(frozen=True)
class WorkbookError:
    """A place in a workbook that could not be read, and why, in plain English."""

    file: str
    sheet: str | None
    row: int | None  # 1-based spreadsheet row
    column: str | None  # spreadsheet column letter, e.g. "C"
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.sheet is not None:
            where.append(f"sheet {self.sheet!r}")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column}")
        return f"{', '.join(where)}: {self.message}"


class OnsPfaWorkbookInvalid(Exception):
    """Raised with every problem found when a workbook cannot be read in full."""

    def __init__(self, errors: Sequence[WorkbookError]) -> None:
        self.errors = list(errors)
        super().__init__("\n".join(str(error) for error in self.errors))


@dataclass(frozen=True)
class OnsObservation:
    """One published figure: a table cell for one area and measure."""

    table: str  # "P1"
    # A GSS code (E23 and 6 digits for a force); None for rows without one (British Transport
    # Police).
    area_code: str | None
    area_name: str
    area_kind: AreaKind
    measure: str  # offence group, e.g. "Stalking and harassment"; "Population" in P3
    unit: Unit
    value: Decimal | None  # None when the table prints a marker instead of a number
    marker: str | None  # the raw marker ("-", "..", "NA", "+") when value is None
    sheet: str
    cell: str  # "C26"
    column_header: str  # the header as printed, footnote digits and all

    @property
    def suppressed(self) -> bool:
        """True when the table withholds the figure (any marker)."""
        return self.marker is not None

    @property
    def marker_meaning(self) -> str | None:
        """What the marker means, from the tables' footnotes; None when there is a value."""
        return None if self.marker is None else MARKERS[self.marker]


@dataclass(frozen=True)
class OnsTable:
    """A sheet that was read: its table number, kind, title and coverage line."""

    table: str
    sheet: str
    kind: TableKind
    title: str
    coverage: str  # e.g. "England and Wales (excluding Greater Manchester Police)"


@dataclass(frozen=True)
class OnsEdition:
    """One quarterly edition of the ONS Police Force Area data tables."""

    file_name: str
    title: str
    period_end: str  # "YYYY-MM", the last month of the 12 months covered
    period_start: str  # "YYYY-MM", the first month
    tables: tuple[OnsTable, ...]
    observations: tuple[OnsObservation, ...]
    skipped_sheets: tuple[str, ...]

    def find(
        self, table: str, area_code: str | None, measure: str, unit: Unit | None = None
    ) -> OnsObservation:
        """The one observation for a table, area code and measure (and unit); KeyError if none."""
        found = [
            obs
            for obs in self.observations
            if obs.table == table
            and obs.area_code == area_code
            and obs.measure == measure
            and (unit is None or obs.unit == unit)
        ]
        if len(found) != 1:
            raise KeyError(f"{len(found)} observations for {table}/{area_code}/{measure}/{unit}")
        return found[0]

    def value(
        self, table: str, area_code: str | None, measure: str, unit: Unit | None = None
    ) -> Decimal | None:
        """Shortcut for ``find(...).value``."""
        return self.find(table, area_code, measure, unit).value


def area_kind(code: str | None, name: str) -> AreaKind:
    """Classify a row: police force area, English region, country, or other (BTP, ...)."""
    if code:
        if code.startswith(_FORCE_PREFIXES):
            return "force"
        if code.startswith(_REGION_PREFIXES):
            return "region"
        if code.startswith(_COUNTRY_PREFIXES):
            return "country"
    # Rows without a recognised code: British Transport Police, Action Fraud, and aggregates
    # such as "England (excluding Greater Manchester Police)" that are not the official
    # geography, so they are "other" even though they name a country.
    if " ".join(name.lower().split()) in _COUNTRY_NAMES:
        return "country"
    return "other"


def column_letter(index: int) -> str:
    """Spreadsheet column letter for a 0-based column index (0 -> "A", 27 -> "AB")."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters
