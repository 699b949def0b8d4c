"""Staff users for tests: real users in the role groups the migrations create, signed in
through the test client, with a real TOTP device where the role needs one."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from policeplan.staff.models import StaffProfile
from policeplan.staff.roles import Role, needs_second_factor

PASSWORD = "correct horse battery staple 42"  # noqa: S105 - a test-only password

MakeUser = Callable[..., User]


@pytest.fixture
def make_user(db: None) -> MakeUser:
    """A staff user in ``roles`` (no roles: a signed-up user with no permissions)."""
    counter = iter(range(1, 10_000))

    def make(
        *roles: Role, username: str = "", password: str | None = PASSWORD, team: str = ""
    ) -> User:
        name = username or f"{'-'.join(r.value.replace(' ', '-') for r in roles) or 'norole'}"
        name = f"{name}-{next(counter)}" if not username else name
        user = User.objects.create_user(name, email=f"{name}@example.org", password=password)
        user.groups.set(Group.objects.filter(name__in=[r.value for r in roles]))
        StaffProfile.objects.create(user=user, team=team)
        return user

    return make


def current_code(device: TOTPDevice) -> str:
    """The code an authenticator app would show now (the real TOTP algorithm)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def verified_device(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="test phone", confirmed=True)


def sign_in(client: Client, user: User) -> Client:
    """Sign ``user`` in; for a role that needs TOTP, as after entering a correct code."""
    client.force_login(user)
    if (
        needs_second_factor(user)
        or user.groups.filter(name__in=[Role.APPROVER.value, Role.ADMIN.value]).exists()
    ):
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = (device or verified_device(user)).persistent_id
        session.save()
    return client


@pytest.fixture
def client_as(make_user: MakeUser) -> Callable[[Role | None], Client]:
    """A test client signed in with ``role`` (None: anonymous)."""

    def make(role: Role | None, **client_options: object) -> Client:
        client = Client(**client_options)  # type: ignore[arg-type]
        if role is None:
            return client
        return sign_in(client, make_user(role))

    return make
