"""Creating staff accounts and their one-time set-password links."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .models import StaffProfile
from .roles import Role
from .workspace import owner_titles


class StaffAccountError(Exception):
    """A staff account could not be created; the message says why in plain English."""


@transaction.atomic
def create_staff_user(username: str, roles: Sequence[Role], email: str = "", team: str = "") -> Any:
    """A new active user in ``roles`` with no usable password until the one-time link is used."""
    user_model = get_user_model()
    if not roles:
        raise StaffAccountError("give at least one role")
    if user_model.objects.filter(username__iexact=username).exists():
        raise StaffAccountError(
            f"a user called '{username}' already exists; they can reset their password at "
            f"{absolute_url(reverse('staff-password-reset'))}"
        )
    if team and team not in (known := owner_titles()):
        raise StaffAccountError(
            f"'{team}' is not a metric owner in the current plan (one of: {', '.join(known)})"
        )
    user = user_model(username=username, email=email, is_staff=Role.ADMIN in roles)
    user.set_unusable_password()
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as exc:
        problems = "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
        raise StaffAccountError(problems) from exc
    user.save()
    groups = list(Group.objects.filter(name__in=[role.value for role in roles]))
    if len(groups) != len(set(roles)):
        raise StaffAccountError("the role groups are missing: run `manage.py migrate`")
    user.groups.set(groups)
    StaffProfile.objects.create(user=user, team=team)
    return user


def absolute_url(path: str) -> str:
    """``path`` on this site, from the POLICEPLAN_BASE_URL setting (links sent to people)."""
    return settings.POLICEPLAN_BASE_URL.rstrip("/") + path


def set_password_link(user: Any) -> str:
    """A link that sets ``user``'s password once (Django's password-reset token: it stops
    working when the password changes, or after PASSWORD_RESET_TIMEOUT)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return absolute_url(reverse("staff-set-password", kwargs={"uidb64": uid, "token": token}))
