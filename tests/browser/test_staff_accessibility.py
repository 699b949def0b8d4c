"""axe-core on the staff pages anyone can open: no serious or critical WCAG violations.

(Only pages that read: the live server's writes would outlive the test's rolled-back
transaction on PostgreSQL.)
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.test_accessibility import BLOCKING_IMPACTS, axe_violations, describe

PAGES = {
    "sign in": "/staff/sign-in/",
    "password reset": "/staff/password-reset/",
    "password reset sent": "/staff/password-reset/sent/",
    "set password, expired link": "/staff/set-password/MQ/not-a-token/",
    "signed out": "/staff/signed-out/",
}


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_staff_page_has_no_serious_accessibility_violations(
    page: Any, axe_source: str, path: str
) -> None:
    response = page.goto(path)
    assert response.status == 200
    violations = axe_violations(page, axe_source)
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    assert blocking == [], describe(blocking)


def test_anonymous_visitors_to_the_staff_area_land_on_the_sign_in_form(page: Any) -> None:
    page.goto("/staff/")
    assert page.url.endswith("/staff/sign-in/?next=/staff/")
    assert page.get_by_role("heading", level=1).inner_text() == "Sign in to the staff area"
    assert page.get_by_label("Username").is_visible()
    assert page.get_by_label("Password").is_visible()
