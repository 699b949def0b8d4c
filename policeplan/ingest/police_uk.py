"""Import data.police.uk files: one transaction per file, provenance, revisions, idempotency."""

from __future__ import annotations

import functools
import hashlib
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from policeplan.geography.models import Area, AreaKind
from policeplan.records.models import OutcomeRecord, StopSearchRecord, StreetRecord
from policeplan.sources import police_uk as source
from policeplan.sources.police_uk import FileIdentity, FileKind

from .bulk import insert_rows
from .errors import ImportFailed
from .models import ImportRun

SOURCE = "police_uk"
MAX_FILE_BYTES = 512 * 1024 * 1024  # a month of the largest force is ~60 MB uncompressed

# In a folder, only files named like data.police.uk files (or zips) are imported; other files
# (a README, a manifest) are left alone. A file named on the command line is always tried.
FOLDER_SUFFIXES = tuple(
    f"-{kind.value}{ext}" for kind in FileKind for ext in (".csv", ".csv.gz")
) + (".zip",)

RECORD_MODELS: dict[FileKind, Any] = {
    FileKind.STREET: StreetRecord,
    FileKind.OUTCOMES: OutcomeRecord,
    FileKind.STOP_AND_SEARCH: StopSearchRecord,
}
# The column of each kind whose counts are compared between revisions of the same month.
CHANGE_COLUMNS = {
    FileKind.STREET: ["crime_type", "last_outcome_category"],
    FileKind.OUTCOMES: ["outcome_type"],
    FileKind.STOP_AND_SEARCH: ["object_of_search", "outcome"],
}


@dataclass
class SourceFile:
    """A file to import: its display name (path, or zip!member) and a way to read its bytes."""

    name: str
    read: Callable[[], bytes]
    url: str = ""


@dataclass
class FileResult:
    name: str
    status: str  # imported, replaced, unchanged, failed
    identity: FileIdentity | None = None
    rows_read: int = 0
    rows_written: int = 0
    rows_rejected: int = 0
    rows_without_location: int = 0
    rows_outside_force_area: int | None = None
    problems: list[str] = field(default_factory=list)
    changes: dict[str, Any] = field(default_factory=dict)
    run_id: int | None = None


def discover(paths: list[Path]) -> Iterator[SourceFile]:
    """Expand files, folders and zip archives into the CSV files they hold, in name order."""
    for path in paths:
        if path.is_dir():
            children = sorted(
                p for p in path.rglob("*") if p.is_file() and p.name.endswith(FOLDER_SUFFIXES)
            )
            yield from discover(children)
        elif path.name.endswith(".zip"):
            for member, data in source.iter_zip_members(path):
                yield SourceFile(f"{path}!{member}", read=functools.partial(bytes, data))
        else:
            yield SourceFile(str(path), read=path.read_bytes)


def import_file(item: SourceFile, run_by: str) -> FileResult:
    """Import one file. Raises nothing: problems come back in a failed FileResult."""
    try:
        return _import_file(item, run_by)
    except ImportFailed as exc:
        return FileResult(item.name, "failed", problems=exc.problems)


def _import_file(item: SourceFile, run_by: str) -> FileResult:
    started = timezone.now()
    try:
        identity = source.identify(item.name)
    except source.UnrecognisedFileName as exc:
        raise ImportFailed(item.name, [f"{item.name}: {exc}"]) from exc
    data = item.read()
    if len(data) > MAX_FILE_BYTES:
        raise ImportFailed(
            item.name, [f"{item.name}: {len(data):,} bytes is over the {MAX_FILE_BYTES:,} limit"]
        )
    digest, size = hashlib.sha256(data).hexdigest(), len(data)
    data = _decompressed(item.name, data)
    content_digest = hashlib.sha256(data).hexdigest()
    month = date.fromisoformat(identity.month + "-01")
    slot = {"source": SOURCE, "kind": identity.kind.value, "force": identity.force, "month": month}
    current = ImportRun.objects.filter(status=ImportRun.Status.CURRENT, **slot).first()
    result = FileResult(item.name, "unchanged", identity)
    if current is not None and current.content_sha256 == content_digest:
        result.rows_read = current.rows_read
        result.run_id = current.id
        return result
    force_las = _force_local_authorities(identity.force)
    with transaction.atomic():
        run = ImportRun.objects.create(
            **slot,
            status=ImportRun.Status.SUPERSEDED if current else ImportRun.Status.CURRENT,
            period_label=identity.month,
            source_path=item.name,
            source_url=item.url,
            sha256=digest,
            content_sha256=content_digest,
            size_bytes=size,
            started_at=started,
            finished_at=started,
            run_by=run_by,
            supersedes=current,
        )
        writer = _RowWriter(run, identity, month, force_las)
        stream = source.iter_rows(item.name, data, identity=identity)
        written = insert_rows(writer.table, writer.columns, writer.convert(stream))
        if stream.error_count:
            problems = [str(e) for e in stream.errors]
            if stream.more_errors:
                problems.append(f"... and {stream.more_errors} more problems in {item.name}")
            raise ImportFailed(item.name, problems)
        if current is not None:
            result.changes = _compare_revisions(identity.kind, current, writer.counts)
            _records_of(current).delete()
            current.status = ImportRun.Status.SUPERSEDED
            current.save(update_fields=["status"])
            run.status = ImportRun.Status.CURRENT
        run.rows_read = stream.row_count + stream.error_count
        run.rows_written = written
        run.rows_without_location = writer.without_location
        run.rows_outside_force_area = writer.outside if force_las else None
        run.changes = result.changes
        run.finished_at = timezone.now()
        run.save()
    result.status = "replaced" if current else "imported"
    result.rows_read, result.rows_written = run.rows_read, written
    result.rows_without_location = run.rows_without_location
    result.rows_outside_force_area = run.rows_outside_force_area
    result.run_id = run.id
    return result


def _records_of(run: ImportRun) -> Any:
    """The records of a run, found through the (force, month) index."""
    model = RECORD_MODELS[FileKind(run.kind)]
    return model.objects.filter(force=run.force, month=run.month, import_run=run)


def _decompressed(name: str, data: bytes) -> bytes:
    """Gunzip in memory with a hard output limit, so a gzip bomb cannot exhaust memory."""
    if data[:2] != b"\x1f\x8b":
        return data
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        plain = inflater.decompress(data, MAX_FILE_BYTES + 1)
    except zlib.error as exc:
        raise ImportFailed(name, [f"{name}: the gzip data is corrupt ({exc})"]) from exc
    if len(plain) > MAX_FILE_BYTES or inflater.unconsumed_tail:
        raise ImportFailed(name, [f"{name}: expands beyond the {MAX_FILE_BYTES:,}-byte limit"])
    if not inflater.eof:
        raise ImportFailed(name, [f"{name}: the gzip data is truncated (file cut short)"])
    return plain


def _force_local_authorities(force: str) -> set[str]:
    return set(
        Area.objects.filter(kind=AreaKind.LOCAL_AUTHORITY, force=force).values_list(
            "name", flat=True
        )
    )


class _RowWriter:
    """Turns parsed rows into table rows, counting what the import summary reports."""

    def __init__(
        self, run: ImportRun, identity: FileIdentity, month: date, force_las: set[str]
    ) -> None:
        self.kind = identity.kind
        self.table = RECORD_MODELS[identity.kind]._meta.db_table
        fields = source.row_fields(identity.kind)
        # The row's own Month is checked against the file name by the parser; the table keeps
        # it as a date in the prefix columns instead of as text.
        self.row_fields = fields
        self.month_index = fields.index("month")
        self.fields = [f for f in fields if f != "month"]
        self.has_lsoa = "lsoa_name" in fields
        extra = ["local_authority"] if self.has_lsoa else []
        self.columns = ["import_run_id", "force", "month", "row_number", *self.fields, *extra]
        self.prefix = (run.id, identity.force, month)
        self.force_las = force_las
        self.counts: dict[str, Counter[str | None]] = {
            c: Counter() for c in CHANGE_COLUMNS[self.kind]
        }
        self.without_location = 0
        self.outside = 0
        self._la_of: dict[str, str | None] = {}

    def convert(self, rows: Iterable[Any]) -> Iterator[tuple[Any, ...]]:
        prefix, cut = self.prefix, self.month_index
        watched = [(self.row_fields.index(c), self.counts[c]) for c in self.counts]
        for number, row in enumerate(rows, start=1):
            for index, counter in watched:
                counter[row[index]] += 1
            values = (*row[:cut], *row[cut + 1 :])
            if self.has_lsoa:
                yield (*prefix, number, *values, self._local_authority(row.lsoa_name))
            else:
                if row.latitude is None:
                    self.without_location += 1
                yield (*prefix, number, *values)

    def _local_authority(self, lsoa_name: str | None) -> str | None:
        if lsoa_name is None:
            self.without_location += 1
            return None
        # A force has a few hundred LSOA names over many thousand rows: remember each answer.
        if lsoa_name in self._la_of:
            la = self._la_of[lsoa_name]
        else:
            try:
                la = source.local_authority_from_lsoa_name(lsoa_name)
            except ValueError:
                la = None
            self._la_of[lsoa_name] = la
        if self.force_las and la not in self.force_las:
            self.outside += 1
        return la


def _compare_revisions(
    kind: FileKind, previous: ImportRun, new_counts: dict[str, Counter[str | None]]
) -> dict[str, Any]:
    """Counts per watched column in the previous and new revision, where they differ."""
    changes: dict[str, Any] = {"previous_run": previous.id, "previous_sha256": previous.sha256}
    for column, new in new_counts.items():
        old = {
            row[column]: row["n"]
            for row in _records_of(previous).values(column).annotate(n=Count("id"))
        }
        keys = sorted(set(old) | set(new), key=lambda k: (k is None, k or ""))
        diff = [
            {"value": k or "(blank)", "before": old.get(k, 0), "after": new.get(k, 0)}
            for k in keys
            if old.get(k, 0) != new.get(k, 0)
        ]
        changes[column] = diff
    changes["rows_before"] = previous.rows_written
    changes["rows_after"] = sum(next(iter(new_counts.values())).values())
    return changes
