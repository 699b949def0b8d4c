"""data.police.uk CSV parsing: real Leicestershire, peer and comparator files (figures pinned
from independent recounts), and synthetic files built here for every kind of error."""

from __future__ import annotations

import csv
import gzip
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from policeplan.sources.police_uk import (
    FileIdentity,
    FileKind,
    OutcomeRow,
    ParseError,
    ParseResult,
    StopAndSearchRow,
    StreetCrimeRow,
    UnrecognisedFileName,
    identify,
    iter_rows,
    local_authority_from_lsoa_name,
    lsoa_vintage_for_month,
    parse_file,
    row_fields,
)
from policeplan.sources.police_uk_formats import HEADERS

ASB = "Anti-social behaviour"
STREET = "2025-01-leicestershire-street.csv"


# --- synthetic files ------------------------------------------------------------------------


def build_csv(
    kind: FileKind,
    rows: Sequence[Sequence[str] | str],
    *,
    header: Sequence[str] | None = None,
    newline: str = "\n",
    bom: bool = False,
    encoding: str = "utf-8",
) -> bytes:
    """A synthetic CSV: the real header for ``kind`` (unless given), then ``rows``.
    A row given as a plain string is written verbatim (for deliberately malformed lines)."""

    def line(cells: Sequence[str] | str) -> str:
        if isinstance(cells, str):
            return cells
        return ",".join(f'"{c}"' if ("," in c or '"' in c or "\n" in c) else c for c in cells)

    lines = [",".join(header if header is not None else HEADERS[kind])]
    lines += [line(row) for row in rows]
    text = ("\ufeff" if bom else "") + newline.join(lines) + newline
    return text.encode(encoding)


def street_row(changes: Mapping[str, str] | None = None) -> list[str]:
    """A synthetic January 2025 street row, modelled on the real files."""
    row = {
        "Crime ID": "a" * 64,
        "Month": "2025-01",
        "Reported by": "Leicestershire Police",
        "Falls within": "Leicestershire Police",
        "Longitude": "-1.215560",
        "Latitude": "52.619443",
        "Location": "On or near Lancelot Close",
        "LSOA code": "E01025631",
        "LSOA name": "Blaby 002A",
        "Crime type": "Criminal damage and arson",
        "Last outcome category": "Under investigation",
        "Context": "",
    }
    row.update(changes or {})
    return [row[name] for name in HEADERS[FileKind.STREET]]


def street(rows: Sequence[Sequence[str] | str], **options: Any) -> bytes:
    return build_csv(FileKind.STREET, rows, **options)


def street_rows(result: ParseResult) -> list[StreetCrimeRow]:
    rows = [row for row in result.rows if isinstance(row, StreetCrimeRow)]
    assert len(rows) == len(result.rows)
    return rows


def only_error(result_errors: list[ParseError]) -> ParseError:
    assert len(result_errors) == 1, result_errors
    return result_errors[0]


# --- file names -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "month", "force", "kind"),
    [
        ("2025-01-leicestershire-street.csv", "2025-01", "leicestershire", FileKind.STREET),
        ("2025-01-leicestershire-street.csv.gz", "2025-01", "leicestershire", FileKind.STREET),
        ("2022-10/2022-10-avon-and-somerset-outcomes.csv", "2022-10", "avon-and-somerset",
         FileKind.OUTCOMES),
        ("x/y/2019-12-city-of-london-stop-and-search.csv", "2019-12", "city-of-london",
         FileKind.STOP_AND_SEARCH),
        (r"C:\data\2020-04-btp-street.csv", "2020-04", "btp", FileKind.STREET),
    ],
)  # fmt: skip
def test_identify_reads_month_force_and_kind(
    name: str, month: str, force: str, kind: FileKind
) -> None:
    identity = identify(name)
    assert identity == FileIdentity(month=month, force=force, kind=kind)
    assert identity.file_name == f"{month}-{force}-{kind.value}.csv"


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("2025-13-leicestershire-street.csv", "'2025-13' is not a month"),
        ("2025-00-leicestershire-street.csv", "'2025-00' is not a month"),
        ("2025-01-leicestershire-crimes.csv", "expected YYYY-MM-<force>-"),
        ("2025-01-leicestershire-street.xlsx", "expected YYYY-MM-<force>-"),
        ("leicestershire-street.csv", "expected YYYY-MM-<force>-"),
        ("2025-01-street.csv", "expected YYYY-MM-<force>-"),
        ("2025-01-Leicestershire-street.csv", "expected YYYY-MM-<force>-"),
        ("", "expected YYYY-MM-<force>-"),
    ],
)
def test_identify_rejects_other_names_in_plain_english(name: str, reason: str) -> None:
    with pytest.raises(UnrecognisedFileName, match="is not a data.police.uk file name") as err:
        identify(name)
    assert reason in str(err.value)


def test_identify_error_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="for example 2025-01-leicestershire-street.csv"):
        identify("crimes.csv")


# --- real files -----------------------------------------------------------------------------


def parse_real(folder: Path, month: str, force: str = "leicestershire") -> list[StreetCrimeRow]:
    name = f"{month}-{force}-street.csv.gz"
    result = parse_file(name, (folder / name).read_bytes())
    assert result.ok, result.errors
    assert result.identity == FileIdentity(month, force, FileKind.STREET)
    return street_rows(result)


def test_real_2022_10_counts_by_crime_type(leicestershire_street_dir: Path) -> None:
    # Recounted independently from the published file (csv.DictReader over the gzip).
    rows = parse_real(leicestershire_street_dir, "2022-10")
    types = Counter(row.crime_type for row in rows)
    assert len(rows) == 9_802
    assert types[ASB] == 752
    assert len(rows) - types[ASB] == 9_050
    assert types["Violence and sexual offences"] == 3_733
    assert types["Public order"] == 1_130
    assert types["Burglary"] == 516
    assert types["Shoplifting"] == 343
    assert types["Criminal damage and arson"] == 876
    assert len(types) == 14


def test_real_2020_04_counts_and_a_quoted_location(leicestershire_street_dir: Path) -> None:
    rows = parse_real(leicestershire_street_dir, "2020-04")
    types = Counter(row.crime_type for row in rows)
    assert len(rows) == 7_809
    assert types[ASB] == 1_736
    assert types["Violence and sexual offences"] == 2_381
    # Line 546 of the file (row 545 of data) has a comma inside a quoted Location.
    asb = rows[544]
    assert asb == StreetCrimeRow(
        crime_id=None,
        month="2020-04",
        reported_by="Leicestershire Police",
        falls_within="Leicestershire Police",
        longitude=-1.205793,
        latitude=52.646527,
        location="On or near Ellis Park, Glenfield",
        lsoa_code="E01025624",
        lsoa_name="Blaby 013C",
        crime_type=ASB,
        last_outcome_category=None,
        context=None,
    )


def test_real_2025_01_lf_file_with_lsoa_2021_codes(leicestershire_street_dir: Path) -> None:
    rows = parse_real(leicestershire_street_dir, "2025-01")
    types = Counter(row.crime_type for row in rows)
    assert len(rows) == 8_448
    assert types[ASB] == 892
    assert types["Shoplifting"] == 836
    assert types["Violence and sexual offences"] == 3_065
    assert sum(row.lsoa_code == "E01034008" for row in rows) == 5  # an LSOA 2021 code
    assert lsoa_vintage_for_month("2025-01") == "2021"


def test_real_file_columns_are_typed(leicestershire_street_dir: Path) -> None:
    rows = parse_real(leicestershire_street_dir, "2022-10")
    first = rows[0]
    assert first.crime_id == "77e5eefdfbe6309d83165926441adce3c2ea73bb3651b84237b30200940caf91"
    assert (first.longitude, first.latitude) == (-1.215560, 52.619443)
    assert first.lsoa_name == "Blaby 002A"
    assert first.last_outcome_category == "Under investigation"
    # ASB has no Crime ID and no outcome; Context is empty throughout.
    asb = [row for row in rows if row.crime_type == ASB]
    assert all(row.crime_id is None and row.last_outcome_category is None for row in asb)
    assert all(row.crime_id for row in rows if row.crime_type != ASB)
    assert all(row.context is None for row in rows)
    # 402 rows have no location: no coordinates and no LSOA.
    unlocated = [row for row in rows if row.latitude is None]
    assert len(unlocated) == 402
    assert all(row.longitude is None and row.lsoa_code is None for row in unlocated)
    assert {local_authority_from_lsoa_name(r.lsoa_name) for r in rows if r.lsoa_name} >= {
        "Blaby",
        "Charnwood",
        "Harborough",
        "Hinckley and Bosworth",
        "Leicester",
        "Melton",
        "North West Leicestershire",
        "Oadby and Wigston",
        "Rutland",
    }


def read_manifest(path: Path) -> dict[str, dict[str, str]]:
    with path.open(newline="") as handle:
        return {Path(row["file"]).name: row for row in csv.DictReader(handle)}


def manifest_beside(street_dir: Path) -> dict[str, dict[str, str]]:
    """The manifest that came with the files: bundled ``data/police_uk/MANIFEST.csv`` or
    ``../shared/data/MANIFEST_police_uk.csv`` (same columns)."""
    for candidate in (
        street_dir.parents[1] / "MANIFEST.csv",
        street_dir.parents[2] / "MANIFEST_police_uk.csv",
    ):
        if candidate.is_file():
            return read_manifest(candidate)
    pytest.skip(f"no manifest beside {street_dir}")


def test_every_leicestershire_month_parses_with_published_counts(
    leicestershire_street_dir: Path,
) -> None:
    manifest = manifest_beside(leicestershire_street_dir)
    files = sorted(leicestershire_street_dir.glob("*.csv.gz"))
    assert len(files) == 48
    years: Counter[str] = Counter()
    for path in files:
        result = parse_file(path.name, path.read_bytes())
        assert result.ok, result.errors
        expected = manifest[path.name]
        rows = street_rows(result)
        assert len(rows) == int(expected["rows"]), path.name
        asb = sum(1 for row in rows if row.crime_type == ASB)
        assert asb == int(expected["asb_rows"]), path.name
        years[result.identity.month[:4]] += len(result.rows)
    # Calendar-year totals from the data README.
    assert (years["2020"], years["2021"], years["2025"]) == (97_979, 99_007, 106_149)


@pytest.mark.slow
def test_all_shared_police_uk_files_parse_cleanly(shared_data_dir: Path) -> None:
    manifest = read_manifest(shared_data_dir / "MANIFEST_police_uk.csv")
    files = sorted((shared_data_dir / "police_uk").rglob("*.csv.gz"))
    assert len(files) == len(manifest) == 194
    forces: Counter[str] = Counter()
    total = 0
    for path in files:
        stream = iter_rows(path.name, path.read_bytes())
        count = sum(1 for _ in stream)
        assert stream.error_count == 0, stream.errors
        assert count == stream.row_count == int(manifest[path.name]["rows"]), path.name
        forces[stream.identity.force] += count
        total += count
    assert total == 1_898_885
    assert forces["lancashire"] == 564_082
    assert forces["nottinghamshire"] == 225_057


# --- tolerated variations -------------------------------------------------------------------


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
@pytest.mark.parametrize("bom", [False, True])
@pytest.mark.parametrize("compress", [False, True])
def test_line_endings_bom_and_gzip_are_tolerated(newline: str, bom: bool, compress: bool) -> None:
    data = street([street_row(), street_row({"Crime type": ASB, "Crime ID": ""})],
                  newline=newline, bom=bom)  # fmt: skip
    if compress:
        data = gzip.compress(data)
    result = parse_file(STREET, data)
    assert result.ok, result.errors
    assert [row.crime_type for row in street_rows(result)] == ["Criminal damage and arson", ASB]


def test_gzip_is_detected_by_content_not_name() -> None:
    result = parse_file(STREET, gzip.compress(street([street_row()])))
    assert result.ok and len(result.rows) == 1
    plain = parse_file(STREET + ".gz", street([street_row()]))
    assert plain.ok and len(plain.rows) == 1


def test_header_only_file_has_no_rows_and_no_errors() -> None:
    result = parse_file(STREET, street([]))
    assert result.ok and result.rows == []


def test_trailing_blank_lines_are_ignored_but_inner_ones_are_errors() -> None:
    data = street([street_row(), "", street_row(), "", ""])
    result = parse_file(STREET, data)
    assert len(result.rows) == 2
    error = only_error(result.errors)
    assert (error.row, error.column, error.message) == (3, None, "the line is blank")


def test_quoted_field_spanning_lines_keeps_row_numbers_right() -> None:
    data = street([street_row({"Location": "On or near\nTwo Lines"}), street_row({"Month": "x"})])
    result = parse_file(STREET, data)
    assert street_rows(result)[0].location == "On or near\nTwo Lines"
    assert only_error(result.errors).row == 4  # header 1, first row on lines 2-3


def test_explicit_identity_for_an_upload_with_another_name() -> None:
    identity = FileIdentity("2025-01", "leicestershire", FileKind.STREET)
    result = parse_file("upload.csv", street([street_row()]), identity=identity)
    assert result.ok and result.identity == identity
    with pytest.raises(UnrecognisedFileName):
        parse_file("upload.csv", street([street_row()]))


# --- file-level errors ----------------------------------------------------------------------


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b"\r\n", gzip.compress(b"")])
def test_empty_file(data: bytes) -> None:
    result = parse_file(STREET, data)
    error = only_error(result.errors)
    assert (error.file, error.row, error.column) == (STREET, None, None)
    assert error.message.startswith("the file is empty: expected a header row 'Crime ID,Month,")
    assert result.rows == [] and not result.ok


def test_truncated_gzip_names_the_file() -> None:
    whole = gzip.compress(street([street_row()] * 200))
    result = parse_file(STREET + ".gz", whole[: len(whole) // 2])
    error = only_error(result.errors)
    assert error.file == STREET + ".gz"
    assert "gzip data is truncated or corrupt" in error.message
    assert str(error).startswith(f"{STREET}.gz: the gzip data is truncated")
    assert result.rows == []


def test_corrupt_gzip() -> None:
    whole = bytearray(gzip.compress(street([street_row()] * 20)))
    whole[30:40] = b"\xff" * 10
    result = parse_file(STREET, bytes(whole))
    assert "truncated or corrupt" in only_error(result.errors).message


def test_missing_column_is_named() -> None:
    header = [h for h in HEADERS[FileKind.STREET] if h != "Context"]
    result = parse_file(STREET, street([street_row()[:-1]], header=header))
    error = only_error(result.errors)
    assert (error.row, error.column) == (1, None)
    assert error.message == "the header is not a data.police.uk street header: missing 'Context'"
    assert result.rows == []


def test_unexpected_and_missing_columns_are_named() -> None:
    header = [*HEADERS[FileKind.STREET][:-1], "Notes"]
    error = only_error(parse_file(STREET, street([], header=header)).errors)
    assert error.message.endswith("missing 'Context'; unexpected 'Notes'")


def test_columns_in_the_wrong_order() -> None:
    header = list(HEADERS[FileKind.STREET])
    header[4], header[5] = header[5], header[4]
    error = only_error(parse_file(STREET, street([], header=header)).errors)
    assert error.message.endswith("columns are in the wrong order or repeated")


def test_an_outcomes_file_named_as_street() -> None:
    data = build_csv(FileKind.OUTCOMES, [])
    error = only_error(parse_file(STREET, data).errors)
    assert "missing 'Crime type', 'Last outcome category', 'Context'" in error.message
    assert "unexpected 'Outcome type'" in error.message


# --- row-level errors -----------------------------------------------------------------------


def test_bad_month_names_row_and_column() -> None:
    result = parse_file(STREET, street([street_row(), street_row({"Month": "2025-13"})]))
    error = only_error(result.errors)
    assert (error.row, error.column, error.message) == (3, "Month", "'2025-13' is not a month")
    assert str(error) == f"{STREET}, row 3, column Month: '2025-13' is not a month"
    assert len(result.rows) == 1


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2025-02", "'2025-02' does not match the file's month 2025-01"),
        ("Jan 2025", "'Jan 2025' is not a month (expected YYYY-MM)"),
        ("", "the month is empty (expected YYYY-MM)"),
    ],
)
def test_month_must_be_the_files_month(value: str, message: str) -> None:
    error = only_error(parse_file(STREET, street([street_row({"Month": value})])).errors)
    assert (error.row, error.column, error.message) == (2, "Month", message)


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("Longitude", "abc", "'abc' is not a number"),
        ("Latitude", "52,6", "'52,6' is not a number"),
        ("Longitude", "nan", "'nan' is not a longitude (must be between -180 and 180)"),
        ("Latitude", "91", "'91' is not a latitude (must be between -90 and 90)"),
        ("Longitude", "-inf", "'-inf' is not a longitude (must be between -180 and 180)"),
    ],
)
def test_bad_coordinates(column: str, value: str, message: str) -> None:
    error = only_error(parse_file(STREET, street([street_row({column: value})])).errors)
    assert (error.row, error.column, error.message) == (2, column, message)


@pytest.mark.parametrize("column", ["Reported by", "Falls within", "Crime type"])
def test_required_columns(column: str) -> None:
    error = only_error(parse_file(STREET, street([street_row({column: ""})])).errors)
    assert (error.column, error.message) == (column, "must not be empty")


def test_wrong_number_of_fields() -> None:
    result = parse_file(STREET, street([street_row()[:-1], [*street_row(), "extra"]]))
    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (2, None, "expected 12 fields but found 11"),
        (3, None, "expected 12 fields but found 13"),
    ]


def test_every_problem_in_a_row_is_reported_and_good_rows_kept() -> None:
    rows = [
        street_row(),
        street_row({"Month": "2025-13", "Longitude": "west", "Crime type": ""}),
        street_row(),
        street_row({"Latitude": "north"}),
    ]
    result = parse_file(STREET, street(rows, newline="\r\n"))
    assert [(e.row, e.column) for e in result.errors] == [
        (3, "Month"),
        (3, "Longitude"),
        (3, "Crime type"),
        (5, "Latitude"),
    ]
    assert len(result.rows) == 2 and result.error_count == 4


def test_errors_are_capped_with_a_count_of_the_rest() -> None:
    rows = [street_row({"Month": "2025-13"})] * 120 + [street_row()]
    result = parse_file(STREET, street(rows))
    assert len(result.errors) == 50
    assert result.error_count == 120 and result.more_errors == 70
    assert result.errors[-1].row == 51
    assert len(result.rows) == 1
    small = parse_file(STREET, street(rows), max_errors=3)
    assert len(small.errors) == 3 and small.more_errors == 117


def test_non_utf8_bytes_name_row_and_column() -> None:
    data = street([street_row(), street_row({"Location": "On or near Caf\xe9 Row"})],
                  encoding="latin-1")  # fmt: skip
    result = parse_file(STREET, data)
    error = only_error(result.errors)
    assert (error.row, error.column) == (3, "Location")
    assert error.message == "contains byte 0xe9 which is not valid UTF-8 text"
    assert len(result.rows) == 1


def test_non_utf8_in_the_first_column_and_in_several_rows() -> None:
    rows = [street_row({"Crime ID": "\xff"}), street_row(), street_row({"Context": "\xe9"})]
    result = parse_file(STREET, street(rows, encoding="latin-1", newline="\r\n"))
    assert [(e.row, e.column) for e in result.errors] == [(2, "Crime ID"), (4, "Context")]
    assert len(result.rows) == 1


def test_non_utf8_in_the_header() -> None:
    header = [*HEADERS[FileKind.STREET][:-1], "Cont\xe9xt"]
    result = parse_file(STREET, street([street_row()], header=header, encoding="latin-1"))
    error = only_error(result.errors)
    assert (error.row, error.column) == (1, None) and "not valid UTF-8" in error.message
    assert result.rows == []


def test_nul_characters_are_reported() -> None:
    result = parse_file(STREET, street([street_row(), street_row({"Location": "On \x00 near"})]))
    error = only_error(result.errors)
    assert (error.row, error.column) == (3, None)
    assert error.message == "contains a NUL character (is the file damaged?)"
    assert len(result.rows) == 1


def test_unreadable_csv_line_is_reported_and_parsing_goes_on() -> None:
    huge = "x" * (csv.field_size_limit() + 10)
    result = parse_file(STREET, street([street_row({"Location": huge}), street_row()]))
    error = only_error(result.errors)
    assert error.row == 2 and "cannot be read as CSV" in error.message
    assert len(result.rows) == 1


# --- the streaming interface ----------------------------------------------------------------


def test_iter_rows_streams_rows_then_reports_errors() -> None:
    stream = iter_rows(STREET, street([street_row(), street_row({"Month": "x"}), street_row()]))
    assert stream.identity.kind is FileKind.STREET
    rows = list(stream)
    assert len(rows) == 2 == stream.row_count
    assert stream.error_count == 1 and stream.errors[0].row == 3
    with pytest.raises(RuntimeError, match="already been read"):
        list(stream)


def test_row_fields_match_the_row_tuples() -> None:
    assert row_fields(FileKind.STREET)[:2] == ("crime_id", "month")
    assert len(row_fields(FileKind.STREET)) == 12
    assert len(row_fields(FileKind.OUTCOMES)) == 10
    # Stop and search keeps all 15 columns and adds the file's month after the date.
    assert row_fields(FileKind.STOP_AND_SEARCH)[:3] == ("type", "date", "month")
    assert len(row_fields(FileKind.STOP_AND_SEARCH)) == 16


# --- outcomes and stop and search -----------------------------------------------------------

OUTCOMES = "2025-01-leicestershire-outcomes.csv"
STOPS = "2024-04-leicestershire-stop-and-search.csv"


def outcome_row(changes: Mapping[str, str] | None = None) -> list[str]:
    row = dict(zip(HEADERS[FileKind.OUTCOMES], street_row()[:9], strict=False))
    row["Outcome type"] = "Investigation complete; no suspect identified"
    row.update(changes or {})
    return [row[name] for name in HEADERS[FileKind.OUTCOMES]]


def stop_row(changes: Mapping[str, str] | None = None) -> list[str]:
    # Synthetic, in the shape of a published row.
    row = dict(
        zip(
            HEADERS[FileKind.STOP_AND_SEARCH],
            ["Person search", "2024-04-01T09:58:14+00:00", "False", "", "52.619443",
             "-1.215560", "Male", "18-24",
             "White - English/Welsh/Scottish/Northern Irish/British", "White",
             "Misuse of Drugs Act 1971 (section 23)", "Controlled drugs",
             "A no further action disposal", "", "False"],
            strict=True,
        )
    )  # fmt: skip
    row.update(changes or {})
    return [row[name] for name in HEADERS[FileKind.STOP_AND_SEARCH]]


def test_outcomes_rows() -> None:
    data = build_csv(FileKind.OUTCOMES, [outcome_row(), outcome_row({"Longitude": "",
                                                                    "Latitude": ""})])  # fmt: skip
    result = parse_file(OUTCOMES, data)
    assert result.ok, result.errors
    first, second = result.rows
    assert isinstance(first, OutcomeRow)
    assert first.outcome_type == "Investigation complete; no suspect identified"
    assert first.crime_id == "a" * 64 and first.latitude == 52.619443
    assert isinstance(second, OutcomeRow) and second.longitude is None


def test_outcomes_need_a_crime_id_and_the_files_month() -> None:
    rows = [outcome_row({"Crime ID": ""}), outcome_row({"Month": "2024-12"})]
    result = parse_file(OUTCOMES, build_csv(FileKind.OUTCOMES, rows))
    assert [(e.row, e.column) for e in result.errors] == [(2, "Crime ID"), (3, "Month")]


def test_stop_and_search_rows() -> None:
    rows = [stop_row(), stop_row({"Part of a policing operation": "TRUE",
                                  "Outcome linked to object of search": "true",
                                  "Latitude": "", "Longitude": "", "Gender": ""})]  # fmt: skip
    result = parse_file(STOPS, build_csv(FileKind.STOP_AND_SEARCH, rows, newline="\r\n"))
    assert result.ok, result.errors
    first, second = result.rows
    assert isinstance(first, StopAndSearchRow) and isinstance(second, StopAndSearchRow)
    assert first.date == datetime(2024, 4, 1, 9, 58, 14, tzinfo=UTC)
    assert first.month == "2024-04"
    assert (first.latitude, first.longitude) == (52.619443, -1.215560)
    assert first.part_of_a_policing_operation is False
    assert first.policing_operation is None and first.outcome_linked_to_object_of_search is None
    assert first.removal_of_more_than_just_outer_clothing is False
    assert second.part_of_a_policing_operation is True
    assert second.outcome_linked_to_object_of_search is True
    assert second.latitude is None and second.gender is None


def test_stop_and_search_dates_just_before_the_month_are_accepted() -> None:
    # 00:30 BST on 1 April is 23:30 UTC on 31 March, filed under April.
    rows = [stop_row({"Date": "2024-03-31T23:30:00+00:00"}),
            stop_row({"Date": "2024-04-30T23:59:59"})]  # fmt: skip
    result = parse_file(STOPS, build_csv(FileKind.STOP_AND_SEARCH, rows))
    assert result.ok, result.errors
    last = result.rows[1]
    assert isinstance(last, StopAndSearchRow) and last.date.tzinfo is UTC


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("Date", "2024-05-03T10:00:00+00:00",
         "'2024-05-03T10:00:00+00:00' is not in the file's month 2024-04"),
        ("Date", "01/04/2024", "'01/04/2024' is not a date and time (expected e.g. "
         "2024-03-01T09:58:14+00:00)"),
        ("Date", "", "must not be empty"),
        ("Part of a policing operation", "Yes", "'Yes' is not True or False"),
        ("Removal of more than just outer clothing", "1", "'1' is not True or False"),
        ("Latitude", "x", "'x' is not a number"),
        ("Type", "", "must not be empty"),
    ],
)  # fmt: skip
def test_stop_and_search_errors(column: str, value: str, message: str) -> None:
    data = build_csv(FileKind.STOP_AND_SEARCH, [stop_row({column: value})])
    error = only_error(parse_file(STOPS, data).errors)
    assert (error.row, error.column, error.message) == (2, column, message)


def test_stop_and_search_header_is_the_published_one() -> None:
    # The last column is "Removal of more than just outer clothing", not "Removal of clothing".
    header = [*HEADERS[FileKind.STOP_AND_SEARCH][:-1], "Removal of clothing"]
    data = build_csv(FileKind.STOP_AND_SEARCH, [stop_row()], header=header)
    error = only_error(parse_file(STOPS, data).errors)
    assert "missing 'Removal of more than just outer clothing'" in error.message


# --- geography helpers ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lsoa_name", "local_authority"),
    [
        ("Blaby 002A", "Blaby"),
        ("Hinckley and Bosworth 011D", "Hinckley and Bosworth"),
        ("North West Leicestershire 001A", "North West Leicestershire"),
        ("Bristol, City of 001A", "Bristol, City of"),
        ("Birmingham 102B", "Birmingham"),
    ],
)
def test_local_authority_from_lsoa_name(lsoa_name: str, local_authority: str) -> None:
    assert local_authority_from_lsoa_name(lsoa_name) == local_authority


@pytest.mark.parametrize("bad", ["Blaby", "002A", "", "Blaby 2A", "Blaby 002a"])
def test_local_authority_from_a_bad_lsoa_name(bad: str) -> None:
    with pytest.raises(ValueError, match="is not an LSOA name"):
        local_authority_from_lsoa_name(bad)


def test_lsoa_vintage_for_month() -> None:
    assert lsoa_vintage_for_month("2019-12") == "2011"
    assert lsoa_vintage_for_month("2022-11") == "2011"
    assert lsoa_vintage_for_month("2022-12") == "2011"
    assert lsoa_vintage_for_month("2023-01") == "2021"
    assert lsoa_vintage_for_month("2025-12") == "2021"
    assert lsoa_vintage_for_month("2022-12", first_2021_month="2022-12") == "2021"
    with pytest.raises(ValueError, match="'2023-13' is not a month"):
        lsoa_vintage_for_month("2023-13")
    with pytest.raises(ValueError, match="first_2021_month"):
        lsoa_vintage_for_month("2023-01", first_2021_month="2023")
