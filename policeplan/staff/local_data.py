"""Local data (issue 10 §3): a checked template file becomes a draft submission through the one
import lifecycle (``provenance.run_import``, staged until approval). The upload page, the
single-value form and ``import_local_data`` all call :func:`import_local_data`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils import timezone

from policeplan.analysis.periods import Month
from policeplan.catalogue.models import Metric
from policeplan.geography.models import Area, AreaKind
from policeplan.provenance.content import ImportInput
from policeplan.provenance.errors import ImportFailed
from policeplan.provenance.lifecycle import (
    FAILED,
    UNCHANGED,
    Changes,
    ImportSource,
    Parsed,
    Written,
    promote,
    run_import,
)
from policeplan.provenance.models import ImportRun, Slot
from policeplan.sources.local_template import (
    MAX_BYTES,
    Allowed,
    LocalRow,
    MetricRule,
    TemplateRefused,
    parse_local_file,
)

from . import workflow
from .models import Submission
from .workspace import current_plan_metrics

SOURCE = "local"


def local_metrics() -> list[Metric]:
    """The current plan's metrics that take staff-entered figures (a local data series)."""
    return [
        m
        for m in current_plan_metrics()
        if any(s["computation"]["kind"] == workflow.LOCAL_SERIES_KIND for s in m.series)
    ]


def force_areas() -> list[Area]:
    """The force and its local authorities: the areas local figures may be given for."""
    force = Area.objects.filter(kind=AreaKind.FORCE, force=settings.POLICEPLAN_FORCE).first()
    if force is None:
        return []
    return [force, *Area.objects.filter(parent=force, kind=AreaKind.LOCAL_AUTHORITY)]


def allowed_now() -> Allowed:
    metrics = {m.slug: MetricRule(m.slug, m.frequency, m.unit) for m in local_metrics()}
    areas: dict[str, str] = {}
    for area in force_areas():
        areas[area.code.lower()] = area.code
        areas[area.slug.lower()] = area.code
    return Allowed(metrics, areas, Month.from_date(timezone.localdate()))


class LocalDataSource(ImportSource[list[LocalRow]]):
    """Staff figures: every upload is a revision of the force's local data, staged until an
    approver approves its submission (:func:`approved`)."""

    source = SOURCE
    max_bytes = MAX_BYTES
    stageable = True

    def __init__(self, user: Any = None, how: str = Submission.Source.UPLOAD) -> None:
        self.user = user
        self.how = how
        self.submission: Submission | None = None

    def identify(self, item: ImportInput) -> Slot:
        return Slot(SOURCE, "figures", settings.POLICEPLAN_FORCE, period_label="staff figures")

    def parse(self, item: ImportInput, content: bytes, slot: Slot | None) -> Parsed[list[LocalRow]]:
        try:
            rows = parse_local_file(item.name, content, allowed_now())
        except TemplateRefused as exc:
            raise ImportFailed(item.name, [str(p) for p in exc.problems]) from exc
        assert slot is not None  # identify() always names the slot
        return Parsed(slot, rows, rows_read=len(rows))

    def write(self, run: ImportRun, parsed: Parsed[list[LocalRow]]) -> Written:
        metrics = {m.slug: m for m in local_metrics()}
        areas = {a.code: a for a in force_areas()}
        self.submission = workflow.new_submission(self.user, self.how, run.source_path)
        self.submission.import_run = run
        self.submission.save(update_fields=["import_run"])
        staged = workflow.stage_values(
            self.submission,
            [
                workflow.StagedValue(
                    metrics[r.metric],
                    areas[r.area],
                    r.period_end,
                    r.value,
                    r.numerator,
                    r.denominator,
                    r.note,
                )  # fmt: skip
                for r in parsed.rows
            ],
            import_run=run,
        )
        return Written(parsed.rows_read, len(staged))

    def compare(self, previous: ImportRun | None, before: Any, written: Written) -> Changes:
        # An upload adds figures to its own submission; approved figures of earlier uploads
        # stay published (revisions keep their rows), so a smaller upload removes nothing and
        # the shrink guard has nothing to refuse.
        changes = super().compare(previous, before, written)
        changes.removed = 0
        return changes


@dataclass
class LocalImport:
    """What happened to a file: its draft submission, or every problem (nothing staged)."""

    name: str
    submission: Submission | None = None
    unchanged: bool = False
    problems: list[str] = field(default_factory=list)


def import_local_data(
    name: str,
    content: bytes,
    user: Any,
    how: str = Submission.Source.UPLOAD,
    allow_shrink: bool = False,
) -> LocalImport:
    """Check a template file and stage it as a draft submission, or list every problem."""
    if not (user.is_active and user.has_perm("staff.enter_data")):
        return LocalImport(name, problems=[
            f"{user.get_username()} may not enter data: it needs the analyst role"])  # fmt: skip
    source = LocalDataSource(user, how)
    item = ImportInput(name, read=lambda: content, size=lambda: len(content))
    outcome = run_import(
        source, item, run_by=user.get_username(), stage=True, allow_shrink=allow_shrink
    )
    if outcome.status == FAILED:
        return LocalImport(name, problems=outcome.problems)
    if outcome.status == UNCHANGED:
        held = Submission.objects.filter(import_run=outcome.run).first()
        return LocalImport(name, submission=held, unchanged=True)
    return LocalImport(name, submission=source.submission)


def approved(submission: Submission) -> None:
    """Make an approved upload's staged import run current (called by ``workflow.approve``)."""
    run = submission.import_run
    if run is not None and run.status == ImportRun.Status.STAGED:
        promote(LocalDataSource(), run)


GUIDE = [
    "How to fill in this template",
    "One row per figure. Columns: metric (the metric's slug), area (an area code or slug, as the "
    "API uses), period_end (YYYY-MM: the last month of the period), value; optional numerator, "
    "denominator and note.",
    "Quarterly figures end in March, June, September or December; annual figures cover the 12 "
    "months to period_end; percentages are 0 to 100; counts are whole numbers.",
    "Rows left without a value are ignored. Do not add formulas, macros or hidden sheets: the "
    "file is refused, and nothing is staged, if any row is wrong.",
    "metric_name, unit and frequency are there to help you; they are not read.",
]


def template_for(metric_slug: str = "") -> list[list[str]]:
    """Template rows for one metric (or every local data metric), due periods filled in."""
    from policeplan.analysis.due import latest_due_period_end
    from policeplan.sources.local_template import template_rows

    metrics = [m for m in local_metrics() if not metric_slug or m.slug == metric_slug]
    areas = force_areas()
    today = timezone.localdate()
    due = {m.slug: str(latest_due_period_end(m.frequency, today) or "") for m in metrics}
    described = [(m.slug, m.name, m.unit, m.frequency) for m in metrics]
    return template_rows(described, areas[0].code if areas else "", due)
