"""The accountability registers' entries: one model per kind, its fields named exactly as the
kind's template columns (``sources.register_specs``; a test checks they agree).

Every entry belongs to the staff submission that uploaded it and to that upload's import run.
Like staff-entered figures, an entry is public only between ``published_from`` (approval or
embargo) and ``published_until`` (replaced by a later approved upload, or withdrawn): each
upload is the whole register, so approving one retires the version before it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models
from django.utils import timezone

from policeplan.metrics.models import PublishableQuerySet
from policeplan.sources import register_specs as specs


class RegisterEntry(models.Model):
    submission = models.ForeignKey("staff.Submission", on_delete=models.PROTECT, related_name="+")
    import_run = models.ForeignKey(
        "provenance.ImportRun", on_delete=models.PROTECT, related_name="+"
    )
    row = models.PositiveIntegerField(help_text="Row of the uploaded file (header: row 1)")
    published_from = models.DateTimeField(null=True, blank=True)
    published_until = models.DateTimeField(null=True, blank=True)

    objects = PublishableQuerySet.as_manager()

    kind: str = ""

    class Meta:
        abstract = True


def _text(max_length: int = 200, required: bool = True) -> Any:
    return models.CharField(max_length=max_length, blank=not required)


def _choice(choices: tuple[str, ...]) -> Any:
    return models.CharField(max_length=40, choices=[(c, c.capitalize()) for c in choices])


def _money() -> Any:
    return models.DecimalField(max_digits=14, decimal_places=2)


def _coordinate() -> Any:
    return models.DecimalField(max_digits=9, decimal_places=6)


def _optional_date() -> Any:
    return models.DateField(null=True, blank=True)


class Grant(RegisterEntry):
    kind = "grants"
    reference = _text(50, required=False)
    organisation = _text()
    amount = _money()
    area = _text(40)
    purpose = models.TextField()
    awarded = models.DateField()
    ends = _optional_date()
    outcome = models.TextField(blank=True)

    class Meta:
        ordering = ["-awarded", "organisation", "pk"]

    def __str__(self) -> str:
        return f"{self.organisation} {self.awarded}"


class Place(RegisterEntry):
    kind = "places"
    name = _text()
    type = _choice(specs.PLACE_TYPES)
    address = _text(300)
    postcode = _text(10, required=False)
    area = _text(40)
    latitude = _coordinate()
    longitude = _coordinate()
    opening_hours = _text(300, required=False)
    accessibility = _text(500, required=False)
    public_access = models.BooleanField()
    visibility_increased = _optional_date()

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class Meeting(RegisterEntry):
    kind = "meetings"
    body = models.SlugField(max_length=100)
    date = models.DateField()
    title = _text()
    papers = _text(1000, required=False)
    minutes = _text(1000, required=False)
    decisions = models.TextField(blank=True)

    class Meta:
        ordering = ["-date", "body", "pk"]

    def __str__(self) -> str:
        return f"{self.body} {self.date}"


class Action(RegisterEntry):
    kind = "actions"
    reference = _text(50)
    body = models.SlugField(max_length=100)
    meeting_date = models.DateField()
    action = models.TextField()
    owner = _text()
    due = models.DateField()
    status = _choice(specs.ACTION_STATUSES)
    completed = _optional_date()

    class Meta:
        ordering = ["due", "reference", "pk"]

    def __str__(self) -> str:
        return self.reference

    def is_overdue(self, today: dt.date | None = None) -> bool:
        return self.status != "complete" and self.due < (today or timezone.localdate())


class Recommendation(RegisterEntry):
    kind = "recommendations"
    reference = _text(50)
    inspection = _text(300)
    published = models.DateField()
    type = _choice(specs.RECOMMENDATION_TYPES)
    text = models.TextField()
    force_response = models.TextField(blank=True)
    pcc_response = models.TextField(blank=True)
    progress = models.TextField(blank=True)
    updated = _optional_date()
    status = _choice(specs.RECOMMENDATION_STATUSES)
    closed = _optional_date()

    class Meta:
        ordering = ["-published", "reference", "pk"]

    def __str__(self) -> str:
        return self.reference

    def days_open(self, today: dt.date | None = None) -> int:
        """Days from the report's publication to its closing (or to today, while open)."""
        end: dt.date = self.closed or today or timezone.localdate()
        published: dt.date = self.published
        return (end - published).days


class Decision(RegisterEntry):
    kind = "decisions"
    reference = _text(50)
    date = models.DateField()
    title = _text(300)
    summary = models.TextField()
    document = _text(1000, required=False)

    class Meta:
        ordering = ["-date", "reference", "pk"]

    def __str__(self) -> str:
        return self.reference


class Document(RegisterEntry):
    kind = "documents"
    title = _text(300)
    type = _choice(specs.DOCUMENT_TYPES)
    date = models.DateField()
    file = _text(1000)
    summary = models.TextField(blank=True)

    class Meta:
        ordering = ["-date", "title", "pk"]

    def __str__(self) -> str:
        return self.title


class FinanceLine(RegisterEntry):
    kind = "finance"
    year = models.CharField(max_length=7, help_text="Financial year, 2024/25")
    line = _choice(specs.FINANCE_LINES)
    category = _text(100)
    amount = _money()
    note = _text(500, required=False)

    class Meta:
        ordering = ["-year", "line", "category", "pk"]

    def __str__(self) -> str:
        return f"{self.year} {self.line} {self.category}"


class Team(RegisterEntry):
    kind = "teams"
    name = _text()
    area = _text(40)
    covers = _text(500, required=False)
    email = _text(200, required=False)
    phone = _text(40, required=False)
    web = _text(1000, required=False)
    address = _text(300, required=False)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


MODELS: dict[str, type[RegisterEntry]] = {
    m.kind: m
    for m in (Meeting, Action, Recommendation, Decision, Document, FinanceLine, Place, Grant, Team)
}
