"""Staff accounts: a profile beside Django's user, and the staff area's permissions."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from .roles import STAFF_PERMISSIONS


class StaffPermission(models.Model):
    """Holds the staff area's custom permissions (no table): see ``roles.ROLE_PERMISSIONS``."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = sorted(STAFF_PERMISSIONS.items())

    def __str__(self) -> str:
        return "staff permissions"


class StaffProfile(models.Model):
    """What policeplan knows about a staff user beyond Django's ``User``."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_profile"
    )
    team = models.CharField(
        max_length=200,
        blank=True,
        help_text="Team or role title, as metric owners are named in the plan catalogue",
    )

    def __str__(self) -> str:
        return f"{self.user.get_username()} ({self.team or 'no team'})"
