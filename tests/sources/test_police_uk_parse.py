"""data.police.uk CSV parsing: real Leicestershire, peer and comparator files (figures pinned
from independent recounts), and synthetic files built here for every kind of error."""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from policeplan.sources.police_uk import (
    FileIdentity,
    FileKind,
    ParseError,
    ParseResult,
    StreetCrimeRow,
    UnrecognisedFileName,
    identify,
    iter_rows,
    local_authority_from_lsoa_name,
    lsoa_vintage_for_month,
    parse_file,
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
    expected = "expected YYYY-MM-<force>-<street|outcomes|stop-and-search>.csv (optionally .gz)"
    with pytest.raises(ValueError, match=re.escape(expected)):
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
