"""Row-level facts from data.police.uk, every column kept, linked to their import run.

These are the big tables (millions of rows), tuned for bulk loading (ADR 0006): one index,
(force, month), which every read and every revision delete goes through; the link to the
import run is neither indexed nor a database constraint (the importer owns it, in the same
transaction, and the kill test checks there are no orphans).
"""

from __future__ import annotations

from django.db import models

from policeplan.provenance.models import ImportRun


class FileRow(models.Model):
    """Columns every record has: the file it came from and its place in it."""

    import_run = models.ForeignKey(
        ImportRun, on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False
    )
    force = models.CharField(max_length=80)
    month = models.DateField()
    row_number = models.PositiveIntegerField()

    class Meta:
        abstract = True


class PlacedRow(FileRow):
    """Columns of the street and outcomes files: who reported it and where (anonymised)."""

    reported_by = models.CharField(max_length=100)
    falls_within = models.CharField(max_length=100)
    longitude = models.FloatField(null=True)
    latitude = models.FloatField(null=True)
    location = models.CharField(max_length=200, null=True)
    lsoa_code = models.CharField(max_length=12, null=True)
    lsoa_name = models.CharField(max_length=100, null=True)
    # Derived at import: local authority name = LSOA name without its last token.
    local_authority = models.CharField(max_length=100, null=True)

    class Meta(FileRow.Meta):
        abstract = True


class StreetRecord(PlacedRow):
    """A street-level crime or anti-social behaviour incident (a row of a -street.csv file)."""

    crime_id = models.CharField(max_length=64, null=True)
    crime_type = models.CharField(max_length=60)
    last_outcome_category = models.CharField(max_length=120, null=True)
    context = models.TextField(null=True)

    class Meta(PlacedRow.Meta):
        indexes = [models.Index(fields=["force", "month"], name="records_str_force_518ab5_idx")]

    def __str__(self) -> str:
        return f"{self.crime_type} {self.month:%Y-%m} {self.lsoa_name or 'no location'}"


class OutcomeRecord(PlacedRow):
    """An outcome recorded for a crime in a month (a row of an -outcomes.csv file)."""

    crime_id = models.CharField(max_length=64)
    outcome_type = models.CharField(max_length=120)

    class Meta(PlacedRow.Meta):
        indexes = [models.Index(fields=["force", "month"], name="records_out_force_5298e0_idx")]

    def __str__(self) -> str:
        return f"{self.outcome_type} {self.month:%Y-%m} {self.crime_id}"


class StopSearchRecord(FileRow):
    """A stop and search (a row of a -stop-and-search.csv file)."""

    type = models.CharField(max_length=60)
    date = models.DateTimeField()
    part_of_a_policing_operation = models.BooleanField(null=True)
    policing_operation = models.CharField(max_length=200, null=True)
    latitude = models.FloatField(null=True)
    longitude = models.FloatField(null=True)
    gender = models.CharField(max_length=30, null=True)
    age_range = models.CharField(max_length=30, null=True)
    self_defined_ethnicity = models.CharField(max_length=200, null=True)
    officer_defined_ethnicity = models.CharField(max_length=60, null=True)
    legislation = models.CharField(max_length=200, null=True)
    object_of_search = models.CharField(max_length=200, null=True)
    outcome = models.CharField(max_length=200, null=True)
    outcome_linked_to_object_of_search = models.BooleanField(null=True)
    removal_of_more_than_just_outer_clothing = models.BooleanField(null=True)

    class Meta(FileRow.Meta):
        indexes = [models.Index(fields=["force", "month"], name="records_sto_force_220ad9_idx")]

    def __str__(self) -> str:
        return f"{self.type} {self.date:%Y-%m-%d} {self.object_of_search or ''}"
