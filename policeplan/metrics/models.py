"""Observations: the figures a metric produces, per series, area and period, with provenance."""

from __future__ import annotations

from django.db import models

from policeplan.catalogue.models import Metric
from policeplan.geography.models import Area
from policeplan.provenance.models import ImportRun


class PeriodKind(models.TextChoices):
    MONTH = "month", "Month"
    QUARTER = "quarter", "Financial quarter"
    FINANCIAL_YEAR = "financial_year", "Financial year"
    ROLLING_12 = "rolling_12", "12 months ending"


class Observation(models.Model):
    """One figure. A period with no source data has no row: a gap, never a zero."""

    metric = models.ForeignKey(Metric, on_delete=models.CASCADE, related_name="observations")
    series = models.SlugField(max_length=80, help_text="the metric series (one per source)")
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="observations")
    period_kind = models.CharField(max_length=20, choices=PeriodKind.choices)
    period_start = models.DateField()
    period_end = models.DateField(help_text="first day of the period's last month")
    value = models.FloatField()
    numerator = models.IntegerField(null=True, blank=True)
    denominator = models.IntegerField(null=True, blank=True)
    pending_share = models.FloatField(null=True, blank=True, help_text="outcomes still pending")
    import_run = models.ForeignKey(
        ImportRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source_runs = models.JSONField(default=list, help_text="ids of every import run used")
    series_hash = models.CharField(max_length=16, help_text="hash of the series definition")
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["metric", "series", "area", "period_kind", "period_end"],
                name="one_observation_per_period",
            )
        ]
        indexes = [models.Index(fields=["metric", "series", "area", "period_kind"])]

    def __str__(self) -> str:
        return f"{self.metric.slug}/{self.series} {self.area.name} {self.period_end:%Y-%m}"
