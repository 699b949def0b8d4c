"""Import data.police.uk files through the import lifecycle (``policeplan.provenance``).

This module is the police.uk source: the slot comes from the file name (force, kind, month),
the parser is ``sources.police_uk``, the writer streams rows into the record tables (COPY on
PostgreSQL) while the parser is still checking the file, and a superseded month's records are
deleted after their counts per outcome are kept in the new run's ``changes``.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.db.models import Count

from policeplan.geography.models import Area, AreaKind
from policeplan.provenance.content import ImportInput
from policeplan.provenance.errors import ImportFailed
from policeplan.provenance.lifecycle import (
    FAILED,
    Changes,
    ImportOutcome,
    ImportSource,
    Parsed,
    Written,
    run_import,
)
from policeplan.provenance.limits import RowLimits
from policeplan.provenance.models import ImportRun, Slot
from policeplan.records.models import OutcomeRecord, StopSearchRecord, StreetRecord
from policeplan.sources import police_uk as source
from policeplan.sources.police_uk import FileIdentity, FileKind
from policeplan.sources.police_uk_formats import HEADERS

from .bulk import insert_rows

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

ColumnCounts = dict[str, Counter[str | None]]
MAX_LIMIT_PROBLEMS = 20  # values over a column's limit named one by one; the rest counted


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
    rows_removed: int = 0  # rows of the previous revision of the month that this one lacks
    problems: list[str] = field(default_factory=list)
    changes: dict[str, Any] = field(default_factory=dict)
    run_id: int | None = None


def discover(paths: list[Path]) -> Iterator[ImportInput]:
    """Expand files, folders and zip archives into the CSV files they hold, in name order."""
    for path in paths:
        if path.is_dir():
            children = sorted(
                p for p in path.rglob("*") if p.is_file() and p.name.endswith(FOLDER_SUFFIXES)
            )
            yield from discover(children)
        elif path.name.endswith(".zip"):
            for member, data in source.iter_zip_members(path):
                yield ImportInput(f"{path}!{member}", read=functools.partial(bytes, data))
        else:
            yield ImportInput.from_path(path)


def import_file(item: ImportInput, run_by: str, allow_shrink: bool = False) -> FileResult:
    """Import one file. Raises nothing: problems come back in a failed FileResult."""
    files = PoliceUkFiles()
    return files.summarise(run_import(files, item, run_by=run_by, allow_shrink=allow_shrink))


@dataclass
class _File:
    identity: FileIdentity
    stream: source.RowStream


class PoliceUkFiles(ImportSource[_File]):
    """data.police.uk street, outcomes and stop-and-search CSV files (plain or gzipped)."""

    source = SOURCE
    max_bytes = MAX_FILE_BYTES
    gunzip = True

    def identify(self, item: ImportInput) -> Slot:
        identity = _identity(item.name)
        month = date.fromisoformat(identity.month + "-01")
        return Slot(SOURCE, identity.kind.value, identity.force, month, identity.month)

    def parse(self, item: ImportInput, content: bytes, slot: Slot | None) -> Parsed[_File]:
        identity = _identity(item.name)
        # The lifecycle removes any outer gzip layer (gunzip = True), so gzip still found in
        # the content is at least a second layer: errors count layers from the file as given.
        stream = source.iter_rows(item.name, content, identity=identity, gzip_layers_removed=1)
        assert slot is not None
        return Parsed(slot, _File(identity, stream))

    def write(self, run: ImportRun, parsed: Parsed[_File]) -> Written:
        identity, stream = parsed.rows.identity, parsed.rows.stream
        assert run.month is not None
        force_las = _force_local_authorities(identity.force)
        writer = _RowWriter(run, identity, run.month, force_las)
        written = insert_rows(writer.table, writer.columns, writer.convert(stream))
        if stream.error_count or writer.over_limit:
            problems = [str(e) for e in stream.errors] + writer.over_limit
            more = stream.more_errors + writer.more_over_limit
            if more:
                problems.append(f"... and {more} more problems in {run.source_path}")
            raise ImportFailed(run.source_path, problems)
        fields = {
            "rows_without_location": writer.without_location,
            "rows_outside_force_area": writer.outside if force_las else None,
        }
        return Written(stream.row_count + stream.error_count, written, fields, writer.counts)

    def snapshot(self, previous: ImportRun) -> ColumnCounts:
        columns = CHANGE_COLUMNS[FileKind(previous.kind)]
        return {
            column: Counter(
                {
                    row[column]: row["n"]
                    for row in _records_of(previous).values(column).annotate(n=Count("id"))
                }
            )
            for column in columns
        }

    def retire(self, previous: ImportRun) -> None:
        _records_of(previous).delete()

    def compare(
        self, previous: ImportRun | None, before: ColumnCounts | None, written: Written
    ) -> Changes:
        if previous is None or before is None:
            return Changes({})
        detail = _compare_revisions(previous, before, written.detail)
        held = previous.rows_written
        return Changes(detail, held, max(0, held - written.rows_written))

    def summarise(self, outcome: ImportOutcome[_File]) -> FileResult:
        if outcome.status == FAILED:
            return FileResult(outcome.name, FAILED, problems=outcome.problems)
        run = outcome.run
        assert run is not None
        result = FileResult(outcome.name, outcome.status, _identity(outcome.name), run_id=run.id)
        result.rows_read = run.rows_read
        if outcome.written is not None:
            result.rows_written = run.rows_written
            result.rows_without_location = run.rows_without_location
            result.rows_outside_force_area = run.rows_outside_force_area
            result.changes = outcome.changes.detail
            result.rows_removed = outcome.changes.removed
        return result


def _identity(name: str) -> FileIdentity:
    try:
        return source.identify(name)
    except source.UnrecognisedFileName as exc:
        raise ImportFailed(name, [f"{name}: {exc}"]) from exc


def _field_name(header: str) -> str:
    """'Self-defined ethnicity' -> 'self_defined_ethnicity': the row field a header fills."""
    return header.lower().replace(" ", "_").replace("-", "_")


def _records_of(run: ImportRun) -> Any:
    """The records of a run, found through the (force, month) index."""
    model = RECORD_MODELS[FileKind(run.kind)]
    return model.objects.filter(force=run.force, month=run.month, import_run=run)


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
        # Every value is checked against its column's limits before COPY sees it: a row over
        # a limit is reported (file, row, column) and not written; the file then fails.
        headers = {_field_name(h): h for h in HEADERS[identity.kind]}
        model = RECORD_MODELS[identity.kind]
        self.limits = RowLimits(model, self.columns, [headers.get(c, c) for c in self.columns])
        self.file = run.source_path
        self.over_limit: list[str] = []
        self.more_over_limit = 0

    def _refused(self, number: int, table_row: tuple[Any, ...]) -> bool:
        problems = self.limits.problems(table_row)
        if not problems:
            return False
        for column, problem in problems:
            if len(self.over_limit) < MAX_LIMIT_PROBLEMS:
                # ``number`` counts data rows; the header is row 1, as in the parser's errors.
                self.over_limit.append(f"{self.file}, row {number + 1}, column {column}: {problem}")
            else:
                self.more_over_limit += 1
        return True

    def convert(self, rows: Iterable[Any]) -> Iterator[tuple[Any, ...]]:
        prefix, cut = self.prefix, self.month_index
        watched = [(self.row_fields.index(c), self.counts[c]) for c in self.counts]
        for number, row in enumerate(rows, start=1):
            for index, counter in watched:
                counter[row[index]] += 1
            values = (*row[:cut], *row[cut + 1 :])
            if self.has_lsoa:
                table_row = (*prefix, number, *values, self._local_authority(row.lsoa_name))
            else:
                if row.latitude is None:
                    self.without_location += 1
                table_row = (*prefix, number, *values)
            if not self._refused(number, table_row):
                yield table_row

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
    previous: ImportRun, old_counts: ColumnCounts, new_counts: ColumnCounts
) -> dict[str, Any]:
    """Counts per watched column in the previous and new revision, where they differ."""
    changes: dict[str, Any] = {"previous_run": previous.id, "previous_sha256": previous.sha256}
    for column, new in new_counts.items():
        old = old_counts.get(column, Counter())
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
