"""The one import lifecycle: every source (police.uk, ONS, neighbourhoods, local data,
registers) is imported through :func:`run_import`.

The lifecycle owns what every import must do the same way (ADR 0007):

* **limits and hashing**: the input is read within the source's size limit; the SHA-256 of
  the bytes as given and of the content (gzip removed) are recorded;
* **idempotency**: content already current for its slot is a reported no-op, nothing written;
* **one transaction** per input: the run, its rows and the supersession commit together or
  not at all;
* **supersession**: a different content for a held slot becomes the current revision; the
  previous run is kept as superseded (its rows retired by the source);
* **provenance**: who ran it, when, from which file or URL, rows read and written, and what
  changed against the previous revision, on an :class:`ImportRun`;
* **guards** (ADR 0013): every value checked against its column's limits before the database
  sees it; a database error is the file's error, never a traceback; one import per slot at a
  time; a revision removing more than ``POLICEPLAN_IMPORT_SHRINK_PERCENT`` of the held rows
  refused unless ``allow_shrink``.

A source supplies only what differs: how to identify the slot, its parser, its writer, how to
retire and compare a superseded run's rows, and a summary (:class:`ImportSource`).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from decimal import InvalidOperation
from typing import Any, ClassVar, Generic, TypeVar

from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from .content import Content, ImportInput, read_content
from .errors import ImportFailed
from .guards import (
    database_problem,
    recover_connection,
    refuse_shrink,
    slot_lock,
    sqlite_write_wait,
)
from .limits import insert_guard
from .models import ImportRun, Slot

T = TypeVar("T")

IMPORTED, REPLACED, UNCHANGED, STAGED, FAILED = (
    "imported",
    "replaced",
    "unchanged",
    "staged",
    "failed",
)


@dataclass
class Parsed(Generic[T]):
    """What a parser found: the slot the content fills and its rows (possibly a lazy stream:
    a streaming parser may report its errors from inside :meth:`ImportSource.write`)."""

    slot: Slot
    rows: T
    rows_read: int = 0


@dataclass
class Written:
    """What a writer wrote for a run. ``run_fields`` are further ``ImportRun`` counters
    (e.g. ``rows_without_location``); ``detail`` is whatever :meth:`ImportSource.compare` and
    the summary need."""

    rows_read: int
    rows_written: int
    run_fields: dict[str, Any] = field(default_factory=dict)
    detail: Any = None


@dataclass
class Changes:
    """A new revision against the previous one: ``detail`` is stored as ``ImportRun.changes``;
    ``held`` is how many rows or figures the previous revision had and ``removed`` how many of
    them the new one no longer has."""

    detail: dict[str, Any]
    held: int = 0
    removed: int = 0


@dataclass
class ImportOutcome(Generic[T]):
    """The result of one :func:`run_import`. It never raises: problems come back here."""

    name: str
    status: str  # imported, replaced, unchanged, staged, failed
    run: ImportRun | None = None
    parsed: Parsed[T] | None = None
    written: Written | None = None
    changes: Changes = field(default_factory=lambda: Changes({}))
    problems: list[str] = field(default_factory=list)

    @property
    def run_id(self) -> int | None:
        return self.run.id if self.run is not None else None


class ImportSource(ABC, Generic[T]):
    """One kind of input. Subclasses set ``source`` and implement :meth:`parse` and
    :meth:`write`; the other hooks have defaults that suit a source whose revisions keep their
    rows (as local data does)."""

    source: ClassVar[str]
    #: Inputs over this many bytes (as given, and again after gunzip) are refused unread.
    max_bytes: ClassVar[int | None] = 64 * 1024 * 1024
    #: Strip a gzip layer before hashing the content and parsing (police.uk ``.csv.gz``).
    gunzip: ClassVar[bool] = False
    #: True when every reader selects this source's rows through their run's status, so rows
    #: of a staged run may sit beside the current run's until approval (see :func:`promote`).
    stageable: ClassVar[bool] = False
    #: What the shrink guard's message calls the rows a revision removes.
    counted: ClassVar[str] = "rows"

    def identify(self, item: ImportInput) -> Slot | None:
        """The slot, from the name alone, before anything is read; None when only the content
        says (then the same content is taken to fill the same slot). Raise ImportFailed for a
        name that cannot be imported."""
        return None

    @abstractmethod
    def parse(self, item: ImportInput, content: bytes, slot: Slot | None) -> Parsed[T]:
        """Bytes to typed rows and their slot. Raise ImportFailed naming file, row, column."""

    @abstractmethod
    def write(self, run: ImportRun, parsed: Parsed[T]) -> Written:
        """Write the rows for ``run`` inside the lifecycle's transaction. Raise ImportFailed
        (everything is rolled back) if the rows turn out to be bad."""

    def snapshot(self, previous: ImportRun) -> Any:
        """What :meth:`compare` needs of the previous revision, read before it is retired."""
        return None

    def retire(self, previous: ImportRun) -> None:
        """Remove (or leave) a superseded run's rows. Called before :meth:`write`, so a table
        with one row per figure can take the new revision's rows. Default: keep them."""

    def compare(self, previous: ImportRun | None, before: Any, written: Written) -> Changes:
        """The new revision against ``previous`` (None on a first import)."""
        if previous is None:
            return Changes({})
        held = previous.rows_written
        detail = {
            "previous_run": previous.id,
            "previous_sha256": previous.sha256,
            "rows_before": held,
            "rows_after": written.rows_written,
        }
        return Changes(detail, held, max(0, held - written.rows_written))

    def summarise(self, outcome: ImportOutcome[T]) -> Any:
        """The source's own result for its command's summary (default: the outcome itself)."""
        return outcome


def run_import(
    source: ImportSource[T],
    item: ImportInput,
    *,
    run_by: str,
    stage: bool = False,
    allow_shrink: bool = False,
) -> ImportOutcome[T]:
    """Import one input through the lifecycle. ``stage=True`` writes the rows under a staged
    run that becomes current only when :func:`promote` is called (an approval);
    ``allow_shrink=True`` accepts a revision that removes more than the allowed share of
    what its slot holds."""
    if stage and not source.stageable:
        raise ValueError(f"{source.source} imports cannot be staged: its readers do not check")
    try:
        return _run(source, item, run_by, stage, allow_shrink)
    except ImportFailed as exc:
        return ImportOutcome(item.name, FAILED, problems=exc.problems)
    except DatabaseError as exc:
        problem = database_problem(item.name, exc)
        recover_connection()
        return ImportOutcome(item.name, FAILED, problems=[problem])
    except InvalidOperation as exc:  # a decimal Django could not fit to its column
        problem = f"{item.name}: a number cannot be stored ({exc!r}); nothing was written."
        return ImportOutcome(item.name, FAILED, problems=[problem])


def _run(
    source: ImportSource[T], item: ImportInput, run_by: str, stage: bool, allow_shrink: bool
) -> ImportOutcome[T]:
    started = item.fetched_at or timezone.now()
    slot = source.identify(item)
    content = read_content(item, source.max_bytes, source.gunzip)
    held = _held(source, slot, content)
    if held is not None:
        return ImportOutcome(item.name, UNCHANGED, held)
    parsed = source.parse(item, content.content, slot)
    with (
        sqlite_write_wait(item.name, parsed.slot),
        transaction.atomic(),
        connection.execute_wrapper(insert_guard(item.name)),
    ):
        slot_lock(item.name, parsed.slot)
        current = ImportRun.objects.current_for(parsed.slot)
        if current is not None and current.content_sha256 == content.content_sha256:
            return ImportOutcome(item.name, UNCHANGED, current, parsed)
        before = source.snapshot(current) if current is not None else None
        run = _new_run(item, parsed.slot, content, run_by, started, current)
        if current is not None and not stage:
            source.retire(current)
        written = source.write(run, parsed)
        changes = source.compare(current, before, written)
        if current is not None and not allow_shrink:
            refuse_shrink(item.name, parsed.slot, changes.held, changes.removed, source.counted)
        if current is not None and not stage:
            current.status = ImportRun.Status.SUPERSEDED
            current.save(update_fields=["status"])
        run.status = ImportRun.Status.STAGED if stage else ImportRun.Status.CURRENT
        _finish(run, written, changes)
    status = STAGED if stage else REPLACED if current is not None else IMPORTED
    return ImportOutcome(item.name, status, run, parsed, written, changes)


def _held(source: ImportSource[Any], slot: Slot | None, content: Content) -> ImportRun | None:
    """The current run already holding this content, found before any parsing."""
    runs = ImportRun.objects.holding(content.content_sha256)
    if slot is not None:
        return runs.for_slot(slot).first()
    return runs.of(source.source).first()


def _new_run(
    item: ImportInput,
    slot: Slot,
    content: Content,
    run_by: str,
    started: Any,
    current: ImportRun | None,
) -> ImportRun:
    # Staged until the end of the transaction, so the one-current-run constraint holds
    # at every statement.
    return ImportRun.objects.create(
        **slot.key(),
        status=ImportRun.Status.STAGED,
        period_label=slot.period_label,
        source_path=item.name,
        source_url=item.url,
        sha256=content.sha256,
        content_sha256=content.content_sha256,
        size_bytes=content.size_bytes,
        started_at=started,
        finished_at=started,
        run_by=run_by,
        supersedes=current,
    )


def _finish(run: ImportRun, written: Written, changes: Changes) -> None:
    run.rows_read = written.rows_read
    run.rows_written = written.rows_written
    for name, value in written.run_fields.items():
        setattr(run, name, value)
    run.changes = changes.detail
    run.finished_at = timezone.now()
    run.save()


def promote(source: ImportSource[Any], run: ImportRun) -> ImportRun | None:
    """Make a staged run current (an approval), superseding the slot's current run, in one
    transaction. Returns the run it superseded, if any."""
    if run.status != ImportRun.Status.STAGED:
        raise ValueError(f"import run {run.id} is {run.status}, not staged")
    with transaction.atomic():
        slot_lock(f"import run {run.id}", run.slot)
        current = ImportRun.objects.current_for(run.slot)
        if current is not None:
            source.retire(current)
            current.status = ImportRun.Status.SUPERSEDED
            current.save(update_fields=["status"])
        run.status = ImportRun.Status.CURRENT
        run.supersedes = current
        run.save(update_fields=["status", "supersedes"])
    return current
