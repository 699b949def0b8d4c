"""Where a report's figures came from: import runs, coverage and the "as at" date.

The only module of the report that reads import runs, so moving ``ImportRun`` (issue 10's
provenance app) touches one import here.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from policeplan.analysis.periods import Month, describe_months, month_range
from policeplan.catalogue.models import Plan
from policeplan.geography.models import Area
from policeplan.metrics import reports
from policeplan.official import queries as official
from policeplan.provenance.models import ImportRun

from .content import CoverageLine
from .periods import ReportPeriod

if TYPE_CHECKING:
    from .content import ReportContent

# Months before a period's end whose data 12-month comparisons need: this year and last.
COMPARISON_WINDOW = 24


def file_name(run: ImportRun) -> str:
    return PurePath(run.source_path.replace("\\", "/")).name


def as_at(run_ids: Iterable[int]) -> date:
    """The day the newest data used was imported (London time): what "as at" means here."""
    runs = ImportRun.objects.filter(id__in=set(run_ids))
    latest = max((run.finished_at for run in runs), default=None)
    return timezone.localtime(latest).date() if latest else date(1970, 1, 1)


def run_manifest(run_ids: Iterable[int]) -> list[dict[str, Any]]:
    """Each import run used, as the manifest records it (no server paths, no user names)."""
    runs = ImportRun.objects.filter(id__in=set(run_ids)).order_by("source", "kind", "month", "id")
    return [
        {
            "id": run.id,
            "source": run.source,
            "kind": run.kind,
            "force": run.force,
            "period": str(Month.from_date(run.month)) if run.month else run.period_label,
            "file": file_name(run),
            "sha256": run.sha256,
            "rows_written": run.rows_written,
            "imported_at": run.finished_at.isoformat(),
            "status": run.status,
            "supersedes": run.supersedes_id,
        }
        for run in runs
    ]


def runs_for_month(runs: list[ImportRun], month: Month) -> list[int]:
    return [run.id for run in runs if run.month and Month.from_date(run.month) == month]


def _latest_file(runs: list[ImportRun]) -> str:
    latest = reports.latest_file(runs)
    assert latest is not None  # runs is not empty
    stamp = timezone.localtime(latest.imported_at).strftime("%-d %B %Y")
    return (
        f"{latest.file_name} (SHA-256 {latest.sha256[:12]}…, imported {stamp} by {latest.process})"
    )


def series_provenance(label: str, runs: list[ImportRun], gaps: list[Month]) -> str:
    if not runs:
        return f"{label}: no import run recorded."
    months = sorted(Month.from_date(run.month) for run in runs if run.month)
    text = f"{label}, {months[0].label} to {months[-1].label}, from {len(runs)} imported files"
    if gaps:
        text += f" ({len(gaps)} months with no published data)"
    return f"{text}. Latest file: {_latest_file(runs)}."


def official_provenance(runs: list[ImportRun]) -> str:
    if not runs:
        return "ONS Police Force Area data tables: no import run recorded."
    return (
        f"ONS, Crime in England and Wales: Police Force Area data tables, Table P1 "
        f"({len(runs)} editions). Latest file: {_latest_file(runs)}."
    )


def _street_months(force: str) -> set[Month]:
    months = ImportRun.objects.filter(
        source="police_uk", kind="street", force=force, status=ImportRun.Status.CURRENT
    ).values_list("month", flat=True)
    return {Month.from_date(m) for m in months if m is not None}


def coverage_lines(
    plan: Plan, force: Area, period: ReportPeriod, content: ReportContent
) -> list[CoverageLine]:
    """The cover's summary of what data the report stands on."""
    held = _street_months(force.force)
    in_period = [m for m in period.months if m in held]
    window = month_range(period.end - (COMPARISON_WINDOW - 1), period.end)
    missing = [m for m in window if m not in held]
    street = f"{len(in_period)} of the period's {len(period.months)} months held for {force.name}"
    if missing:
        street += (
            f"; missing in the {COMPARISON_WINDOW} months to {period.end.label} (needed for "
            f"12-month comparisons): {describe_months(missing)}"
        )
    editions = [e for e in official.editions() if e.period_end <= period.end]
    ons = (
        f"{len(editions)} editions held; the latest is for the {editions[-1].label}"
        if editions
        else "no editions held"
    )
    with_data = len(content.metrics)
    total = with_data + len(content.awaiting)
    return [
        CoverageLine("Street-level crime (data.police.uk)", street + "."),
        CoverageLine("ONS police force area tables", ons + "."),
        CoverageLine(
            "Headline metrics",
            f"{with_data} of the plan's {total} headline metrics have figures for this period; "
            f"{len(content.awaiting)} still await data and are listed by name with their owner.",
        ),
        CoverageLine(
            "Local, survey and partnership data",
            "Figures entered and approved by their owners appear once the staff workspace is in "
            "use; none are held yet.",
        ),
    ]


def describe_revision(old_ids: Iterable[int], new_ids: Iterable[int]) -> str:
    """Which import runs replaced which between two reports' statements of one figure."""
    old, new = set(old_ids), set(new_ids)
    added = sorted(new - old)
    if not added:
        return "Same files; recalculated (the method or definition changed)."
    runs = ImportRun.objects.in_bulk(added)
    parts = []
    for run_id in added:
        run = runs.get(run_id)
        if run is None:
            parts.append(f"run {run_id} (no longer held)")
            continue
        stamp = timezone.localtime(run.finished_at).strftime("%-d %B %Y")
        replaced = sorted(old - new)
        replacing = f", replacing run {', '.join(map(str, replaced))}" if replaced else ""
        parts.append(f"{file_name(run)} imported {stamp} (run {run.id}{replacing})")
    return "; ".join(parts) + "."


def describe_submission(old_id: int, new_id: int) -> str:
    """Which approved staff submission replaced which for a local figure."""
    from policeplan.staff.models import Submission

    if old_id == new_id:
        return f"Same submission ({new_id}); recalculated."
    new = Submission.objects.filter(pk=new_id).first()
    if new is None:
        return f"submission {new_id} (no longer held), replacing submission {old_id}."
    approved = new.reviewed_at or new.publish_at
    stamp = f" approved {timezone.localtime(approved):%-d %B %Y}" if approved else ""
    return f"submission {new.pk} ({new.description}){stamp}, replacing submission {old_id}."
