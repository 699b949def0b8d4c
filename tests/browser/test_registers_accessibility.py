"""The accountability registers in a real browser: every register page, a governance body page,
the neighbourhoods page with staff-entered teams and the staff registers page pass axe-core
(no serious or critical violations), and "places near you" works by clicking the map with
JavaScript off (the image button sends the point; no geocoder).

The live server reads through its own connections on PostgreSQL, so the synthetic registers
are imported and approved, and removed afterwards, by a module fixture outside any test
transaction (as the staff journey does).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.staff_made import staff_made
from tests.browser.test_accessibility import BLOCKING_IMPACTS, axe_violations, describe

PASSWORD = "registers passphrase 2026"  # noqa: S105 - test-only
KINDS = ["meetings", "actions", "recommendations", "decisions", "documents", "finance",
         "places", "grants", "teams"]  # fmt: skip


@pytest.fixture(scope="module")
def registers(django_db_blocker: Any) -> Iterator[None]:
    from policeplan.registers.publication import import_register
    from policeplan.staff import workflow
    from tests.registers.conftest import fixture

    with staff_made(django_db_blocker, "registers", PASSWORD) as made:
        with django_db_blocker.unblock():
            for kind in KINDS:
                result = import_register(
                    kind, fixture(kind).name, fixture(kind).read_bytes(), made["analyst"]
                )
                assert result.submission is not None, result.problems
                workflow.approve(result.submission, made["approver"])
        yield


def _axe_clean(page: Any, axe_source: str) -> None:
    blocking = [v for v in axe_violations(page, axe_source) if v["impact"] in BLOCKING_IMPACTS]
    assert blocking == [], f"{page.url}: {describe(blocking)}"


PAGES = {
    **{kind: f"/accountability/{kind}/" for kind in KINDS},
    "index": "/accountability/",
    "governance body": "/accountability/governance/corporate-governance-board/",
    "places in an area": "/accountability/places/?area=E06000017",
    "documents search": "/accountability/documents/?q=letter",
    "neighbourhoods with staff teams": "/neighbourhoods/",
}
SHOWN = {
    "grants": "4 grants totalling £38,000.50",
    "governance body": "1 open action overdue.",
    "finance": "Spend by category over the years",
    "places in an area": "Synthetic Oakham Beat Surgery",
    "neighbourhoods with staff teams": "Synthetic City Centre team",
}


@pytest.mark.parametrize("name", PAGES)
def test_register_page_has_no_serious_accessibility_violations(
    page: Any, axe_source: str, registers: None, name: str
) -> None:
    response = page.goto(PAGES[name])
    assert response.status == 200
    if name in SHOWN:
        expect(page.locator("main")).to_contain_text(SHOWN[name])
    _axe_clean(page, axe_source)


def test_places_near_a_point_clicked_on_the_map_without_javascript(
    no_js_page: Any, registers: None
) -> None:
    from policeplan.registers import placemap

    page = no_js_page
    page.goto("/accountability/places/")
    frame = placemap.frame()
    assert frame is not None
    x, y = frame.pixel(-0.7300, 52.6700)  # Oakham, in Rutland
    page.get_by_role("button", name="Map of the force area").click(position={"x": x, "y": y})
    expect(page.locator("main")).to_contain_text("Places nearest the point you chose, in Rutland.")
    first = page.locator("#places-near tbody tr").first
    expect(first).to_contain_text("Synthetic Oakham Beat Surgery")


def test_staff_registers_page_for_an_analyst(
    browser: Any, site_url: str, axe_source: str, registers: None
) -> None:
    context = browser.new_context(base_url=site_url)
    page = context.new_page()
    page.goto("/staff/sign-in/")
    page.get_by_label("Username").fill("registers-analyst")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Registers", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Registers")
    _axe_clean(page, axe_source)
    context.close()
