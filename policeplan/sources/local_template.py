"""The local data template (issue 10 §3): CSV or XLSX bytes to typed rows, or every problem
named by sheet, row and column. Pure: the caller passes what the catalogue allows.

Columns: ``metric`` (slug), ``area`` (code or slug), ``period_end`` (YYYY-MM, the last month
of the period), ``value``; optional ``numerator``, ``denominator``, ``note``; the template's
own helper columns (``metric_name``, ``unit``, ``frequency``) are ignored.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import NoReturn

from policeplan.analysis.due import period_problem
from policeplan.analysis.periods import Month
from policeplan.sources.sheets import SheetLimits, WorkbookRefused, check_workbook

REQUIRED = ("metric", "area", "period_end", "value")
OPTIONAL = ("numerator", "denominator", "note")
HELPERS = ("metric_name", "unit", "frequency")
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
MAX_COLUMNS = 30
MAX_NOTE = 1000
DATA_SHEET = "Data"
LOCAL_SHEET_LIMITS = SheetLimits(
    max_rows=MAX_ROWS + 1, max_columns=MAX_COLUMNS, max_cells=(MAX_ROWS + 1) * MAX_COLUMNS
)
"""Every sheet of an uploaded workbook, checked before openpyxl loads it (ADR 0014)."""
_NUMBER = re.compile(r"-?(?:\d+(?:\.\d*)?|\.\d+)")
# Units whose figures are counts: whole numbers, never negative.
COUNT_UNITS = {"count"}


Report = Callable[[str, str], None]  # (column, message)


@dataclass(frozen=True)
class MetricRule:
    slug: str
    frequency: str
    unit: str


@dataclass(frozen=True)
class Allowed:
    """What this deployment accepts: metrics with a local data series, its areas (code or slug,
    lower case, to the area's code) and the latest month a period may end in."""

    metrics: dict[str, MetricRule]
    areas: dict[str, str]
    latest_month: Month


@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        """'sheet 'Data', row 4, column value: 187.5 is not a percentage between 0 and 100'."""
        parts = [f"sheet '{self.sheet}'"] if self.sheet else []
        parts += [f"row {self.row}"] if self.row else []
        parts += [f"column {self.column}"] if self.column else []
        return (", ".join(parts) + ": " if parts else "") + self.message


@dataclass(frozen=True)
class LocalRow:
    sheet: str
    row: int
    metric: str
    area: str  # the area's code
    period_end: Month
    value: float
    numerator: int | None = None
    denominator: int | None = None
    note: str = ""


class TemplateRefused(Exception):
    """The file cannot be staged; ``problems`` lists every reason."""

    def __init__(self, name: str, problems: Sequence[Problem]) -> None:
        self.name = name
        self.problems = list(problems)
        super().__init__("; ".join(f"{name}: {p}" for p in self.problems))


@dataclass
class _Sheet:
    name: str
    rows: Iterable[tuple[int, list[object]]]
    problems: list[Problem] = field(default_factory=list)


def parse_local_file(name: str, content: bytes, allowed: Allowed) -> list[LocalRow]:
    """Every row of the file, checked; TemplateRefused lists every problem (nothing is kept)."""
    sheet = read_sheet(name, content)
    rows, problems = _check_rows(sheet, allowed)
    problems = sheet.problems + problems
    if problems:
        raise TemplateRefused(name, problems)
    if not rows:
        raise TemplateRefused(name, [Problem(sheet.name, 0, "", "the file has no figures")])
    return rows


def read_sheet(name: str, content: bytes) -> _Sheet:
    """The data sheet of an uploaded template (CSV or XLSX), after the checks every staff
    upload gets: size, macros, file type, encoding, hidden sheets, sheet size. Formula cells
    come back as ``Formula``. Shared by local data and the registers."""
    lower = name.lower()
    if len(content) > MAX_BYTES:
        raise TemplateRefused(name, [Problem("", 0, "", f"the file is over {MAX_BYTES:,} bytes")])
    if lower.endswith((".xlsm", ".xltm")) or (content[:2] == b"PK" and _has_macros(content)):
        _refuse(name, "files with macros (.xlsm) are refused: save it as .xlsx or .csv")
    if lower.endswith(".xlsx"):
        sheet = _xlsx_sheet(name, content)
    elif lower.endswith(".csv"):
        sheet = _csv_sheet(name, content)
    else:
        raise TemplateRefused(name, [Problem("", 0, "", "upload the template as .csv or .xlsx")])
    return sheet


def _refuse(name: str, message: str, sheet: str = "", cause: Exception | None = None) -> NoReturn:
    raise TemplateRefused(name, [Problem(sheet, 0, "", message)]) from cause


def _has_macros(content: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return any(n.lower().endswith("vbaproject.bin") for n in archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def _csv_sheet(name: str, content: bytes) -> _Sheet:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TemplateRefused(name, [Problem("", 0, "", f"byte {exc.start}: not UTF-8 text "
                                             "(save the CSV as UTF-8)")]) from exc  # fmt: skip
    if "\x00" in text:
        raise TemplateRefused(name, [Problem("", 0, "", "this is not a CSV text file")])
    reader = csv.reader(io.StringIO(text, newline=""))
    return _Sheet("", ((number, list(row)) for number, row in enumerate(reader, start=1)))


def _xlsx_sheet(name: str, content: bytes) -> _Sheet:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        check_workbook(name, content, LOCAL_SHEET_LIMITS)
    except WorkbookRefused as exc:
        sheet, row = exc.sheet or "", exc.row or 0
        raise TemplateRefused(name, [Problem(sheet, row, exc.column or "", exc.message)]) from None
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        _refuse(name, f"not a readable .xlsx workbook ({exc})", cause=exc)
    problems = [
        Problem(ws.title, 0, "", "hidden sheets are refused: unhide or delete it")
        for ws in workbook.worksheets
        if ws.sheet_state != "visible"
    ]
    data = next((ws for ws in workbook.worksheets if ws.title.lower() == DATA_SHEET.lower()), None)
    data = data or workbook.worksheets[0]
    if (data.max_row or 0) > MAX_ROWS + 1 or (data.max_column or 0) > MAX_COLUMNS:
        limit = f"{MAX_ROWS:,} rows by {MAX_COLUMNS} columns"
        _refuse(name, f"the sheet is larger than {limit}", sheet=data.title)
    return _Sheet(data.title, _xlsx_rows(data), problems)


def _xlsx_rows(ws: object) -> Iterator[tuple[int, list[object]]]:
    for number, row in enumerate(ws.iter_rows(), start=1):  # type: ignore[attr-defined]
        cells: list[object] = []
        for cell in row:
            if getattr(cell, "data_type", None) == "f":
                cells.append(_Formula(str(cell.value)))
            else:
                cells.append(cell.value)
        yield number, cells


@dataclass(frozen=True)
class _Formula:
    text: str


Formula = _Formula
Sheet = _Sheet


def _check_rows(sheet: _Sheet, allowed: Allowed) -> tuple[list[LocalRow], list[Problem]]:
    problems: list[Problem] = []
    rows: list[LocalRow] = []
    header: dict[str, int] | None = None
    seen: dict[tuple[str, str, Month], int] = {}
    for number, cells in sheet.rows:
        if number > MAX_ROWS + 1:
            problems.append(Problem(sheet.name, number, "", f"more than {MAX_ROWS:,} rows"))
            break
        if header is None:
            header, header_problems = _header(sheet.name, number, cells)
            problems += header_problems
            if header_problems:
                return [], problems
            continue
        values = {name: (cells[i] if i < len(cells) else None) for name, i in header.items()}
        # Blank rows, and the template's rows left unfilled (no figure, note or counts).
        if all(_blank(values.get(c)) for c in ("value", "numerator", "denominator", "note")):
            continue
        row, row_problems = _check_row(sheet.name, number, values, allowed)
        problems += row_problems
        if row is not None:
            key = (row.metric, row.area, row.period_end)
            if key in seen:
                what = f"({row.metric}, {row.area}, {row.period_end})"
                message = f"duplicates row {seen[key]} {what}"
                problems.append(Problem(sheet.name, number, "", message))
            else:
                seen[key] = number
                rows.append(row)
    if header is None:
        problems.append(Problem(sheet.name, 0, "", "the file is empty: it needs the header row"))
    return rows, problems


def _header(sheet: str, number: int, cells: list[object]) -> tuple[dict[str, int], list[Problem]]:
    names = [str(c).strip().lower() if c is not None else "" for c in cells]
    while names and names[-1] == "":
        names.pop()
    problems = []
    for index, column in enumerate(names):
        if column and column not in (*REQUIRED, *OPTIONAL, *HELPERS):
            problems.append(Problem(sheet, number, column or f"#{index + 1}",
                                    "unknown column (the template's columns are "
                                    f"{', '.join(REQUIRED + OPTIONAL)})"))  # fmt: skip
        elif column and names.count(column) > 1:
            problems.append(Problem(sheet, number, column, "the column appears twice"))
    problems += [
        Problem(sheet, number, c, "the column is missing") for c in REQUIRED if c not in names
    ]
    return {n: i for i, n in enumerate(names) if n in (*REQUIRED, *OPTIONAL)}, problems


def _check_row(
    sheet: str, number: int, values: dict[str, object], allowed: Allowed
) -> tuple[LocalRow | None, list[Problem]]:
    problems: list[Problem] = []

    def problem(column: str, message: str) -> None:
        problems.append(Problem(sheet, number, column, message))

    for column, value in values.items():
        if isinstance(value, _Formula):
            problem(column, f"formulas are refused ({value.text}): paste the value instead")
    if problems:
        return None, problems
    metric_text = _text(values.get("metric"))
    rule = allowed.metrics.get(metric_text)
    if rule is None:
        close = difflib.get_close_matches(metric_text, list(allowed.metrics), n=1)
        hint = f" Did you mean '{close[0]}'?" if close else ""
        problem("metric", f"unknown metric '{metric_text}' (not a local data metric of the "
                          f"current plan).{hint}")  # fmt: skip
    area_text = _text(values.get("area"))
    area = allowed.areas.get(area_text.lower())
    if area is None:
        problem("area", f"'{area_text}' is not an area of this force (use the area code or "
                        "slug, as the API does)")  # fmt: skip
    period = _month(values.get("period_end"), problem, allowed.latest_month)
    if rule is not None and period is not None and (why := period_problem(rule.frequency, period)):
        problem("period_end", why)
    value = _number(values.get("value"), "value", problem, required=True)
    if rule is not None and value is not None:
        _check_unit(rule, value, problem)
    numerator = _count(values.get("numerator"), "numerator", problem)
    denominator = _count(values.get("denominator"), "denominator", problem)
    if numerator is not None and denominator is not None and numerator > denominator:
        problem(
            "numerator", f"the numerator {numerator} is more than the denominator {denominator}"
        )
    if denominator == 0:
        problem("denominator", "the denominator is 0")
    note = _text(values.get("note"))
    if len(note) > MAX_NOTE:
        problem("note", f"the note is over {MAX_NOTE} characters")
    if problems or rule is None or area is None or period is None or value is None:
        return None, problems
    return LocalRow(sheet, number, rule.slug, area, period, value, numerator, denominator, note), []


def _blank(value: object) -> bool:
    return value is None or (not isinstance(value, _Formula) and str(value).strip() == "")


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()[:200]


def _month(value: object, report: Report, latest: Month) -> Month | None:
    if isinstance(value, dt.datetime | dt.date):
        month = Month(value.year, value.month)
    else:
        text = _text(value)
        if not text:
            report(
                "period_end",
                "the period_end is missing: the last month of the period, like 2026-03",
            )
            return None
        try:
            month = Month.parse(text)
        except ValueError:
            report("period_end", f"'{text}' is not a month like 2026-03 (YYYY-MM)")
            return None
    if month > latest:
        report("period_end", f"{month} is in the future")
        return None
    return month


def _number(value: object, column: str, report: Report, *, required: bool) -> float | None:
    if isinstance(value, bool):
        report(column, "is not a number")
        return None
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = _text(value)
        if not text:
            if required:
                report(column, f"the {column} is missing")
            return None
        if not _NUMBER.fullmatch(text):
            report(
                column,
                f"'{text}' is not a number (write it plainly, like 87.5: no commas, "
                "% or other symbols)",
            )
            return None
        number = float(text)
    if number != number or number in (float("inf"), float("-inf")) or abs(number) > 1e12:
        report(column, f"{value} is not a usable number")
        return None
    return number


def _count(value: object, column: str, report: Report) -> int | None:
    number = _number(value, column, report, required=False)
    if number is None:
        return None
    if number < 0 or number != int(number):
        report(column, f"{value} is not a whole number of 0 or more")
        return None
    return int(number)


def _check_unit(rule: MetricRule, value: float, report: Report) -> None:
    if rule.unit == "percent" and not 0 <= value <= 100:
        report("value", f"{value:g} is not a percentage between 0 and 100")
    elif rule.unit in COUNT_UNITS and (value < 0 or value != int(value)):
        report("value", f"{value:g} is not a count (a whole number of 0 or more)")
    elif rule.unit == "yes-no" and value not in (0, 1):
        report("value", f"{value:g} is not 1 (yes) or 0 (no)")
    elif value < 0:
        report("value", f"{value:g} is negative")


TEMPLATE_HEADER = [*REQUIRED, *OPTIONAL, *HELPERS]


def template_rows(
    metrics: Sequence[tuple[str, str, str, str]], area: str, period_end: dict[str, str]
) -> list[list[str]]:
    """The template's rows: one per (slug, name, unit, frequency), for ``area``, with the
    period each metric is due for; the figure, counts and note are left for staff."""
    return [
        [slug, area, period_end.get(slug, ""), "", "", "", "", name, unit, frequency]
        for slug, name, unit, frequency in metrics
    ]


def template_csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(TEMPLATE_HEADER)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def template_xlsx(rows: list[list[str]], guide: list[str]) -> bytes:
    """The same template as a workbook: a Data sheet and a Guide sheet (both visible)."""
    import openpyxl

    workbook = openpyxl.Workbook()
    data = workbook.active
    data.title = DATA_SHEET
    data.append(TEMPLATE_HEADER)
    for row in rows:
        data.append(row)
    for column in ("A", "H"):
        data.column_dimensions[column].width = 40
    notes = workbook.create_sheet("Guide")
    for line in guide:
        notes.append([line])
    notes.column_dimensions["A"].width = 120
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
