"""The data owner's confirmation: only the team that owns a submission's metrics confirms it,
on the staff page or with ``review_submission --confirm``; the approver sees it; a deployment
can require it before approval."""

from __future__ import annotations

from collections.abc import Callable
from io import StringIO
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.core.management import CommandError, call_command
from django.test import Client, override_settings

from policeplan.analysis.periods import Month
from policeplan.catalogue.models import Metric
from policeplan.geography.models import Area, AreaKind
from policeplan.staff import workflow
from policeplan.staff.confirmation import awaiting_confirmation, confirm
from policeplan.staff.models import Submission
from policeplan.staff.roles import Role

from .conftest import sign_in

pytestmark = pytest.mark.django_db
VICTIMS_TEAM = "OPCC Victims and Witnesses Commissioning team"
API = "/api/v1/observations?metric=victim-code-compliance"


@pytest.fixture
def submitted(make_user: Callable[..., Any]) -> Submission:
    analyst = make_user(Role.ANALYST, username="ana")
    metric = Metric.objects.get(plan__slug="llr-2024-2029", slug="victim-code-compliance")
    assert metric.owner == VICTIMS_TEAM
    force = Area.objects.get(kind=AreaKind.FORCE, force="leicestershire")
    submission = workflow.new_submission(analyst, "upload", "vcop.csv")
    workflow.stage_values(submission, [workflow.StagedValue(metric, force, Month(2026, 3), 91.5)])
    return workflow.submit(submission, analyst)


def _command(*args: str) -> str:
    out = StringIO()
    call_command("review_submission", *args, stdout=out)
    return out.getvalue()


def test_the_owning_teams_data_owner_confirms_and_the_approver_sees_it(
    submitted: Submission, make_user: Callable[..., Any]
) -> None:
    owner = make_user(Role.DATA_OWNER, username="olu", team=VICTIMS_TEAM)
    approver = make_user(Role.APPROVER, username="apollo")
    assert awaiting_confirmation(owner) == [submitted]

    home = sign_in(Client(), owner).get("/staff/").content.decode()
    assert "Figures for you to confirm" in home
    assert f"Submission {submitted.pk}: vcop.csv" in home

    client = sign_in(Client(), owner)
    page = client.get(f"/staff/submissions/{submitted.pk}/").content.decode()
    assert f"Not confirmed by {VICTIMS_TEAM}" in page
    assert "Confirm the figures" in page
    response = client.post(
        f"/staff/submissions/{submitted.pk}/confirm/", {"note": "Checked against the VCOP return"}
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.confirmed_by == owner
    assert submitted.confirmation_note == "Checked against the VCOP return"
    assert awaiting_confirmation(owner) == []

    seen = sign_in(Client(), approver).get(f"/staff/submissions/{submitted.pk}/").content.decode()
    assert f"Confirmed by olu ({VICTIMS_TEAM})" in seen
    assert "Checked against the VCOP return" in seen
    assert "Confirm the figures" not in seen
    entry = LogEntry.objects.get_for_object(submitted).filter(actor=owner).get()
    assert "confirmed_by" in entry.changes_dict


def test_another_teams_data_owner_cannot_confirm(
    submitted: Submission, make_user: Callable[..., Any]
) -> None:
    other = make_user(Role.DATA_OWNER, username="fin", team="OPCC Chief Finance Officer")
    assert awaiting_confirmation(other) == []
    response = sign_in(Client(), other).post(f"/staff/submissions/{submitted.pk}/confirm/", {})
    assert response.status_code == 400
    assert (
        f"OPCC Chief Finance Officer does not own every metric in submission {submitted.pk}: "
        f"{VICTIMS_TEAM} must confirm their own figures" in response.content.decode()
    )
    submitted.refresh_from_db()
    assert submitted.confirmed_at is None


def test_a_data_owner_without_a_team_is_told_why(
    submitted: Submission, make_user: Callable[..., Any]
) -> None:
    make_user(Role.DATA_OWNER, username="nobody")
    with pytest.raises(CommandError, match="nobody has no team"):
        _command(str(submitted.pk), "--confirm", "--user", "nobody")


def test_an_analyst_cannot_confirm_even_by_command(
    submitted: Submission, make_user: Callable[..., Any]
) -> None:
    analyst = make_user(Role.ANALYST, username="ana2", team=VICTIMS_TEAM)
    with pytest.raises(workflow.WorkflowError, match="may not confirm figures"):
        confirm(submitted, analyst)
    response = sign_in(Client(), analyst).post(f"/staff/submissions/{submitted.pk}/confirm/", {})
    assert response.status_code == 403


def test_review_submission_confirm_then_approve_when_required(
    submitted: Submission, make_user: Callable[..., Any]
) -> None:
    make_user(Role.DATA_OWNER, username="olu", team=VICTIMS_TEAM)
    make_user(Role.APPROVER, username="apollo")
    with override_settings(POLICEPLAN_REQUIRE_OWNER_CONFIRMATION=True):
        with pytest.raises(CommandError, match=f"must first be confirmed by its data owner "
                                               f"\\({VICTIMS_TEAM}\\)"):  # fmt: skip
            _command(str(submitted.pk), "--approve", "--user", "apollo")
        assert Client().get(API).json()["results"] == []
        out = _command(str(submitted.pk), "--confirm", "--reason", "ok", "--user", "olu")
        assert out == f"Submission {submitted.pk} confirmed by olu: awaiting approval.\n"
        with pytest.raises(CommandError, match="already confirmed"):
            _command(str(submitted.pk), "--confirm", "--user", "olu")
        _command(str(submitted.pk), "--approve", "--user", "apollo")
    assert [r["value"] for r in Client().get(API).json()["results"]] == [91.5]


def test_without_the_setting_approval_does_not_wait_for_confirmation(
    submitted: Submission, make_user: Callable[..., Any]
) -> None:
    make_user(Role.APPROVER, username="apollo")
    _command(str(submitted.pk), "--approve", "--user", "apollo")
    with pytest.raises(CommandError, match="only figures awaiting approval can be confirmed"):
        make_user(Role.DATA_OWNER, username="olu", team=VICTIMS_TEAM)
        _command(str(submitted.pk), "--confirm", "--user", "olu")
