"""Whole public pages and API answers are cached under the data version (ADR 0015): a repeat
request is served from the cache, a publication or computation moves the version and the page
changes, a client's copy is answered with 304, and an embargo lifting at 09:30 shows at 09:30
with no one acting. Lives beside the staff tests for their users and workflow."""

from __future__ import annotations

import datetime as dt
import gzip
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.utils.http import http_date

from policeplan.analysis.periods import Month
from policeplan.catalogue.models import Metric
from policeplan.geography.models import Area, AreaKind
from policeplan.metrics import readside, reports
from policeplan.provenance import version
from policeplan.staff import workflow
from policeplan.staff.models import Submission
from policeplan.staff.roles import Role

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
METRIC = "victim-code-compliance"  # quarterly, percent, local data
PAGE = f"/plans/llr-2024-2029/metrics/{METRIC}/"
API = f"/api/v1/observations?metric={METRIC}"
NOON = dt.datetime(2027, 6, 1, 12, 0, tzinfo=LONDON)


@pytest.fixture
def people(make_user: Callable[..., Any]) -> dict[str, Any]:
    return {
        "analyst": make_user(Role.ANALYST, username="ana"),
        "approver": make_user(Role.APPROVER, username="apollo"),
    }


def _submitted(people: dict[str, Any], value: float) -> Submission:
    metric = Metric.objects.get(plan__slug="llr-2024-2029", slug=METRIC)
    force = Area.objects.get(kind=AreaKind.FORCE, force="leicestershire")
    submission = workflow.new_submission(people["analyst"], "form", "test figures")
    workflow.stage_values(submission, [workflow.StagedValue(metric, force, Month(2026, 3), value)])
    return workflow.submit(submission, people["analyst"])


@pytest.mark.parametrize("url", ["/", "/exceptions/", "/plans/llr-2024-2029/metrics/burglary/",
                                 "/api/v1/exceptions", API])  # fmt: skip
def test_a_repeat_request_is_served_from_the_cache(client: Client, url: str) -> None:
    first = client.get(url)
    second = client.get(url)
    assert first.status_code == second.status_code == 200
    assert (first["X-Cache"], second["X-Cache"]) == ("miss", "hit")
    assert second.content == first.content
    assert second["ETag"] == first["ETag"] and second["Content-Type"] == first["Content-Type"]
    assert "Content-Security-Policy" in second  # the security headers are still added


def test_a_client_copy_is_answered_with_304(client: Client) -> None:
    for url in ("/exceptions/", "/api/v1/exceptions"):
        first = client.get(url)
        again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 304 and again.content == b""
        since = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
        assert since.status_code == 304
    other = client.get("/exceptions/", HTTP_IF_NONE_MATCH='"not-this-one"')
    assert other.status_code == 200 and b"Exceptions" in other.content


def test_a_publication_moves_the_version_and_the_page(client: Client, people) -> None:
    with time_machine.travel(NOON, tick=False):
        before = version.current().tag
        assert "81.25" not in client.get(PAGE).content.decode()
        assert client.get(PAGE)["X-Cache"] == "hit"
        workflow.approve(_submitted(people, 81.25), people["approver"])
        assert version.current().tag != before
        page = client.get(PAGE)
        assert page["X-Cache"] == "miss" and "81.25%" in page.content.decode()
        assert [r["value"] for r in client.get(API).json()["results"]] == [81.25]


def test_a_computation_moves_the_version(client: Client) -> None:
    client.get("/exceptions/")
    before = version.current().tag
    call_command("compute_metrics", verbosity=0)
    assert version.current().tag != before
    assert client.get("/exceptions/")["X-Cache"] == "miss"


def test_an_embargo_lift_shows_at_its_time_with_no_one_acting(client: Client, people) -> None:
    embargo = dt.datetime(2027, 6, 2, 9, 30, tzinfo=LONDON)
    with time_machine.travel(NOON, tick=False):
        workflow.approve(_submitted(people, 75.5), people["approver"], publish_at=embargo)
    with time_machine.travel(embargo - dt.timedelta(seconds=1), tick=False):
        assert "75.5" not in client.get(PAGE).content.decode()
        cached = client.get(PAGE)
        assert cached["X-Cache"] == "hit" and "75.5" not in cached.content.decode()
        assert client.get(API).json()["results"] == []
        assert version.current().next_change == embargo
    with time_machine.travel(embargo, tick=False):
        page = client.get(PAGE)
        assert page["X-Cache"] == "miss" and "75.5%" in page.content.decode()
        assert [r["value"] for r in client.get(API).json()["results"]] == [75.5]
        assert page["Last-Modified"] == http_date(embargo.timestamp())


def test_signed_in_staff_and_staff_pages_are_never_cached(client: Client, people) -> None:
    client.force_login(people["approver"])
    assert "X-Cache" not in client.get("/exceptions/")
    assert "X-Cache" not in client.get("/staff/")


def test_the_api_rate_limit_counts_cached_answers(client: Client, settings) -> None:
    settings.POLICEPLAN_API_RATE_LIMIT = "2/minute"
    assert [client.get("/api/v1/exceptions").status_code for _ in range(2)] == [200, 200]
    refused = client.get("/api/v1/exceptions")
    assert refused.status_code == 429 and "Retry-After" in refused


def test_a_page_is_sent_gzipped_to_clients_that_accept_it(client: Client) -> None:
    url = "/plans/llr-2024-2029/metrics/burglary/"
    plain = client.get(url)
    packed = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert packed["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed["Vary"]
    assert gzip.decompress(packed.content) == plain.content
    assert len(packed.content) * 5 < len(plain.content)
    again = client.get(url, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=packed["ETag"])
    assert again.status_code == 304


def test_a_publication_that_moves_the_newest_month_rebuilds_every_report(people) -> None:
    """Only the published metric's reports are rebuilt, unless the figure is newer than any
    the force held: then every series is judged against the new month, as when computed."""
    burglary = Metric.objects.get(plan__slug="llr-2024-2029", slug="burglary")
    force = Area.objects.get(kind=AreaKind.FORCE, force="leicestershire")
    series = reports.main_series(burglary)
    assert series is not None
    with time_machine.travel(NOON, tick=False):
        before = readside.series_report(burglary, series, force)
        metric = Metric.objects.get(plan__slug="llr-2024-2029", slug=METRIC)
        submission = workflow.new_submission(people["analyst"], "form", "a later quarter")
        workflow.stage_values(
            submission, [workflow.StagedValue(metric, force, Month(2027, 3), 80.0)]
        )
        workflow.approve(workflow.submit(submission, people["analyst"]), people["approver"])
        after = readside.series_report(burglary, series, force)
        live = reports.series_report(burglary, series, force)
    assert before is not None and after is not None and live is not None
    assert before.freshness.reference < Month(2027, 3) == after.freshness.reference
    assert after.freshness == live.freshness and after.freshness.out_of_date
