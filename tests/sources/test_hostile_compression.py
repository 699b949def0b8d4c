"""Issue 11, row 1: decompression is capped at every layer, by bytes out and by ratio, and
refused with a clear error naming the file and the layer (ADR 0014). No database."""

from __future__ import annotations

import gzip
import io
import resource
import zipfile
import zlib
from pathlib import Path

import pytest

from policeplan.sources.compression import (
    DecompressionRefused,
    Limits,
    gunzip,
    read_zip_member,
    strip_gzip_layers,
)
from policeplan.sources.police_uk import ZipArchiveError, iter_zip_members, parse_file

HOSTILE = Path(__file__).resolve().parents[1] / "fixtures" / "hostile"
STREET = "2025-01-leicestershire-street.csv"
HEADER = (
    b"Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
    b"Crime type,Last outcome category,Context\n"
)


def zeros_gzip(mib: int) -> bytes:
    """``mib`` MiB of zero bytes, gzipped (about 1,000 times smaller)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = b"\0" * (1 << 20)
    return b"".join([*(packer.compress(block) for _ in range(mib)), packer.flush()])


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def test_row1_gzip_in_gzip_holding_8_gib_is_refused_at_its_layer() -> None:
    bomb = (HOSTILE / f"{STREET}.gz").read_bytes()
    assert len(bomb) < 16 * 1024
    before = peak_rss_mib()
    result = parse_file(f"{STREET}.gz", bomb)
    assert result.rows == [] and result.error_count == 1
    error = result.errors[0]
    assert error.file == f"{STREET}.gz"
    # Layer 1 (13 KB to 8 MB) is under the ratio exemption; layer 2 is the bomb.
    assert error.message.startswith("gzip layer 2: expands more than 200 times")
    assert "refusing a possible decompression bomb" in error.message
    assert peak_rss_mib() - before < 200  # it stopped at the cap, not at 8 GiB


def test_row1_the_inner_gzip_layer_is_capped_too() -> None:
    # The outer layer is stored (ratio 1), so only the inner layer is a bomb: 64 MiB of zeros.
    nested = gzip.compress(zeros_gzip(64), compresslevel=0)
    result = parse_file(f"{STREET}.gz", nested)
    assert result.rows == []
    assert result.errors[0].message.startswith("gzip layer 2: expands more than 200 times")
    # The import lifecycle has already removed the first layer: the count still starts there.
    stream_errors = parse_file(STREET, gzip.decompress(nested)).errors
    assert stream_errors[0].message.startswith("gzip layer 1:")


def test_row1_bytes_out_are_capped_whatever_the_ratio() -> None:
    data = gzip.compress(HEADER + b"x" * 3_000_000)
    small = Limits(max_bytes=1_000_000)
    with pytest.raises(DecompressionRefused) as caught:
        gunzip("f.csv.gz", data, layer="gzip layer 1", limits=small)
    assert str(caught.value) == (
        "f.csv.gz: gzip layer 1: expands beyond the 1,000,000-byte limit: refusing a possible "
        "decompression bomb"
    )


def test_row1_a_third_gzip_layer_is_refused() -> None:
    triple = gzip.compress(gzip.compress(gzip.compress(HEADER)))
    with pytest.raises(DecompressionRefused, match="gzip layer 3: more than 2 gzip layers"):
        strip_gzip_layers("f.csv.gz", triple)
    assert strip_gzip_layers("f.csv.gz", gzip.compress(gzip.compress(HEADER))) == HEADER


def test_row1_data_after_the_gzip_stream_is_not_silently_dropped() -> None:
    data = gzip.compress(HEADER) + gzip.compress(b"more rows\n")
    with pytest.raises(DecompressionRefused, match="unexpected data after the end"):
        gunzip("f.csv.gz", data)


def _zip(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_row1_a_gzip_inside_a_zip_member_is_capped() -> None:
    member = f"2025-01/{STREET}"
    archive = _zip({member: gzip.compress(zeros_gzip(64), compresslevel=0)}, zipfile.ZIP_STORED)
    [(name, data)] = list(iter_zip_members(archive))
    assert name == member
    # The member is read within its caps; the gzip inside it is a layer of its own.
    result = parse_file(name, data)
    assert result.errors[0].file == member
    assert result.errors[0].message.startswith("gzip layer 2: expands more than 200 times")


def test_row1_zip_members_are_capped_by_bytes_out() -> None:
    archive = _zip({"a.csv": HEADER + b"y" * 2_000_000}, zipfile.ZIP_STORED)
    with zipfile.ZipFile(io.BytesIO(archive)) as opened:
        info = opened.getinfo("a.csv")
        with pytest.raises(DecompressionRefused) as caught:
            read_zip_member("upload.zip", opened, info, limits=Limits(max_bytes=1_000_000))
    assert caught.value.layer == "zip member 'a.csv'"
    assert "expands beyond the 1,000,000-byte limit" in str(caught.value)


def test_row1_a_zip_member_bomb_is_refused_before_reading() -> None:
    archive = _zip({f"2025-01/{STREET}": b"\0" * (64 << 20)})
    with pytest.raises(ZipArchiveError, match="would expand 1,0[0-9]{2} times"):
        list(iter_zip_members(archive))
