"""The approver's report pages: build a report, read the draft PDF, publish it to the archive.
The role is checked on the server: other roles get 403, anonymous visitors go to sign in."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from policeplan.reporting.models import Report
from policeplan.staff.roles import Role
from tests.staff.conftest import sign_in

from .synthetic_staff import SyntheticStaffMaterial

pytestmark = pytest.mark.django_db


def client_for(role: Role | None, name: str = "") -> Client:
    client = Client()
    if role is None:
        return client
    user = User.objects.create_user(name or f"synthetic-{role.value.replace(' ', '-')}")
    user.groups.set(Group.objects.filter(name=role.value))
    return sign_in(client, user)


def text_of(response: object) -> str:
    return response.content.decode()  # type: ignore[attr-defined,no-any-return]


def test_an_approver_builds_a_panel_report_reads_the_draft_and_publishes_it(
    reports_dir: Path,
) -> None:
    approver = client_for(Role.APPROVER, "synthetic-report-approver")
    page = approver.get(reverse("staff-reports"))
    assert page.status_code == 200
    assert "No report has been built yet." in text_of(page)
    assert 'name="period"' in text_of(page) and 'value="panel"' in text_of(page)

    response = approver.post(
        reverse("staff-reports"),
        {"plan": "llr-2024-2029", "period": "2025-Q4", "audience": "panel"},
    )
    assert response.status_code == 302
    report = Report.objects.get()
    assert response["Location"] == reverse("staff-report", args=[report.pk])
    assert report.built_by == "synthetic-report-approver"
    assert Path(report.pdf_path).is_file() and Path(report.pdf_path).is_relative_to(reports_dir)

    detail = text_of(approver.get(response["Location"]))
    assert "performance report to the Police and Crime Panel, October to December 2025" in detail
    assert f"Report {report.pk}: draft" in detail
    assert f"Publish report {report.pk}" in detail
    assert Client().get(report.get_absolute_url()).status_code == 404  # a draft is not public

    pdf = approver.get(reverse("staff-report-pdf", args=[report.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    first_page = PdfReader(BytesIO(pdf.content)).pages[0].extract_text()
    assert "Performance report to the Police and Crime Panel" in " ".join(first_page.split())

    published = approver.post(reverse("staff-report-publish", args=[report.pk]))
    assert published.status_code == 302
    report.refresh_from_db()
    assert report.is_published and report.published_by == "synthetic-report-approver"
    detail = text_of(approver.get(published["Location"]))
    assert (
        f'by synthetic-report-approver at <a class="govuk-link" href="/reports/{report.pk}/"'
        in (detail)
    )
    public = Client().get(report.get_absolute_url())
    assert public.status_code == 200
    assert "What changed since the last report" in text_of(public)
    assert "October to December 2025" in text_of(Client().get(reverse("reports")))
    again = approver.post(reverse("staff-report-publish", args=[report.pk]))
    assert again.status_code == 400 and "is already published" in text_of(again)


def test_a_board_report_with_embargoed_material_is_built_but_not_published(
    reports_dir: Path, synthetic_staff_material: SyntheticStaffMaterial
) -> None:
    approver = client_for(Role.APPROVER, "synthetic-board-approver")
    response = approver.post(
        reverse("staff-reports"),
        {"plan": "llr-2024-2029", "period": "2025-11..2025-12", "audience": "board"},
    )
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.has_embargoed
    detail = text_of(approver.get(response["Location"]))
    assert "Yes: marked on every page; it cannot be published" in detail
    refused = approver.post(reverse("staff-report-publish", args=[report.pk]))
    assert refused.status_code == 400
    assert "carries material still under embargo, so it cannot be published" in text_of(refused)
    report.refresh_from_db()
    assert not report.is_published
    assert Client().get(report.get_absolute_url()).status_code == 404


def test_a_period_that_cannot_be_reported_is_refused_with_the_reason(reports_dir: Path) -> None:
    approver = client_for(Role.APPROVER)
    response = approver.post(
        reverse("staff-reports"),
        {"plan": "llr-2024-2029", "period": "2025-10..2025-11", "audience": "panel"},
    )
    assert response.status_code == 400
    text = text_of(response)
    assert "The report could not be built" in text and "Panel" in text
    assert Report.objects.count() == 0


@pytest.mark.parametrize("role", [None, Role.ANALYST, Role.PANEL_MEMBER, Role.ADMIN])
def test_only_approvers_may_build_or_publish(role: Role | None, reports_dir: Path) -> None:
    client = client_for(role)
    build = client.post(
        reverse("staff-reports"),
        {"plan": "llr-2024-2029", "period": "2025-Q4", "audience": "panel"},
    )
    publish = client.post(reverse("staff-report-publish", args=[1]))
    for response in (build, publish):
        if role is None:
            assert response.status_code == 302
            assert urlparse(response["Location"]).path == reverse("staff-sign-in")
        else:
            assert response.status_code == 403
            assert "You do not have permission to see this page" in text_of(response)
    assert Report.objects.count() == 0
