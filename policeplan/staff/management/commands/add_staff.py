"""``manage.py add_staff USERNAME --role ROLE [--role ROLE ...] [--email E] [--team TEAM]``."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from policeplan.staff.roles import SECOND_FACTOR_ROLES, Role, parse_role
from policeplan.staff.services import StaffAccountError, create_staff_user, set_password_link


def _role(text: str) -> Role:
    try:
        return parse_role(text)
    except ValueError as exc:
        raise CommandError(str(exc)) from exc


class Command(BaseCommand):
    help = "Create a staff user with one or more roles and print a one-time link to set a password."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument(
            "--role",
            action="append",
            required=True,
            type=_role,
            help=f"Role (repeatable): {', '.join(repr(r.value) for r in Role)}",
        )
        parser.add_argument("--email", default="", help="Email address (for password resets)")
        parser.add_argument(
            "--team", default="", help="Team: a metric owner in the current plan catalogue"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        roles = list(dict.fromkeys(options["role"]))
        try:
            user = create_staff_user(
                options["username"], roles, email=options["email"], team=options["team"]
            )
        except StaffAccountError as exc:
            raise CommandError(str(exc)) from exc
        hours = settings.PASSWORD_RESET_TIMEOUT // 3600
        self.stdout.write(
            f"Created staff user '{user.get_username()}' with roles: "
            f"{', '.join(r.value for r in roles)}."
        )
        if any(role in SECOND_FACTOR_ROLES for role in roles):
            self.stdout.write("They must set up two-factor authentication when they first sign in.")
        self.stdout.write(f"One-time link to set their password (works once, for {hours} hours):")
        self.stdout.write(set_password_link(user))
