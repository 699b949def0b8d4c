"""Property: every mutated real file ends in a clear error (a project error naming the file,
and the row/sheet and column where there is one) or in a correct parse checked against an
independent reading; never an escaping exception. The parsers alone, no database."""

from __future__ import annotations

import csv
import gzip
import io
import zipfile
from decimal import Decimal
from pathlib import Path

from hypothesis import given

from policeplan.analysis.periods import Month
from policeplan.sources.local_template import (
    Allowed,
    MetricRule,
    TemplateRefused,
    parse_local_file,
    template_csv,
    template_rows,
    template_xlsx,
)
from policeplan.sources.ons_pfa import OnsPfaWorkbookInvalid, parse_workbook
from policeplan.sources.ons_pfa_sheet import MAX_FIGURE
from policeplan.sources.police_uk import (
    HEADERS,
    ContentRules,
    StreetCrimeRow,
    UnrecognisedFileName,
    ZipArchiveError,
    identify,
    iter_zip_members,
    load_forces,
    parse_file,
)
from tests.fuzz.conftest import fuzz, record
from tests.fuzz.mutations import (
    Mutated,
    byte_mutation,
    csv_mutation,
    encoding_mutation,
    mutated,
    sheet_mutation,
    wrapping,
)

REPO = Path(__file__).resolve().parents[2]
FORCES = load_forces(REPO / "data" / "police_uk" / "forces.csv")
RULES = ContentRules(FORCES, "2026-11")
STREET_FILE = REPO / "data" / "police_uk" / "leicestershire" / "street"
STREET_NAME = "2025-01-leicestershire-street.csv"
ONS_FILE = REPO / "data" / "ons_pfa" / "pfatablesdec19.xlsx"


def street_seed(rows: int = 40) -> Mutated:
    """The first ``rows`` rows of a real bundled street file (plain CSV)."""
    text = gzip.decompress((STREET_FILE / f"{STREET_NAME}.gz").read_bytes()).decode("utf-8")
    return Mutated(STREET_NAME, "".join(text.splitlines(keepends=True)[: rows + 1]).encode())


def classified(parser: str, check: object, item: Mutated) -> str:
    """Run ``check`` and tally its outcome; anything escaping is 'anything else'."""
    try:
        outcome = check(item)  # type: ignore[operator]
    except BaseException:
        record(parser, "anything else")
        raise
    record(parser, outcome)
    return outcome  # type: ignore[no-any-return]


# --- police.uk --------------------------------------------------------------------------------


def _plain(data: bytes) -> bytes:
    while data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return data


def police_uk_outcome(item: Mutated) -> str:
    if item.data[:2] == b"PK":  # a zip: the archive reader, then each member
        try:
            members = list(iter_zip_members(item.data))
        except ZipArchiveError as exc:
            assert exc.problems and str(exc).startswith(f"{exc.archive}: ")
            return "clear error"
        outcomes = {police_uk_file(name, data) for name, data in members}
        return "clear error" if "clear error" in outcomes else "correct import"
    return police_uk_file(item.name, item.data)


def police_uk_file(name: str, data: bytes) -> str:
    try:
        identity = identify(name)
    except UnrecognisedFileName as exc:
        assert name.rsplit("/", 1)[-1] in str(exc)
        return "clear error"
    result = parse_file(name, data, rules=RULES)
    header = HEADERS[identity.kind]
    if result.error_count:
        assert result.errors
        for error in result.errors:
            assert error.file == name and error.message and str(error).startswith(name)
            assert error.row is None or error.row >= 1
            assert error.column is None or error.column in header
        return "clear error"
    # Accepted: the rows are what an independent reading of the same bytes finds.
    expected = list(csv.DictReader(io.StringIO(_plain(data).decode("utf-8-sig"), newline="")))
    assert len(result.rows) == len(expected)
    force = FORCES[identity.force]
    for row, raw in zip(result.rows, expected, strict=True):
        assert isinstance(row, StreetCrimeRow)
        assert row.month == identity.month and row.reported_by == force.name
        assert row.crime_id == (raw["Crime ID"] or None)
        assert row.crime_type == raw["Crime type"] and row.crime_type in RULES.crime_types
        assert row.latitude == (float(raw["Latitude"]) if raw["Latitude"] else None)
        assert row.longitude == (float(raw["Longitude"]) if raw["Longitude"] else None)
    return "correct import"


STREET_INPUTS = mutated(street_seed(), csv_mutation, byte_mutation, encoding_mutation, wrapping)


@fuzz
@given(STREET_INPUTS)
def test_fuzz_police_uk_parser(item: Mutated) -> None:
    classified("police.uk parser", police_uk_outcome, item)


# --- ONS workbooks ----------------------------------------------------------------------------

ONS_ORIGINAL = parse_workbook(ONS_FILE.name, ONS_FILE.read_bytes())


def ons_outcome(item: Mutated) -> str:
    try:
        edition = parse_workbook(item.name, item.data)
    except OnsPfaWorkbookInvalid as exc:
        assert exc.errors
        for error in exc.errors:
            assert error.file == item.name and error.message
            assert str(error).startswith(item.name)
        return "clear error"
    # Accepted: every figure is the original's, except in the cells the mutation edited.
    edited = {str(edit[1]) for edit in item.edited if isinstance(edit, tuple)}
    original = {(o.sheet, o.cell): o for o in ONS_ORIGINAL.observations}
    assert edition.period_end == ONS_ORIGINAL.period_end
    for obs in edition.observations:
        assert (obs.value is None) != (obs.marker is None)
        assert obs.value is None or abs(obs.value) < MAX_FIGURE
        if obs.cell not in edited:
            assert original[(obs.sheet, obs.cell)] == obs
    assert len(edition.observations) <= len(ONS_ORIGINAL.observations) + len(edited)
    return "correct import"


ONS_INPUTS = mutated(
    Mutated(ONS_FILE.name, ONS_FILE.read_bytes()), sheet_mutation, byte_mutation, max_mutations=2
)


@fuzz
@given(ONS_INPUTS)
def test_fuzz_ons_workbook_parser(item: Mutated) -> None:
    classified("ONS workbook parser", ons_outcome, item)


# --- local data template ----------------------------------------------------------------------

ALLOWED = Allowed(
    {
        "share-percent": MetricRule("share-percent", "quarterly", "percent"),
        "people-count": MetricRule("people-count", "monthly", "count"),
    },
    {"e10000018": "E10000018", "area-slug": "E10000018"},
    Month(2026, 3),
)


def local_seed(xlsx: bool) -> Mutated:
    """The app's own template (template_rows/template_csv/template_xlsx), filled in."""
    described = [
        ("share-percent", "A share", "percent", "quarterly"),
        ("people-count", "People", "count", "monthly"),
    ]
    rows = template_rows(described, "E10000018", {"share-percent": "2025-12"})
    rows[0][3] = "87.5"
    rows[1][2], rows[1][3], rows[1][4], rows[1][5] = "2026-02", "14", "14", "20"
    if xlsx:
        return Mutated("figures.xlsx", template_xlsx(rows, ["Fill in one row per figure."]))
    return Mutated("figures.csv", template_csv(rows))


def local_outcome(item: Mutated) -> str:
    try:
        rows = parse_local_file(item.name, item.data, ALLOWED)
    except TemplateRefused as exc:
        assert exc.problems and exc.name == item.name
        assert all(problem.message for problem in exc.problems)
        assert str(exc).startswith(f"{item.name}: ")
        return "clear error"
    assert rows
    for row in rows:
        rule = ALLOWED.metrics[row.metric]
        assert row.area in ALLOWED.areas.values() and row.period_end <= ALLOWED.latest_month
        assert abs(Decimal(row.value)) <= Decimal(10) ** 12
        if rule.unit == "percent":
            assert 0 <= row.value <= 100
    return "correct import"


@fuzz
@given(mutated(local_seed(False), csv_mutation, byte_mutation, encoding_mutation, wrapping))
def test_fuzz_local_data_csv_parser(item: Mutated) -> None:
    classified("local data parser (CSV)", local_outcome, item)


@fuzz
@given(mutated(local_seed(True), sheet_mutation, byte_mutation, max_mutations=2))
def test_fuzz_local_data_xlsx_parser(item: Mutated) -> None:
    classified("local data parser (XLSX)", local_outcome, item)


def test_the_seeds_are_correct_imports() -> None:
    """Unmutated, every seed imports: the fuzzing starts from good files."""
    assert police_uk_outcome(street_seed()) == "correct import"
    assert ons_outcome(Mutated(ONS_FILE.name, ONS_FILE.read_bytes())) == "correct import"
    assert local_outcome(local_seed(False)) == "correct import"
    assert local_outcome(local_seed(True)) == "correct import"
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr(f"2025-01/{STREET_NAME}", street_seed().data)
    assert police_uk_outcome(Mutated("a.zip", archive.getvalue())) == "correct import"
