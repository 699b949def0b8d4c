"""Every kind of page runs under the site's Content-Security-Policy with nothing blocked: no
'unsafe-inline', no 'unsafe-eval', charts drawn by Vega's expression interpreter, the API's
Swagger UI working. The browser reports each violation as a ``securitypolicyviolation``
event (recorded from before any page script runs) and a console error; both must be empty."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from playwright.sync_api import expect

from tests.site_pages import crawl

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__cspViolations.push(
    `${event.violatedDirective} blocked ${event.blockedURI || 'inline'} ` +
    `at ${event.sourceFile}:${event.lineNumber} ${event.sample}`)
});
"""
# Pages no link leads to, but a visitor can still land on.
EXTRA_PAGES = {"not-found": "/no-such-page/", "admin-login": "/admin/login/"}
# The one console error a 404 page is expected to cause: the browser reporting the 404 itself.
EXPECTED_404 = re.compile(r"Failed to load resource: the server responded with a status of 404")


@pytest.fixture
def pages_by_kind() -> dict[str, str]:
    """One page of each kind the crawler finds from the home page (plus EXTRA_PAGES). Run in
    the test, after conftest lets the database be used beside Playwright's event loop."""
    site = crawl(Client())
    pages = {kind: urls[0] for kind, urls in sorted(site.kinds.items())}
    # A metric page for a local authority draws its charts from different data.
    pages["metric-area"] = next(u for u in site.kinds["metric"] if "area=" in u)
    return pages | EXTRA_PAGES


@pytest.fixture
def watched_page(browser: Any, site_url: str) -> Iterator[Any]:
    context = browser.new_context(base_url=site_url)
    context.set_default_timeout(20_000)
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    page.console_errors = []
    page.on(
        "console",
        lambda message: message.type == "error" and page.console_errors.append(message.text),
    )
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    yield page
    context.close()


def test_every_kind_of_page_runs_under_the_policy(
    watched_page: Any, pages_by_kind: dict[str, str]
) -> None:
    page = watched_page
    assert {"home", "metric", "official-statistics", "openapi-view", "area"} <= set(pages_by_kind)
    problems: dict[str, list[str]] = {}
    charts_drawn = 0
    for kind, url in pages_by_kind.items():
        page.console_errors.clear()
        response = page.goto(url, wait_until="networkidle")
        policy = response.headers.get("content-security-policy", "")
        assert "script-src 'self'" in policy, (url, policy)
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, (url, policy)
        assert response.headers.get("permissions-policy", "").startswith("accelerometer=()")

        if kind == "openapi-view":  # Swagger UI drew the operations from the OpenAPI document
            expect(page.locator(".swagger-ui .opblock").first).to_be_visible()
        charts = page.locator(".app-chart")
        for index in range(charts.count()):
            chart = charts.nth(index)
            expect(chart).to_have_class(re.compile(r"\bapp-chart--rendered\b"))
            expect(chart.locator("svg").first).to_be_visible()
            charts_drawn += 1

        found = list(page.evaluate("window.__cspViolations"))
        found += [
            f"console: {text}"
            for text in page.console_errors
            if not (kind == "not-found" and EXPECTED_404.search(text))
        ]
        if found:
            problems[url] = found
    assert problems == {}
    assert charts_drawn >= 3, "no charts were checked"


def test_chart_downloads_work_under_the_policy(watched_page: Any) -> None:
    """The SVG and PNG downloads build their files in the page (Vega's toImageURL)."""
    page = watched_page
    page.goto("/plans/llr-2024-2029/metrics/shoplifting/", wait_until="networkidle")
    chart = page.locator(".app-chart").first
    expect(chart).to_have_class(re.compile(r"\bapp-chart--rendered\b"))
    for name, suffix in (("Download chart as SVG", ".svg"), ("Download chart as PNG", ".png")):
        with page.expect_download() as download:
            chart.get_by_role("link", name=name).click()
        assert download.value.suggested_filename.endswith(suffix)
    assert page.evaluate("window.__cspViolations") == []
    assert page.console_errors == []
