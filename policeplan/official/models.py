"""Official statistics: figures published by ONS, kept apart from police.uk records.

An ``OfficialObservation`` is one published cell (an area, a table, a measure and a unit for the
12 months an edition covers), linked to the ``ImportRun`` of the workbook it came from. These
figures are never mixed into police.uk series (see docs/adr/0003-official-statistics.md).
"""

from __future__ import annotations

from django.db import models

from policeplan.geography.models import Area
from policeplan.provenance.models import ImportRun


class OfficialTable(models.Model):
    """A table read from a workbook: what it is and which areas its totals cover."""

    import_run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="+")
    table = models.CharField(max_length=10, help_text="P1, P2, ...")
    sheet = models.CharField(max_length=60, help_text="the sheet name exactly as in the workbook")
    kind = models.CharField(max_length=30, help_text="offence_counts, offence_rates, ...")
    title = models.CharField(max_length=500)
    coverage = models.CharField(
        max_length=200, blank=True, help_text="e.g. England and Wales (excluding Greater ...)"
    )

    class Meta:
        ordering = ["import_run", "table"]
        constraints = [
            models.UniqueConstraint(fields=["import_run", "table"], name="official_table_per_run")
        ]

    def __str__(self) -> str:
        return f"Table {self.table} ({self.import_run.period_label})"


class OfficialObservation(models.Model):
    """One published figure. ``value`` is None when the table prints a ``marker`` instead."""

    import_run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="+")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    table = models.CharField(max_length=10, help_text="P1, P2, ...")
    measure = models.CharField(max_length=200, help_text="offence group, or 'Population'")
    unit = models.CharField(max_length=30, help_text="count, rate_per_1000, population, ...")
    period_start = models.DateField(help_text="first day of the 12 months covered")
    period_end = models.DateField(help_text="last day of the 12 months covered")
    value = models.DecimalField(max_digits=24, decimal_places=12, null=True, blank=True)
    marker = models.CharField(
        max_length=4, blank=True, help_text="the table's marker ('-', '..', ...) when no value"
    )
    sheet = models.CharField(max_length=60)
    cell = models.CharField(max_length=12, help_text="e.g. C26")

    class Meta:
        ordering = ["period_end", "table", "area", "measure", "unit"]
        constraints = [
            # Superseded revisions' observations are deleted when a workbook is replaced, so
            # there is only ever one figure per area, table, measure, unit and period.
            models.UniqueConstraint(
                fields=["area", "table", "measure", "unit", "period_end"],
                name="official_observation_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(value__isnull=False, marker="")
                | models.Q(value__isnull=True) & ~models.Q(marker=""),
                name="official_observation_value_or_marker",
            ),
        ]
        indexes = [
            models.Index(fields=["table", "measure", "unit", "period_end"]),
            models.Index(fields=["import_run"]),
        ]

    def __str__(self) -> str:
        shown = self.marker if self.value is None else self.value
        return f"{self.table} {self.measure} ({self.unit}) {self.period_end:%Y-%m}: {shown}"
