"""Provenance: one ImportRun per source file (or API answer set) that was loaded.

A *slot* is what a run is a revision of: (source, kind, force, month). At most one run per
slot is current; earlier revisions are kept as superseded. A staged run has been written but
waits for approval before it replaces the current one (see ``lifecycle.promote``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import models


@dataclass(frozen=True)
class Slot:
    """What an import run is a revision of. ``period_label`` describes it; it is not part of
    the key."""

    source: str
    kind: str
    force: str = ""
    month: date | None = None
    period_label: str = ""

    def key(self) -> dict[str, Any]:
        return {"source": self.source, "kind": self.kind, "force": self.force, "month": self.month}

    def __str__(self) -> str:
        parts = [self.source, self.kind, self.force, self.period_label or str(self.month or "")]
        return " ".join(p for p in parts if p)


class ImportRunQuerySet(models.QuerySet["ImportRun"]):
    def current(self) -> ImportRunQuerySet:
        return self.filter(status=ImportRun.Status.CURRENT)

    def superseded(self) -> ImportRunQuerySet:
        return self.filter(status=ImportRun.Status.SUPERSEDED)

    def staged(self) -> ImportRunQuerySet:
        return self.filter(status=ImportRun.Status.STAGED)

    def of(self, source: str, kind: str | None = None) -> ImportRunQuerySet:
        """Runs of one source (and kind)."""
        runs = self.filter(source=source)
        return runs if kind is None else runs.filter(kind=kind)

    def for_slot(self, slot: Slot) -> ImportRunQuerySet:
        """Every revision of one slot (month None matches runs without a month)."""
        key = slot.key()
        month = key.pop("month")
        runs = self.filter(**key)
        return runs.filter(month__isnull=True) if month is None else runs.filter(month=month)

    def current_for(self, slot: Slot) -> ImportRun | None:
        """The current revision of a slot, if any."""
        return self.for_slot(slot).current().first()

    def holding(self, content_sha256: str) -> ImportRunQuerySet:
        """Current runs whose decompressed content has this SHA-256."""
        return self.current().filter(content_sha256=content_sha256)


class ImportRun(models.Model):
    class Status(models.TextChoices):
        CURRENT = "current", "Current"
        SUPERSEDED = "superseded", "Superseded by a later revision"
        STAGED = "staged", "Staged: written, awaiting approval"

    source = models.CharField(max_length=30, help_text="police_uk, ons_pfa, local")
    kind = models.CharField(max_length=30, help_text="street, outcomes, stop-and-search, ...")
    force = models.SlugField(max_length=80, blank=True)
    month = models.DateField(null=True, blank=True, help_text="first day of the month covered")
    period_label = models.CharField(max_length=60, blank=True)
    source_path = models.CharField(max_length=1000)
    source_url = models.URLField(max_length=1000, blank=True)
    sha256 = models.CharField(max_length=64, help_text="of the file exactly as given")
    content_sha256 = models.CharField(
        max_length=64, help_text="of the decompressed content: the same data gzipped or not"
    )
    size_bytes = models.BigIntegerField()
    rows_read = models.PositiveIntegerField(default=0)
    rows_written = models.PositiveIntegerField(default=0)
    rows_rejected = models.PositiveIntegerField(default=0)
    rows_without_location = models.PositiveIntegerField(default=0)
    rows_outside_force_area = models.PositiveIntegerField(null=True, blank=True)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.CURRENT)
    run_by = models.CharField(max_length=200, help_text="user or process that ran the import")
    supersedes = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="superseded_by"
    )
    changes = models.JSONField(default=dict, blank=True, help_text="what changed vs the revision")

    objects = ImportRunQuerySet.as_manager()

    class Meta:
        # The table (and its index and constraint names) predate this app: the model moved
        # here from ``ingest`` without touching the database (ADR 0007).
        db_table = "ingest_importrun"
        ordering = ["-started_at"]
        indexes = [
            models.Index(
                fields=["source", "kind", "force", "month", "status"],
                name="ingest_impo_source_3ad08e_idx",
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "kind", "force", "month"],
                condition=models.Q(status="current"),
                name="one_current_run_per_file_slot",
            )
        ]

    def __str__(self) -> str:
        period = f"{self.month:%Y-%m}" if self.month else self.period_label or "no period"
        return f"{self.source} {self.kind} {self.force} {period} ({self.status})"

    @property
    def slot(self) -> Slot:
        return Slot(self.source, self.kind, self.force, self.month, self.period_label)


class DataVersion(models.Model):
    """One row: a number every import, computation, publication and plan load advances, and
    the coming moments (embargo lifts and ends, target start dates) at which what the public
    sees changes with no one acting. Whole-page caches are keyed by both (``version.py``)."""

    number = models.PositiveBigIntegerField(default=0)
    # Random at each advance: a number reused after a rollback or a restore from a backup
    # never meets a page cached under it.
    token = models.CharField(max_length=32, default="")
    changed_at = models.DateTimeField()
    moments = models.JSONField(default=list, help_text="coming changes, ISO 8601, in order")

    def __str__(self) -> str:
        return f"data version {self.number}"
