"""The ONS workbook parser on SYNTHETIC workbooks with layout errors."""

from __future__ import annotations

import io

import openpyxl
import pytest

from policeplan.sources.ons_pfa import (
    OnsPfaWorkbookInvalid,
    WorkbookError,
    parse_workbook,
)
from tests.sources.test_ons_pfa import LEICESTERSHIRE, TOTAL

# --- synthetic workbooks: layout errors -----------------------------------------------------

P1_TITLE = (
    "Table P1: Police recorded crime by offence group and police force area, English regions "
    "and Wales, number of offences, year ending June 20191,2"
)
P1_ROWS: list[list[object]] = [
    [P1_TITLE],
    [],
    ["England and Wales"],
    [None, None, "Total recorded crime (excluding fraud3)", None, "Victim-based crime"],
    ["Area Code", "Area Name", None, None, "Violence against the person4", "Robbery"],
    [None, None, "Numbers"],
    ["K04000001", "ENGLAND AND WALES5", 1000, None, 300, 20],
    [None],
    ["E23000021", "Leicestershire", 100, None, 30, "-"],
    [None, "British Transport Police", 5, None, 1, 0],
    ["Source: Home Office - Police recorded crime"],
    ["1. Police recorded crime data are not designated as National Statistics."],
]


def synthetic_workbook(sheets: dict[str, list[list[object]]]) -> bytes:
    """An .xlsx built here with openpyxl; ``None`` leaves a cell empty."""
    book = openpyxl.Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    sheet.cell(row=r, column=c, value=value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def errors_for(name: str, data: bytes) -> list[WorkbookError]:
    with pytest.raises(OnsPfaWorkbookInvalid) as raised:
        parse_workbook(name, data)
    assert str(raised.value) == "\n".join(str(e) for e in raised.value.errors)
    return raised.value.errors


def test_synthetic_workbook_parses_and_period_ignores_the_file_name() -> None:
    data = synthetic_workbook({"Notes": [["Notes"]], "Table P1 ": P1_ROWS})
    ons = parse_workbook("synthetic-yearendingmarch2018.xlsx", data)
    assert (ons.period_start, ons.period_end) == ("2018-07", "2019-06")
    assert ons.skipped_sheets == ("Notes",)
    assert ons.value("P1", LEICESTERSHIRE, TOTAL) == 100
    assert ons.value("P1", LEICESTERSHIRE, "Violence against the person") == 30
    robbery = ons.find("P1", LEICESTERSHIRE, "Robbery")
    assert (robbery.value, robbery.marker, robbery.cell) == (None, "-", "F9")
    assert ons.find("P1", None, TOTAL).area_name == "British Transport Police"
    assert len(ons.observations) == 9


def test_synthetic_missing_area_code_header_row() -> None:
    rows = [list(row) for row in P1_ROWS]
    rows[4][0] = "Code"
    errors = errors_for("synthetic.xlsx", synthetic_workbook({"Table P1": rows}))
    message = "expected a header row starting 'Area Code', found 'Code'"
    assert errors == [WorkbookError("synthetic.xlsx", "Table P1", 5, "A", message)]
    assert str(errors[0]) == f"synthetic.xlsx, sheet 'Table P1', row 5, column A: {message}"


def test_synthetic_non_numeric_count_names_the_cell() -> None:
    rows = [list(row) for row in P1_ROWS]
    rows[8][2] = "lots"
    rows[8][4] = None
    errors = errors_for("synthetic.xlsx", synthetic_workbook({"Table P1": rows}))
    assert [(e.sheet, e.row, e.column) for e in errors] == [
        ("Table P1", 9, "C"),
        ("Table P1", 9, "E"),
    ]
    assert errors[0].message == (
        "expected a number in the 'Total recorded crime (excluding fraud)' column, found 'lots'"
    )
    assert errors[1].message.endswith("found an empty cell")


def test_synthetic_fractional_count_is_an_error() -> None:
    rows = [list(row) for row in P1_ROWS]
    rows[8][2] = 100.5
    errors = errors_for("synthetic.xlsx", synthetic_workbook({"Table P1": rows}))
    assert [(e.row, e.column, e.message) for e in errors] == [
        (9, "C", "expected a whole number, found 100.5")
    ]


def test_synthetic_unexpected_text_in_the_area_code_column() -> None:
    rows = [list(row) for row in P1_ROWS]
    rows[8][0] = "Leics"
    errors = errors_for("synthetic.xlsx", synthetic_workbook({"Table P1": rows}))
    assert [(e.row, e.column) for e in errors] == [(9, "A")]
    assert "expected an ONS area code (a letter and 8 digits), found 'Leics'" in errors[0].message


def test_synthetic_missing_table_p1_sheet() -> None:
    errors = errors_for("synthetic.xlsx", synthetic_workbook({"Notes": [["Notes"]]}))
    assert errors == [
        WorkbookError(
            "synthetic.xlsx", None, None, None, "no sheet named 'Table P1' in the workbook"
        )
    ]


def test_synthetic_title_without_a_period() -> None:
    rows = [list(row) for row in P1_ROWS]
    rows[0] = ["Table P1: Police recorded crime by offence group, number of offences"]
    errors = errors_for("synthetic.xlsx", synthetic_workbook({"Table P1": rows}))
    assert [(e.sheet, e.row, e.column) for e in errors] == [("Table P1", 1, "A")]
    assert "year ending" in errors[0].message


def test_synthetic_other_table_for_a_different_period() -> None:
    p2 = [list(row) for row in P1_ROWS]
    p2[0] = [
        "Table P2: Police recorded crime by offence group and police force area, percentage "
        "change, year ending June 2017 compared with year ending June 20181,2"
    ]
    errors = errors_for("synthetic.xlsx", synthetic_workbook({"Table P1": P1_ROWS, "Table P2": p2}))
    assert [(e.sheet, e.row, e.column) for e in errors] == [("Table P2", 1, "A")]
    assert "same period as Table P1 (year ending 2019-06)" in errors[0].message


def test_synthetic_corrupt_file() -> None:
    errors = errors_for("synthetic.xlsx", b"this is not a zip file")
    assert len(errors) == 1
    assert (errors[0].file, errors[0].sheet, errors[0].row) == ("synthetic.xlsx", None, None)
    assert errors[0].message.startswith("not a readable .xlsx workbook")
