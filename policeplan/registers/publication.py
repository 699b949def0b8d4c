"""Register uploads through the one import lifecycle and the one submission workflow.

An upload (the staff page or ``import_register``) is parsed with the same checks as local data,
written under a *staged* import run (``provenance.run_import``, slot: register, kind, force) as
entries of a new submission, and becomes public only when an approver approves that submission
(``staff.workflow.approve``, which calls :func:`_approve` here through the workflow's content
hook). Each upload is the whole register of its kind: approval retires the version before it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from policeplan.catalogue.models import GovernanceBody
from policeplan.provenance.content import ImportInput
from policeplan.provenance.errors import ImportFailed
from policeplan.provenance.lifecycle import (
    FAILED,
    UNCHANGED,
    ImportSource,
    Parsed,
    Written,
    promote,
    run_import,
)
from policeplan.provenance.models import ImportRun, Slot
from policeplan.sources.local_template import MAX_BYTES, TemplateRefused
from policeplan.sources.register_specs import SPECS, RegisterSpec
from policeplan.sources.registers import RegisterAllowed, RegisterRow, parse_register
from policeplan.staff import workflow
from policeplan.staff.local_data import force_areas
from policeplan.staff.models import Submission

from .models import MODELS, RegisterEntry

SOURCE = "register"


def allowed_now() -> RegisterAllowed:
    areas: dict[str, str] = {}
    for area in force_areas():
        for name in (area.code, area.slug, area.name):
            areas[name.lower()] = area.code
    bodies: dict[str, str] = {}
    for body in GovernanceBody.objects.filter(plan__slug=settings.POLICEPLAN_CURRENT_PLAN):
        bodies[body.slug.lower()] = body.slug
        bodies[body.name.lower()] = body.slug
    return RegisterAllowed(areas, bodies, timezone.localdate())


class RegisterSource(ImportSource[list[RegisterRow]]):
    """One register kind: every upload is a revision of the force's register, staged until
    its submission is approved."""

    source = SOURCE
    max_bytes = MAX_BYTES
    stageable = True
    counted = "entries"

    def __init__(self, spec: RegisterSpec, user: Any = None) -> None:
        self.spec = spec
        self.user = user
        self.submission: Submission | None = None

    def identify(self, item: ImportInput) -> Slot:
        return Slot(SOURCE, self.spec.kind, settings.POLICEPLAN_FORCE, period_label=self.spec.title)

    def parse(
        self, item: ImportInput, content: bytes, slot: Slot | None
    ) -> Parsed[list[RegisterRow]]:
        try:
            rows = parse_register(self.spec, item.name, content, allowed_now())
        except TemplateRefused as exc:
            raise ImportFailed(item.name, [str(p) for p in exc.problems]) from exc
        assert slot is not None  # identify() always names the slot
        return Parsed(slot, rows, rows_read=len(rows))

    def write(self, run: ImportRun, parsed: Parsed[list[RegisterRow]]) -> Written:
        model = MODELS[self.spec.kind]
        description = f"{self.spec.title}: {run.source_path}"
        self.submission = workflow.new_submission(self.user, Submission.Source.UPLOAD, description)
        self.submission.import_run = run
        self.submission.save(update_fields=["import_run"])
        entries = model.objects.bulk_create(
            model(submission=self.submission, import_run=run, row=r.row, **r.values)
            for r in parsed.rows
        )
        return Written(parsed.rows_read, len(entries))


@dataclass
class RegisterImport:
    """What happened to a file: its submission, or every problem (nothing staged)."""

    name: str
    submission: Submission | None = None
    unchanged: bool = False
    problems: list[str] = field(default_factory=list)


def import_register(
    kind: str,
    name: str,
    content: bytes,
    user: Any,
    *,
    submit: bool = True,
    allow_shrink: bool = False,
) -> RegisterImport:
    """Check a register file and stage it as a submission (awaiting approval when ``submit``,
    else a draft), or list every problem with nothing staged. An upload is the whole register,
    so one that drops more than the lifecycle's shrink limit of the entries held is refused
    unless ``allow_shrink`` (ADR 0013)."""
    spec = SPECS.get(kind)
    if spec is None:
        return RegisterImport(name, problems=[f"'{kind}' is not a register ({', '.join(SPECS)})"])
    if not (user.is_active and user.has_perm("staff.enter_data")):
        return RegisterImport(name, problems=[
            f"{user.get_username()} may not enter data: it needs the analyst role"])  # fmt: skip
    source = RegisterSource(spec, user)
    item = ImportInput(name, read=lambda: content, size=lambda: len(content))
    outcome = run_import(
        source, item, run_by=user.get_username(), stage=True, allow_shrink=allow_shrink
    )
    if outcome.status == FAILED:
        return RegisterImport(name, problems=outcome.problems)
    if outcome.status == UNCHANGED:
        held = Submission.objects.filter(import_run=outcome.run).first()
        return RegisterImport(name, submission=held, unchanged=True)
    assert source.submission is not None
    if submit:
        workflow.submit(source.submission, user)
        source.submission.refresh_from_db()
    return RegisterImport(name, submission=source.submission)


def entries_of(submission: Submission) -> tuple[RegisterSpec, Any] | None:
    """The register kind a submission holds and its entries, or None."""
    run = submission.import_run
    if run is None or run.source != SOURCE or run.kind not in MODELS:
        return None
    return SPECS[run.kind], MODELS[run.kind].objects.filter(submission=submission)


# --- the workflow's hooks -------------------------------------------------------------------


def _holds(submission: Submission) -> bool:
    held = entries_of(submission)
    return held is not None and held[1].exists()


def _approve(submission: Submission, publish_at: dt.datetime) -> None:
    held = entries_of(submission)
    if held is None:
        return
    model = MODELS[held[0].kind]
    # The latest approval wins (as for figures): the version public until now stops at
    # publish_at; one approved earlier but embargoed until later never becomes public.
    current = model.objects.filter(published_from__isnull=False, published_until__isnull=True)
    current = current.exclude(submission=submission)
    current.filter(published_from__lt=publish_at).update(published_until=publish_at)
    later: Any
    for later in current.filter(published_from__gte=publish_at):
        later.published_until = later.published_from
        later.save(update_fields=["published_until"])
    held[1].update(published_from=publish_at)
    run = submission.import_run
    if run is not None and run.status == ImportRun.Status.STAGED:
        promote(RegisterSource(held[0]), run)
    recount()


def _withdraw(submission: Submission, now: dt.datetime) -> None:
    """Withdrawn entries leave the public register; the version they replaced comes back."""
    held = entries_of(submission)
    if held is None or submission.publish_at is None:
        return
    model: type[RegisterEntry] = MODELS[held[0].kind]
    publish_at = submission.publish_at
    live = held[1].filter(Q(published_until__isnull=True) | Q(published_until__gt=now))
    if publish_at > now:
        live.update(published_until=publish_at)
    else:
        live.update(published_until=now)
    replaced = model.objects.exclude(submission=submission).filter(
        published_until=publish_at, published_from__lt=publish_at
    )
    replaced.update(published_until=None)
    recount()


def recount() -> None:
    """The headline metrics counted from the registers, recomputed as their data changes."""
    from .metrics import recompute_registers

    recompute_registers()


def _describe(submission: Submission) -> str:
    held = entries_of(submission)
    if held is None:
        return ""
    count = held[1].count()
    return f"{count} {held[0].item}{'' if count == 1 else 's'} ({held[0].title})"


def _review_html(submission: Submission) -> str:
    """The entries of a register upload, as the public will see them, for its reviewers."""
    from django.template.loader import render_to_string

    from . import pages

    held = entries_of(submission)
    if held is None:
        return ""
    spec, entries = held
    context = {
        "spec": spec,
        "rows": pages.table_rows(spec, entries),
        "headers": [pages.header(c) for c in pages.shown_columns(spec)],
        "published_now": MODELS[spec.kind].objects.published().count(),
        "show_overdue": spec.kind == "actions",
        "overdue_column": pages.column_number(spec, "due"),
        "show_days_open": spec.kind == "recommendations",
    }
    return render_to_string("registers/review.html", context)


def register_with_the_workflow() -> None:
    workflow.register_content(
        workflow.SubmissionContent(
            "registers", _holds, _approve, _withdraw, _describe, _review_html
        )
    )
