"""Issue 11, row 2: workbook dimensions and cell counts are checked before a workbook is loaded
(ONS workbooks and staff uploads share ``sources.sheets``). No database."""

from __future__ import annotations

import io
import re
import resource
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest

from policeplan.analysis.periods import Month
from policeplan.sources.local_template import (
    Allowed,
    MetricRule,
    TemplateRefused,
    parse_local_file,
    template_xlsx,
)
from policeplan.sources.ons_pfa import OnsPfaWorkbookInvalid, parse_workbook
from policeplan.sources.sheets import (
    SheetLimits,
    WorkbookRefused,
    check_workbook,
    column_letters,
    column_number,
)

ONS = Path(__file__).resolve().parents[2] / "data" / "ons_pfa"
EDITION = "pfatablesdec19.xlsx"


def rewrite_part(data: bytes, part: str, change: object) -> bytes:
    """A copy of a zip with one part's text changed by ``change`` (a function of the text)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            body = source.read(info)
            if info.filename == part:
                body = change(body.decode("utf-8")).encode("utf-8")  # type: ignore[operator]
            target.writestr(info, body, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def with_cell(data: bytes, part: str, cell: str) -> bytes:
    """Add one numeric cell (a new last row) to a sheet part."""
    row = re.match(r"[A-Z]+(\d+)", cell)
    assert row is not None
    extra = f'<row r="{row[1]}"><c r="{cell}"><v>1</v></c></row></sheetData>'
    return rewrite_part(data, part, lambda text: text.replace("</sheetData>", extra))


def ons_bytes() -> bytes:
    return (ONS / EDITION).read_bytes()


def part_of(sheet: str, data: bytes | None = None) -> str:
    sizes = check_workbook(EDITION, data or ons_bytes(), SheetLimits(200, 40, 5000))
    return next(size.part for size in sizes if size.name == sheet)


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def test_column_letters_round_trip() -> None:
    assert column_number("XFD") == 16384 and column_letters(16384) == "XFD"
    assert all(column_number(column_letters(n)) == n for n in range(1, 20000, 7))


@pytest.mark.parametrize(
    ("cell", "why"),
    [
        ("XFD1048576", "more than 10,000 rows"),
        ("AZ1048576", "more than 10,000 rows"),
        ("XFD20", "more than 500 columns"),
        ("SF9000", "more than 1,000,000 cells (9,000 rows by 500 columns)"),
    ],
)
def test_row2_ons_workbook_with_a_far_cell_is_refused_before_loading(cell: str, why: str) -> None:
    data = with_cell(ons_bytes(), part_of("Table P1"), cell)
    assert len(data) < 250_000
    before, started = peak_rss_mib(), time.perf_counter()
    with pytest.raises(OnsPfaWorkbookInvalid) as caught:
        parse_workbook(EDITION, data)
    assert time.perf_counter() - started < 10 and peak_rss_mib() - before < 200
    [error] = caught.value.errors
    row = int(re.sub(r"[A-Z]+", "", cell))
    letters = re.sub(r"\d+", "", cell)
    assert (error.file, error.sheet, error.row, error.column) == (EDITION, "Table P1", row, letters)
    assert error.message == (
        f"the sheet has a cell at {cell}: {why}; refused before loading the workbook"
    )


def test_row2_a_declared_dimension_alone_is_refused() -> None:
    data = rewrite_part(
        ons_bytes(),
        part_of("Table P1"),
        lambda text: re.sub(r'<dimension ref="[^"]+"', '<dimension ref="A1:XFD1048576"', text),
    )
    with pytest.raises(OnsPfaWorkbookInvalid) as caught:
        parse_workbook(EDITION, data)
    assert "the sheet declares its extent as A1:XFD1048576: more than 10,000 rows" in str(
        caught.value
    )


def test_row2_the_real_workbooks_are_within_the_limits() -> None:
    for path in sorted(ONS.glob("*.xlsx")):
        sizes = check_workbook(path.name, path.read_bytes(), SheetLimits(200, 40, 5000))
        assert any(size.name.strip() == "Table P1" and 60 < size.rows < 100 for size in sizes)


def test_row2_xml_with_a_dtd_is_refused() -> None:
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
    )
    data = rewrite_part(
        ons_bytes(), "xl/sharedStrings.xml", lambda text: re.sub(r"^<\?xml[^>]*\?>", bomb, text)
    )
    with pytest.raises(WorkbookRefused, match="part xl/sharedStrings.xml declares a DTD"):
        check_workbook(EDITION, data, SheetLimits(200, 40, 5000))


def test_row2_an_xlsx_part_bomb_is_refused() -> None:
    data = rewrite_part(
        ons_bytes(),
        "xl/sharedStrings.xml",
        lambda text: text.replace("</sst>", "<!--" + " " * (20 << 20) + "--></sst>"),
    )
    with pytest.raises(WorkbookRefused) as caught:
        check_workbook(EDITION, data, SheetLimits(200, 40, 5000))
    assert str(caught.value).startswith(
        f"{EDITION}: zip member 'xl/sharedStrings.xml': expands more than 200 times"
    )


ALLOWED = Allowed({"m": MetricRule("m", "monthly", "count")}, {"e1": "E1"}, Month(2026, 1))


def test_row2_staff_upload_with_a_far_cell_is_refused_before_loading() -> None:
    workbook = template_xlsx([["m", "E1", "2025-12", "4", "", "", "", "M", "count", "monthly"]], [])
    data = with_cell(workbook, "xl/worksheets/sheet1.xml", "XFD1048576")
    with pytest.raises(TemplateRefused) as caught:
        parse_local_file("figures.xlsx", data, ALLOWED)
    [problem] = caught.value.problems
    assert (problem.sheet, problem.row, problem.column) == ("Data", 1048576, "XFD")
    assert "has a cell at XFD1048576: more than 5,001 rows" in problem.message
    assert parse_local_file("figures.xlsx", workbook, ALLOWED)[0].value == 4.0


def test_row2_a_workbook_that_is_not_xlsx_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("content.xml", "<office:document/>")
    with pytest.raises(OnsPfaWorkbookInvalid, match="not an .xlsx workbook"):
        parse_workbook("tables.ods", buffer.getvalue())


def test_openpyxl_workbooks_round_trip_through_the_check() -> None:
    book = openpyxl.Workbook()
    book.active.append([1, 2, 3])  # type: ignore[union-attr]
    buffer = io.BytesIO()
    book.save(buffer)
    [size] = check_workbook("b.xlsx", buffer.getvalue(), SheetLimits(10, 10, 100))
    assert (size.name, size.rows, size.columns, size.cells) == ("Sheet", 1, 3, 3)
