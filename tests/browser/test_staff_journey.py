"""The staff journey in a real browser: an analyst uploads a broken template, sees every
problem, fixes it, adds commentary and submits; an approver passes TOTP and publishes; the
public page shows the figure and the commentary. axe checks the staff pages on the way.

The live server writes through its own connections on PostgreSQL (committed, outside the
test's transaction), so the people are made, and everything the journey writes is removed,
by a module fixture outside any test transaction.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.staff_made import staff_made
from tests.browser.test_accessibility import BLOCKING_IMPACTS, axe_violations, describe

PASSWORD = "journey passphrase 2026"  # noqa: S105 - test-only
PUBLIC = "/plans/llr-2024-2029/metrics/victim-code-compliance/"
HEADER = "metric,area,period_end,value,note"


@pytest.fixture(scope="module")
def people(django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    with staff_made(django_db_blocker, "journey", PASSWORD) as made:
        with django_db_blocker.unblock():
            device = TOTPDevice.objects.create(user=made["approver"], name="phone", confirmed=True)
        yield {**made, "device": device}


def _axe_clean(page: Any, axe_source: str) -> None:
    blocking = [v for v in axe_violations(page, axe_source) if v["impact"] in BLOCKING_IMPACTS]
    assert blocking == [], f"{page.url}: {describe(blocking)}"


def _sign_in(page: Any, username: str) -> None:
    page.goto("/staff/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_analyst_uploads_fixes_and_submits_approver_publishes(
    browser: Any, site_url: str, people: dict[str, Any], axe_source: str, tmp_path: Path
) -> None:
    from tests.staff.conftest import current_code

    analyst = browser.new_context(base_url=site_url)
    page = analyst.new_page()
    _sign_in(page, "journey-analyst")
    expect(page.get_by_role("heading", level=1)).to_have_text("Staff area")
    _axe_clean(page, axe_source)
    page.get_by_role("link", name="Local data", exact=True).click()
    _axe_clean(page, axe_source)

    broken = tmp_path / "vcop.csv"
    broken.write_text(f"{HEADER}\nvictim-code-compliance,E23000021,2026-03,187.5,Q4 audit\n")
    page.get_by_label("Upload a completed template").set_input_files(str(broken))
    page.get_by_role("button", name="Upload and check").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("nothing was staged")
    expect(summary).to_contain_text("row 2, column value: 187.5 is not a percentage")
    _axe_clean(page, axe_source)

    fixed = tmp_path / "vcop-fixed.csv"
    fixed.write_text(f"{HEADER}\nvictim-code-compliance,E23000021,2026-03,87.5,Q4 audit\n")
    page.get_by_label("Upload a completed template").set_input_files(str(fixed))
    page.get_by_role("button", name="Upload and check").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("vcop-fixed.csv")
    expect(page.get_by_role("table")).to_contain_text("87.5")
    page.get_by_label("Period it comments on, ending").fill("2026-03")
    page.get_by_label("What the figures mean").fill("Compliance recovered after new training.")
    page.get_by_role("button", name="Add commentary").click()
    page.get_by_role("button", name="Submit for approval").click()
    expect(page.locator("main")).to_contain_text("Awaiting approval")
    _axe_clean(page, axe_source)
    submission_url = page.url
    analyst.close()

    public = browser.new_context(base_url=site_url).new_page()
    public.goto(PUBLIC)
    expect(public.locator("main")).not_to_contain_text("Compliance recovered")

    approver = browser.new_context(base_url=site_url)
    page = approver.new_page()
    _sign_in(page, "journey-approver")
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your security code")
    page.get_by_label("Security code").fill(current_code(people["device"]))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Staff area")
    page.goto(submission_url)
    _axe_clean(page, axe_source)
    page.get_by_role("button", name="Approve and publish").click()
    expect(page.locator("main")).to_contain_text("Published")
    approver.close()

    public.goto(PUBLIC)
    main = public.locator("main")
    expect(main).to_contain_text("87.5%")
    expect(main).to_contain_text("Compliance recovered after new training.")
    expect(main).to_contain_text("Q4 audit")
    _axe_clean(public, axe_source)
