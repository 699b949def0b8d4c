"""Provenance: one ImportRun per source file (or API response set) that was loaded."""

from __future__ import annotations

from django.db import models


class ImportRun(models.Model):
    class Status(models.TextChoices):
        CURRENT = "current", "Current"
        SUPERSEDED = "superseded", "Superseded by a later revision"

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

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["source", "kind", "force", "month", "status"])]
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
