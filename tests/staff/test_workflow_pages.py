"""The workflow through the staff pages: what each person sees and can do, CSRF enforced."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from policeplan.staff.models import Submission
from policeplan.staff.roles import Role
from tests.staff.conftest import sign_in

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
PUBLIC = "/plans/llr-2024-2029/metrics/victim-code-compliance/"
NOW = dt.datetime(2027, 5, 10, 10, 0, tzinfo=LONDON)


def _csrf(client: Client, url: str) -> str:
    token = re.search(
        r'name="csrfmiddlewaretoken" value="([^"]+)"', client.get(url).content.decode()
    )
    assert token, url
    return token[1]


def test_commentary_drafted_submitted_and_published_with_an_embargo(
    make_user: Callable[..., Any],
) -> None:
    form_url = "/staff/metrics/victim-code-compliance/commentary/"
    with time_machine.travel(NOW, tick=False):
        # Signed in at the travelled-to time: staff sessions expire after 8 hours.
        analyst = sign_in(Client(enforce_csrf_checks=True), make_user(Role.ANALYST))
        approver = sign_in(Client(enforce_csrf_checks=True), make_user(Role.APPROVER))
        refused = analyst.post(form_url, {"period_end": "2027-03", "meaning": "x"})
        assert refused.status_code == 403  # no CSRF token
        token = _csrf(analyst, form_url)
        bad = analyst.post(form_url, {"period_end": "March", "meaning": "",
                                      "csrfmiddlewaretoken": token})  # fmt: skip
        assert bad.status_code == 400
        page = bad.content.decode()
        assert "There is a problem" in page and "Enter what the figures mean" in page
        assert "Enter the last month of the period as YYYY-MM" in page
        created = analyst.post(form_url, {
            "period_end": "2027-03", "meaning": "Compliance is steady at 88%.",
            "action": "Audits continue monthly.", "csrfmiddlewaretoken": token,
        })  # fmt: skip
        assert created.status_code == 302
        detail_url = created["Location"]
        submission = Submission.objects.get(pk=int(detail_url.rstrip("/").split("/")[-1]))
        assert submission.status == "draft"
        detail = analyst.get(detail_url).content.decode()
        assert "Compliance is steady at 88%." in detail and "Submit for approval" in detail
        submit = analyst.post(
            f"{detail_url}submit/", {"csrfmiddlewaretoken": _csrf(analyst, detail_url)}
        )
        assert submit.status_code == 302
        review = approver.get(detail_url).content.decode()
        assert "Awaiting approval" in review and "Approve and publish" in review
        token = _csrf(approver, detail_url)
        wrong_time = approver.post(f"{detail_url}approve/", {
            "embargo": "2027-13-01 09:00", "csrfmiddlewaretoken": token})  # fmt: skip
        assert wrong_time.status_code == 400
        assert "is not a date and time" in wrong_time.content.decode()
        approved = approver.post(f"{detail_url}approve/", {
            "embargo": "2027-05-12 09:30", "csrfmiddlewaretoken": token})  # fmt: skip
        assert approved.status_code == 302
        after = approver.get(detail_url).content.decode()
        assert "Approved: embargoed until 12 May 2027 09:30" in after
        assert "Compliance is steady" not in Client().get(PUBLIC).content.decode()
    with time_machine.travel(dt.datetime(2027, 5, 12, 9, 30, tzinfo=LONDON), tick=False):
        public = Client().get(PUBLIC).content.decode()
        assert "Compliance is steady at 88%." in public and "Audits continue monthly." in public
        assert "Commentary to March 2027" in public


def test_an_analyst_sees_no_approve_button_and_cannot_post_one(
    make_user: Callable[..., Any],
) -> None:
    author = make_user(Role.ANALYST)
    analyst = sign_in(Client(), make_user(Role.ANALYST))
    from policeplan.analysis.periods import Month
    from policeplan.catalogue.models import Metric
    from policeplan.staff import workflow

    metric = Metric.objects.get(plan__slug="llr-2024-2029", slug="victim-code-compliance")
    commentary = workflow.draft_commentary(author, metric, Month(2027, 3), "Figures steady.")
    workflow.submit(commentary.submission, author)
    url = f"/staff/submissions/{commentary.submission_id}/"
    page = analyst.get(url).content.decode()
    assert "Approve and publish" not in page and "Figures steady." in page
    assert analyst.post(f"{url}approve/", {"embargo": ""}).status_code == 403
    assert Submission.objects.get(pk=commentary.submission_id).status == "submitted"


def test_an_approver_sets_a_target_through_the_form(make_user: Callable[..., Any]) -> None:
    approver = sign_in(Client(), make_user(Role.APPROVER))
    url = "/staff/metrics/victim-code-compliance/target/"
    bad = approver.post(url, {"kind": "value", "value": "150", "starts_on": "2026-04-01"})
    assert bad.status_code == 400
    assert "A percentage target must be between 0 and 100" in bad.content.decode()
    good = approver.post(url, {"kind": "value", "value": "90", "starts_on": "2026-04-01",
                               "ends_on": "2029-03-31"})  # fmt: skip
    assert good.status_code == 302 and good["Location"] == "/staff/metrics/victim-code-compliance/"
    staff_page = approver.get(good["Location"]).content.decode()
    assert "90, from 1 April 2026 to 31 March 2029" in staff_page


def test_the_start_page_lists_due_figures_awaiting_approval_and_exceptions(
    make_user: Callable[..., Any],
) -> None:
    with time_machine.travel(NOW, tick=False):
        client = sign_in(Client(), make_user(Role.DATA_OWNER))
        page = client.get("/staff/").content.decode()
    due = page.split("Figures due and missing")[1].split("Awaiting approval")[0]
    # Quarterly, due 30 days after the quarter: on 10 May 2027 that is January to March 2027.
    assert "Level of Victim Code of Practice Compliance" in due
    assert "Jan 2027 to Mar 2027" in due and "Missing" in due
    assert "Nothing is awaiting approval." in page
    assert "Current exceptions" in page
