"""``manage.py import_register KIND FILE --user USERNAME``: the staff upload page's code path
for a register. Prints ``Submission <id>`` (awaiting approval; ``--draft`` leaves it a draft)
or every problem by row and column, staging nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from policeplan.registers.publication import import_register
from policeplan.sources.local_template import MAX_BYTES
from policeplan.sources.register_specs import SPECS


class Command(BaseCommand):
    help = "Stage a register file (CSV or XLSX) as a submission for approval."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=list(SPECS), help="Which register")
        parser.add_argument("file", type=Path)
        parser.add_argument("--user", required=True, help="The analyst entering the register")
        parser.add_argument(
            "--draft",
            action="store_true",
            help="Leave it a draft (submit it from the staff area) instead of awaiting approval",
        )
        parser.add_argument(
            "--allow-shrink",
            action="store_true",
            help="Accept an upload that drops more of the register's entries than "
            "POLICEPLAN_IMPORT_SHRINK_PERCENT allows (the upload replaces the whole register)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None or not user.is_active:
            raise CommandError(f"no active user '{options['user']}'")
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        if path.stat().st_size > MAX_BYTES:
            raise CommandError(
                f"{path}: {path.stat().st_size:,} bytes is over the {MAX_BYTES:,} limit"
            )
        result = import_register(
            options["kind"],
            path.name,
            path.read_bytes(),
            user,
            submit=not options["draft"],
            allow_shrink=options["allow_shrink"],
        )
        if result.problems:
            for problem in result.problems:
                self.stderr.write(
                    problem if problem.startswith(path.name) else f"{path.name}: {problem}"
                )
            raise CommandError(f"{path.name}: {len(result.problems)} problems; nothing was staged")
        assert result.submission is not None
        if result.unchanged:
            self.stdout.write(f"Unchanged: already held as Submission {result.submission.pk}")
            return
        self.stdout.write(f"Submission {result.submission.pk}")
