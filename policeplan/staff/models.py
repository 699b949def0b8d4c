"""Staff accounts: a profile beside Django's user, and the staff area's permissions."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

from policeplan.catalogue.models import Metric
from policeplan.metrics.models import PublishableQuerySet

from .roles import STAFF_PERMISSIONS


class StaffPermission(models.Model):
    """Holds the staff area's custom permissions (no table): see ``roles.ROLE_PERMISSIONS``."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = sorted(STAFF_PERMISSIONS.items())

    def __str__(self) -> str:
        return "staff permissions"


class StaffProfile(models.Model):
    """What policeplan knows about a staff user beyond Django's ``User``."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_profile"
    )
    team = models.CharField(
        max_length=200,
        blank=True,
        help_text="Team or role title, as metric owners are named in the plan catalogue",
    )

    def __str__(self) -> str:
        return f"{self.user.get_username()} ({self.team or 'no team'})"


# --- the publication workflow (issue 10 §4) -----------------------------------------------


class Submission(models.Model):
    """Figures and/or commentary moving draft → submitted → approved (published from
    ``publish_at``, decided at query time) or rejected; withdrawn leaves a correction note."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Awaiting approval"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        WITHDRAWN = "withdrawn", "Withdrawn"

    class Source(models.TextChoices):
        UPLOAD = "upload", "File upload"
        FORM = "form", "Single-value form"
        COMMENTARY = "commentary", "Commentary"

    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    source = models.CharField(max_length=20, choices=Source.choices)
    description = models.CharField(max_length=300, help_text="What it holds, e.g. the file name")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    publish_at = models.DateTimeField(
        null=True, blank=True, help_text="When approved items become public (the embargo)"
    )
    rejection_reason = models.TextField(blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The data owner who confirmed its figures",
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmation_note = models.TextField(blank=True)
    import_run = models.ForeignKey(
        "provenance.ImportRun",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The import run that staged its figures (file, sha256, who, when)",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Submission {self.pk}: {self.description}"

    def state_label(self, at: datetime | None = None) -> str:
        """The status as people read it, with the embargo decided at ``at`` (default now)."""
        if self.status == self.Status.APPROVED and self.publish_at is not None:
            at = at or timezone.now()
            if self.publish_at > at:
                local = timezone.localtime(self.publish_at)
                return f"Approved: embargoed until {local:%-d %B %Y %H:%M}"
            return "Published"
        return str(self.get_status_display())


class Commentary(models.Model):
    """What a metric's figures for a period mean and what is being done about them."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="commentary")
    metric = models.ForeignKey(Metric, on_delete=models.CASCADE, related_name="commentary")
    period_end = models.DateField(help_text="First day of the last month the commentary covers")
    meaning = models.TextField(help_text="What the figures mean")
    action = models.TextField(blank=True, help_text="What is being done")
    published_from = models.DateTimeField(null=True, blank=True)
    published_until = models.DateTimeField(null=True, blank=True)

    objects = PublishableQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "commentary"
        ordering = ["-period_end", "-published_from", "-pk"]

    def __str__(self) -> str:
        return f"Commentary on {self.metric.slug} to {self.period_end:%Y-%m}"


class Correction(models.Model):
    """The public note left when a published figure or commentary is withdrawn."""

    metric = models.ForeignKey(Metric, on_delete=models.CASCADE, related_name="corrections")
    period_label = models.CharField(max_length=100)
    area_name = models.CharField(max_length=200, blank=True)
    withdrawn_value = models.FloatField(null=True, blank=True)
    note = models.TextField(help_text="Why it was withdrawn, shown to the public")
    withdrawn_at = models.DateTimeField()
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submission = models.ForeignKey(
        Submission, null=True, blank=True, on_delete=models.SET_NULL, related_name="corrections"
    )

    class Meta:
        ordering = ["-withdrawn_at", "-pk"]

    def __str__(self) -> str:
        return f"Correction to {self.metric.slug} {self.period_label}"

    @property
    def withdrawn_text(self) -> str:
        from policeplan.publishing.staff_figures import figure_text

        return figure_text(self.withdrawn_value, self.metric.unit)


class Target(models.Model):
    """A metric's target, set by an approver: a value, or a direction (against a baseline)."""

    class Kind(models.TextChoices):
        VALUE = "value", "A value"
        DIRECTION = "direction", "A direction"

    class Direction(models.TextChoices):
        INCREASE = "increase", "Increase"
        DECREASE = "decrease", "Reduce"
        MAINTAIN = "maintain", "Maintain"

    metric = models.ForeignKey(Metric, on_delete=models.CASCADE, related_name="targets")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    value = models.FloatField(null=True, blank=True)
    direction = models.CharField(max_length=20, choices=Direction.choices, blank=True)
    baseline = models.FloatField(
        null=True, blank=True, help_text="The figure a direction is measured from"
    )
    baseline_label = models.CharField(max_length=100, blank=True, help_text="e.g. 2023/24")
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField()
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-set_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="value", value__isnull=False)
                    | (models.Q(kind="direction") & ~models.Q(direction=""))
                ),
                name="target_has_a_value_or_a_direction",
            )
        ]

    def __str__(self) -> str:
        return f"Target for {self.metric.slug}: {self.describe()}"

    @property
    def spc_value(self) -> float | None:
        """The line SPC assurance is judged against: the value, or a direction's baseline."""
        return self.value if self.kind == self.Kind.VALUE else self.baseline

    def describe(self) -> str:
        if self.kind == self.Kind.VALUE:
            text = f"{self.value:g}"
        else:
            text = str(self.get_direction_display())
            if self.baseline is not None:
                since = f" ({self.baseline_label})" if self.baseline_label else ""
                text += f" from {self.baseline:g}{since}"
        until = f" to {self.ends_on:%-d %B %Y}" if self.ends_on else ""
        return f"{text}, from {self.starts_on:%-d %B %Y}{until}"
