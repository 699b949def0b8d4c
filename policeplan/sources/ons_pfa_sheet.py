"""Reading one table sheet of an ONS Police Force Area workbook into observations.

Used by ``ons_pfa.parse_workbook``; a sheet is a list of rows of cell values as python-calamine
returns them (str, float, int, ...), row 0 being spreadsheet row 1. Pure Python: no Django.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Literal

from policeplan.sources.ons_pfa_labels import (
    add_months,
    canonical_offence_group,
    clean_label,
    latest_period_in_title,
    period_label_end,
)
from policeplan.sources.ons_pfa_model import (
    MARKERS,
    OnsObservation,
    OnsTable,
    TableKind,
    Unit,
    WorkbookError,
    area_kind,
    column_letter,
)

WHOLE_NUMBER_UNITS = {"count", "population", "households"}
MAX_FIGURE = Decimal(10) ** 12
"""Figures must be smaller than this in size: the largest real one is England and Wales's
population (6e7), and what is stored keeps 12 digits before the point (ADR 0014)."""
_PLAIN_NUMBER = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)\Z")
KNIFE_TOTAL = "Total of selected serious offences"
# A GSS code (a letter and 8 digits), sometimes with footnote digits glued on: a 9th digit
# after a force code is a note number, not part of the code.
_AREA_CODE = re.compile(r"^(?P<code>[A-Z]\d{8})(?:\d{1,2}(?:,\d{1,2})*)?$")
_TABLE_ID = re.compile(r"^\s*Table\s+(P\d+)\b", re.IGNORECASE)
_FOOTNOTE_ROW = re.compile(r"^(source\b|notes?\b|\d+\.?\s)", re.IGNORECASE)
_HEADER_SEARCH_ROWS = 20


def _cell(rows: Sequence[Sequence[object]], row: int, column: int) -> object:
    if row < len(rows) and column < len(rows[row]):
        value = rows[row][column]
        return "" if value is None else value
    return ""


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def cell_text(rows: Sequence[Sequence[object]], row: int, column: int) -> str:
    """The stripped text of a cell (0-based row and column), or "" if it holds no text."""
    return _text(_cell(rows, row, column))


@dataclass(frozen=True)
class _Column:
    index: int
    measure: str
    unit: Unit
    header: str


class TableSheetReader:
    """Reads one table sheet into ``observations``, or records why it cannot in ``errors``.

    ``read()`` returns the table's description, or None for a sheet that is not a table this
    parser reads (notes, anti-social behaviour, ...) or that has errors.
    """

    def __init__(
        self, file: str, sheet: str, rows: Sequence[Sequence[object]], period_end: str
    ) -> None:
        self.file, self.sheet, self.rows, self.period_end = file, sheet, rows, period_end
        self.errors: list[WorkbookError] = []
        self.observations: list[OnsObservation] = []
        self.width = max((len(row) for row in rows), default=0)

    def error(self, row: int | None, column: int | None, message: str) -> None:
        letter = None if column is None else column_letter(column)
        self.errors.append(
            WorkbookError(self.file, self.sheet, None if row is None else row + 1, letter, message)
        )

    def read(self) -> OnsTable | None:
        title = _text(_cell(self.rows, 0, 0))
        table_match = _TABLE_ID.match(title)
        kind = _kind_from_title(title)
        if table_match is None or kind is None:
            return None
        if latest_period_in_title(title) != self.period_end:
            self.error(
                0,
                0,
                f"expected the title to name the same period as Table P1 "
                f"(year ending {self.period_end}), found {clean_label(title)!r}",
            )
            return None
        header = self._find_header_row()
        if header is None:
            return None
        if kind == "knife":
            kind = self._knife_kind(header)
        columns = self._columns(kind, header)
        if not columns and not self.errors:
            self.error(header, None, "found no figure columns under the header row")
        if self.errors:
            return None
        table = OnsTable(
            table=table_match.group(1).upper(),
            sheet=self.sheet,
            kind=kind,
            title=clean_label(title),
            coverage=self._coverage(header),
        )
        self._read_areas(table.table, header, columns)
        return table

    def _find_header_row(self) -> int | None:
        for row in range(min(len(self.rows), _HEADER_SEARCH_ROWS)):
            if clean_label(_text(_cell(self.rows, row, 0))).lower().startswith("area code"):
                return row
        first_area = next(
            (r for r in range(len(self.rows)) if _AREA_CODE.match(_text(_cell(self.rows, r, 0)))),
            None,
        )
        if first_area is None:
            self.error(
                None,
                None,
                "expected a header row starting 'Area Code' in column A "
                f"within the first {_HEADER_SEARCH_ROWS} rows",
            )
            return None
        # Point at the row that most likely should have been the header: the nearest one
        # above the first area row with text in column A (below the title).
        candidates = [r for r in range(first_area - 1, 0, -1) if _text(_cell(self.rows, r, 0))]
        if candidates:
            found = _text(_cell(self.rows, candidates[0], 0))
            self.error(
                candidates[0], 0, f"expected a header row starting 'Area Code', found {found!r}"
            )
        else:
            self.error(max(first_area - 1, 0), 0, "expected a header row starting 'Area Code'")
        return None

    def _coverage(self, header: int) -> str:
        for row in range(1, header):
            text = clean_label(_text(_cell(self.rows, row, 0)))
            if text:
                return text
        return ""

    def _label_above(self, header: int, column: int) -> str:
        """The nearest header text above the header row in this exact column."""
        for row in range(header - 1, 0, -1):
            text = _text(_cell(self.rows, row, column))
            if text:
                return text
        return ""

    def _group_spanning(self, header: int, column: int) -> str:
        """The group label in the row above the header that spans this column (merged cells)."""
        if header < 2:
            return ""
        for left in range(column, 1, -1):
            text = _text(_cell(self.rows, header - 1, left))
            if text:
                return text
        return ""

    def _knife_kind(self, header: int) -> TableKind:
        groups = [clean_label(self._group_spanning(header, c)) for c in range(2, self.width)]
        if any(group.startswith("% change") for group in groups):
            return "knife_series"
        subs = [_text(_cell(self.rows, header, c)) for c in range(2, self.width)]
        if any(period_label_end(sub) for sub in subs if sub):
            return "knife_rates"
        return "knife_counts"

    def _columns(self, kind: TableKind, header: int) -> list[_Column]:
        if kind.startswith("offence"):
            return self._offence_columns(kind, header)
        if kind == "knife_counts":
            return self._knife_count_columns(header)
        if kind == "knife_series":
            return self._knife_change_column(header)
        return self._knife_rate_column(header)

    def _offence_columns(self, kind: TableKind, header: int) -> list[_Column]:
        columns = []
        for c in range(2, self.width):
            raw = _text(_cell(self.rows, header, c)) or self._label_above(header, c)
            if not raw:
                continue
            measure, unit = _offence_measure(kind, raw)
            columns.append(_Column(c, measure, unit, raw))
        return columns

    def _knife_count_columns(self, header: int) -> list[_Column]:
        columns = []
        for c in range(2, self.width):
            raw = _text(_cell(self.rows, header, c))
            if not raw:
                continue
            sub = clean_label(raw).lower()
            unit: Unit
            if sub.startswith("number of") and "knife" in sub:
                unit = "count"
            elif sub.startswith("%") and "knife" in sub:
                unit = "percent"
            else:
                self.error(
                    header,
                    c,
                    "expected 'Number of offences involving a knife' or "
                    f"'% involving a knife', found {clean_label(raw)!r}",
                )
                continue
            group = self._group_spanning(header, c)
            if not group:
                self.error(header - 1, c, "expected the offence name above this column")
                continue
            columns.append(_Column(c, clean_label(group), unit, f"{group} / {raw}"))
        return columns

    def _knife_change_column(self, header: int) -> list[_Column]:
        previous = add_months(self.period_end, -12)
        for c in range(2, self.width):
            group = self._group_spanning(header, c)
            raw = _text(_cell(self.rows, header, c))
            if clean_label(group).startswith("% change") and period_label_end(raw) == previous:
                return [_Column(c, KNIFE_TOTAL, "percent_change", f"{group} / {raw}")]
        self.error(
            header,
            None,
            f"expected a '% change ... compared with' column for the year ending {previous}",
        )
        return []

    def _knife_rate_column(self, header: int) -> list[_Column]:
        for c in range(2, self.width):
            raw = _text(_cell(self.rows, header, c))
            if raw and period_label_end(raw) == self.period_end:
                return [_Column(c, KNIFE_TOTAL, "rate_per_100000", raw)]
        self.error(header, None, f"expected a column for the 12 months ending {self.period_end}")
        return []

    def _read_areas(self, table: str, header: int, columns: list[_Column]) -> None:
        seen: set[tuple[str, str, str]] = set()
        for row, code, name in self._area_rows(header, columns):
            kind = area_kind(code, name)
            for column in columns:
                value, marker = self._value(row, column)
                if value is None and marker is None:
                    continue  # error recorded
                key = (code or name, column.measure, column.unit)
                if key in seen:
                    self.error(
                        row, column.index, f"a second {column.measure!r} figure for {name!r}"
                    )
                seen.add(key)
                self.observations.append(
                    OnsObservation(
                        table=table,
                        area_code=code,
                        area_name=name,
                        area_kind=kind,
                        measure=column.measure,
                        unit=column.unit,
                        value=value,
                        marker=marker,
                        sheet=self.sheet,
                        cell=f"{column_letter(column.index)}{row + 1}",
                        column_header=column.header,
                    )
                )

    def _area_rows(
        self, header: int, columns: list[_Column]
    ) -> Iterator[tuple[int, str | None, str]]:
        """Yield (row, area code, area name) for each area row up to the footnotes."""
        for row in range(header + 1, len(self.rows)):
            first = _cell(self.rows, row, 0)
            code = _text(first)
            code_match = _AREA_CODE.match(code)
            name = _area_name(_text(_cell(self.rows, row, 1)))
            cells = [_cell(self.rows, row, c.index) for c in columns]
            has_figures = any(_is_figure(cell) for cell in cells)
            if not isinstance(first, str):
                self.error(row, 0, f"expected an area code, found {first!r}")
            elif code_match:
                if not name:
                    self.error(row, 1, "expected an area name")
                else:
                    yield row, code_match.group("code"), name
            elif _FOOTNOTE_ROW.match(code):
                return  # "Source: ..." and numbered footnotes end the table
            elif code:
                self.error(
                    row, 0, f"expected an ONS area code (a letter and 8 digits), found {code!r}"
                )
            elif name and any(_text(cell) or not isinstance(cell, str) for cell in cells):
                yield row, None, name  # British Transport Police and other uncoded rows
            elif has_figures:
                self.error(row, 1, "expected an area name for a row with figures")
            # else: a blank separator row or a units row ("Numbers", "Rate per 1,000 ...")

    def _value(self, row: int, column: _Column) -> tuple[Decimal | None, str | None]:
        raw = _cell(self.rows, row, column.index)
        number: Decimal | None = None
        if isinstance(raw, bool) or not isinstance(raw, int | float | str):
            self.error(row, column.index, f"expected a number, found {raw!r}")
            return None, None
        if isinstance(raw, str):
            text = raw.strip()
            if text in MARKERS:
                return None, text
            try:
                plain = text.replace(",", "")
                if not _PLAIN_NUMBER.match(plain):  # Decimal() would take '1_000' and 'NaN'
                    raise InvalidOperation
                number = Decimal(plain)
            except InvalidOperation:
                shown = f"{text!r}" if text else "an empty cell"
                self.error(
                    row,
                    column.index,
                    f"expected a number in the "
                    f"{clean_label(column.header)!r} column, found {shown}",
                )
                return None, None
        else:
            number = Decimal(repr(raw))
        if not number.is_finite():
            self.error(row, column.index, f"expected a number, found {raw!r}")
            return None, None
        if abs(number) >= MAX_FIGURE:
            self.error(
                row,
                column.index,
                f"{raw!r} is out of range: a figure must be below 10^12 in size "
                f"(in the {clean_label(column.header)!r} column)",
            )
            return None, None
        if number == number.to_integral_value():
            number = Decimal(int(number))
        elif column.unit in WHOLE_NUMBER_UNITS:
            self.error(row, column.index, f"expected a whole number, found {raw!r}")
            return None, None
        return number, None


def _is_figure(cell: object) -> bool:
    """A number or a marker: what a figure cell holds (a units row holds other text)."""
    if isinstance(cell, str):
        return cell.strip() in MARKERS
    return isinstance(cell, int | float) and not isinstance(cell, bool)


def _kind_from_title(title: str) -> TableKind | Literal["knife"] | None:
    text = clean_label(title).lower()
    if "offence group" in text:
        if "number of offences" in text:
            return "offence_counts"
        if "percentage change" in text:
            return "offence_percent_change"
        if "rate of offences" in text:
            return "offence_rates"
    if "knife" in text:
        return "knife"
    return None


def _offence_measure(kind: TableKind, raw: str) -> tuple[str, Unit]:
    label = clean_label(raw)
    lower = label.lower()
    if kind == "offence_counts":
        return canonical_offence_group(label), "count"
    if kind == "offence_percent_change":
        return canonical_offence_group(label), "percent_change"
    if lower.startswith("population"):
        return "Population", "population"
    if lower.startswith("household"):
        return "Households", "households"
    if lower.endswith("(households)"):
        return canonical_offence_group(label[: -len("(households)")].strip()), (
            "rate_per_1000_households"
        )
    return canonical_offence_group(label), "rate_per_1000"


def _area_name(raw: str) -> str:
    name = clean_label(raw)
    # One edition prints "British Transport Police(2006)"; the figures are the current year's.
    if name.lower().startswith("british transport police"):
        return "British Transport Police"
    return name
