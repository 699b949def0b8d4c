"""Read data.police.uk download archives safely.

An archive (the monthly ``https://data.police.uk/data/archive/YYYY-MM.zip`` or a custom
download) holds ``YYYY-MM/YYYY-MM-<force>-<kind>.csv`` members. The whole member list is
checked before anything is decompressed: unsafe names (``..``, absolute paths), unexpected
members and likely decompression bombs are refused with a :class:`ZipArchiveError` that lists
every problem. Pure Python, no Django.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from os import PathLike
from pathlib import PurePosixPath

from policeplan.sources.compression import DecompressionRefused, read_zip_member
from policeplan.sources.police_uk_formats import (
    FileIdentity,
    UnrecognisedFileName,
    base_name,
    identify,
)

DEFAULT_MAX_TOTAL_BYTES = 2 * 1024**3
"""Refuse archives whose members would decompress to more than this in total (2 GiB)."""

DEFAULT_MAX_COMPRESSION_RATIO = 200.0
"""Refuse members that claim to expand more than this many times (CSV is nearer 5-10)."""

# Members this small cannot do harm however well they compress (a header-only CSV can
# compress past 200:1 only if it is padded, but tiny files are never a bomb).
_RATIO_EXEMPT_BYTES = 64 * 1024

_DRIVE_RE = re.compile(r"[A-Za-z]:")

ZipSource = str | PathLike[str] | bytes


class ZipArchiveError(ValueError):
    """An archive that is refused; ``problems`` lists each reason in plain English."""

    def __init__(self, archive: str, problems: list[str]) -> None:
        self.archive = archive
        self.problems = problems
        super().__init__(f"{archive}: " + "; ".join(problems))


@dataclass(frozen=True)
class ZipMember:
    """One CSV in an archive, with what its name says and its declared sizes."""

    name: str
    identity: FileIdentity
    file_size: int
    compress_size: int


def _archive_label(source: ZipSource) -> str:
    return "the uploaded zip" if isinstance(source, bytes) else str(source)


def _open(source: ZipSource) -> zipfile.ZipFile:
    target = io.BytesIO(source) if isinstance(source, bytes) else source
    return zipfile.ZipFile(target)


def _name_problem(name: str) -> str | None:
    """Why a member name is unsafe or unexpected, or ``None`` if it is acceptable."""
    parts = PurePosixPath(name.replace("\\", "/")).parts
    if name.startswith(("/", "\\")) or (parts and _DRIVE_RE.fullmatch(parts[0])):
        return f"member '{name}' has an absolute path"
    if ".." in parts:
        return f"member '{name}' refers to a parent folder ('..')"
    if len(parts) != 2:
        return f"member '{name}' is not in the layout YYYY-MM/YYYY-MM-<force>-<kind>.csv"
    folder, file_name = parts
    if not file_name.endswith(".csv"):
        return f"member '{name}' is not a .csv file"
    try:
        identity = identify(file_name)
    except UnrecognisedFileName as exc:
        return f"member '{name}': {exc}"
    if folder != identity.month:
        return f"member '{name}' is in folder '{folder}' but its name says {identity.month}"
    return None


def list_zip_members(
    source: ZipSource,
    *,
    max_total_bytes: int = DEFAULT_MAX_TOTAL_BYTES,
    max_compression_ratio: float = DEFAULT_MAX_COMPRESSION_RATIO,
) -> list[ZipMember]:
    """Check an archive's member list without decompressing anything; return its CSVs.

    Directory entries are ignored. Raises :class:`ZipArchiveError` naming every unsafe or
    unexpected member, an oversized total, or a member with an implausible compression ratio.
    """
    label = _archive_label(source)
    try:
        with _open(source) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ZipArchiveError(label, [f"not a readable zip archive ({exc})"]) from None
    problems: list[str] = []
    members: list[ZipMember] = []
    seen: set[str] = set()
    total = 0
    for info in infos:
        if info.is_dir():
            continue
        problem = _name_problem(info.filename)
        if problem is None and info.filename in seen:
            problem = f"member '{info.filename}' appears more than once"
        seen.add(info.filename)
        if problem is not None:
            problems.append(problem)
            continue
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > _RATIO_EXEMPT_BYTES and ratio > max_compression_ratio:
            problems.append(
                f"member '{info.filename}' would expand {ratio:,.0f} times "
                f"(limit {max_compression_ratio:,.0f}): refusing a possible zip bomb"
            )
        members.append(
            ZipMember(
                name=info.filename,
                identity=identify(base_name(info.filename)),
                file_size=info.file_size,
                compress_size=info.compress_size,
            )
        )
    if total > max_total_bytes:
        problems.append(
            f"members would expand to {total:,} bytes in total (limit {max_total_bytes:,})"
        )
    if problems:
        raise ZipArchiveError(label, problems)
    return members


def iter_zip_members(
    source: ZipSource,
    *,
    max_total_bytes: int = DEFAULT_MAX_TOTAL_BYTES,
    max_compression_ratio: float = DEFAULT_MAX_COMPRESSION_RATIO,
) -> Iterator[tuple[str, bytes]]:
    """Yield ``(member_name, data)`` for each CSV in a data.police.uk archive.

    ``source`` is a path or the archive's bytes. The member list is checked by
    :func:`list_zip_members` when this is called, before anything is decompressed, so a
    refused archive raises :class:`ZipArchiveError` straight away. Each member is then read
    with its declared size as a hard limit.
    """
    members = list_zip_members(
        source, max_total_bytes=max_total_bytes, max_compression_ratio=max_compression_ratio
    )
    return _read_members(source, members)


def _read_members(source: ZipSource, members: list[ZipMember]) -> Iterator[tuple[str, bytes]]:
    label = _archive_label(source)
    with _open(source) as archive:
        for member in members:
            try:
                data = read_zip_member(label, archive, archive.getinfo(member.name))
            except DecompressionRefused as exc:
                raise ZipArchiveError(label, [f"{exc.layer}: {exc.message}"]) from None
            if len(data) != member.file_size:
                raise ZipArchiveError(
                    label,
                    [
                        f"member '{member.name}' holds {len(data):,} bytes but declares "
                        f"{member.file_size:,}"
                    ],
                )
            yield member.name, data
