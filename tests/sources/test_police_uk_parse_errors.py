"""Parsing data.police.uk files: tolerated variations and every kind of bad input, on
SYNTHETIC files built in the tests."""

from __future__ import annotations

import csv
import gzip
from collections.abc import Mapping
from datetime import UTC, datetime

import pytest

from policeplan.sources.police_uk import (
    FileIdentity,
    FileKind,
    OutcomeRow,
    StopAndSearchRow,
    UnrecognisedFileName,
    iter_rows,
    local_authority_from_lsoa_name,
    lsoa_vintage_for_month,
    parse_file,
    row_fields,
)
from policeplan.sources.police_uk_formats import HEADERS
from tests.sources.test_police_uk_parse import (
    ASB,
    STREET,
    build_csv,
    only_error,
    street,
    street_row,
    street_rows,
)

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
    assert error.message == "gzip layer 1: the gzip data is truncated (file cut short)"
    assert str(error).startswith(f"{STREET}.gz: gzip layer 1: the gzip data is truncated")
    assert result.rows == []


def test_corrupt_gzip() -> None:
    whole = bytearray(gzip.compress(street([street_row()] * 20)))
    whole[30:40] = b"\xff" * 10
    result = parse_file(STREET, bytes(whole))
    assert "gzip layer 1: the gzip data is corrupt" in only_error(result.errors).message


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
        ("Longitude", "abc", "'abc' is not a number (expected digits like -1.130254)"),
        ("Latitude", "52,6", "'52,6' is not a number (expected digits like -1.130254)"),
        ("Longitude", "nan", "'nan' is not a number (expected digits like -1.130254)"),
        ("Latitude", "91", "'91' is not a latitude (must be between -90 and 90)"),
        ("Longitude", "-inf", "'-inf' is not a number (expected digits like -1.130254)"),
        # Python's float() reads these as numbers; data.police.uk never writes them (row 6).
        ("Latitude", "5_3.1", "'5_3.1' is not a number (expected digits like -1.130254)"),
        ("Latitude", " 52.6", "' 52.6' is not a number (expected digits like -1.130254)"),
        ("Longitude", "1e-1", "'1e-1' is not a number (expected digits like -1.130254)"),
        ("Latitude", "٥٢.٦", "'٥٢.٦' is not a number (expected digits like -1.130254)"),
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
        ("Latitude", "x", "'x' is not a number (expected digits like -1.130254)"),
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
