"""axe-core on every kind of public page: no serious or critical WCAG violations."""

from __future__ import annotations

from typing import Any

import pytest

PLAN = "llr-2024-2029"
PAGES = {
    "home": "/",
    "mission": f"/plans/{PLAN}/missions/preventing-and-tackling-crime-and-harm/",
    "strategy": f"/plans/{PLAN}/strategies/business-crime/",
    "metric with chart": f"/plans/{PLAN}/metrics/shoplifting/",
    "performance framework": "/performance-framework/",
    "exceptions": "/exceptions/",
    "national measures": "/national-measures/",
    "coverage": "/data/coverage/",
    "compare plans": "/plans/compare/",
    "about": "/about/",
    "not found": "/no-such-page/",
    # Pages added since, checked the same way.
    "plan": f"/plans/{PLAN}/",
    "your area": "/your-area/",
    "area": "/areas/leicester/",
    "search results": "/search/?q=burglary",
    "official statistics": "/official-statistics/",
    "open data API guide": "/api/",
}
BLOCKING_IMPACTS = {"serious", "critical"}


def axe_violations(page: Any, axe_source: str) -> list[dict[str, Any]]:
    # Evaluated rather than added as a <script>, so a Content-Security-Policy cannot block it.
    page.evaluate(axe_source)
    result: dict[str, Any] = page.evaluate(
        """() => axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa',
                                            'wcag22aa', 'best-practice']},
            resultTypes: ['violations'],
        })"""
    )
    violations: list[dict[str, Any]] = result["violations"]
    return violations


def describe(violations: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"{v['impact']}: {v['id']} ({v['help']}) at "
        + ", ".join(str(node["target"]) for node in v["nodes"][:5])
        for v in violations
    )


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_page_has_no_serious_accessibility_violations(
    page: Any, axe_source: str, path: str
) -> None:
    response = page.goto(path)
    assert response.status == (404 if path == PAGES["not found"] else 200)
    charts = page.locator(".app-chart")
    for index in range(charts.count()):
        # Audit the drawn charts too, not the empty containers.
        charts.nth(index).locator("svg").first.wait_for()
    violations = axe_violations(page, axe_source)
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    assert blocking == [], describe(blocking)


def test_metric_page_as_seen_without_javascript_has_no_serious_violations(
    page: Any, axe_source: str
) -> None:
    # axe needs JavaScript, so emulate a browser without it: our scripts never load, and the
    # <noscript> content (the server-rendered charts) is put in the page as such a browser would.
    page.route("**/static/js/*", lambda route: route.abort())
    page.goto(PAGES["metric with chart"])
    page.evaluate(
        """() => document.querySelectorAll('noscript').forEach((noscript) => {
            const shown = document.createElement('div');
            shown.innerHTML = noscript.textContent;
            noscript.replaceWith(shown);
        })"""
    )
    images = page.locator(".app-chart-fallback img")
    assert images.count() > 0
    violations = axe_violations(page, axe_source)
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    assert blocking == [], describe(blocking)


def test_the_accessibility_check_finds_a_known_violation(page: Any, axe_source: str) -> None:
    """Guards the harness itself: a page with an image lacking alt text must fail."""
    page.goto(PAGES["about"])
    page.evaluate("() => document.querySelector('main').append(document.createElement('img'))")
    violations = axe_violations(page, axe_source)
    assert "image-alt" in {v["id"] for v in violations if v["impact"] in BLOCKING_IMPACTS}
