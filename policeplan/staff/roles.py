"""The staff roles (Django groups) and what each may do (permissions attached to the groups).

This module is the one statement of who may do what. The data migrations create the groups
with these permissions, and a test checks the database against this table, so a role's power
is never only implied by a hidden link.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class Role(StrEnum):
    """A staff role; the value is the Django group's name."""

    ANALYST = "analyst"
    DATA_OWNER = "data owner"
    APPROVER = "approver"
    PANEL_MEMBER = "panel member"
    ADMIN = "admin"

    @property
    def description(self) -> str:
        return ROLE_DESCRIPTIONS[self]


ROLE_DESCRIPTIONS = {
    Role.ANALYST: "Enters and uploads data and drafts commentary",
    Role.DATA_OWNER: "Confirms the figures of the metrics they own",
    Role.APPROVER: "Approves and publishes, sets embargoes and targets",
    Role.PANEL_MEMBER: "Reads drafts before publication",
    Role.ADMIN: "Manages staff accounts and roles",
}

# Codename -> description: custom permissions of the staff app ("staff.<codename>").
STAFF_PERMISSIONS = {
    "use_staff_area": "Can sign in to the staff area",
    "view_drafts": "Can read draft figures and commentary before publication",
    "enter_data": "Can enter and upload local data",
    "draft_commentary": "Can draft commentary",
    "confirm_data": "Can confirm the figures of metrics they own",
    "approve_submissions": "Can approve, reject and publish submissions and set embargoes",
    "set_targets": "Can set metric targets",
    "withdraw_figures": "Can withdraw a published figure with a correction note",
    "view_audit_log": "Can view and export the audit log",
    "use_admin_site": "Can use the Django admin site",
}

_EVERY_ROLE = ("use_staff_area", "view_drafts")

# Role -> "app_label.codename" permissions of its group.
ROLE_PERMISSIONS: dict[Role, frozenset[str]] = {
    Role.ANALYST: frozenset(f"staff.{p}" for p in (*_EVERY_ROLE, "enter_data", "draft_commentary")),
    Role.DATA_OWNER: frozenset(f"staff.{p}" for p in (*_EVERY_ROLE, "confirm_data")),
    Role.APPROVER: frozenset(
        f"staff.{p}"
        for p in (
            *_EVERY_ROLE,
            "approve_submissions",
            "set_targets",
            "withdraw_figures",
            "view_audit_log",
        )
    ),
    Role.PANEL_MEMBER: frozenset(f"staff.{p}" for p in _EVERY_ROLE),
    Role.ADMIN: frozenset(
        {
            *(f"staff.{p}" for p in (*_EVERY_ROLE, "view_audit_log", "use_admin_site")),
            *(f"auth.{a}_{m}" for a in ("view", "add", "change") for m in ("user", "group")),
            "staff.view_staffprofile",
            "staff.change_staffprofile",
            "axes.view_accessattempt",
            "axes.delete_accessattempt",
            "axes.view_accesslog",
            "otp_totp.view_totpdevice",
            "otp_totp.delete_totpdevice",
        }
    ),
}

# Roles whose members must pass a TOTP second factor before any staff page.
SECOND_FACTOR_ROLES = frozenset({Role.APPROVER, Role.ADMIN})


def parse_role(text: str) -> Role:
    """A role from its name, forgiving case, hyphens and underscores ("data-owner")."""
    wanted = " ".join(text.strip().lower().replace("-", " ").replace("_", " ").split())
    for role in Role:
        if role.value == wanted:
            return role
    raise ValueError(f"'{text}' is not a role (one of: {', '.join(r.value for r in Role)})")


def roles_of(user: Any) -> list[Role]:
    """The user's roles, in the order of ``Role``."""
    if not getattr(user, "is_authenticated", False):
        return []
    names = {g.name for g in user.groups.all()}
    return [role for role in Role if role.value in names]


def needs_second_factor(user: Any) -> bool:
    """True when the user must pass TOTP: approvers, admins, superusers, or anyone enrolled."""
    from django_otp import user_has_device

    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser or any(role in SECOND_FACTOR_ROLES for role in roles_of(user)):
        return True
    return bool(user_has_device(user, confirmed=True))
