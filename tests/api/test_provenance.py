"""Import runs, coverage and exceptions."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.utils import timezone

from policeplan.catalogue.models import Plan
from policeplan.geography.models import Area
from policeplan.ingest.coverage import coverage
from policeplan.metrics import performance
from policeplan.metrics.models import Observation
from policeplan.metrics.readside import rebuild
from policeplan.provenance.models import ImportRun

from .conftest import assert_csv_matches_json, get_json

pytestmark = pytest.mark.django_db


def test_import_runs_list_file_hash_rows_and_status(client: Client) -> None:
    results = assert_csv_matches_json(client, "/api/v1/import-runs?limit=5000")
    assert len(results) == ImportRun.objects.count()
    run = ImportRun.objects.get(id=results[0]["id"])
    row = results[0]
    assert row["file"] == run.source_path.rsplit("/", 1)[-1]
    assert (row["sha256"], row["rows_read"], row["status"]) == (
        run.sha256,
        run.rows_read,
        run.status,
    )
    assert "run_by" not in row and "source_path" not in row


def test_import_runs_filters_and_supersedes(client: Client) -> None:
    newest = ImportRun.objects.order_by("-started_at").first()
    assert newest is not None
    ImportRun.objects.filter(id=newest.id).update(status="superseded")
    revision = ImportRun.objects.get(id=newest.id)
    revision.pk = None
    revision.status = "current"
    revision.supersedes_id = newest.id
    revision.save()
    superseded = get_json(client, "/api/v1/import-runs?status=superseded")["results"]
    assert [r["id"] for r in superseded] == [newest.id]
    detail = get_json(client, f"/api/v1/import-runs/{revision.id}")
    assert detail["supersedes"] == newest.id
    assert detail["changes"] == revision.changes
    street = get_json(client, "/api/v1/import-runs?kind=street&force=leicestershire&limit=1")
    expected = ImportRun.objects.filter(kind="street", force="leicestershire").count()
    assert street["count"] == expected


def test_coverage_rows_match_the_coverage_table(client: Client) -> None:
    results = assert_csv_matches_json(client, "/api/v1/coverage?limit=5000")
    expected = {
        (entry.force, entry.kind, f"{month:%Y-%m}", state)
        for entry in coverage()
        for month, state in entry.cells.items()
    }
    assert {(r["force"], r["kind"], r["month"], r["state"]) for r in results} == expected
    assert "missing" in {r["state"] for r in results}
    only = get_json(client, "/api/v1/coverage?force=leicestershire&kind=street&limit=5000")
    assert {r["force"] for r in only["results"]} == {"leicestershire"}


def _flagged() -> list[performance.MetricSummary]:
    plan = Plan.objects.get(slug="llr-2024-2029")
    return performance.exceptions(
        plan, Area.objects.get(kind="force", force="leicestershire")
    ).flagged


def _add_burglary_spike() -> None:
    """A month of ten times the usual burglaries: special cause variation of concern."""
    latest = Observation.objects.filter(
        metric__plan__slug="llr-2024-2029", metric__slug="burglary", series="police-uk",
        area__code="E23000021", period_kind="month",
    ).latest("period_end")  # fmt: skip
    month = date(latest.period_end.year + 1, 1, 1)
    latest.pk = None
    latest.period_start = latest.period_end = month
    latest.value *= 10
    latest.computed_at = timezone.now()
    latest.save()
    rebuild()  # as compute_metrics does after writing figures: pages and the API read these


def test_exceptions_are_the_exceptions_page_with_reasons(client: Client) -> None:
    assert get_json(client, "/api/v1/exceptions")["count"] == len(_flagged())
    _add_burglary_spike()
    flagged = _flagged()
    assert "burglary" in {s.metric.slug for s in flagged}
    results = assert_csv_matches_json(client, "/api/v1/exceptions")
    assert [r["metric"] for r in results] == [s.metric.slug for s in flagged]
    for row, summary in zip(results, flagged, strict=True):
        assert summary.report is not None
        assert row["reasons"] == summary.report.exception.reason_texts
        assert row["reasons"] and len(row["reason_codes"]) == len(row["reasons"])
        assert row["area_code"] == "E23000021"
    burglary = next(r for r in results if r["metric"] == "burglary")
    assert "special_cause_concern" in burglary["reason_codes"]
    assert burglary["latest_month"].endswith("-01")


def test_exceptions_for_a_local_authority(client: Client) -> None:
    page = get_json(client, "/api/v1/exceptions?area=blaby&plan=llr-2024-2029")
    assert all(r["area_code"] == "E07000129" for r in page["results"])
