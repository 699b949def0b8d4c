"""SYNTHETIC staff material for report tests: invented figures and commentary, named so.

Entered the way staff enter them (a local data file through ``import_local_data``, commentary
drafts), submitted by a synthetic analyst and approved by a synthetic approver: some now
(published), some under an embargo a few days ahead, plus a target. Nothing here is real data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.contrib.auth.models import Group, User
from django.utils import timezone

from policeplan.analysis.periods import Month
from policeplan.catalogue.models import Metric
from policeplan.staff import targets, workflow
from policeplan.staff.local_data import import_local_data
from policeplan.staff.models import StaffProfile, Submission
from policeplan.staff.roles import Role

PLAN = "llr-2024-2029"
FORCE = "E23000021"  # Leicestershire police force area
TEAM = "Synthetic Performance Team"

PUBLISHED_CSV = (
    "metric,area,period_end,value,note\n"
    f"victim-satisfaction,{FORCE},2024-12,70,SYNTHETIC test figure\n"
    f"victim-satisfaction,{FORCE},2025-03,71,SYNTHETIC test figure\n"
    f"victim-satisfaction,{FORCE},2025-06,72.5,SYNTHETIC test figure\n"
    f"victim-satisfaction,{FORCE},2025-09,73,SYNTHETIC test figure\n"
)
EMBARGOED_CSV = (
    "metric,area,period_end,value,note\n"
    f"victim-satisfaction,{FORCE},2025-12,74.5,SYNTHETIC test figure\n"
    f"number-of-neighbourhood-officers,{FORCE},2025-12,512,SYNTHETIC test figure\n"
)
PUBLISHED_NOTE = "SYNTHETIC: burglary fell after the autumn operation."
PUBLISHED_ACTION = "SYNTHETIC: the operation continues in the city."
EMBARGOED_NOTE = "SYNTHETIC: satisfaction rose after the new call-back service."


@dataclass
class SyntheticStaffMaterial:
    analyst: User
    approver: User
    published: Submission  # victim satisfaction to September 2025, public now
    embargoed: Submission  # December 2025 figures, public only at ``embargo``
    burglary_note: Submission  # commentary, public now
    embargoed_note: Submission  # commentary, public only at ``embargo``
    embargo: datetime
    approved_at: datetime


def synthetic_user(username: str, role: Role) -> User:
    user = User.objects.create_user(username, email=f"{username}@example.org")
    user.groups.set(Group.objects.filter(name=role.value))
    StaffProfile.objects.create(user=user, team=TEAM)
    return user


def metric(slug: str) -> Metric:
    return Metric.objects.get(plan__slug=PLAN, slug=slug)


def uploaded(name: str, content: str, analyst: User) -> Submission:
    imported = import_local_data(name, content.encode(), analyst)
    assert not imported.problems, imported.problems
    assert imported.submission is not None
    return workflow.submit(imported.submission, analyst)


def commentary(
    analyst: User, slug: str, month: Month, meaning: str, action: str = ""
) -> Submission:
    note = workflow.draft_commentary(analyst, metric(slug), month, meaning, action)
    return workflow.submit(note.submission, analyst)


def make_synthetic_staff_material() -> SyntheticStaffMaterial:
    analyst = synthetic_user("synthetic-analyst", Role.ANALYST)
    approver = synthetic_user("synthetic-approver", Role.APPROVER)
    embargo = (timezone.now() + timedelta(days=3)).replace(second=0, microsecond=0)
    published = workflow.approve(
        uploaded("synthetic-victim-satisfaction.csv", PUBLISHED_CSV, analyst), approver
    )
    embargoed = workflow.approve(
        uploaded("synthetic-december.csv", EMBARGOED_CSV, analyst), approver, publish_at=embargo
    )
    burglary_note = workflow.approve(
        commentary(analyst, "burglary", Month(2025, 12), PUBLISHED_NOTE, PUBLISHED_ACTION),
        approver,
    )
    embargoed_note = workflow.approve(
        commentary(analyst, "victim-satisfaction", Month(2025, 12), EMBARGOED_NOTE),
        approver,
        publish_at=embargo,
    )
    targets.set_target(
        approver, metric("victim-satisfaction"), kind="value", value=75.0,
        starts_on=date(2025, 4, 1), note="SYNTHETIC target",
    )  # fmt: skip
    return SyntheticStaffMaterial(
        analyst, approver, published, embargoed, burglary_note, embargoed_note, embargo,
        timezone.now(),
    )  # fmt: skip
