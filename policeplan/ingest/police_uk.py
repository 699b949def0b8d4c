"""Import data.police.uk files through the import lifecycle (``policeplan.provenance``).

This module is the police.uk source: the slot comes from the file name (force, kind, month),
the parser is ``sources.police_uk``, the writer streams rows into the record tables (COPY on
PostgreSQL) while the parser is still checking the file, and a superseded month's records are
deleted after their counts per outcome are kept in the new run's ``changes``.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import islice
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Count
from django.utils import timezone

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

from .bulk import Columns, ColumnsCheck, insert_columns, rows_of

SOURCE = "police_uk"
BATCH_ROWS = 500  # rows converted and sent at a time: small enough to stay in the CPU caches
MAX_FILE_BYTES = 512 * 1024 * 1024  # a month of the largest force is ~60 MB uncompressed
MAX_LIMIT_PROBLEMS = 20  # values over a column's limit named one by one; the rest counted

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


def import_file(
    item: ImportInput,
    run_by: str,
    allow_shrink: bool = False,
    allow_new_crime_type: bool = False,
) -> FileResult:
    """Import one file. Raises nothing: problems come back in a failed FileResult.
    ``allow_new_crime_type`` accepts a ``Crime type`` police.uk has not used before."""
    files = PoliceUkFiles(allow_new_crime_type)
    return files.summarise(run_import(files, item, run_by=run_by, allow_shrink=allow_shrink))


FORCES_FILE = Path("police_uk") / "forces.csv"


@functools.cache
def _forces(path: Path) -> dict[str, source.Force]:
    return source.load_forces(path)


def content_rules(allow_new_crime_type: bool = False) -> source.ContentRules:
    """This deployment's rules for a file's content: the data.police.uk forces (from
    ``data/police_uk/forces.csv``), the current month, the known crime types."""
    path = Path(settings.POLICEPLAN_DATA_DIR) / FORCES_FILE
    if not path.is_file():  # a data folder of one's own without the list: the bundled one
        path = Path(settings.BASE_DIR) / "data" / FORCES_FILE
    latest = f"{timezone.localdate():%Y-%m}"
    return source.ContentRules(_forces(path), latest, allow_new_crime_type=allow_new_crime_type)


@dataclass
class _File:
    identity: FileIdentity
    stream: source.RowStream
    nul_free: bool = False  # no NUL byte anywhere in the content


class PoliceUkFiles(ImportSource[_File]):
    """data.police.uk street, outcomes and stop-and-search CSV files (plain or gzipped)."""

    source = SOURCE
    max_bytes = MAX_FILE_BYTES
    gunzip = True

    def __init__(self, allow_new_crime_type: bool = False) -> None:
        self.allow_new_crime_type = allow_new_crime_type

    def identify(self, item: ImportInput) -> Slot:
        identity = _identity(item.name)
        try:
            month = date.fromisoformat(identity.month + "-01")
        except ValueError:  # "0000-01-...": shaped like a month, but not one
            problem = f"{item.name}: {identity.month} in the file name is not a month"
            raise ImportFailed(item.name, [problem]) from None
        return Slot(SOURCE, identity.kind.value, identity.force, month, identity.month)

    def parse(self, item: ImportInput, content: bytes, slot: Slot | None) -> Parsed[_File]:
        identity = _identity(item.name)
        # The lifecycle removes any outer gzip layer (gunzip = True), so gzip still found in
        # the content is at least a second layer: errors count layers from the file as given.
        rules = content_rules(self.allow_new_crime_type)
        problems = rules.file_problems(identity)
        if problems:  # refused before anything is read or written
            raise ImportFailed(item.name, [f"{item.name}: {problem}" for problem in problems])
        stream = source.iter_rows(
            item.name, content, identity=identity, gzip_layers_removed=1, rules=rules
        )
        assert slot is not None
        return Parsed(slot, _File(identity, stream, b"\x00" not in content))

    def write(self, run: ImportRun, parsed: Parsed[_File]) -> Written:
        identity, stream = parsed.rows.identity, parsed.rows.stream
        assert run.month is not None
        force_las = _force_local_authorities(identity.force)
        writer = _RowWriter(run, identity, run.month, force_las, parsed.rows.nul_free)
        written = insert_columns(writer.table, writer.batches(stream))
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
    """Turns parsed rows into batches of table columns, counting what the import summary
    reports. Works a batch at a time, column by column (ADR 0016): the counts, the local
    authorities and the columns themselves are C loops over a batch, not Python per row."""

    def __init__(
        self,
        run: ImportRun,
        identity: FileIdentity,
        month: date,
        force_las: set[str],
        nul_free: bool = False,
    ) -> None:
        self.kind = identity.kind
        self.table = RECORD_MODELS[identity.kind]._meta.db_table
        fields = source.row_fields(identity.kind)
        # The row's own Month is checked against the file name by the parser; the table keeps
        # it as a date in the constant columns instead of as text.
        self.row_fields = fields
        self.month_index = fields.index("month")
        self.has_lsoa = "lsoa_name" in fields
        self.constant = {"import_run_id": run.id, "force": identity.force, "month": month}
        self.force_las = force_las
        self.counts: dict[str, Counter[str | None]] = {
            c: Counter() for c in CHANGE_COLUMNS[self.kind]
        }
        self.without_location = 0
        self.outside = 0
        self._la_of: dict[str | None, str | None] = {None: None}
        self._outside_of: dict[str | None, bool] = {None: False}
        # Every value is checked against its column's limits before the database sees it
        # (ADR 0013): each batch column by column (ColumnsCheck); a batch failing that quick
        # test is checked row by row, and a row over a limit is reported (file, row, column)
        # and not written; the file then fails.
        extra = ["local_authority"] if self.has_lsoa else []
        self.columns = [*self.constant, "row_number", *(f for f in fields if f != "month"), *extra]
        headers = {_field_name(h): h for h in HEADERS[identity.kind]}
        model = RECORD_MODELS[identity.kind]
        labels = [headers.get(c, c) for c in self.columns]
        # The run, force and month are the same in every row (checked once); a file without
        # a NUL byte anywhere needs no NUL test per value.
        self.limits = RowLimits(model, self.columns, labels, constant=3, nul_free=nul_free)
        self.check = ColumnsCheck(model)
        self.file = run.source_path
        self.over_limit: list[str] = []
        self.more_over_limit = 0

    def batches(self, rows: Iterable[Any]) -> Iterator[Columns]:
        iterator = iter(rows)
        fields = self.row_fields
        watched = [(fields.index(c), self.counts[c]) for c in self.counts]
        numbered = 0
        while batch := list(islice(iterator, BATCH_ROWS)):
            size = len(batch)
            columns = list(zip(*batch, strict=True))
            for index, counter in watched:
                counter.update(columns[index])
            varying: dict[str, Sequence[Any]] = {
                "row_number": range(numbered + 1, numbered + size + 1)
            }
            varying.update(
                (name, values)
                for name, values in zip(fields, columns, strict=True)
                if name != "month"
            )
            if self.has_lsoa:
                varying["local_authority"] = self._local_authorities(varying["lsoa_name"])
            else:
                self.without_location += varying["latitude"].count(None)
            numbered += size
            checked = Columns(size, self.constant, varying)
            if not self.check.passes(checked):
                checked = self._without_refused(checked)
            if checked.rows:
                yield checked

    def _without_refused(self, batch: Columns) -> Columns:
        """The batch without its rows that are over a column's limit, each problem reported."""
        assert batch.names == self.columns
        keep = []
        for index, row in enumerate(rows_of(batch)):
            problems = self.limits.problems(row)
            if not problems:
                keep.append(index)
            for column, problem in problems:
                if len(self.over_limit) < MAX_LIMIT_PROBLEMS:
                    # Row numbers count data rows; the header is row 1, as in the parser's errors.
                    number = batch.varying["row_number"][index] + 1
                    self.over_limit.append(f"{self.file}, row {number}, column {column}: {problem}")
                else:
                    self.more_over_limit += 1
        if len(keep) == batch.rows:
            return batch
        varying: dict[str, Sequence[Any]] = {
            name: [values[i] for i in keep] for name, values in batch.varying.items()
        }
        return Columns(len(keep), batch.constant, varying)

    def _local_authorities(self, lsoa_names: Sequence[str | None]) -> list[str | None]:
        # A force has a few hundred LSOA names over many thousand rows: each is worked out once.
        for name in set(lsoa_names) - self._la_of.keys():
            assert name is not None
            try:
                la = source.local_authority_from_lsoa_name(name)
            except ValueError:
                la = None
            self._la_of[name] = la
            self._outside_of[name] = bool(self.force_las) and la not in self.force_las
        self.without_location += lsoa_names.count(None)
        self.outside += sum(map(self._outside_of.__getitem__, lsoa_names))
        return list(map(self._la_of.__getitem__, lsoa_names))


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
