"""``review_submission`` on the command line, embargo times in Europe/London, targets in SPC
assurance, and when a staff-entered figure is due."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from io import StringIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.test import Client, override_settings

from policeplan.analysis.due import latest_due_period_end, period_problem, reporting_period
from policeplan.analysis.periods import Month
from policeplan.catalogue.models import Metric
from policeplan.geography.models import Area, AreaKind
from policeplan.staff import targets, workflow
from policeplan.staff.embargo import parse_embargo
from policeplan.staff.models import Submission, Target
from policeplan.staff.roles import Role

LONDON = ZoneInfo("Europe/London")
API = "/api/v1/observations?metric=victim-code-compliance"


def _review(*args: str) -> str:
    out = StringIO()
    call_command("review_submission", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def submitted(db: None, make_user: Callable[..., Any]) -> Submission:
    analyst = make_user(Role.ANALYST, username="ana")
    make_user(Role.APPROVER, username="apollo")
    metric = Metric.objects.get(plan__slug="llr-2024-2029", slug="victim-code-compliance")
    force = Area.objects.get(kind=AreaKind.FORCE, force="leicestershire")
    submission = workflow.new_submission(analyst, "upload", "vcop.csv")
    workflow.stage_values(submission, [workflow.StagedValue(metric, force, Month(2026, 3), 88.0)])
    return workflow.submit(submission, analyst)


@pytest.mark.django_db
def test_review_submission_approves_now(submitted: Submission) -> None:
    output = _review(str(submitted.pk), "--approve", "--user", "apollo")
    assert (
        output == f"Submission {submitted.pk} approved and published (1 figures, 0 commentary).\n"
    )
    assert [r["value"] for r in Client().get(API).json()["results"]] == [88.0]


@pytest.mark.django_db
def test_review_submission_with_a_future_embargo_keeps_it_hidden(submitted: Submission) -> None:
    with time_machine.travel(dt.datetime(2027, 3, 1, 8, 0, tzinfo=LONDON), tick=False):
        output = _review(str(submitted.pk), "--approve", "--embargo", "2027-04-01T09:30",
                         "--user", "apollo")  # fmt: skip
        assert "embargoed until 2027-04-01 09:30 BST." in output
        assert Client().get(API).json()["results"] == []
    with time_machine.travel(dt.datetime(2027, 4, 1, 8, 30, tzinfo=dt.UTC), tick=False):
        assert [r["value"] for r in Client().get(API).json()["results"]] == [88.0]


@pytest.mark.django_db
def test_review_submission_rejects_with_a_reason(submitted: Submission) -> None:
    output = _review(str(submitted.pk), "--reject", "--reason", "Wrong quarter", "--user", "apollo")
    assert output == f"Submission {submitted.pk} rejected (1 figures, 0 commentary): sent back.\n"
    submitted.refresh_from_db()
    assert (submitted.status, submitted.rejection_reason) == ("rejected", "Wrong quarter")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--approve", "--user", "ana"], "ana may not approve submissions"),
        (["--approve", "--user", "nobody"], "no active user 'nobody'"),
        (["--reject", "--user", "apollo"], "give a reason for rejecting it"),
        (["--approve", "--embargo", "2026-13-01T09:00", "--user", "apollo"], "is not a date"),
        (["--approve", "--embargo", "2020-01-01T09:00", "--user", "apollo"], "has passed"),
        (["--approve", "--reason", "x", "--user", "apollo"], "--reason goes with --reject"),
    ],
)
def test_review_submission_refuses_clearly(
    submitted: Submission, args: list[str], message: str
) -> None:
    with pytest.raises(CommandError, match=message):
        _review(str(submitted.pk), *args)
    submitted.refresh_from_db()
    assert submitted.status == "submitted"
    assert Client().get(API).json()["results"] == []


def test_an_unknown_submission_is_named(submitted: Submission) -> None:
    with pytest.raises(CommandError, match="no submission 999999"):
        _review("999999", "--approve", "--user", "apollo")


@override_settings(TIME_ZONE="Europe/London")
def test_embargo_times_are_london_wall_clock_times() -> None:
    assert parse_embargo("2027-01-15T09:30") == dt.datetime(2027, 1, 15, 9, 30, tzinfo=dt.UTC)
    summer = parse_embargo("2027-07-15T09:30")
    assert summer.astimezone(dt.UTC) == dt.datetime(2027, 7, 15, 8, 30, tzinfo=dt.UTC)
    with pytest.raises(ValueError, match="does not exist in Europe/London"):
        parse_embargo("2027-03-28T01:30")  # the clocks go forward at 01:00
    with pytest.raises(ValueError, match="happens twice"):
        parse_embargo("2027-10-31T01:30")  # the clocks go back at 02:00
    with pytest.raises(ValueError, match="like 2026-12-01T09:30"):
        parse_embargo("tomorrow morning")


# --- targets ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_target_set_by_an_approver_drives_the_spc_assurance_icon(
    make_user: Callable[..., Any],
) -> None:
    page_url = "/plans/llr-2024-2029/metrics/burglary/"
    before = Client().get(page_url).content.decode()
    assert "No target set" in before
    approver = make_user(Role.APPROVER)
    metric = Metric.objects.get(plan__slug="llr-2024-2029", slug="burglary")
    with pytest.raises(workflow.WorkflowError, match="may not set targets"):
        targets.set_target(make_user(Role.ANALYST), metric, kind="value", value=1,
                           starts_on=dt.date(2024, 4, 1))  # fmt: skip
    # Far below any month's burglaries (lower is better): the process consistently fails it.
    targets.set_target(approver, metric, kind="value", value=1.0, starts_on=dt.date(2024, 4, 1))
    after = Client().get(page_url).content.decode()
    assert "Consistently fails target" in after and "No target set" not in after.split("<h2")[1]
    assert "<strong>Target:</strong> 1, from 1 April 2024." in after
    # A direction measured from a baseline far above every month: consistently met.
    targets.set_target(approver, metric, kind="direction", direction="decrease",
                       baseline=100000.0, baseline_label="2023/24",
                       starts_on=dt.date(2024, 4, 1))  # fmt: skip
    met = Client().get(page_url).content.decode()
    assert "Consistently meets target" in met
    assert "Reduce from 100000 (2023/24), from 1 April 2024" in met


@pytest.mark.django_db
def test_target_rules(make_user: Callable[..., Any]) -> None:
    approver = make_user(Role.APPROVER)
    percent = Metric.objects.get(plan__slug="llr-2024-2029", slug="victim-code-compliance")
    with pytest.raises(workflow.WorkflowError, match="between 0 and 100"):
        targets.set_target(
            approver, percent, kind="value", value=120, starts_on=dt.date(2026, 4, 1)
        )
    with pytest.raises(workflow.WorkflowError, match="ends before it starts"):
        targets.set_target(approver, percent, kind="value", value=90,
                           starts_on=dt.date(2026, 4, 1), ends_on=dt.date(2026, 1, 1))  # fmt: skip
    old = targets.set_target(
        approver, percent, kind="value", value=80, starts_on=dt.date(2024, 4, 1)
    )
    new = targets.set_target(
        approver, percent, kind="value", value=90, starts_on=dt.date(2024, 4, 1)
    )
    assert targets.current_target(percent) == new
    targets.remove_target(approver, new)
    assert targets.current_target(percent) == old
    assert Target.objects.filter(metric=percent).count() == 2  # kept, never overwritten


# --- when figures are due -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("frequency", "today", "expected"),
    [
        ("monthly", dt.date(2026, 11, 26), "2026-09"),  # October ended 26 days ago: not yet due
        ("monthly", dt.date(2026, 11, 30), "2026-10"),  # 30 days after 31 October
        ("monthly", dt.date(2026, 12, 1), "2026-10"),
        ("quarterly", dt.date(2026, 11, 26), "2026-09"),
        ("quarterly", dt.date(2026, 10, 20), "2026-06"),
        ("annual", dt.date(2026, 11, 26), "2026-03"),
        ("annual", dt.date(2026, 4, 20), "2025-03"),
    ],
)
def test_latest_due_period(frequency: str, today: dt.date, expected: str) -> None:
    assert str(latest_due_period_end(frequency, today, due_days=30)) == expected


def test_period_rules() -> None:
    assert period_problem("quarterly", Month(2026, 5)).startswith("2026-05 does not end a quarter")
    assert period_problem("quarterly", Month(2026, 6)) == ""
    assert reporting_period("quarterly", Month(2026, 6)).label == "Apr 2026 to Jun 2026"
    assert reporting_period("annual", Month(2026, 3)).start == Month(2025, 4)
    assert reporting_period("monthly", Month(2026, 3)).label == "March 2026"
    assert latest_due_period_end("ad-hoc", dt.date(2026, 1, 1)) is None
