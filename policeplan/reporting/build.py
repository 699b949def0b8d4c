"""Build a report: gather → compare with the last one → render → write files → store.

One transaction: the files are written inside it, so a failure leaves no Report row pointing at
missing files (a half-written folder may remain and is overwritten by nothing).
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from policeplan.analysis.periods import Month
from policeplan.catalogue.models import Plan

from . import changes, render
from .gather import ReportDataError, gather
from .manifest import build_manifest
from .models import Report
from .periods import Audience, parse_report_period

EMBARGOED = (
    "This Board report carries material still under embargo, so it cannot be published yet. "
    "Publish a build made after the embargo lifts."
)


@dataclass(frozen=True)
class BuiltReport:
    report: Report
    folder: Path
    html_path: Path
    pdf_path: Path
    manifest_path: Path
    exceptions: int
    with_data: int
    awaiting: int


def reports_dir() -> Path:
    return Path(settings.POLICEPLAN_REPORTS_DIR)


def find_plan(slug: str) -> Plan:
    plan = Plan.objects.filter(slug=slug).first()
    if plan is None:
        held = ", ".join(Plan.objects.order_by("slug").values_list("slug", flat=True))
        raise ReportDataError(
            f"No plan '{slug}' is loaded. Plans held: {held or 'none (run manage.py load_plans)'}."
        )
    return plan


def build_report(
    plan_slug: str,
    period_text: str,
    audience_text: str,
    *,
    built_by: str,
    publish: bool = False,
    now: datetime | None = None,
) -> BuiltReport:
    """Build, store and write one report; raises ReportPeriodError or ReportDataError."""
    built_at = now or timezone.now()
    audience = Audience.parse(audience_text)
    period = parse_report_period(
        period_text, audience, today=Month.from_date(timezone.localtime(built_at).date())
    )
    plan = find_plan(plan_slug)
    content = gather(plan, audience, period, built_at)
    if publish and content.embargo_notice:
        raise ReportDataError(EMBARGOED)
    previous = Report.objects.previous_for(plan, audience.value, period.start.first_day)
    changed = changes.compare(previous, content)
    rendered = render.render(content, built_at, changed)
    figures = changes.stored_figures(content)
    manifest = build_manifest(
        plan, content, figures, list(rendered.charts), previous.pk if previous else None
    )
    with transaction.atomic():
        report = Report.objects.create(
            plan=plan,
            audience=audience.value,
            period=period.text,
            period_start=period.start.first_day,
            period_end=period.end.first_day,
            title=content.title,
            built_at=built_at,
            built_by=built_by,
            as_at=content.as_at,
            manifest=manifest,
            content_sha256=rendered.content_sha256,
            figures=figures,
            compared_with=previous,
            body_html=rendered.body_html,
            document_html=rendered.document_html,
            charts=rendered.charts,
            pdf=rendered.pdf,
            has_embargoed=bool(content.embargo_notice),
            published_at=built_at if publish else None,
            published_by=built_by if publish else "",
        )
        folder = reports_dir() / plan.slug / f"{period.slug}-{audience.value}-{report.pk}"
        paths = write_files(folder, report)
        report.html_path, report.pdf_path = str(paths[0]), str(paths[1])
        report.save(update_fields=["html_path", "pdf_path"])
    return BuiltReport(
        report,
        folder,
        paths[0],
        paths[1],
        paths[2],
        exceptions=len(content.exceptions),
        with_data=len(content.metrics),
        awaiting=len(content.awaiting),
    )


def publish_report(report: Report, *, published_by: str, now: datetime | None = None) -> Report:
    """Publish a built report to the public archive (its permanent address, PDF, manifest)."""
    if report.is_published:
        raise ReportDataError(f"Report {report.pk} is already published.")
    if report.has_embargoed:
        raise ReportDataError(EMBARGOED)
    report.published_at = now or timezone.now()
    report.published_by = published_by
    report.save(update_fields=["published_at", "published_by"])
    return report


def write_files(folder: Path, report: Report) -> tuple[Path, Path, Path]:
    """report.html (+ report.css, charts/), report.pdf, manifest.json and figures.json."""
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "charts").mkdir(parents=True)
    html_path, pdf_path, manifest_path = (
        folder / "report.html",
        folder / "report.pdf",
        folder / "manifest.json",
    )
    html_path.write_text(report.document_html, encoding="utf-8")
    shutil.copyfile(render.SCREEN_CSS, folder / "report.css")
    for name, svg in report.charts.items():
        (folder / name).write_text(svg, encoding="utf-8")
    pdf_path.write_bytes(bytes(report.pdf))
    manifest_path.write_text(json.dumps(report.manifest, indent=2, sort_keys=True), "utf-8")
    (folder / "figures.json").write_text(json.dumps(report.figures, indent=2), "utf-8")
    return html_path, pdf_path, manifest_path
