"""Staff figures and commentary: drafts, rejections and embargoed approvals never reach the
public site, API or downloads; at the embargo everything appears at once (decided at query
time, tried with a frozen clock); withdrawals leave a public correction note."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from auditlog.models import LogEntry
from django.test import Client

from policeplan.analysis.periods import Month
from policeplan.catalogue.models import Metric
from policeplan.geography.models import Area, AreaKind
from policeplan.metrics.models import Observation
from policeplan.staff import workflow
from policeplan.staff.models import Submission
from policeplan.staff.roles import Role
from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
METRIC = "victim-code-compliance"  # quarterly, percent, local data
API = f"/api/v1/observations?metric={METRIC}"
PAGE = f"/plans/llr-2024-2029/metrics/{METRIC}/"
# After the session data was computed (the real clock), so last-modified times compare.
NOON = dt.datetime(2027, 6, 1, 12, 0, tzinfo=LONDON)


@pytest.fixture
def metric() -> Metric:
    return Metric.objects.get(plan__slug="llr-2024-2029", slug=METRIC)


@pytest.fixture
def force() -> Area:
    return Area.objects.get(kind=AreaKind.FORCE, force="leicestershire")


@pytest.fixture
def people(make_user: Callable[..., Any]) -> dict[str, Any]:
    return {
        "analyst": make_user(Role.ANALYST, username="ana"),
        "approver": make_user(Role.APPROVER, username="apollo"),
    }


def _submitted(people: dict[str, Any], metric: Metric, force: Area, *values: tuple[str, float],
               commentary: str = "") -> Submission:  # fmt: skip
    analyst = people["analyst"]
    submission = workflow.new_submission(analyst, "form", "test figures")
    workflow.stage_values(
        submission,
        [workflow.StagedValue(metric, force, Month.parse(end), value) for end, value in values],
    )
    if commentary:
        workflow.add_commentary(submission, analyst, metric, Month.parse(values[-1][0]), commentary)
    return workflow.submit(submission, analyst)


def _api_values(client: Client) -> list[tuple[str, float]]:
    results = client.get(API).json()["results"]
    return [(r["period_end"], r["value"]) for r in results]


def _download_has(client: Client, text: str) -> bool:
    archive = zipfile.ZipFile(io.BytesIO(client.get("/api/v1/downloads/observations.zip").content))
    return text in archive.read("observations.csv").decode()


def test_a_draft_and_a_submitted_figure_are_not_public(people, metric, force) -> None:
    with time_machine.travel(NOON, tick=False):
        _submitted(people, metric, force, ("2026-03", 81.25))
        client = Client()
        assert _api_values(client) == []
        page = client.get(PAGE).content.decode()
        assert "81.25" not in page and "Awaiting data" in page
        assert not _download_has(client, METRIC)
        assert Observation.objects.filter(metric=metric).count() == 1  # held, not published


def test_an_approved_figure_appears_on_the_api_page_and_download(people, metric, force) -> None:
    with time_machine.travel(NOON, tick=False):
        note = "Compliance rose after the new referral process."
        submission = _submitted(people, metric, force, ("2026-03", 81.25), commentary=note)
        workflow.approve(submission, people["approver"])
        client = Client()
        assert _api_values(client) == [("2026-03", 81.25)]
        row = client.get(API).json()["results"][0]
        assert row["period_kind"] == "quarter" and row["period_start"] == "2026-01"
        page = client.get(PAGE).content.decode()
        assert "81.25%" in page and "Jan 2026 to Mar 2026" in page
        assert "Compliance rose after the new referral process." in page
        assert "Figures published" in page
        assert _download_has(client, METRIC)
        assert "apollo" not in page and "ana" not in page.split("<main")[1]  # no staff names


def test_an_embargo_hides_everything_until_the_moment_then_shows_it_all(
    people, metric, force
) -> None:
    embargo = dt.datetime(2027, 6, 2, 9, 30, tzinfo=LONDON)
    with time_machine.travel(NOON, tick=False):
        submission = _submitted(people, metric, force, ("2025-12", 70.0), ("2026-03", 75.5),
                                commentary="Embargoed commentary.")  # fmt: skip
        submission = workflow.approve(submission, people["approver"], publish_at=embargo)
        assert submission.state_label() == "Approved: embargoed until 2 June 2027 09:30"
    client = Client()
    with time_machine.travel(embargo - dt.timedelta(seconds=1), tick=False):
        assert _api_values(client) == []
        page = client.get(PAGE).content.decode()
        assert "75.5" not in page and "Embargoed commentary." not in page
        assert not _download_has(client, METRIC)
    with time_machine.travel(embargo, tick=False):
        assert sorted(_api_values(client)) == [("2025-12", 70.0), ("2026-03", 75.5)]
        page = client.get(PAGE).content.decode()
        assert "75.5%" in page and "Embargoed commentary." in page
        assert _download_has(client, METRIC)
        assert Submission.objects.get(pk=submission.pk).state_label() == "Published"


def test_last_modified_moves_when_an_embargo_passes(people, metric, force) -> None:
    from policeplan.api.lookups import observations_modified

    embargo = dt.datetime(2027, 6, 2, 9, 30, tzinfo=LONDON)
    with time_machine.travel(NOON, tick=False):
        before = observations_modified()
        workflow.approve(_submitted(people, metric, force, ("2026-03", 60.0)),
                         people["approver"], publish_at=embargo)  # fmt: skip
        assert observations_modified() == before
    with time_machine.travel(embargo + dt.timedelta(minutes=1), tick=False):
        assert observations_modified() == embargo


def test_a_rejected_figure_is_never_public(people, metric, force) -> None:
    with time_machine.travel(NOON, tick=False):
        submission = _submitted(people, metric, force, ("2026-03", 55.0))
        workflow.reject(submission, people["approver"], "Q4 figures are not final yet")
        submission.refresh_from_db()
        assert submission.status == "rejected"
        assert submission.rejection_reason == "Q4 figures are not final yet"
        with pytest.raises(workflow.WorkflowError):
            workflow.approve(submission, people["approver"])
    with time_machine.travel(NOON + dt.timedelta(days=400), tick=False):
        assert _api_values(Client()) == []


def test_the_analyst_cannot_approve_and_nobody_approves_their_own(
    people, metric, force, make_user
) -> None:
    submission = _submitted(people, metric, force, ("2026-03", 50.0))
    with pytest.raises(workflow.WorkflowError, match="may not approve"):
        workflow.approve(submission, people["analyst"])
    both = make_user(Role.ANALYST, Role.APPROVER)
    own = workflow.new_submission(both, "form", "own figures")
    workflow.stage_values(own, [workflow.StagedValue(metric, force, Month(2026, 3), 1.0)])
    workflow.submit(own, both)
    with pytest.raises(workflow.WorkflowError, match="someone other than its author"):
        workflow.approve(own, both)
    assert _api_values(Client()) == []


def test_a_revision_is_kept_and_replaces_the_old_figure_only_at_its_embargo(
    people, metric, force
) -> None:
    embargo = dt.datetime(2027, 7, 1, 9, 0, tzinfo=LONDON)
    with time_machine.travel(NOON, tick=False):
        workflow.approve(_submitted(people, metric, force, ("2026-03", 60.0)), people["approver"])
        workflow.approve(_submitted(people, metric, force, ("2026-03", 62.5)),
                         people["approver"], publish_at=embargo)  # fmt: skip
        assert _api_values(Client()) == [("2026-03", 60.0)]
    with time_machine.travel(embargo, tick=False):
        assert _api_values(Client()) == [("2026-03", 62.5)]
    assert sorted(Observation.objects.filter(metric=metric).values_list("value", flat=True)) == [
        60.0,
        62.5,
    ]


def test_withdrawing_a_published_figure_leaves_a_public_correction_note(
    people, metric, force, make_user
) -> None:
    withdrawer = make_user(Role.APPROVER)
    with time_machine.travel(NOON, tick=False):
        submission = _submitted(people, metric, force, ("2026-03", 91.0))
        workflow.approve(submission, people["approver"])
    with time_machine.travel(NOON + dt.timedelta(days=2), tick=False):
        with pytest.raises(workflow.WorkflowError, match="may not withdraw"):
            workflow.withdraw(submission, people["analyst"], "wrong")
        workflow.withdraw(submission, withdrawer, "The figure double-counted referrals.")
        client = Client()
        assert _api_values(client) == []
        page = client.get(PAGE).content.decode()
        assert "Corrections" in page
        assert (
            "the Jan 2026 to Mar 2026 figure for Leicestershire Police (91%) was withdrawn." in page
        )
        assert "The figure double-counted referrals." in page


def test_withdrawing_an_embargoed_revision_keeps_the_figure_it_would_have_replaced(
    people, metric, force
) -> None:
    embargo = dt.datetime(2027, 7, 1, 9, 0, tzinfo=LONDON)
    with time_machine.travel(NOON, tick=False):
        workflow.approve(_submitted(people, metric, force, ("2026-03", 60.0)), people["approver"])
        revision = _submitted(people, metric, force, ("2026-03", 99.0))
        workflow.approve(revision, people["approver"], publish_at=embargo)
        workflow.withdraw(revision, people["approver"], "Sent in error")
    with time_machine.travel(embargo + dt.timedelta(days=1), tick=False):
        assert _api_values(Client()) == [("2026-03", 60.0)]
        assert "Corrections" not in Client().get(PAGE).content.decode()


def test_every_step_is_in_the_audit_log_with_who_did_it(people, metric, force) -> None:
    submission = _submitted(people, metric, force, ("2026-03", 64.0))
    workflow.approve(submission, people["approver"])
    entries = LogEntry.objects.filter(object_repr__startswith=f"Submission {submission.pk}:")
    statuses = [e.changes_dict.get("status") for e in entries.order_by("timestamp", "pk")]
    assert ["draft", "submitted"] in statuses and ["submitted", "approved"] in statuses
    approval = next(e for e in entries if e.changes_dict.get("status") == ["submitted", "approved"])
    assert approval.actor == people["approver"]
    value = LogEntry.objects.get(
        content_type__model="observation", object_pk=str(submission.observations.get().pk)
    )
    assert value.actor == people["analyst"] and value.changes_dict["value"] == [None, 64.0]


PUBLIC_READERS = sorted(
    str(path.relative_to(REPO_ROOT))
    for path in [
        *(REPO_ROOT / "policeplan" / "publishing").glob("*.py"),
        *(REPO_ROOT / "policeplan" / "api").glob("*.py"),
        REPO_ROOT / "policeplan" / "metrics" / "reports.py",
    ]
)


@pytest.mark.parametrize("path", PUBLIC_READERS)
def test_public_readers_only_read_published_observations(path: str) -> None:
    code = [
        line.split("#")[0]
        for line in (REPO_ROOT / path).read_text(encoding="utf-8").splitlines()
        if not line.strip().startswith("#")
    ]
    calls = re.findall(r"Observation\.objects\.(\w+)", "\n".join(code))
    # lookups.observations_modified also reads staff rows' publication times, on purpose.
    allowed_other = 1 if path.endswith("lookups.py") else 0
    assert len(calls) - calls.count("published") == allowed_other, path
