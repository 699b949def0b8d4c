"""``manage.py review_submission ID --approve [--embargo YYYY-MM-DDTHH:MM] --user USERNAME``
or ``--reject --reason TEXT --user USERNAME``: the web page's approval, for scheduled loads;
``--confirm [--reason NOTE] --user USERNAME``: a data owner confirms the figures."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from policeplan.staff.confirmation import confirm
from policeplan.staff.embargo import parse_embargo
from policeplan.staff.models import Submission
from policeplan.staff.workflow import WorkflowError, approve, describe_contents, reject


class Command(BaseCommand):
    help = "Approve (now or at an embargo, Europe/London) or reject a submission."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("id", type=int, help="The submission number")
        decision = parser.add_mutually_exclusive_group(required=True)
        decision.add_argument("--approve", action="store_true")
        decision.add_argument("--reject", action="store_true")
        decision.add_argument(
            "--confirm", action="store_true", help="A data owner confirms the figures"
        )
        parser.add_argument(
            "--embargo", help="Publish at this local time, YYYY-MM-DDTHH:MM (default: now)"
        )
        parser.add_argument(
            "--reason", default="", help="Why it is rejected (--reject), or a note (--confirm)"
        )
        parser.add_argument("--user", required=True, help="The approver's username")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None or not user.is_active:
            raise CommandError(f"no active user '{options['user']}'")
        submission = Submission.objects.filter(pk=options["id"]).first()
        if submission is None:
            raise CommandError(f"no submission {options['id']}")
        if options["confirm"]:
            if options["embargo"]:
                raise CommandError("--embargo goes with --approve")
            try:
                confirm(submission, user, options["reason"])
            except WorkflowError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(
                f"Submission {submission.pk} confirmed by {user.get_username()}: awaiting approval."
            )
            return
        if options["reject"] and options["embargo"]:
            raise CommandError("--embargo goes with --approve")
        if options["approve"] and options["reason"]:
            raise CommandError("--reason goes with --reject")
        try:
            if options["approve"]:
                publish_at = parse_embargo(options["embargo"]) if options["embargo"] else None
                submission = approve(submission, user, publish_at)
            else:
                submission = reject(submission, user, options["reason"])
        except (WorkflowError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        counts = describe_contents(submission)
        if options["reject"]:
            self.stdout.write(f"Submission {submission.pk} rejected ({counts}): sent back.")
            return
        when = timezone.localtime(submission.publish_at)
        if options["embargo"]:
            self.stdout.write(
                f"Submission {submission.pk} approved ({counts}): embargoed until "
                f"{when:%Y-%m-%d %H:%M} {when.tzname()}."
            )
        else:
            self.stdout.write(f"Submission {submission.pk} approved and published ({counts}).")
