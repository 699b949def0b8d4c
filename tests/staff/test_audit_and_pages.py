"""The audit log records role changes and approvers can read and export it; the start page and
metric page show what the catalogue says about each metric."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from policeplan.catalogue.models import Metric
from policeplan.staff.audit import AuditRow, csv_lines
from policeplan.staff.roles import Role
from tests.staff.conftest import sign_in

pytestmark = pytest.mark.django_db


def _csv(client: Client, query: str = "") -> list[dict[str, str]]:
    response = client.get(f"/staff/audit/export.csv{query}")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv"
    assert response["Content-Disposition"].startswith('attachment; filename="audit-log-')
    text = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    return list(csv.DictReader(io.StringIO(text)))


def test_a_role_change_made_in_the_admin_is_logged_with_who_made_it(
    make_user: Callable,
) -> None:
    admin = sign_in(Client(), make_user(Role.ADMIN, username="site-admin"))
    analyst = make_user(Role.ANALYST, username="promoted")
    approver_group = Group.objects.get(name="approver")
    form = admin.get(f"/admin/auth/user/{analyst.pk}/change/")
    assert form.status_code == 200
    groups = [g.pk for g in analyst.groups.all()] + [approver_group.pk]
    response = admin.post(
        f"/admin/auth/user/{analyst.pk}/change/",
        {
            "username": "promoted",
            "email": analyst.email,
            "is_active": "on",
            "groups": groups,
            "date_joined_0": "2025-01-01",
            "date_joined_1": "09:00:00",
            "staff_profile-TOTAL_FORMS": "1",
            "staff_profile-INITIAL_FORMS": "1",
            "staff_profile-MIN_NUM_FORMS": "0",
            "staff_profile-MAX_NUM_FORMS": "1",
            "staff_profile-0-id": analyst.staff_profile.pk,
            "staff_profile-0-user": analyst.pk,
            "staff_profile-0-team": "OPCC Chief Executive",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert analyst.groups.filter(name="approver").exists()
    approver = sign_in(Client(), make_user(Role.APPROVER))
    page = approver.get("/staff/audit/?type=auth.user").content.decode()
    assert "groups: added approver" in page
    assert "site-admin" in page
    rows = _csv(approver, "?type=auth.user")
    added = [r for r in rows if r["object"] == "promoted" and "added approver" in r["changes"]]
    assert len(added) == 1
    assert added[0]["who"] == "site-admin" and added[0]["action"] == "Changed"
    profiles = _csv(approver, "?type=staff.staffprofile")
    team = [r for r in profiles if r["action"] == "Changed" and r["object"].startswith("promoted")]
    assert [r["changes"] for r in team] == ["team: (none) → OPCC Chief Executive"]


def test_passwords_are_logged_as_changed_but_never_shown(make_user: Callable) -> None:
    user = make_user(Role.ANALYST, username="secretive")
    user.set_password("another password 99")
    user.save()
    approver = sign_in(Client(), make_user(Role.APPROVER))
    rows = [r for r in _csv(approver, "?type=auth.user") if r["object"] == "secretive"]
    changes = " ".join(r["changes"] for r in rows)
    assert "password: (hidden) → (hidden)" in changes
    assert "pbkdf2" not in changes


def test_csv_cells_cannot_run_as_spreadsheet_formulas() -> None:
    from django.utils import timezone

    row = AuditRow(timezone.now(), "=HYPERLINK(1)", "Changed", "User", "1", "+cmd", ["@x"])
    line = list(csv_lines([row]))[1]
    assert "'=HYPERLINK(1)" in line and "'+cmd" in line and "'@x" in line


def test_the_start_page_lists_the_teams_own_metrics_first_with_their_frequency(
    make_user: Callable,
) -> None:
    owner = make_user(Role.DATA_OWNER, team="Force Rural Crime Team")
    page = sign_in(Client(), owner).get("/staff/").content.decode()
    assert "Metrics your team owns" in page
    # The team's table comes after the due, awaiting and exceptions lists, before the rest.
    own, rest = page.split("Metrics your team owns")[1].split("Other metrics")
    assert "Volume of Rural crime offences" in own and "Positive outcomes for Rural" in own
    assert "Burglary" not in own and "Burglary" in rest
    assert "Quarterly" in own
    assert "Data owner" in page and "Force Rural Crime Team" in page
    every = Metric.objects.filter(plan__slug="llr-2024-2029").count()
    listed = page.split("Metrics your team owns")[1]  # after the due and exceptions lists
    assert listed.count('href="/staff/metrics/') == every


def test_without_a_team_the_start_page_lists_every_metric(make_user: Callable) -> None:
    page = sign_in(Client(), make_user(Role.PANEL_MEMBER)).get("/staff/").content.decode()
    assert "Metrics in the plan" in page and "Metrics your team owns" not in page
    assert "Not set: ask an administrator" in page


def test_the_staff_metric_page_names_the_owner_and_where_that_comes_from(
    make_user: Callable,
) -> None:
    client = sign_in(Client(), make_user(Role.ANALYST))
    page = client.get("/staff/metrics/victim-code-compliance/").content.decode()
    assert "Level of Victim Code of Practice Compliance" in page
    assert "OPCC Victims and Witnesses Commissioning team" in page
    assert "The OPCC&#x27;s assignment: the plan names no owner" in page
    assert "Quarterly" in page and "Local data" in page
    assert client.get("/staff/metrics/no-such-metric/").status_code == 404
