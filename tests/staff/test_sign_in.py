"""Signing in: one message for every failure, lockout on the staff sign-in and /admin/ alike,
CSRF enforced, TOTP before any staff page for approvers and admins."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.test import Client, override_settings
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from policeplan.staff.forms import SIGN_IN_FAILED
from policeplan.staff.roles import Role
from tests.staff.conftest import PASSWORD, current_code, sign_in

pytestmark = pytest.mark.django_db

SIGN_IN = "/staff/sign-in/"
ADMIN_SIGN_IN = "/admin/login/?next=/admin/"
LIMIT = settings.AXES_FAILURE_LIMIT


def _post(client: Client, url: str, username: str, password: str) -> Any:
    return client.post(url, {"username": username, "password": password})


def _page_text(response: Any) -> str:
    """The page with what differs between any two requests taken out (CSRF token, username)."""
    text = response.content.decode()
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)
    return re.sub(r'name="username" type="text" value="[^"]*"', "", text)


def test_a_correct_password_signs_in_and_goes_to_the_start_page(make_user: Callable) -> None:
    user = make_user(Role.ANALYST)
    client = Client()
    response = _post(client, SIGN_IN, user.username, PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/staff/"
    page = client.get("/staff/").content.decode()
    assert f"Signed in as <strong>{user.username}</strong>" in page


def test_next_is_followed_only_on_this_site(make_user: Callable) -> None:
    user = make_user(Role.ANALYST)
    client = Client()
    ok = client.post(
        SIGN_IN, {"username": user.username, "password": PASSWORD, "next": "/staff/audit/"}
    )
    assert ok["Location"] == "/staff/audit/"
    client = Client()
    away = client.post(
        SIGN_IN, {"username": user.username, "password": PASSWORD, "next": "https://evil.test/"}
    )
    assert away["Location"] == "/staff/"


def test_unknown_user_and_wrong_password_get_the_same_page(make_user: Callable) -> None:
    user = make_user(Role.ANALYST)
    wrong_password = _post(Client(), SIGN_IN, user.username, "not the password")
    unknown_user = _post(Client(), SIGN_IN, "nobody-by-this-name", "not the password")
    inactive = make_user(Role.ANALYST)
    inactive.is_active = False
    inactive.save()
    inactive_user = _post(Client(), SIGN_IN, inactive.username, PASSWORD)
    assert wrong_password.status_code == unknown_user.status_code == inactive_user.status_code
    assert wrong_password.status_code == 200
    assert SIGN_IN_FAILED in wrong_password.content.decode()
    assert _page_text(wrong_password) == _page_text(unknown_user) == _page_text(inactive_user)


class CountingHasher(PBKDF2PasswordHasher):
    """PBKDF2 with a count of key derivations, to show the work done per attempt."""

    iterations = 1000
    derivations = 0

    def encode(self, password: str, salt: str, iterations: int | None = None) -> str:
        type(self).derivations += 1
        return super().encode(password, salt, iterations)


@override_settings(PASSWORD_HASHERS=["tests.staff.test_sign_in.CountingHasher"])
def test_unknown_user_costs_the_same_password_hashing_as_a_wrong_password(
    make_user: Callable,
) -> None:
    # Timing-insensitive: for an unknown username Django still derives a key from the password,
    # so the response takes as long as for a real user with a wrong password.
    user = make_user(Role.ANALYST)
    CountingHasher.derivations = 0
    _post(Client(), SIGN_IN, user.username, "not the password")
    for_known_user = CountingHasher.derivations
    CountingHasher.derivations = 0
    _post(Client(), SIGN_IN, "nobody-by-this-name", "not the password")
    assert for_known_user == CountingHasher.derivations == 1


@pytest.mark.parametrize("url", [SIGN_IN, ADMIN_SIGN_IN], ids=["staff", "admin"])
def test_repeated_failures_lock_out_even_the_right_password(url: str, make_user: Callable) -> None:
    user = make_user(Role.ADMIN)
    client = Client()
    for attempt in range(1, LIMIT):
        response = _post(client, url, user.username, f"wrong {attempt}")
        assert response.status_code == 200, attempt
    locked = _post(client, url, user.username, f"wrong {LIMIT}")
    assert locked.status_code == 429
    assert "Too many attempts to sign in" in locked.content.decode()
    still_locked = _post(client, url, user.username, PASSWORD)
    assert still_locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_admin_answers_twelve_wrong_passwords_with_the_lockout_not_200(
    make_user: Callable,
) -> None:
    # Issue 11 row 12: before, /admin/ answered 200 to every one of 12 wrong passwords.
    user = make_user(Role.ADMIN)
    client = Client()
    statuses = [_post(client, ADMIN_SIGN_IN, user.username, "wrong").status_code for _ in range(12)]
    assert statuses[: LIMIT - 1] == [200] * (LIMIT - 1)
    assert set(statuses[LIMIT - 1 :]) == {429}


def test_one_lockout_counts_failures_on_both_sign_in_pages(make_user: Callable) -> None:
    user = make_user(Role.ANALYST)
    client = Client()
    for attempt in range(LIMIT - 1):
        _post(client, SIGN_IN if attempt % 2 else ADMIN_SIGN_IN, user.username, "wrong")
    assert _post(client, SIGN_IN, user.username, "wrong").status_code == 429
    assert _post(client, ADMIN_SIGN_IN, user.username, PASSWORD).status_code == 429


def test_an_unknown_username_is_locked_out_the_same_way(make_user: Callable) -> None:
    client = Client()
    statuses = [_post(client, SIGN_IN, "nobody", "wrong").status_code for _ in range(LIMIT)]
    assert statuses == [200] * (LIMIT - 1) + [429]


def test_lockout_is_per_username_so_others_can_still_sign_in(make_user: Callable) -> None:
    victim, colleague = make_user(Role.ANALYST), make_user(Role.ANALYST)
    client = Client()
    for _ in range(LIMIT):
        _post(client, SIGN_IN, victim.username, "wrong")
    assert _post(Client(), SIGN_IN, colleague.username, PASSWORD).status_code == 302


def test_a_success_before_the_limit_resets_the_count(make_user: Callable) -> None:
    user = make_user(Role.ANALYST)
    for _ in range(LIMIT - 1):
        _post(Client(), SIGN_IN, user.username, "wrong")
    assert _post(Client(), SIGN_IN, user.username, PASSWORD).status_code == 302
    for _ in range(LIMIT - 1):
        assert _post(Client(), SIGN_IN, user.username, "wrong").status_code == 200


# --- CSRF ----------------------------------------------------------------------------------


def test_sign_in_without_a_csrf_token_is_refused(make_user: Callable) -> None:
    user = make_user(Role.ANALYST)
    client = Client(enforce_csrf_checks=True)
    response = _post(client, SIGN_IN, user.username, PASSWORD)
    assert response.status_code == 403
    assert "Your form could not be sent" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_sign_in_with_the_csrf_token_from_the_form_works(make_user: Callable) -> None:
    user = make_user(Role.ANALYST)
    client = Client(enforce_csrf_checks=True)
    form = client.get(SIGN_IN).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
    assert token
    response = client.post(
        SIGN_IN,
        {"username": user.username, "password": PASSWORD, "csrfmiddlewaretoken": token[1]},
    )
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/staff/sign-out/", {}),
        ("/staff/two-factor/", {"token": "123456"}),
        ("/staff/password-reset/", {"email": "someone@example.org"}),
    ],
)
def test_every_staff_form_refuses_a_post_without_a_csrf_token(
    url: str, data: dict[str, str], make_user: Callable
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user(Role.PANEL_MEMBER))
    response = client.post(url, data)
    assert response.status_code == 403
    assert "Your form could not be sent" in response.content.decode()
    assert "_auth_user_id" in client.session  # not signed out by a forged request


def test_sign_out_needs_a_post_and_ends_the_session(make_user: Callable) -> None:
    client = sign_in(Client(), make_user(Role.ANALYST))
    assert client.get("/staff/sign-out/").status_code == 405
    response = client.post("/staff/sign-out/")
    assert response["Location"] == reverse("staff-signed-out")
    assert client.get("/staff/").status_code == 302


# --- two-factor ----------------------------------------------------------------------------


def test_an_approver_enrols_an_authenticator_app_then_reaches_the_staff_area(
    make_user: Callable,
) -> None:
    user = make_user(Role.APPROVER)
    client = Client()
    assert _post(client, SIGN_IN, user.username, PASSWORD)["Location"] == "/staff/"
    sent = client.get("/staff/")
    assert sent.status_code == 302 and sent["Location"] == "/staff/two-factor/?next=%2Fstaff%2F"
    page = client.get(sent["Location"]).content.decode()
    assert "Set up two-factor authentication" in page
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert re.search(r'<svg [^>]*class="app-qr"', page)  # drawn on the server, inline
    assert "<script" not in page.split('id="main-content"')[1].split("</main>")[0]
    assert f"otpauth://totp/{settings.OTP_TOTP_ISSUER.replace(' ', '%20')}" in page
    assert "secret=" in page and f"{user.username}" in page
    wrong = client.post("/staff/two-factor/?next=/staff/", {"token": "000000"})
    assert wrong.status_code == 200
    assert "The security code is wrong or has expired" in wrong.content.decode()
    device.refresh_from_db()
    device.throttling_failure_count = 0  # let the next attempt through at once
    device.throttling_failure_timestamp = None
    device.save()
    right = client.post("/staff/two-factor/", {"token": current_code(device), "next": "/staff/"})
    assert right.status_code == 302 and right["Location"] == "/staff/"
    assert client.get("/staff/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed


def test_an_enrolled_approver_is_asked_for_a_code_not_shown_the_secret_again(
    make_user: Callable,
) -> None:
    user = make_user(Role.APPROVER)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client = Client()
    _post(client, SIGN_IN, user.username, PASSWORD)
    page = client.get("/staff/two-factor/?next=/staff/").content.decode()
    assert "Enter your security code" in page
    assert "otpauth://" not in page and 'class="app-qr"' not in page
    response = client.post("/staff/two-factor/", {"token": current_code(device)})
    assert response.status_code == 302
    assert client.get("/staff/audit/").status_code == 200


def test_a_used_code_cannot_be_replayed(make_user: Callable) -> None:
    user = make_user(Role.ADMIN)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    code = current_code(device)
    first = Client()
    _post(first, SIGN_IN, user.username, PASSWORD)
    assert first.post("/staff/two-factor/", {"token": code}).status_code == 302
    second = Client()
    _post(second, SIGN_IN, user.username, PASSWORD)
    replay = second.post("/staff/two-factor/", {"token": code})
    assert replay.status_code == 200
    assert second.get("/staff/").status_code == 302


def test_codes_that_are_not_six_digits_are_refused_with_a_clear_error(
    make_user: Callable,
) -> None:
    client = sign_in(Client(), make_user(Role.ANALYST))
    response = client.post("/staff/two-factor/", {"token": "12ab"})
    assert "Enter the security code as 6 digits" in response.content.decode()
    assert "govuk-error-summary" in response.content.decode()


# --- /admin/ ------------------------------------------------------------------------------


def test_admin_site_needs_the_admin_role_and_its_second_factor(make_user: Callable) -> None:
    anonymous = Client().get("/admin/")
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/admin/login/")
    login_page = Client().get(anonymous["Location"])
    assert "Sign in to the staff area" in login_page.content.decode()
    analyst = sign_in(Client(), make_user(Role.ANALYST))
    refused = analyst.get("/admin/", follow=True)
    assert refused.status_code == 403
    unverified = Client()
    unverified.force_login(make_user(Role.ADMIN))
    to_otp = unverified.get("/admin/", follow=True)
    assert to_otp.redirect_chain[-1][0].startswith("/staff/two-factor/?next=%2Fadmin%2F")
    admin = sign_in(Client(), make_user(Role.ADMIN))
    index = admin.get("/admin/")
    assert index.status_code == 200
    assert "policeplan administration" in index.content.decode()


@override_settings(NINJA_NUM_PROXIES=1)
def test_behind_a_proxy_the_lockout_is_per_client_address_not_the_proxys(
    make_user: Callable,
) -> None:
    """With one proxy in front, every attempt arrives from the proxy's address; the lockout
    counts by the address the proxy saw, so one attacker cannot lock a user out everywhere."""
    from axes.models import AccessAttempt

    user = make_user(Role.ANALYST)
    attacker = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.9")
    for _ in range(LIMIT):
        _post(attacker, SIGN_IN, user.username, "wrong")
    assert _post(attacker, SIGN_IN, user.username, PASSWORD).status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.9"}
    # The same user from another address through the same proxy still signs in.
    office = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert _post(office, SIGN_IN, user.username, PASSWORD).status_code == 302
