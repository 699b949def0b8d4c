"""Reports as built: what they said (figures), what they were built from (manifest), the files.

Every build is kept. The figures let the next report say what changed since this one and let
``verify_published`` recheck every published number; the stored HTML, charts and PDF are the
archive served at the report's permanent address, whatever happens to the files on disk.
"""

from __future__ import annotations

from datetime import date

from django.db import models
from django.urls import reverse

from policeplan.catalogue.models import Plan

from .periods import Audience, ReportPeriod


class ReportQuerySet(models.QuerySet["Report"]):
    def published(self) -> ReportQuerySet:
        return self.filter(published_at__isnull=False)

    def previous_for(self, plan: Plan, audience: str, before: date) -> Report | None:
        """The report 'what changed' compares with: the latest for the same plan and audience
        covering an earlier period (ending before ``before``), a published one first: what
        readers last saw."""
        earlier = self.filter(plan=plan, audience=audience, period_end__lt=before)
        ordering = ("-period_end", "-built_at", "-id")
        published = earlier.published().order_by(*ordering).first()
        return published or earlier.order_by(*ordering).first()


class Report(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="reports")
    audience = models.CharField(max_length=10, choices=[(a.value, a.label) for a in Audience])
    period = models.CharField(max_length=30, help_text="as given: 2025-Q4 or 2025-11..2025-12")
    period_start = models.DateField(help_text="first day of the period's first month")
    period_end = models.DateField(help_text="first day of the period's last month")
    title = models.CharField(max_length=300)
    built_at = models.DateTimeField()
    built_by = models.CharField(max_length=200, help_text="user or process that built it")
    as_at = models.DateField(help_text="when the newest data it uses was imported")
    manifest = models.JSONField(help_text="import runs, settings and software it was built from")
    content_sha256 = models.CharField(
        max_length=64, help_text="of the HTML with the build time masked: equal means same content"
    )
    figures = models.JSONField(help_text="every figure it states, keyed for comparison")
    compared_with = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body_html = models.TextField(help_text="the report's content, shown inside the site")
    document_html = models.TextField(help_text="the standalone HTML document")
    charts = models.JSONField(default=dict, help_text="chart file name -> SVG text")
    pdf = models.BinaryField()
    html_path = models.CharField(max_length=1000, blank=True)
    pdf_path = models.CharField(max_length=1000, blank=True)
    has_embargoed = models.BooleanField(
        default=False, help_text="carries approved but embargoed material (Board only)"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.CharField(max_length=200, blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-period_end", "audience", "-built_at"]
        indexes = [models.Index(fields=["plan", "audience", "period_end"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("report", args=[self.pk])

    @property
    def report_period(self) -> ReportPeriod:
        from policeplan.analysis.periods import Month

        return ReportPeriod(Month.from_date(self.period_start), Month.from_date(self.period_end))

    @property
    def audience_label(self) -> str:
        return Audience(self.audience).label

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def pdf_url(self) -> str:
        return reverse("report-pdf", args=[self.pk])
