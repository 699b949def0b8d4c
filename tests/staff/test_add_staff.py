"""``add_staff``: a user in the given roles and a set-password link that works exactly once."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.contrib.auth.models import Group, User
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client, override_settings
from django.urls import reverse

from policeplan.staff.models import StaffProfile
from policeplan.staff.roles import ROLE_PERMISSIONS, Role

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a long new passphrase 7"  # noqa: S105 - test-only


def _add_staff(*args: str) -> str:
    out = StringIO()
    call_command("add_staff", *args, stdout=out)
    return out.getvalue()


def _link(output: str) -> str:
    found = re.search(r"^(https?://\S+/staff/set-password/\S+/)$", output, re.M)
    assert found, output
    return found[1]


@override_settings(POLICEPLAN_BASE_URL="https://performance.example.org")
def test_add_staff_creates_the_user_in_every_role_given_and_prints_the_link() -> None:
    output = _add_staff(
        "ayesha", "--role", "analyst", "--role", "data-owner", "--email", "ayesha@example.org"
    )
    user = User.objects.get(username="ayesha")
    assert sorted(g.name for g in user.groups.all()) == ["analyst", "data owner"]
    assert user.email == "ayesha@example.org"
    assert not user.has_usable_password()
    assert not user.is_staff and not user.is_superuser
    assert "Created staff user 'ayesha' with roles: analyst, data owner." in output
    assert "two-factor" not in output
    assert _link(output).startswith("https://performance.example.org/staff/set-password/")


def test_an_approver_is_told_about_two_factor_and_an_admin_may_use_the_admin_site() -> None:
    output = _add_staff("boss", "--role", "approver", "--role", "admin", "--team",
                        "OPCC Chief Executive")  # fmt: skip
    assert "two-factor authentication" in output
    user = User.objects.get(username="boss")
    assert user.is_staff
    assert user.has_perm("staff.use_admin_site") and user.has_perm("staff.approve_submissions")
    assert StaffProfile.objects.get(user=user).team == "OPCC Chief Executive"


def test_the_link_sets_the_password_once_and_then_no_longer_works() -> None:
    link = _link(_add_staff("carol", "--role", "panel member"))
    path = link.removeprefix("http://127.0.0.1:8000")
    client = Client()
    form = client.get(path, follow=True)
    assert "Set your password" in form.content.decode()
    form_url = form.redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("staff-password-set")
    signed_in = Client().post("/staff/sign-in/", {"username": "carol", "password": NEW_PASSWORD})
    assert signed_in.status_code == 302 and signed_in["Location"] == "/staff/"
    # Used once: the same link now says it has expired and sets nothing.
    again = Client().get(path, follow=True).content.decode()
    assert "This link has expired" in again
    assert 'name="new_password1"' not in again


def test_the_set_password_form_rejects_a_weak_password_with_a_govuk_error() -> None:
    link = _link(_add_staff("dev", "--role", "analyst"))
    client = Client()
    form_url = client.get(link.removeprefix("http://127.0.0.1:8000"), follow=True)
    response = client.post(
        form_url.redirect_chain[-1][0], {"new_password1": "password", "new_password2": "password"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and "This password is too common." in page
    assert not User.objects.get(username="dev").has_usable_password()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["eve", "--role", "superhero"], "'superhero' is not a role"),
        (["eve", "--role", "analyst", "--email", "not-an-email"], "email: Enter a valid email"),
        (
            ["eve", "--role", "analyst", "--team", "The A Team"],
            "'The A Team' is not a metric owner",
        ),
        (["bad name!", "--role", "analyst"], "username: Enter a valid username"),
    ],
)
def test_bad_arguments_are_refused_and_nothing_is_created(args: list[str], message: str) -> None:
    before = User.objects.count()
    with pytest.raises(CommandError, match=re.escape(message)):
        _add_staff(*args)
    assert User.objects.count() == before


def test_an_existing_username_is_refused_whatever_its_case() -> None:
    _add_staff("frank", "--role", "analyst")
    with pytest.raises(CommandError, match="already exists"):
        _add_staff("Frank", "--role", "approver")
    assert [g.name for g in User.objects.get(username="frank").groups.all()] == ["analyst"]


def test_a_role_is_required() -> None:
    with pytest.raises(CommandError, match="--role"):
        _add_staff("gina")


def test_role_groups_in_the_database_match_the_roles_table() -> None:
    for role, permissions in ROLE_PERMISSIONS.items():
        group = Group.objects.get(name=role.value)
        held = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        assert held == set(permissions), role
    assert {g.name for g in Group.objects.all()} >= {r.value for r in Role}


def test_password_reset_always_says_the_same_and_emails_only_a_real_account() -> None:
    _add_staff("hana", "--role", "analyst", "--email", "hana@example.org")
    user = User.objects.get(username="hana")
    user.set_password(NEW_PASSWORD)  # reset mails only accounts that have a password
    user.save()
    known = Client().post("/staff/password-reset/", {"email": "hana@example.org"}, follow=True)
    unknown = Client().post("/staff/password-reset/", {"email": "nobody@example.org"}, follow=True)
    assert known.redirect_chain == unknown.redirect_chain
    assert known.content == unknown.content
    assert "If there is a staff account with that email address" in known.content.decode()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["hana@example.org"]
    link = re.search(r"(http\S+/staff/set-password/\S+/)", str(mail.outbox[0].body))
    assert link and link[1].startswith("http://127.0.0.1:8000/staff/set-password/")
