"""Every role, and anonymous visitors, against every staff URL, by GET and by POST.

The URLs come from the URL configuration itself: a new URL under /staff/ that is missing from
the tables below, or whose view carries no role check, fails these tests.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlparse

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from policeplan.staff.access import PERMISSION_ATTRIBUTE
from policeplan.staff.roles import ROLE_PERMISSIONS, Role

pytestmark = pytest.mark.django_db

EVERY_ROLE = frozenset(Role)
AUDITORS = frozenset({Role.APPROVER, Role.ADMIN})
ANALYSTS = frozenset({Role.ANALYST})
APPROVERS = frozenset({Role.APPROVER})
DATA_OWNERS = frozenset({Role.DATA_OWNER})
SUBMISSION = {"pk": "SUBMISSION"}  # replaced by a real draft submission's number
NO_REPORT = {"pk": 999999}  # no report has this number

# URL name -> (kwargs, roles that may use it, status for them on GET, on POST). Read-only pages
# answer POST with 405 *after* the role check; forms answer 200 (re-shown with errors). The
# two-factor page sends a user who has already passed it on (302).
GUARDED: dict[str, tuple[dict[str, Any], frozenset[Role], set[int], set[int]]] = {
    "staff-home": ({}, EVERY_ROLE, {200}, {405}),
    "staff-metric": ({"slug": "victim-code-compliance"}, EVERY_ROLE, {200}, {405}),
    "staff-two-factor": ({}, EVERY_ROLE, {200, 302}, {200, 302}),
    "staff-audit": ({}, AUDITORS, {200}, {405}),
    "staff-audit-csv": ({}, AUDITORS, {200}, {405}),
    "staff-submissions": ({}, EVERY_ROLE, {200}, {405}),
    "staff-submission": (SUBMISSION, EVERY_ROLE, {200}, {405}),
    # Actions: POST only. An empty form is refused with 400 after the role check; submitting
    # the draft works (302).
    "staff-submission-submit": (SUBMISSION, ANALYSTS, {405}, {302}),
    "staff-submission-approve": (SUBMISSION, APPROVERS, {405}, {400}),
    "staff-submission-reject": (SUBMISSION, APPROVERS, {405}, {400}),
    # A data owner confirming a draft: refused (400) after the role check.
    "staff-submission-confirm": (SUBMISSION, DATA_OWNERS, {405}, {400}),
    "staff-submission-withdraw": (SUBMISSION, APPROVERS, {405}, {400}),
    "staff-submission-commentary": (SUBMISSION, ANALYSTS, {405}, {400}),
    "staff-commentary": ({"slug": "victim-code-compliance"}, ANALYSTS, {200}, {400}),
    "staff-target": ({"slug": "victim-code-compliance"}, APPROVERS, {200}, {400}),
    "staff-local-data": ({}, ANALYSTS, {200}, {405}),
    "staff-local-data-template": ({"kind": "csv"}, ANALYSTS, {200}, {405}),
    "staff-local-data-upload": ({}, ANALYSTS, {405}, {400}),
    "staff-local-data-single": ({}, ANALYSTS, {200}, {400}),
    # Board and Panel reports (approvers): an empty build form is refused with 400; a report
    # number that does not exist answers 404 after the role check.
    "staff-reports": ({}, APPROVERS, {200}, {400}),
    "staff-report": (NO_REPORT, APPROVERS, {404}, {405}),
    "staff-report-pdf": (NO_REPORT, APPROVERS, {404}, {405}),
    "staff-report-publish": (NO_REPORT, APPROVERS, {405}, {404}),
    "staff-registers": ({}, ANALYSTS, {200}, {405}),
    "staff-register-template": ({"kind": "grants", "ext": "csv"}, ANALYSTS, {200}, {405}),
    "staff-register-upload": ({"kind": "grants"}, ANALYSTS, {405}, {400}),
}
# Open to anyone: signing in and out, and resetting a password.
PUBLIC: dict[str, dict[str, str]] = {
    "staff-sign-in": {},
    "staff-sign-out": {},
    "staff-signed-out": {},
    "staff-password-reset": {},
    "staff-password-reset-sent": {},
    "staff-set-password": {"uidb64": "MQ", "token": "not-a-token"},
    "staff-password-set": {},
}


def _walk(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, str, Any]]:
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield route, entry.name or "", entry.callback


STAFF_URLS = {name: callback for route, name, callback in _walk(get_resolver().url_patterns)
              if route.startswith("staff/")}  # fmt: skip
ROLES: list[Role | None] = [None, *Role]


def _role_id(role: Role | None) -> str:
    return role.value.replace(" ", "-") if role else "anonymous"


def test_the_url_configuration_has_staff_urls_and_every_one_is_in_a_table() -> None:
    assert len(STAFF_URLS) >= len(GUARDED) + len(PUBLIC)
    assert "" not in STAFF_URLS, "every staff URL needs a name"
    assert sorted(set(STAFF_URLS) - set(GUARDED) - set(PUBLIC)) == []


@pytest.mark.parametrize("name", sorted(STAFF_URLS))
def test_every_staff_view_carries_the_role_check_mark(name: str) -> None:
    callback = STAFF_URLS[name]
    assert hasattr(callback, PERMISSION_ATTRIBUTE), f"{name}: no @staff_view or @staff_public"
    permission = getattr(callback, PERMISSION_ATTRIBUTE)
    if name in PUBLIC:
        assert permission is None
    else:
        roles_with_it = {r for r, perms in ROLE_PERMISSIONS.items() if permission in perms}
        assert roles_with_it == set(GUARDED[name][1]), f"{name} needs {permission}"


def _guarded_cases() -> list[Any]:
    cases = []
    for name in sorted(STAFF_URLS):
        if name in GUARDED:
            for role in ROLES:
                for method in ("get", "post"):
                    cases.append(
                        pytest.param(name, role, method, id=f"{name}-{_role_id(role)}-{method}")
                    )
    return cases


@pytest.fixture
def draft_submission(make_user: Callable[..., Any]) -> int:
    from policeplan.analysis.periods import Month
    from policeplan.catalogue.models import Metric
    from policeplan.geography.models import Area
    from policeplan.staff import workflow

    metric = Metric.objects.get(plan__slug="llr-2024-2029", slug="victim-code-compliance")
    force = Area.objects.get(kind="force", force="leicestershire")
    submission = workflow.new_submission(make_user(Role.ANALYST), "form", "matrix figures")
    workflow.stage_values(submission, [workflow.StagedValue(metric, force, Month(2026, 3), 1.0)])
    return submission.pk


def _url(name: str, submission: int) -> str:
    kwargs = {k: (submission if v == "SUBMISSION" else v) for k, v in GUARDED[name][0].items()}
    return reverse(name, kwargs=kwargs)


@pytest.mark.parametrize(("name", "role", "method"), _guarded_cases())
def test_role_matrix(
    name: str,
    role: Role | None,
    method: str,
    client_as: Callable[..., Client],
    draft_submission: int,
) -> None:
    _kwargs, allowed, get_status, post_status = GUARDED[name]
    url = _url(name, draft_submission)
    response = getattr(client_as(role), method)(url)
    if role is None:
        assert response.status_code == 302
        target = urlparse(response["Location"])
        assert target.path == reverse("staff-sign-in")
        assert "next=" in target.query
    elif role in allowed:
        assert response.status_code in (get_status if method == "get" else post_status)
    else:
        assert response.status_code == 403
        text = response.content.decode()
        assert "You do not have permission to see this page" in text
        assert f"Your roles: {role.value}." in text
        assert 'class="govuk-heading-l"' in text  # the GOV.UK page, not Django's bare 403


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_public_staff_pages_open_without_signing_in(name: str) -> None:
    response = Client().get(reverse(name, kwargs=PUBLIC[name]))
    # Signing out only accepts POST; everything else shows a page.
    assert response.status_code == (405 if name == "staff-sign-out" else 200)


@pytest.mark.parametrize("role", [Role.APPROVER, Role.ADMIN])
@pytest.mark.parametrize("name", sorted(n for n in GUARDED if n != "staff-two-factor"))
def test_approvers_and_admins_without_their_second_factor_are_sent_to_it(
    name: str, role: Role, make_user: Callable[..., Any], draft_submission: int
) -> None:
    client = Client()
    client.force_login(make_user(role))  # password only: no TOTP code yet
    url = _url(name, draft_submission)
    response = client.post(url) if GUARDED[name][2] == {405} else client.get(url)
    assert response.status_code == 302
    target = urlparse(response["Location"])
    assert target.path == reverse("staff-two-factor")
    assert target.query == f"next={url.replace('/', '%2F')}"


def test_a_user_with_no_role_is_refused_everywhere(
    make_user: Callable[..., Any], draft_submission: int
) -> None:
    client = Client()
    client.force_login(make_user())
    for name in GUARDED:
        assert client.get(_url(name, draft_submission)).status_code == 403, name
        assert client.post(_url(name, draft_submission)).status_code == 403, name
