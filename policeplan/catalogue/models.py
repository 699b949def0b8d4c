"""The Police and Crime Plan as versioned data: plans, missions, strategies, metrics."""

from __future__ import annotations

from enum import StrEnum

from django.db import models
from django.urls import reverse

from .schema import SOURCE_KIND_LABELS, Frequency, Polarity, SourceKind, Unit


def _choices(enum: type[StrEnum]) -> list[tuple[str, str]]:
    return [(member.value, member.value.replace("-", " ").replace("_", " ")) for member in enum]


class Plan(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    force = models.SlugField(max_length=80, help_text="data.police.uk force id")
    area_name = models.CharField(max_length=200)
    commissioner = models.CharField(max_length=200)
    period_start = models.PositiveSmallIntegerField()
    period_end = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=20)
    partial = models.BooleanField(default=False)
    partial_note = models.TextField(blank=True)
    source_document = models.CharField(max_length=300)
    vision = models.TextField()
    force_strategic_priorities = models.JSONField(default=list)
    commitments = models.JSONField(default=list)
    national_measures = models.JSONField(
        default=list, help_text="National Crime and Policing Measures: name and metric slugs"
    )
    # Versioning: the hash of the YAML text last loaded and when; every load is kept below.
    content_sha256 = models.CharField(max_length=64)
    loaded_at = models.DateTimeField()

    class Meta:
        ordering = ["-period_start"]

    def __str__(self) -> str:
        return f"{self.title} ({self.period_start}-{self.period_end})"

    @property
    def period_label(self) -> str:
        return f"{self.period_start} to {self.period_end}"


class PlanLoad(models.Model):
    """One load of a catalogue file: the audit trail of plan versions."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="loads")
    source_path = models.CharField(max_length=500)
    content_sha256 = models.CharField(max_length=64)
    loaded_at = models.DateTimeField()
    changed = models.BooleanField(help_text="False when the file was identical to the last load")
    summary = models.JSONField(default=dict)

    class Meta:
        ordering = ["-loaded_at"]

    def __str__(self) -> str:
        return f"{self.plan.slug} @ {self.loaded_at:%Y-%m-%d %H:%M} ({self.content_sha256[:8]})"


class Mission(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="missions")
    slug = models.SlugField(max_length=80)
    title = models.CharField(max_length=200)
    summary = models.JSONField(default=list)
    order = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["plan", "order"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "slug"], name="mission_slug_per_plan")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("mission", args=[self.plan.slug, self.slug])


class Strategy(models.Model):
    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="strategies")
    slug = models.SlugField(max_length=80)
    title = models.CharField(max_length=200)
    aims = models.JSONField(default=list)
    deliverables = models.JSONField(default=list)
    indicators = models.JSONField(default=list)
    note = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["mission__order", "order"]
        verbose_name_plural = "strategies"
        constraints = [
            models.UniqueConstraint(fields=["mission", "slug"], name="strategy_slug_per_mission")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("strategy", args=[self.mission.plan.slug, self.slug])


class Metric(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="metrics")
    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="metrics")
    slug = models.SlugField(max_length=80)
    name = models.CharField(max_length=200)
    framework_priority = models.CharField(max_length=200)
    headline = models.BooleanField(default=True)
    source_kind = models.CharField(max_length=30, choices=_choices(SourceKind))
    source_label = models.CharField(max_length=100)
    source_inherited = models.BooleanField(default=False)
    unit = models.CharField(max_length=20, choices=_choices(Unit))
    polarity = models.CharField(max_length=20, choices=_choices(Polarity))
    frequency = models.CharField(max_length=20, choices=_choices(Frequency))
    definition = models.TextField()
    series = models.JSONField(default=list, help_text="How figures are obtained, one per source")
    awaiting_data_note = models.TextField(blank=True)
    owner = models.CharField(
        max_length=200, blank=True, help_text="Team or role title that provides the figures"
    )
    owner_note = models.TextField(blank=True, help_text="Where the owner comes from")
    order = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["plan", "order"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "slug"], name="metric_slug_per_plan")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("metric", args=[self.plan.slug, self.slug])

    @property
    def source_kind_label(self) -> str:
        return SOURCE_KIND_LABELS[SourceKind(self.source_kind)]

    @property
    def polarity_label(self) -> str:
        return Polarity(self.polarity).description.capitalize()

    @property
    def has_computation(self) -> bool:
        return bool(self.series)


class NationalPriority(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="national_priorities")
    slug = models.SlugField(max_length=80)
    name = models.CharField(max_length=200)
    framework = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["plan", "order"]
        verbose_name_plural = "national priorities"

    def __str__(self) -> str:
        return self.name


class GovernanceBody(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="governance_bodies")
    slug = models.SlugField(max_length=80)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20)
    frequency = models.CharField(max_length=100)
    description = models.TextField()
    order = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["plan", "order"]
        verbose_name_plural = "governance bodies"

    def __str__(self) -> str:
        return self.name


class Partnership(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="partnerships")
    slug = models.SlugField(max_length=80)
    name = models.CharField(max_length=200)
    commitments = models.JSONField(default=list)
    order = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["plan", "order"]

    def __str__(self) -> str:
        return self.name
