"""Observations: the figures a metric produces, per series, area and period, with provenance."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils import timezone

from policeplan.catalogue.models import Metric
from policeplan.geography.models import Area
from policeplan.provenance.models import ImportRun


class PeriodKind(models.TextChoices):
    MONTH = "month", "Month"
    QUARTER = "quarter", "Financial quarter"
    FINANCIAL_YEAR = "financial_year", "Financial year"
    ROLLING_12 = "rolling_12", "12 months ending"


def visible_at(at: datetime) -> Q:
    """Staff-entered items public at ``at``: approved, past the embargo, not withdrawn or
    superseded. (Decided at query time, so no scheduler is needed.)"""
    return Q(published_from__lte=at) & (Q(published_until__isnull=True) | Q(published_until__gt=at))


class PublishableQuerySet(models.QuerySet[Any]):
    def published(self, at: datetime | None = None) -> PublishableQuerySet:
        """What the public may see at ``at`` (default now)."""
        return self.filter(visible_at(at or timezone.now()))


class ObservationQuerySet(models.QuerySet["Observation"]):
    def published(self, at: datetime | None = None) -> ObservationQuerySet:
        """Every figure the public may see at ``at`` (default now): computed from open data,
        or entered by staff, approved and past its embargo. Every public reader uses this."""
        return self.filter(Q(submission__isnull=True) | visible_at(at or timezone.now()))


class Observation(models.Model):
    """One figure. A period with no source data has no row: a gap, never a zero.

    Figures computed from open data have no submission and are always public. Staff-entered
    figures belong to a submission and are public only between ``published_from`` (approval or
    embargo) and ``published_until`` (superseded or withdrawn); drafts have neither.
    """

    metric = models.ForeignKey(Metric, on_delete=models.CASCADE, related_name="observations")
    series = models.SlugField(max_length=80, help_text="the metric series (one per source)")
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="observations")
    period_kind = models.CharField(max_length=20, choices=PeriodKind.choices)
    period_start = models.DateField()
    period_end = models.DateField(help_text="first day of the period's last month")
    value = models.FloatField()
    numerator = models.IntegerField(null=True, blank=True)
    denominator = models.IntegerField(null=True, blank=True)
    pending_share = models.FloatField(
        null=True, blank=True, help_text="outcomes still pending; null when the file has none"
    )
    unusable_share = models.FloatField(
        null=True, blank=True, help_text="crimes with no usable outcome status"
    )
    import_run = models.ForeignKey(
        ImportRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source_runs = models.JSONField(default=list, help_text="ids of every import run used")
    series_hash = models.CharField(max_length=16, help_text="hash of the series definition")
    computed_at = models.DateTimeField()
    submission = models.ForeignKey(
        "staff.Submission",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="observations",
        help_text="The staff submission that entered it (none: computed from open data)",
    )
    published_from = models.DateTimeField(null=True, blank=True)
    published_until = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True, help_text="The note the person entering it gave")

    objects = ObservationQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["metric", "series", "area", "period_kind", "period_end"],
                condition=Q(submission__isnull=True),
                name="one_observation_per_period",
            ),
            models.UniqueConstraint(
                fields=["submission", "metric", "series", "area", "period_kind", "period_end"],
                condition=Q(submission__isnull=False),
                name="one_staged_value_per_period_per_submission",
            ),
        ]
        indexes = [models.Index(fields=["metric", "series", "area", "period_kind"])]

    def __str__(self) -> str:
        return f"{self.metric.slug}/{self.series} {self.area.name} {self.period_end:%Y-%m}"


class SnapshotKind(models.TextChoices):
    SERIES = "series", "Monthly series (SPC, comparisons, exceptions)"
    OFFICIAL = "official", "ONS 12-month editions"


class ReportSnapshot(models.Model):
    """The stored read side: one series' report for one area, as public from ``valid_from``.

    Written by ``readside.rebuild`` whenever figures, publications or targets change, with one
    set for now and one for each coming embargo lift or end, so no statistics run when people
    look. ``report`` is the pickled ``SeriesReport``/``OfficialReport`` (written only by this
    application, as Django's own database cache does); ADR 0015.
    """

    metric = models.ForeignKey(Metric, on_delete=models.CASCADE, related_name="+")
    series = models.SlugField(max_length=80)
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=SnapshotKind.choices)
    valid_from = models.DateTimeField()
    report = models.BinaryField()
    built_at = models.DateTimeField()
    reference = models.DateField(
        null=True, help_text="the force's newest month held, that freshness was judged against"
    )
    settings_hash = models.CharField(
        max_length=16, help_text="the statistical settings it was built with (readside.py)"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["metric", "series", "area", "valid_from"], name="one_snapshot_per_moment"
            )
        ]
        indexes = [models.Index(fields=["area", "valid_from"])]

    def __str__(self) -> str:
        return f"{self.metric_id}/{self.series} area {self.area_id} from {self.valid_from}"
