"""axe-core on a published report: the page on the site and the standalone HTML document."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from django.db import connections
from django.test import override_settings

from policeplan.reporting.build import build_report
from policeplan.reporting.models import Report

from .test_accessibility import BLOCKING_IMPACTS, axe_violations, describe


@pytest.fixture(scope="module")
def published_report(
    live_site: Any, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[int]:
    """A Panel report built and published in the session database (removed afterwards).

    Committed, unlike a test's own rows, so the live server's threads see it on PostgreSQL.
    """
    folder: Path = tmp_path_factory.mktemp("reports")
    unsafe = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "1"  # Playwright's loop may already be running
    try:
        with django_db_blocker.unblock(), override_settings(POLICEPLAN_REPORTS_DIR=folder):
            built = build_report(
                "llr-2024-2029",
                "2025-Q4",
                "panel",
                built_by="browser test",
                publish=True,
                now=datetime(2026, 1, 15, 9, 30, tzinfo=UTC),
            )
        yield built.report.pk
        with django_db_blocker.unblock():
            Report.objects.filter(pk=built.report.pk).delete()
            connections.close_all()  # so the test database can be dropped at the end
    finally:
        if unsafe is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.mark.parametrize("path", ["", "report.html"], ids=["on the site", "standalone"])
def test_published_report_has_no_serious_accessibility_violations(
    page: Any, axe_source: str, published_report: int, path: str
) -> None:
    response = page.goto(f"/reports/{published_report}/{path}")
    assert response.status == 200
    images = page.locator("img")
    assert images.count() >= 9
    for index in range(images.count()):  # every chart image loads
        assert page.evaluate(
            "(img) => img.complete && img.naturalWidth > 0", images.nth(index).element_handle()
        )
    violations = axe_violations(page, axe_source)
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    assert blocking == [], describe(blocking)


def test_report_list_has_no_serious_accessibility_violations(
    page: Any, axe_source: str, published_report: int
) -> None:
    page.goto("/reports/")
    assert page.locator(f'a[href="/reports/{published_report}/"]').count() == 1
    blocking = [v for v in axe_violations(page, axe_source) if v["impact"] in BLOCKING_IMPACTS]
    assert blocking == [], describe(blocking)


def test_published_report_runs_under_the_content_security_policy(
    browser: Any, site_url: str, published_report: int
) -> None:
    from .test_content_security_policy import RECORD_VIOLATIONS

    context = browser.new_context(base_url=site_url)
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    try:
        for path in ("", "report.html"):
            response = page.goto(f"/reports/{published_report}/{path}", wait_until="networkidle")
            policy = response.headers.get("content-security-policy", "")
            assert "style-src 'self'" in policy and "unsafe-inline" not in policy
            assert page.evaluate("window.__cspViolations") == [], path
    finally:
        context.close()
