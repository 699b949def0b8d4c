"""Journeys a person takes through the public site, in a real browser, with and without
JavaScript."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

MISSION = "Preventing and Tackling Crime and Harm"
STRATEGY = "Business Crime"
METRIC = "Incidences of shoplifting"
METRIC_PATH = "/plans/llr-2024-2029/metrics/shoplifting/"


def heading(page: Any) -> Any:
    return page.get_by_role("heading", level=1)


def test_citizen_goes_from_the_home_page_to_a_metric_chart_and_its_data(
    page: Any, screenshot: Callable[..., None]
) -> None:
    page.goto("/")
    expect(heading(page)).to_contain_text("Police and Crime Plan")
    screenshot(page, "home")

    page.get_by_role("link", name=MISSION, exact=True).first.click()
    expect(heading(page)).to_have_text(MISSION)
    page.get_by_role("link", name=STRATEGY, exact=True).click()
    expect(heading(page)).to_have_text(STRATEGY)
    page.get_by_role("link", name=METRIC).first.click()
    expect(heading(page)).to_have_text(METRIC)
    assert page.url.endswith(METRIC_PATH)

    # JavaScript replaces the empty container with Vega's interactive SVG chart.
    chart = page.locator(".app-chart").first
    expect(chart).to_have_class(re.compile(r"\bapp-chart--rendered\b"))
    expect(chart.locator("svg").first).to_be_visible()
    expect(chart.get_by_role("link", name="Download chart as SVG")).to_be_visible()
    # With JavaScript on, the server-rendered fallback is never shown or fetched.
    expect(page.locator(".app-chart-fallback img")).to_have_count(0)
    screenshot(page, "metric", until=chart)

    # The figures behind the chart are always on the page as a table...
    table = page.get_by_role("table", name=re.compile(rf"^{METRIC}, .*, by month"))
    expect(table.first).to_be_visible()
    expect(table.first.locator("tbody tr").first).to_be_visible()
    # ...and, where the page offers it, as a CSV download from the API.
    csv_links = page.locator("main a[href*='format=csv']")
    if csv_links.count():
        response = page.request.get(csv_links.first.get_attribute("href"))
        assert response.ok
        assert response.headers["content-type"].startswith("text/csv")
        assert len(response.text().splitlines()) > 1


def test_the_area_chooser_shows_a_local_authority(page: Any) -> None:
    page.goto(METRIC_PATH)
    area = page.get_by_role("combobox", name="Area")
    choice = area.locator("option").nth(1).inner_text()
    area.select_option(label=choice)
    page.get_by_role("button", name="Show area").click()
    expect(page.get_by_role("heading", level=2).first).to_contain_text(choice)
    expect(page.locator(".app-chart").first).to_have_class(re.compile(r"app-chart--rendered"))


def test_key_pages_render_for_screenshots(page: Any, screenshot: Callable[..., None]) -> None:
    page.goto("/performance-framework/")
    expect(heading(page)).to_be_visible()
    expect(page.get_by_role("table").first).to_be_visible()
    screenshot(page, "performance-framework")
    page.goto("/exceptions/")
    expect(heading(page)).to_be_visible()
    screenshot(page, "exceptions")


def test_the_site_works_without_javascript(no_js_page: Any) -> None:
    page = no_js_page
    page.goto("/")
    page.get_by_role("link", name=MISSION, exact=True).first.click()
    expect(heading(page)).to_have_text(MISSION)

    page.goto(METRIC_PATH)
    expect(heading(page)).to_have_text(METRIC)
    # No interactive chart, but the server-rendered image and the table are there.
    expect(page.locator(".app-chart svg")).to_have_count(0)
    image = page.locator(".app-chart-fallback img").first
    expect(image).to_be_visible()
    assert image.get_attribute("alt").startswith(f"Chart: {METRIC}")
    assert image.evaluate("img => img.complete && img.naturalWidth > 0"), "the image did not load"
    response = page.request.get(image.get_attribute("src"))
    assert response.ok
    assert response.headers["content-type"] == "image/svg+xml"
    assert "<svg" in response.text()
    expect(page.get_by_role("table", name=re.compile(rf"^{METRIC}, .*, by month"))).to_be_visible()

    # Forms work without JavaScript too.
    page.get_by_role("combobox", name="Area").select_option(index=1)
    page.get_by_role("button", name="Show area").click()
    assert "area=" in page.url
    expect(page.locator(".app-chart-fallback img").first).to_be_visible()


def test_journalist_goes_from_the_api_guide_to_a_query_and_its_csv(page: Any) -> None:
    page.goto("/")
    page.get_by_role("link", name="Open data API").click()
    expect(heading(page)).to_have_text("Open data API")

    example = page.locator(".govuk-summary-list__row", has_text="Monthly figures for")
    # The example says how many rows it returns (issue 12: it once returned three silently).
    expect(example).to_contain_text("12 rows, one per month held.")
    response = page.goto(example.get_by_role("link").get_attribute("href"))
    assert response.ok
    assert response.headers["content-type"].startswith("application/json")
    results = response.json()["results"]
    assert len(results) == 12, "the worked example does not return what it says"
    assert len({row["metric"] for row in results}) == 1
    page.go_back()

    as_csv = page.locator(".govuk-summary-list__row", has_text="The same as CSV")
    with page.expect_download() as download_info:
        as_csv.get_by_role("link").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    lines = Path(download.path()).read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("plan,metric,")
    assert len(lines) == 1 + len(results)
