"""Parser for the ONS "Crime in England and Wales: Police Force Area data tables" workbooks.

``parse_workbook(name, data)`` turns the bytes of one quarterly edition (.xlsx) into an
:class:`OnsEdition`: the 12-month period it covers (read from the table titles, never from the
file name) and one :class:`OnsObservation` per area and measure for the tables it understands:

* P1 police recorded crime by offence group, counts (unit ``count``);
* P2 the same, percentage change on the previous year (``percent_change``);
* P3 the same, rate per 1,000 population (``rate_per_1000``; residential burglary also per
  1,000 households, ``rate_per_1000_households``), plus the mid-year ``population`` and
  ``households`` columns used for the rates;
* knife or sharp instrument tables, wherever they are (P4-P6): offences involving a knife by
  offence (``count`` and ``percent`` of those offences involving a knife); the change in the
  total on the previous year from the time-series table (``percent_change``); the rate per
  100,000 population (``rate_per_100000``). Earlier years in the time series are not read.

Other sheets (notes, corrections, anti-social behaviour, population time series) are listed in
``OnsEdition.skipped_sheets``.

Errors: the parser never returns half a result. If anything in the workbook cannot be read it
raises one :class:`OnsPfaWorkbookInvalid` whose ``errors`` lists every problem found as a
:class:`WorkbookError` (file, sheet, row, column, message) in plain English.

Pure Python: no Django, no database; python-calamine reads the workbook. The work is split:
``ons_pfa_model`` (the records), ``ons_pfa_sheet`` (reading one table sheet) and
``ons_pfa_labels`` (footnote digits, periods, offence-group names); import from here.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import python_calamine

from policeplan.sources.ons_pfa_labels import add_months, clean_label, latest_period_in_title
from policeplan.sources.ons_pfa_model import (
    MARKERS,
    AreaKind,
    OnsEdition,
    OnsObservation,
    OnsPfaWorkbookInvalid,
    OnsTable,
    TableKind,
    Unit,
    WorkbookError,
    area_kind,
    column_letter,
)
from policeplan.sources.ons_pfa_sheet import TableSheetReader, cell_text
from policeplan.sources.sheets import SheetLimits, WorkbookRefused, check_workbook

__all__ = [
    "MARKERS",
    "AreaKind",
    "OnsEdition",
    "OnsObservation",
    "OnsPfaWorkbookInvalid",
    "OnsTable",
    "TableKind",
    "Unit",
    "WorkbookError",
    "area_kind",
    "clean_label",
    "column_letter",
    "parse_workbook",
]


def parse_workbook(name: str, data: bytes) -> OnsEdition:
    """Read one edition; raise OnsPfaWorkbookInvalid listing every problem if it cannot."""
    sheets = _read_sheets(name, data)
    p1_sheet = next((sheet for sheet in sheets if sheet.strip() == "Table P1"), None)
    if p1_sheet is None:
        raise OnsPfaWorkbookInvalid(
            [WorkbookError(name, None, None, None, "no sheet named 'Table P1' in the workbook")]
        )
    p1_title = cell_text(sheets[p1_sheet], 0, 0)
    period_end = latest_period_in_title(p1_title)
    if period_end is None:
        raise OnsPfaWorkbookInvalid(
            [
                WorkbookError(
                    name,
                    p1_sheet,
                    1,
                    "A",
                    "expected the table title to name its period, like 'year ending June 2019'",
                )
            ]
        )
    errors: list[WorkbookError] = []
    tables: list[OnsTable] = []
    observations: list[OnsObservation] = []
    skipped: list[str] = []
    for sheet, rows in sheets.items():
        reader = TableSheetReader(name, sheet, rows, period_end)
        table = reader.read()
        errors.extend(reader.errors)
        if table is None:
            skipped.append(sheet)
        else:
            tables.append(table)
            observations.extend(reader.observations)
    p1_read = any(table.table == "P1" and table.kind == "offence_counts" for table in tables)
    if not p1_read and not any(error.sheet == p1_sheet for error in errors):
        errors.append(
            WorkbookError(name, p1_sheet, 1, "A", "expected Table P1 to be offence counts")
        )
    if errors:
        raise OnsPfaWorkbookInvalid(errors)
    return OnsEdition(
        file_name=name,
        title=clean_label(p1_title),
        period_end=period_end,
        period_start=add_months(period_end, -11),
        tables=tuple(tables),
        observations=tuple(observations),
        skipped_sheets=tuple(skipped),
    )


ONS_SHEET_LIMITS = SheetLimits(max_rows=10_000, max_columns=500, max_cells=1_000_000)
"""The largest sheet read (checked before loading): an edition's sheets are under 100 rows by
35 columns; calamine builds each sheet as a full grid from A1."""


def _read_sheets(name: str, data: bytes) -> dict[str, Sequence[Sequence[object]]]:
    try:
        check_workbook(name, data, ONS_SHEET_LIMITS)
    except WorkbookRefused as exc:
        raise OnsPfaWorkbookInvalid(
            [WorkbookError(name, exc.sheet, exc.row, exc.column, exc.message)]
        ) from None
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        return {
            sheet: workbook.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
            for sheet in workbook.sheet_names
        }
    except Exception as exc:  # calamine raises several types for damaged or foreign files
        raise OnsPfaWorkbookInvalid(
            [WorkbookError(name, None, None, None, f"could not open as an Excel workbook ({exc})")]
        ) from exc
