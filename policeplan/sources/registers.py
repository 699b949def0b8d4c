"""Register files (issue 15): CSV or XLSX bytes to typed rows for one register kind, or every
problem named by file, sheet, row and column. Pure: the caller passes what this deployment
allows (its areas, its governance bodies, today). The file is read with the same checks as
local data (``local_template.read_sheet``: size, macros, encoding, hidden sheets)."""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from policeplan.analysis.periods import FinancialYear

from .local_template import DATA_SHEET, Formula, Problem, TemplateRefused, read_sheet
from .register_specs import Column, RegisterSpec, Type

MAX_ROWS = 5000
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_MONEY = re.compile(r"[0-9]+(\.[0-9]{1,2})?")
_PLAIN_DECIMAL = re.compile(r"-?[0-9]{1,15}(\.[0-9]{1,15})?")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_LINK = re.compile(r"https?://[^\s<>\"]+", re.IGNORECASE)
YES, NO = ("yes", "y", "true", "1"), ("no", "n", "false", "0")
# Great Britain and Northern Ireland, generously: a point outside is a typing slip.
LATITUDES, LONGITUDES = (49.8, 60.9), (-8.7, 1.8)


@dataclass(frozen=True)
class RegisterAllowed:
    """What this deployment accepts: areas (code, slug or name, lower case -> code), governance
    bodies (slug or name, lower case -> slug) and today (dates after it are refused)."""

    areas: dict[str, str]
    bodies: dict[str, str]
    today: dt.date


@dataclass(frozen=True)
class RegisterRow:
    row: int  # the row number in the file (the header is row 1)
    values: dict[str, Any]  # column name -> typed value (None when left empty)


def parse_register(
    spec: RegisterSpec, name: str, content: bytes, allowed: RegisterAllowed
) -> list[RegisterRow]:
    """Every row of a register file, checked; TemplateRefused lists every problem."""
    sheet = read_sheet(name, content)
    problems = list(sheet.problems)
    rows: list[RegisterRow] = []
    header: dict[str, int] | None = None
    seen: dict[tuple[Any, ...], int] = {}
    for number, cells in sheet.rows:
        if number > MAX_ROWS + 1:
            problems.append(Problem(sheet.name, number, "", f"more than {MAX_ROWS:,} rows"))
            break
        if header is None:
            header, header_problems = _header(spec, sheet.name, number, cells)
            if header_problems:
                raise TemplateRefused(name, problems + header_problems)
            continue
        raw = {c: (cells[i] if i < len(cells) else None) for c, i in header.items()}
        if all(_blank(v) for v in raw.values()):
            continue
        values, row_problems = _check_row(spec, raw, allowed)
        problems += [Problem(sheet.name, number, c, m) for c, m in row_problems]
        if row_problems:
            continue
        key = tuple(str(values[c]).lower() for c in spec.key)
        if spec.key and key in seen:
            what = ", ".join(f"{c} {values[c]}" for c in spec.key)
            problems.append(Problem(sheet.name, number, "", f"repeats row {seen[key]} ({what})"))
            continue
        seen[key] = number
        rows.append(RegisterRow(number, values))
    if header is None:
        problems.append(Problem(sheet.name, 0, "", "the file is empty: it needs the header row"))
    elif not rows and not problems:
        problems.append(Problem(sheet.name, 0, "", f"the file has no {spec.item} rows"))
    if problems:
        raise TemplateRefused(name, problems)
    return rows


def _header(
    spec: RegisterSpec, sheet: str, number: int, cells: list[object]
) -> tuple[dict[str, int], list[Problem]]:
    names = [str(c).strip().lower() if c is not None else "" for c in cells]
    while names and names[-1] == "":
        names.pop()
    problems = []
    for index, column in enumerate(names):
        if column not in spec.column_names:
            problems.append(Problem(sheet, number, column or f"#{index + 1}",
                                    f"unknown column (the {spec.kind} template's columns are "
                                    f"{', '.join(spec.column_names)})"))  # fmt: skip
        elif names.count(column) > 1:
            problems.append(Problem(sheet, number, column, "the column appears twice"))
    problems += [
        Problem(sheet, number, c.name, "the column is missing")
        for c in spec.columns
        if c.required and c.name not in names
    ]
    return {n: i for i, n in enumerate(names) if n in spec.column_names}, problems


def _check_row(
    spec: RegisterSpec, raw: dict[str, object], allowed: RegisterAllowed
) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    values: dict[str, Any] = {}
    problems: list[tuple[str, str]] = []
    for column in spec.columns:
        value = raw.get(column.name)
        if isinstance(value, Formula):
            problems.append((column.name, f"formulas are refused ({value.text}): paste the value"))
            continue
        if _blank(value):
            if column.required:
                problems.append((column.name, f"the {column.name} is missing"))
            values[column.name] = _empty(column)
            continue
        try:
            values[column.name] = _typed(column, value, allowed)
        except ValueError as exc:
            problems.append((column.name, str(exc)))
    if not problems:
        problems += _row_rules(spec, values, allowed.today)
    return values, problems


def _empty(column: Column) -> Any:
    return "" if column.type in _TEXTUAL else None


def _blank(value: object) -> bool:
    return value is None or (not isinstance(value, Formula) and str(value).strip() == "")


def _typed(column: Column, value: object, allowed: RegisterAllowed) -> Any:  # noqa: C901
    text = value.strip() if isinstance(value, str) else str(value)
    kind = column.type
    if kind in (Type.TEXT, Type.LONG_TEXT):
        if len(text) > column.max_length:
            raise ValueError(f"{len(text):,} characters is over the {column.max_length:,} limit")
        return text if kind == Type.LONG_TEXT else " ".join(text.split())
    if kind == Type.DATE:
        return _date(value, text, allowed.today)
    if kind == Type.MONEY:
        return _money(value, text)
    if kind == Type.CHOICE:
        return _one_of(text, {c: c for c in column.choices}, "a choice", column.choices)
    if kind == Type.AREA:
        return _one_of(text, allowed.areas, "an area of this force", ())
    if kind == Type.BODY:
        return _one_of(text, allowed.bodies, "a governance body of the plan", ())
    if kind == Type.LINK:
        if not _LINK.fullmatch(text) or len(text) > column.max_length:
            raise ValueError(f"'{text[:80]}' is not a web address starting https://")
        return text
    if kind == Type.EMAIL:
        if not _EMAIL.fullmatch(text) or len(text) > column.max_length:
            raise ValueError(f"'{text[:80]}' is not an email address")
        return text
    if kind in (Type.LATITUDE, Type.LONGITUDE):
        low, high = LATITUDES if kind == Type.LATITUDE else LONGITUDES
        number = _decimal(value, text)
        if not low <= number <= high:
            raise ValueError(
                f"{text} is not a {kind.value} in the United Kingdom ({low} to {high})"
            )
        return number.quantize(Decimal("0.000001"))
    if kind == Type.FINANCIAL_YEAR:
        try:
            return FinancialYear.parse(text).label
        except ValueError:
            raise ValueError(f"'{text}' is not a financial year like 2024/25") from None
    if kind == Type.YES_NO:
        if text.lower() in YES:
            return True
        if text.lower() in NO:
            return False
        raise ValueError(f"'{text}' is not yes or no")
    raise AssertionError(kind)


_TEXTUAL = (Type.TEXT, Type.LONG_TEXT, Type.LINK, Type.EMAIL)


def _date(value: object, text: str, today: dt.date) -> dt.date:
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    else:
        try:
            if not _DATE.fullmatch(text):
                raise ValueError(text)
            day = dt.date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"'{text}' is not a date like 2025-04-01 (YYYY-MM-DD)") from None
    if day.year < 1990:
        raise ValueError(f"{day} is too long ago to be right")
    return day


def _decimal(value: object, text: str) -> Decimal:
    # Decimal() would also take '5_3.1' (53.1), 'NaN' and '1e30' (ADR 0014).
    if isinstance(value, bool) or not _PLAIN_DECIMAL.fullmatch(text):
        raise ValueError(f"'{text}' is not a number")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"'{text}' is not a number") from None
    if not number.is_finite():
        raise ValueError(f"'{text}' is not a number")
    return number


def _money(value: object, text: str) -> Decimal:
    if isinstance(value, int | float) and not isinstance(value, bool):
        text = f"{value:.2f}" if isinstance(value, float) else str(value)
    if text.startswith("-"):
        raise ValueError(f"{text} is negative: amounts are 0 or more")
    if not _MONEY.fullmatch(text):
        raise ValueError(
            f"'{text}' is not an amount in pounds (write it plainly, like 12500.50: no £, "
            "commas or more than two decimal places)"
        )
    number = Decimal(text)
    if number >= Decimal("1e12"):
        raise ValueError(f"{text} is too large to be right")
    return number


def _one_of(text: str, known: dict[str, str], what: str, listed: tuple[str, ...]) -> str:
    found = known.get(text.lower())
    if found is not None:
        return found
    message = f"'{text[:80]}' is not {what}"
    if listed:
        message += f" ({', '.join(listed)})"
    close = difflib.get_close_matches(text.lower(), list(known), n=1)
    if close:
        message += f". Did you mean '{close[0]}'?"
    raise ValueError(message)


# Dates of things that have happened (a meeting or an action's due date may be ahead).
PAST_DATES = {"awarded", "published", "closed", "completed", "updated", "visibility_increased"}
PAST_DATE_KINDS = {"decisions", "documents"}


def _row_rules(spec: RegisterSpec, values: dict[str, Any], today: dt.date) -> list[tuple[str, str]]:
    """Rules across columns: an end before its start, a completed item without its date,
    something that has happened dated in the future."""
    problems: list[tuple[str, str]] = []
    past = PAST_DATES | ({"date"} if spec.kind in PAST_DATE_KINDS else set())
    for name in sorted(past & set(values)):
        if values[name] is not None and values[name] > today:
            problems.append((name, f"{values[name]} is in the future"))
    for start, end in (("awarded", "ends"), ("meeting_date", "due"), ("published", "closed")):
        if values.get(start) and values.get(end) and values[end] < values[start]:
            problems.append((end, f"{values[end]} is before the {start} {values[start]}"))
    done = values.get("status") in ("complete", "closed")
    for finished in ("completed", "closed"):
        if finished in values and done and values[finished] is None:
            problems.append((finished, f"give the date it was {values['status']}"))
        if finished in values and not done and values[finished] is not None:
            problems.append(("status", f"it has a {finished} date but its status is "
                                       f"{values['status']}"))  # fmt: skip
    return problems


# --- templates -----------------------------------------------------------------------------


def template_csv(spec: RegisterSpec) -> bytes:
    """The CSV template: the header row only."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(spec.column_names)
    return buffer.getvalue().encode("utf-8")


def template_guide(spec: RegisterSpec) -> list[str]:
    lines = [
        f"How to fill in the {spec.title} template",
        f"One row per {spec.item}. Each upload is the whole register: it replaces the published "
        "one when approved. Do not add formulas, macros or hidden sheets; if any row is wrong "
        "the file is refused and nothing is staged.",
    ]
    return lines + [f"{c.name}: {c.described}" for c in spec.columns]


def template_xlsx(spec: RegisterSpec) -> bytes:
    """The same template as a workbook: a Data sheet (header row) and a Guide sheet."""
    import openpyxl

    workbook = openpyxl.Workbook()
    data = workbook.active
    assert data is not None
    data.title = DATA_SHEET
    data.append(spec.column_names)
    guide = workbook.create_sheet("Guide")
    for line in template_guide(spec):
        guide.append([line])
    guide.column_dimensions["A"].width = 120
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
