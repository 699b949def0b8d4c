"""Reading data.police.uk archives: the YYYY-MM/YYYY-MM-<force>-<kind>.csv layout, with unsafe
or unexpected members and decompression bombs refused before anything is extracted."""

from __future__ import annotations

import gzip
import io
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from policeplan.sources.police_uk import (
    FileIdentity,
    FileKind,
    ZipArchiveError,
    iter_zip_members,
    list_zip_members,
    parse_file,
)
from policeplan.sources.police_uk_formats import HEADERS

# A synthetic one-row street file for January 2025.
SMALL_CSV = (
    ",".join(HEADERS[FileKind.STREET])
    + "\n"
    + "a" * 64
    + ",2025-01,Leicestershire Police,Leicestershire Police,-1.215560,52.619443,"
    "On or near Lancelot Close,E01025631,Blaby 002A,Burglary,Under investigation,\n"
).encode()


def make_zip(members: dict[str, bytes], *, directories: tuple[str, ...] = ()) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for folder in directories:
            archive.writestr(zipfile.ZipInfo(folder), b"")
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_members_in_the_archive_layout_are_yielded() -> None:
    archive = make_zip(
        {
            "2025-01/2025-01-leicestershire-street.csv": SMALL_CSV,
            "2025-01/2025-01-leicestershire-outcomes.csv": b"x",
            "2025-01/2025-01-avon-and-somerset-stop-and-search.csv": b"y",
        },
        directories=("2025-01/",),
    )
    members = dict(iter_zip_members(archive))
    assert list(members) == [
        "2025-01/2025-01-leicestershire-street.csv",
        "2025-01/2025-01-leicestershire-outcomes.csv",
        "2025-01/2025-01-avon-and-somerset-stop-and-search.csv",
    ]
    assert members["2025-01/2025-01-leicestershire-street.csv"] == SMALL_CSV
    result = parse_file("2025-01/2025-01-leicestershire-street.csv", SMALL_CSV)
    assert result.ok and len(result.rows) == 1


def test_list_zip_members_reports_identities_and_sizes(tmp_path: Path) -> None:
    path = tmp_path / "2025-01.zip"
    path.write_bytes(make_zip({"2025-01/2025-01-leicestershire-street.csv": SMALL_CSV}))
    (member,) = list_zip_members(path)
    assert member.identity == FileIdentity("2025-01", "leicestershire", FileKind.STREET)
    assert member.file_size == len(SMALL_CSV)
    assert 0 < member.compress_size <= len(SMALL_CSV)
    assert list(iter_zip_members(str(path))) == [(member.name, SMALL_CSV)]


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("../2025-01-leicestershire-street.csv", "refers to a parent folder ('..')"),
        ("2025-01/../../etc/2025-01-leicestershire-street.csv", "refers to a parent folder"),
        ("/2025-01/2025-01-leicestershire-street.csv", "has an absolute path"),
        ("C:/2025-01/2025-01-leicestershire-street.csv", "has an absolute path"),
        ("README.txt", "is not in the layout YYYY-MM/YYYY-MM-<force>-<kind>.csv"),
        ("2025-01-leicestershire-street.csv", "is not in the layout"),
        ("2025-01/notes.csv", "is not a data.police.uk file name"),
        ("2025-01/2025-01-leicestershire-street.csv.gz", "is not a .csv file"),
        ("2025-02/2025-01-leicestershire-street.csv", "is in folder '2025-02' but its name"),
        ("__MACOSX/2025-01/._2025-01-leicestershire-street.csv", "is not in the layout"),
    ],
)
def test_unsafe_or_unexpected_members_are_refused_before_extraction(
    name: str, problem: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = make_zip({"2025-01/2025-01-leicestershire-street.csv": SMALL_CSV, name: b"x"})
    opened: list[str] = []
    original_open = zipfile.ZipFile.open

    def spy(self: zipfile.ZipFile, member: Any, *args: Any, **kw: Any) -> Any:
        opened.append(str(member))
        return original_open(self, member, *args, **kw)

    monkeypatch.setattr(zipfile.ZipFile, "open", spy)
    with pytest.raises(ZipArchiveError) as err:
        iter_zip_members(archive)  # raises on the call itself, before any iteration
    assert problem in str(err.value)
    assert len(err.value.problems) == 1
    assert opened == []


def test_every_problem_is_listed_together() -> None:
    archive = make_zip({"../a.csv": b"x", "/b.csv": b"y", "c.txt": b"z"})
    with pytest.raises(ZipArchiveError) as err:
        list_zip_members(archive)
    assert len(err.value.problems) == 3
    assert str(err.value).startswith("the uploaded zip: ")


def test_duplicate_member_names_are_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive, pytest.warns(UserWarning):
        archive.writestr("2025-01/2025-01-leicestershire-street.csv", SMALL_CSV)
        archive.writestr("2025-01/2025-01-leicestershire-street.csv", b"other")
    with pytest.raises(ZipArchiveError, match="appears more than once"):
        list_zip_members(buffer.getvalue())


def test_a_decompression_bomb_member_is_refused() -> None:
    bomb = b"0" * (8 * 1024 * 1024)  # 8 MiB of zeros deflates about 1,000 to 1
    archive = make_zip({"2025-01/2025-01-leicestershire-street.csv": bomb})
    with pytest.raises(ZipArchiveError, match="would expand .* times .*possible zip bomb"):
        iter_zip_members(archive)
    # The ratio limit is configurable.
    assert len(list_zip_members(archive, max_compression_ratio=5_000)) == 1


def test_total_uncompressed_size_is_limited() -> None:
    archive = make_zip(
        {
            "2025-01/2025-01-leicestershire-street.csv": SMALL_CSV,
            "2025-01/2025-01-rutland-street.csv": SMALL_CSV,
        }
    )
    limit = len(SMALL_CSV) * 2 - 1
    with pytest.raises(ZipArchiveError, match=f"in total \\(limit {limit:,}\\)"):
        iter_zip_members(archive, max_total_bytes=limit)
    assert len(list_zip_members(archive, max_total_bytes=limit + 1)) == 2


def test_not_a_zip() -> None:
    with pytest.raises(ZipArchiveError, match="not a readable zip archive"):
        iter_zip_members(b"this is not a zip")
    with pytest.raises(ZipArchiveError, match="not a readable zip archive"):
        iter_zip_members(gzip.compress(SMALL_CSV))


def test_corrupt_member_data_is_reported() -> None:
    archive = bytearray(make_zip({"2025-01/2025-01-leicestershire-street.csv": SMALL_CSV * 50}))
    start = archive.index(b"2025-01-leicestershire-street.csv") + 40
    archive[start : start + 20] = b"\x00" * 20
    members = iter_zip_members(bytes(archive))
    with pytest.raises(ZipArchiveError, match="is corrupt"):
        list(members)


def test_real_months_round_trip_through_an_archive(leicestershire_street_dir: Path) -> None:
    members = {}
    for month in ("2020-04", "2022-10", "2025-01"):
        data = gzip.decompress(
            (leicestershire_street_dir / f"{month}-leicestershire-street.csv.gz").read_bytes()
        )
        members[f"{month}/{month}-leicestershire-street.csv"] = data
    counts: Counter[str] = Counter()
    for name, data in iter_zip_members(make_zip(members)):
        result = parse_file(name, data)
        assert result.ok, result.errors
        counts[result.identity.month] = len(result.rows)
    assert counts == {"2020-04": 7_809, "2022-10": 9_802, "2025-01": 8_448}
